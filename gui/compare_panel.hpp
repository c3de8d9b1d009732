#pragma once
// The compare panel: the scenario of the what-if window run under several schedulers,
// R replications each on common random numbers (`lvslab compare`, on a CompareWorker). One
// bar chart per metric shows each scheduler's mean with its 95% confidence interval as a
// whisker, on a value axis that spans the intervals; the table below gives mean ±
// half-width and the paired difference against the baseline (the first scheduler the user
// checked), starred when its interval excludes 0 and marked "(no spread)" when every
// replication gave the same difference (never starred); a legend line says so. Schedulers
// that are not in the kernel carry a † everywhere. All numbers and texts are the library's.

#include <QString>
#include <QWidget>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "compare_worker.hpp"
#include "run/compare.hpp"
#include "scenario/scenario_spec.hpp"

class QChart;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace lvs::gui {

class ComparePanel : public QWidget {
  Q_OBJECT

 public:
  explicit ComparePanel(QWidget* parent = nullptr);

  /// The scenario to compare on (copied). Until the user edits the scheduler list, the
  /// checked ones follow it: its own scheduler plus rr, wlc and sh.
  void set_spec(const scenario::ScenarioSpec& spec);
  /// The checked schedulers in the order they are compared, which is the order they were
  /// checked in: by default the scenario's own first, then rr, sh, wlc by name. The first is
  /// the baseline of the paired differences.
  std::vector<std::string> selected_schedulers() const;

  /// The bar chart of metric `m`: one QBarSet (the means) and a "95% CI <scheduler>" whisker
  /// line series per scheduler.
  const QChart* chart(run::CompareMetric m) const { return charts_[static_cast<std::size_t>(m)]; }
  /// The comparison the charts and the table show (the last completed one), if any.
  const std::optional<run::CompareResult>& result() const { return result_; }
  /// True while a comparison is in flight.
  bool running() const { return worker_->running(); }
  /// The status line: seeds and replications, progress, or the failure.
  QString status_text() const;
  /// The error shown next to the scheduler list ("" if none).
  QString selection_error() const;

  QListWidget* scheduler_list_widget() const { return schedulers_; }
  QSpinBox* replications_spin() const { return replications_; }
  QSpinBox* jobs_spin() const { return jobs_; }
  QPushButton* run_button() const { return run_button_; }
  QTableWidget* table() const { return table_; }
  /// The line under the table saying what ±, whiskers, Δ, *, † and the axes mean.
  QLabel* legend() const { return legend_; }
  /// "baseline: wrr", under the scheduler list.
  QLabel* baseline_label() const { return baseline_; }
  const CompareWorker* worker() const { return worker_; }

 public slots:
  /// Starts comparing the checked schedulers (cancelling a comparison in flight); with none
  /// checked or no scenario, shows the error and starts nothing.
  void start();
  /// Cancels the comparison in flight.
  void cancel();

 signals:
  /// The charts and the table hold a new comparison's numbers.
  void compared();

 private slots:
  void on_item_changed(QListWidgetItem* item);
  void on_progress(int done, int total);
  void on_finished(lvs::run::CompareResult result);
  void on_cancelled();
  void on_failed(const QString& message);

 private:
  void build_ui();
  QWidget* build_controls();
  QWidget* build_charts();
  void check_defaults();
  void show_baseline();
  void set_running_ui(bool running);
  void fill_table();

  std::optional<scenario::ScenarioSpec> spec_;
  std::optional<run::CompareResult> result_;
  bool user_choice_ = false;  // the user has edited the scheduler list: set_spec keeps it
  std::vector<std::string> order_;  // the checked schedulers, in the order they were checked

  CompareWorker* worker_;
  QListWidget* schedulers_ = nullptr;
  QLabel* selection_error_ = nullptr;
  QSpinBox* replications_ = nullptr;
  QSpinBox* jobs_ = nullptr;
  QPushButton* run_button_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  std::array<QChart*, run::kCompareMetrics> charts_{};
  QTableWidget* table_ = nullptr;
  QLabel* legend_ = nullptr;
  QLabel* baseline_ = nullptr;
};

}  // namespace lvs::gui
