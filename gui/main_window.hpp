#pragma once
// lvslab-gui's window over one scenario file. The scenario's YAML text (the Scenario tab's
// editor) is the model: the what-if controls edit that text as a user would (whatif_edits),
// every edit is read back through the same loader and validate() as `lvslab run`, and an
// edit that does not read is shown next to its control and in the editor, never run. A valid
// change re-runs the scenario on a worker thread (RunWorker), the charts and the topology
// redraw live as samples arrive, and the previous run stays as a faint overlay. Tabs: charts
// over time, per server and the latency CDF, topology, compare, packet walk, the scenario
// text, and the M/M/c theory view.

#include <QElapsedTimer>
#include <QMainWindow>
#include <QMessageBox>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "run/results.hpp"
#include "run_worker.hpp"
#include "scenario/scenario_spec.hpp"
#include "scenario_editor.hpp"  // declares ScenarioSpec a metatype, for on_spec_changed
#include "whatif_panel.hpp"

class QAction;
class QChart;
class QChartView;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QMenu;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTimer;

namespace lvs::scenario {
class ScenarioText;
}

namespace lvs::gui {

class ComparePanel;
class IpvsadmPanel;
class PacketWalkPanel;
class RunBanner;
class RunCharts;
class TheoryWindow;
class SweepPanel;
class TimelinePanel;
class TopologyView;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  /// The tabs, in order.
  enum class Tab { OverTime, Servers, Ipvsadm, Topology, Compare, PacketWalk, Scenario, Theory, Sweep, Timeline };

