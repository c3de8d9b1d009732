#pragma once
// The charts of one scenario run, drawn live as its samples arrive and in full from its
// RunResult at the end, with the previous run as a faint overlay: over time, throughput,
// latency p50/p99, director CPU and link utilisation; at the end, the latency CDF and
// requests, mean activeconns and utilisation per real server (bars).

#include <QList>
#include <QObject>
#include <QString>

#include <array>
#include <cstddef>
#include <vector>

#include "run/results.hpp"

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
  ServerUtilization
};
inline constexpr std::size_t kRunCharts = 8;

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

  /// The four charts over simulated time, two by two (made once; the caller owns it).
  QWidget* make_time_page();
  /// The latency CDF and the three per-server bar charts, two by two.
  QWidget* make_server_page();

  /// Empties the current run's series for a run of `layout` lasting `end_s` seconds;
  /// `overlay` (the last completed run, if any) is drawn faint.
  void begin_run(const run::SeriesLayout& layout, double end_s, const run::RunResult* overlay);
  /// Appends one live sample of the current run.
  void add_sample(const run::Sample& s);
  /// Draws `current` in full with `previous` (if any) as the overlay.
  void show(const run::RunResult& current, const run::RunResult* previous);

  QChart* chart(RunChart c) const { return charts_[static_cast<std::size_t>(c)]; }
  /// Every chart view, in RunChart order.
  std::vector<QChartView*> views() const { return {views_.begin(), views_.end()}; }

 private:
  void reset_lines(const run::SeriesLayout& layout, const run::RunResult* overlay);
  void reset_bars(const std::vector<std::string>& servers, const run::RunResult* overlay);
  void draw_cdf(const run::RunResult* current, const run::RunResult* overlay);
  void update_live_bars();
  void set_bars(std::size_t b, const QList<qreal>& values);
  void fit_bars();
  void fit_all(double end_s);

  std::array<QChart*, kRunCharts> charts_{};
  std::array<QChartView*, kRunCharts> views_{};
  // The current run's series, filled live or from the result.
  QLineSeries *throughput_ = nullptr, *p50_ = nullptr, *p99_ = nullptr;
  std::vector<QLineSeries*> cpu_, links_;
  std::array<QBarSet*, 3> bars_{};  // requests, activeconns, utilisation of the current run
  std::vector<run::Sample> live_;   // samples of the run in flight
  std::vector<std::string> servers_;
};

}  // namespace lvs::gui
