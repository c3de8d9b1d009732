#pragma once
// The charts of one scenario run, drawn live as its samples arrive and in full from its
// RunResult at the end, with an earlier run (the previous one, or a pinned baseline) as a
// dashed overlay: over time, throughput, latency p50/p99, director CPU, link utilisation and
// failed requests by reason (run_lines.hpp: where a line has a gap and why); at the end, the
// latency CDF and requests, mean activeconns and utilisation per real server (bars).

#include <QList>
#include <QObject>
#include <QString>

#include <array>
#include <cstddef>
#include <vector>

#include "gap_line.hpp"
#include "run/results.hpp"
#include "run_lines.hpp"

class QBarSeries;
class QBarSet;
class QChart;
class QChartView;
class QLineSeries;
class QWidget;

namespace lvs::gui {

enum class RunChart {
  Throughput,
  Latency,
  DirectorCpu,
  LinkUtilization,
  LatencyCdf,
  ServerRequests,
  ServerActiveconns,
  ServerUtilization,
  Failures
};
inline constexpr std::size_t kRunCharts = 9;

/// The overlay's name when nothing tells it apart: the run before.
inline const QString kPreviousRun = QStringLiteral("previous");

/// What a per-server bar chart shows of a run: requests received, the mean of the sampled
/// activeconns, the mean of the sampled utilisation (%).
std::vector<double> server_requests(const run::RunResult& r);
std::vector<double> mean_activeconns(const run::RunResult& r);
std::vector<double> server_utilization_percent(const run::RunResult& r);

class RunCharts : public QObject {
  Q_OBJECT

 public:
  explicit RunCharts(QObject* parent = nullptr);
  RunCharts(const RunCharts&) = delete;
  RunCharts& operator=(const RunCharts&) = delete;

  /// The five charts over simulated time, in two rows (made once; the caller owns it).
  QWidget* make_time_page();
  /// The latency CDF and the three per-server bar charts, two by two.
  QWidget* make_server_page();

  /// Empties the current run's series for a run of `layout` lasting `end_s` seconds with
  /// warm-up `warmup_s`; `overlay` (if any) is drawn dashed, its series named
  /// "`overlay_label` NAME" ("previous throughput", "baseline (scheduler=rr) p99").
  void begin_run(const run::SeriesLayout& layout, double end_s, double warmup_s, const run::RunResult* overlay,
                 const QString& overlay_label = kPreviousRun);
  /// Appends one live sample of the current run.
  void add_sample(const run::Sample& s);
  /// Adds the samples of `batch` in order, as add_sample() each would, laying each line out once.
  void add_samples(const std::vector<run::Sample>& batch);
  /// Draws `current` in full with `overlay` (if any) named `overlay_label`.
  void show(const run::RunResult& current, const run::RunResult* overlay, const QString& overlay_label = kPreviousRun);
  /// The run begun with begin_run() ended with `current`, over the same `overlay`: its
  /// samples not yet added are appended to the live lines, which then equal show()'s, and the
  /// bars, CDF and ranges drawn from the result. Laying out again lines the live samples
  /// already drew cost a 2 h run (7 200 samples) 30 ms. show() when the live lines are not
  /// the run's (no begin_run, other samples, failure lines in another order).
  void finish_run(const run::RunResult& current, const run::RunResult* overlay,
                  const QString& overlay_label = kPreviousRun);

  QChart* chart(RunChart c) const { return charts_[static_cast<std::size_t>(c)]; }
  /// The line series `name` of chart `c` (an overlay's by its full name), or nullptr.
  const GapLine* line(RunChart c, const QString& name) const;
  /// Every chart view, in RunChart order.
  std::vector<QChartView*> views() const { return {views_.begin(), views_.end()}; }

 private:
  struct Drawn {
    TimeChart chart;
    GapLine line;
    SampleValue value;
    std::size_t drawn = 0;  // the live samples (live_) this line holds, from the first
  };

  void reset_lines(const run::SeriesLayout& layout, const run::RunResult* overlay, const QString& overlay_label);
  Drawn& add_drawn(std::vector<Drawn>& to, const TimeLine& l, const QString& prefix, bool overlay);
  void add_failure_lines(const run::Sample& s);
  QChart* time_chart(TimeChart c) const;
  void reset_bars(const std::vector<std::string>& servers, const run::RunResult* overlay,
                  const QString& overlay_label);
  void draw_cdf(const run::RunResult* current, const run::RunResult* overlay, const QString& overlay_label);
  std::array<QChart*, 5> time_charts() const;
  void update_live_bars();
  void set_bars(std::size_t b, const QList<qreal>& values);
  void fit_bars();
  void fit_all(double end_s);
  bool streamed(const run::RunResult& current) const;
  static double x_step(const QChart* chart);
  void fit_x_steps(const QChart* chart);
  void draw_result_bars(const run::RunResult& current);

  std::array<QChart*, kRunCharts> charts_{};
  std::array<QChartView*, kRunCharts> views_{};
  // The current run's lines, filled live or from the result, and the overlay's.
  std::vector<Drawn> lines_, overlay_lines_;
  double warmup_s_ = 0;
  std::array<bool, kFailReasons> reason_drawn_{};
  std::array<QBarSet*, 3> bars_{};  // requests, activeconns, utilisation of the current run
  std::vector<run::Sample> live_;   // samples of the run in flight
  bool streaming_ = false;          // begin_run() and no show() since: lines_ are live_'s
  std::vector<std::string> servers_;
};

}  // namespace lvs::gui
