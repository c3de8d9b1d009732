#pragma once
// The Theory tab: the M/M/c model of the open scenario's real servers, response-time mean,
// p50 and p99 against utilisation, with two operating points beside the curves: the
// model's at the scenario's offered rate, and the last run's as measured (its servers'
// utilisation and time at the servers). The model comes from the library
// (run::scenario_theory(), what `lvslab theory SCENARIO` prints): the spin boxes start from
// the scenario's servers, workers per server, mean service time and offered rate, and the
// table under the chart lists the library's models with the CLI's figures. Editing a spin
// box is a what-if on the curve only; the table stays the scenario's.

#include <QMainWindow>

#include <optional>
#include <string>

#include "run/results.hpp"
#include "run/scenario_theory.hpp"
#include "scenario/scenario_spec.hpp"

class QChart;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QTableWidget;

namespace lvs::gui {

class TheoryWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit TheoryWindow(QWidget* parent = nullptr);

  /// Derives the model from `spec` (its first service with clients, as `lvslab theory`
  /// lists them): sets the spin boxes from it, fills the models table and forgets the
  /// measured point of an earlier scenario. With no service to model, says so and keeps
  /// the inputs.
  void set_scenario(const scenario::ScenarioSpec& spec);
  /// Marks where the run `r` of the scenario last set put its servers (run::measured_point()).
  void set_run(const run::RunResult& r);
  /// Sets the what-if inputs (c = servers x workers, mean service time, offered rate; a rate
  /// of 0 marks no model point) and redraws.
  void set_inputs(int servers, int workers, double service_time_ms, double rate_rps);

  /// The chart: "mean", "p50", "p99" curves; scatter series kModelPoint and kMeasuredPoint.
  const QChart* chart() const { return chart_; }
  /// The service modelled, as scenario_theory() gives it; nullopt before a scenario.
  const std::optional<run::ServiceTheory>& theory() const { return theory_; }
  /// The last run's measured point; nullopt before a run of this scenario.
  const std::optional<run::MeasuredPoint>& measured() const { return measured_; }
  QSpinBox* servers_spin() const { return servers_; }
  QSpinBox* workers_spin() const { return workers_; }
  QDoubleSpinBox* service_spin() const { return service_ms_; }
  QDoubleSpinBox* rate_spin() const { return rate_; }
  /// The library's models of the service: name, mean ms, p99 ms, utilisation %.
  QTableWidget* models_table() const { return models_; }
  /// The line under the inputs: c, capacity, and the utilisation at the rate.
  QString status_text() const;

  /// Names of the marked points' series (mean and p99 at one utilisation each).
  static const QString kModelPoint;
  static const QString kMeasuredPoint;

 private slots:
  void redraw();
  void on_input_changed();

 private:
  QWidget* build_inputs();
  void fill_models();
  void add_points(double& lowest, double& highest);

  std::string service_;                     // the scenario's service modelled
  scenario::ScenarioSpec spec_;
  std::optional<run::ServiceTheory> theory_;
  std::optional<run::MeasuredPoint> measured_;
  double service_rate_ = 100;               // mu per worker, 1/s: exact, not the spin box's rounding
  double offered_rps_ = 0;                  // likewise

  QSpinBox* servers_;
  QSpinBox* workers_;
  QDoubleSpinBox* service_ms_;
  QDoubleSpinBox* rate_;
  QLabel* source_;
  QLabel* status_;
  QChart* chart_;
  QTableWidget* models_;
};

}  // namespace lvs::gui