  /// An empty window (File > Open), showing the theory tab.
  explicit MainWindow(QWidget* parent = nullptr);
  /// A window over the scenario file `path`, with `overrides` ("KEY=VALUE", as --set) applied
  /// on every read; a read or validation error is shown and leaves nothing to run.
  explicit MainWindow(const std::string& path, const std::vector<std::string>& overrides = {},
                      QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Opens `path` (replacing the current scenario); false with the error in the status line.
  bool open(const QString& path);
  /// Saves the scenario text to `path` (the current file if empty); false with the error in
  /// the status line (the menu's Save shows it in a message box too).
  bool save(const QString& path = {});

  /// True if the scenario text reads and validates without error.
  bool loaded() const { return valid_; }
  /// True while a run is in flight.
  bool running() const { return worker_->running(); }
  /// True while a run is in flight or about to start (a change waiting out the debounce).
  bool run_pending() const;
  /// The status line: the load error, the run in progress, or the last run's figures.
  QString status_text() const;
  /// The error shown next to the forwarding-method control ("" if none).
  QString method_error() const { return whatif_->error(WhatIfPanel::Control::Method); }
  /// The last completed run, if any, and the one before it (the overlay).
  const std::optional<run::RunResult>& last_result() const { return last_; }
  const std::optional<run::RunResult>& previous_result() const { return previous_; }
  /// The run pinned as the baseline (Pin as baseline), if any: the overlay until unpinned.
  const std::optional<run::RunResult>& baseline() const { return baseline_; }
  /// The run the charts draw dashed under the last one: the baseline if pinned, else the previous.
  const run::RunResult* overlay_result() const;
  /// Pins the last completed run as the baseline (false: unpins; the previous run is the overlay again).
  void pin_baseline(bool on);
  QAction* pin_action() const { return pin_; }
  /// Asked when unsaved edits would be lost (closing the window, File > Open): Save, Discard
  /// or Cancel. By default a QMessageBox; tests set an answer (no modal dialog offscreen).
  using UnsavedQuestion = std::function<QMessageBox::StandardButton(QWidget* parent)>;
  void set_unsaved_question(UnsavedQuestion question) { unsaved_question_ = std::move(question); }
  /// True if there are no unsaved edits, or the user saved them or chose to discard them.
  bool may_discard_edits();
  /// The strip over the "Over time" charts: lesson, warnings, what the overlay is.
  RunBanner* banner() const { return banner_; }
  /// The spec the next run uses (the last text that read and validated).
  const scenario::ScenarioSpec& spec() const { return spec_; }
  /// The recently opened files, newest first.
  QStringList recent_files() const;

  void show_tab(Tab tab);
  WhatIfPanel* whatif() const { return whatif_; }
  RunCharts* charts() const { return charts_; }
  QChart* throughput_chart() const;
  QChart* latency_chart() const;
  QComboBox* scheduler_combo() const;
  QComboBox* method_combo() const;
  QDoubleSpinBox* rate_spin() const;
  QPushButton* run_button() const { return run_button_; }
  ScenarioEditor* editor() const { return editor_; }
  TopologyView* topology() const { return topology_; }
  ComparePanel* compare() const { return compare_; }
  PacketWalkPanel* packet_walk() const { return walk_; }
  IpvsadmPanel* ipvsadm() const { return ipvsadm_; }
  TheoryWindow* theory() const { return theory_; }
  SweepPanel* sweep() const { return sweep_; }
  TimelinePanel* timeline() const { return timeline_; }
  QTabWidget* tabs() const { return tabs_; }
  const RunWorker* worker() const { return worker_; }
  RunWorker* worker() { return worker_; }

  /// Writes every chart of the run tabs to `dir` as PNG, SVG and CSV, and the run's
  /// results.json, timeseries.csv, servers.csv and links.csv; false with the error in the
  /// status line.
  bool export_run(const QString& dir);

 public slots:
  /// Runs the current spec now (cancelling a run in flight).
  void start();
  /// Cancels the run in flight.
  void cancel();

 protected:
  void closeEvent(QCloseEvent* event) override;

 signals:
  /// The charts hold a new completed run's numbers.
  void redrawn();

 private slots:
  void on_spec_changed(const lvs::scenario::ScenarioSpec& spec);
  void on_started(const lvs::run::SeriesLayout& layout);
  void on_sample(const lvs::run::Sample& sample);
  void draw_pending_samples();
  void on_progress(double now_s, double end_s);
  void on_finished(lvs::run::RunResult result);
  void on_cancelled();
  void on_failed(const QString& message);

 private:
  static constexpr int kProgressSteps = 1000;  // the progress bar's range
  void build_ui();
  QWidget* build_side_panel();
  void build_menus();
  void connect_whatif();
  void connect_failover_whatif();
  void apply_edit(WhatIfPanel::Control control, const std::function<void(scenario::ScenarioText&)>& edit);
  void scenario_invalid(const QString& error);
  void set_running_ui(bool running);
  void remember_recent(const QString& path);
  void fill_recent_menu();
  void update_title();
  void trace_if_shown();
  void show_overlay_caption(const run::RunResult* overlay, const scenario::ScenarioSpec& overlay_spec,
                            const scenario::ScenarioSpec& current);
  QString overlay_series_label() const;
  void on_checked();

  std::vector<std::string> overrides_;
  scenario::ScenarioSpec spec_;
  bool valid_ = false;
  bool editing_ = false;  // a what-if edit is being read back: its error goes to its control
  std::optional<run::RunResult> last_, previous_, baseline_;
  // The spec each run was started with: the overlay's caption says how they differ.
  scenario::ScenarioSpec run_spec_, last_spec_, previous_spec_, baseline_spec_;
  run::SeriesLayout layout_;

  RunWorker* worker_;
  QTimer* debounce_;
  // Live samples are drawn at most every kDrawIntervalMs: samples arriving sooner wait in
  // pending_samples_ for draw_timer_ (a long run's charts would otherwise be laid out again
  // at every sample, and the event loop would be blocked for the whole run).
  QTimer* draw_timer_;
  QElapsedTimer since_draw_;
  std::vector<run::Sample> pending_samples_;
  RunCharts* charts_;
  WhatIfPanel* whatif_ = nullptr;
  QPushButton* run_button_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  QTabWidget* tabs_ = nullptr;
  ScenarioEditor* editor_ = nullptr;
  TopologyView* topology_ = nullptr;
  ComparePanel* compare_ = nullptr;
  PacketWalkPanel* walk_ = nullptr;
  IpvsadmPanel* ipvsadm_ = nullptr;
  TheoryWindow* theory_ = nullptr;
  SweepPanel* sweep_ = nullptr;
  TimelinePanel* timeline_ = nullptr;
  QMenu* recent_menu_ = nullptr;
  QAction* pin_ = nullptr;
  UnsavedQuestion unsaved_question_;
  RunBanner* banner_ = nullptr;
};

}  // namespace lvs::gui
