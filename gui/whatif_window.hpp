#pragma once
// The what-if window over a scenario file: change the scheduler, the first client's rate or
// the forwarding method, and the same library re-runs the scenario on a worker thread
// (RunWorker); the charts redraw from the copied RunResult, the previous run kept as a
// faint overlay for comparison.

#include <QMainWindow>
#include <QString>

#include <optional>
#include <string>
#include <vector>

#include "run/results.hpp"
#include "run_worker.hpp"
#include "scenario/scenario_spec.hpp"

class QChart;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineSeries;
class QProgressBar;
class QPushButton;
class QTimer;

namespace lvs::gui {

class WhatIfWindow : public QMainWindow {
  Q_OBJECT

 public:
  /// Reads `path` with `overrides` ("KEY=VALUE", as --set); a read or validation error is
  /// shown in the status line and leaves the window with nothing to run.
  explicit WhatIfWindow(const std::string& path, const std::vector<std::string>& overrides = {},
                        QWidget* parent = nullptr);
  /// A window over an already-read scenario.
  explicit WhatIfWindow(scenario::ScenarioSpec spec, QWidget* parent = nullptr);

  /// True if the scenario was read and validates without error.
  bool loaded() const { return loaded_; }
  /// True while a run is in flight.
  bool running() const { return worker_->running(); }
  /// The status line: the load error, the run in progress, or the last run's figures.
  QString status_text() const;
  /// The error shown next to the forwarding-method control ("" if none).
  QString method_error() const;
  /// The last completed run, if any.
  const std::optional<run::RunResult>& last_result() const { return last_; }
  /// The spec the next run uses (after the controls' edits).
  const scenario::ScenarioSpec& spec() const { return spec_; }

  const QChart* throughput_chart() const { return throughput_chart_; }
  const QChart* latency_chart() const { return latency_chart_; }
  QComboBox* scheduler_combo() const { return scheduler_; }
  QComboBox* method_combo() const { return method_; }
  QDoubleSpinBox* rate_spin() const { return rate_; }
  QPushButton* run_button() const { return run_button_; }
  const RunWorker* worker() const { return worker_; }
  RunWorker* worker() { return worker_; }

 public slots:
  /// Runs the current spec now (cancelling a run in flight).
  void start();
  /// Cancels the run in flight.
  void cancel();

 signals:
  /// The charts hold a new run's numbers.
  void redrawn();

 private slots:
  void controls_changed();
  void on_progress(double now_s, double end_s);
  void on_finished(lvs::run::RunResult result);
  void on_cancelled();
  void on_failed(const QString& message);

 private:
  void build_ui();
  void fill_controls();
  std::optional<scenario::ScenarioSpec> edited_spec(QString& error) const;
  void redraw();
  void set_running_ui(bool running);

  scenario::ScenarioSpec base_;   // as read: the rate is scaled from here, never compounded
  scenario::ScenarioSpec spec_;   // base_ with the controls' edits
  bool loaded_ = false;
  std::optional<run::RunResult> last_, previous_;

  RunWorker* worker_;
  QTimer* debounce_;
  QComboBox* scheduler_ = nullptr;
  QLabel* scheduler_info_ = nullptr;
  QDoubleSpinBox* rate_ = nullptr;
  QComboBox* method_ = nullptr;
  QLabel* method_error_ = nullptr;
  QPushButton* run_button_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  QChart* throughput_chart_ = nullptr;
  QChart* latency_chart_ = nullptr;
  QLineSeries *throughput_ = nullptr, *p50_ = nullptr, *p99_ = nullptr;
  QLineSeries *prev_throughput_ = nullptr, *prev_p50_ = nullptr, *prev_p99_ = nullptr;
};

}  // namespace lvs::gui
