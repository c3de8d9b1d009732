#pragma once
// The Sweep tab: `lvslab sweep` over the open scenario. The user picks one --param (a key
// path and its values, FROM:TO:STEP or v1,v2,... exactly as the CLI takes them, checked by
// the CLI's parser with its error text), the replications, --until, the metric to plot, and
// optionally an SLO on that metric (metric < bound, as --slo) and a search for the highest
// or lowest value meeting it (--find). The runs go on a SweepWorker; the chart shows the
// metric's mean and 95% interval per point with the SLO line and the search's answer, the
// table the CLI's cells (mean ± half-width, the bottleneck per point), the status line the
// CLI's summary line with the seeds. Every number is the library's.

#include <QString>
#include <QWidget>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "run/run_figures.hpp"
#include "scenario/scenario_spec.hpp"
#include "sweep_worker.hpp"

class QChart;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace lvs::gui {

class SweepPanel : public QWidget {
  Q_OBJECT

 public:
  explicit SweepPanel(QWidget* parent = nullptr);

  /// The scenario to sweep: its text as the editor holds it (saved or not), the file it
  /// stands for, the window's --set list, and its spec (for the parameter suggestions).
  void set_scenario(const scenario::ScenarioSpec& spec, std::string text, std::vector<std::string> overrides);

  /// The request the controls describe; nullopt with the error shown (grid_error()) when
  /// the grid, --seed or the SLO does not parse.
  std::optional<SweepRequest> request();
  /// `lvslab sweep` with the same options: what the chart and table show.
  QString command_line() const;
  /// The metric the chart and table show.
  run::RunMetric shown_metric() const;

  /// The last finished sweep (and search), if any.
  const std::optional<SweepOutcome>& outcome() const { return outcome_; }
  bool running() const { return worker_->running(); }
  /// The CLI's error text for the controls' grid, --until or SLO ("" when they parse).
  QString grid_error() const;
  /// The status line: the CLI's summary line with the seeds, progress, or the failure.
  QString status_text() const;
  /// The search's "answer: ..." and "bracket: ..." lines as the CLI prints them ("" without).
  QString answer_text() const;

  QComboBox* param_combo() const { return param_; }
  QLineEdit* values_edit() const { return values_; }
  QSpinBox* replications_spin() const { return replications_; }
  QSpinBox* jobs_spin() const { return jobs_; }
  QLineEdit* seed_edit() const { return seed_; }
  QDoubleSpinBox* until_spin() const { return until_; }
  QComboBox* metric_combo() const { return metric_; }
  QCheckBox* log_check() const { return log_y_; }
  QCheckBox* slo_check() const { return slo_check_; }
  QDoubleSpinBox* slo_spin() const { return slo_bound_; }
  QComboBox* find_combo() const { return find_; }
  QPushButton* run_button() const { return run_button_; }
  QTableWidget* table() const { return table_; }
  QChart* chart() const { return chart_; }
  const SweepWorker* worker() const { return worker_; }

 public slots:
  /// Starts the sweep the controls describe (cancelling one in flight); a bad grid shows the
  /// CLI's error and starts nothing.
  void start();
  void cancel();

 signals:
  /// The chart and table hold a new sweep's numbers.
  void swept();

 private slots:
  void on_param_chosen(int index);
  void on_metric_changed();
  void on_progress(int done, int total);
  void on_finished(lvs::gui::SweepOutcome outcome);
  void on_cancelled();
  void on_failed(const QString& message);

 private:
  void make_grid_inputs();
  void make_metric_inputs();
  QWidget* build_controls();
  QWidget* build_slo_controls();
  QWidget* build_results();
  std::optional<run::Slo> slo() const;
  std::uint64_t seed() const;
  void set_running_ui(bool running);
  void show_command();
  void show_outcome();
  void clear_outcome();

  std::optional<scenario::ScenarioSpec> spec_;
  std::string text_;
  std::vector<std::string> overrides_;
  std::optional<SweepOutcome> outcome_;

  SweepWorker* worker_;
  QComboBox* param_ = nullptr;
  QLineEdit* values_ = nullptr;
  QLabel* error_ = nullptr;
  QSpinBox* replications_ = nullptr;
  QSpinBox* jobs_ = nullptr;
  QLineEdit* seed_ = nullptr;
  QDoubleSpinBox* until_ = nullptr;
  QComboBox* metric_ = nullptr;
  QCheckBox* log_y_ = nullptr;
  QCheckBox* slo_check_ = nullptr;
  QDoubleSpinBox* slo_bound_ = nullptr;
  QComboBox* find_ = nullptr;
  QPushButton* run_button_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  QLabel* command_ = nullptr;
  QChart* chart_ = nullptr;
  QLabel* answer_ = nullptr;
  QTableWidget* table_ = nullptr;
};

}  // namespace lvs::gui
