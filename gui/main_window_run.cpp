// MainWindow: the what-if edits, the runs and what they draw.

#include <QChart>
#include <QChartView>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>

#include <cmath>
#include <exception>

#include "chart_export.hpp"
#include "compare_panel.hpp"
#include "failover_marks.hpp"
#include "ipvsadm_panel.hpp"
#include "main_window.hpp"
#include "number_text.hpp"
#include "packet_walk_panel.hpp"
#include "run_charts.hpp"
#include "scenario/scenario_text.hpp"
#include "scenario_editor.hpp"
#include "sweep_panel.hpp"
#include "theory_window.hpp"
#include "timeline_panel.hpp"
#include "topology_marks.hpp"
#include "topology_view.hpp"
#include "whatif_edits.hpp"

namespace lvs::gui {

namespace {

using Control = WhatIfPanel::Control;
// The charts over simulated time, which mark the run's failovers.
constexpr RunChart kTimeCharts[] = {RunChart::Throughput, RunChart::Latency, RunChart::DirectorCpu,
                                    RunChart::LinkUtilization};

// A file name for a chart: its title in lower case, words joined by '-' ("latency-cdf").
QString chart_file_stem(const QChart& chart) {
  QString stem;
  for (const QChar c : chart.title().toLower()) {
    if (c.isLetterOrNumber())
      stem += c;
    else if (!stem.isEmpty() && !stem.endsWith('-'))
      stem += '-';
    if (c == '(') break;  // leave the parenthesised detail out
  }
  while (stem.endsWith('-')) stem.chop(1);
  return stem;
}

}  // namespace

void MainWindow::connect_whatif() {
  connect(whatif_, &WhatIfPanel::scheduler_chosen, this, [this](const QString& name) {
    apply_edit(Control::Scheduler, [&](scenario::ScenarioText& t) { edit_scheduler(t, spec_, whatif_->service_index(), name.toStdString()); });
  });
  connect(whatif_, &WhatIfPanel::rate_set, this, [this](double rate) {
    apply_edit(Control::Rate, [&](scenario::ScenarioText& t) { edit_rate(t, spec_, rate); });
  });
  connect(whatif_, &WhatIfPanel::method_chosen, this, [this](const QString& method) {
    apply_edit(Control::Method, [&](scenario::ScenarioText& t) { edit_method(t, spec_, method.toStdString()); });
  });
  connect(whatif_, &WhatIfPanel::servers_set, this, [this](int n) {
    apply_edit(Control::Servers, [&](scenario::ScenarioText& t) { edit_servers(t, whatif_->service_index(), static_cast<std::size_t>(n)); });
  });
  connect(whatif_, &WhatIfPanel::weight_set, this, [this](int destination, int weight) {
    apply_edit(Control::Weights, [&](scenario::ScenarioText& t) {
      edit_weight(t, spec_, whatif_->service_index(), static_cast<std::size_t>(destination),
                  static_cast<std::uint32_t>(weight));
    });
  });
  connect(whatif_, &WhatIfPanel::persistence_set, this, [this](bool on, int timeout_s, const QString& netmask) {
    apply_edit(Control::Persistence, [&](scenario::ScenarioText& t) {
      edit_persistence(t, spec_, whatif_->service_index(), on, static_cast<std::uint32_t>(timeout_s),
                       netmask.toStdString());
    });
  });
  connect_failover_whatif();
}

void MainWindow::connect_failover_whatif() {
  connect(whatif_, &WhatIfPanel::failure_set, this, [this](const QString& action, const QString& component, double at,
                                                           double back) {
    std::optional<InjectedFailure> f;
    if (!action.isEmpty())
      f = InjectedFailure{action.toStdString(), component.toStdString(), at, back > at ? std::optional(back) : std::nullopt};
    apply_edit(Control::Failure, [&](scenario::ScenarioText& t) { edit_failure(t, spec_, f); });
  });
  connect(whatif_, &WhatIfPanel::health_check_set, this, [this](bool on, double loop, int retry, double timeout, bool inhibit) {
    apply_edit(Control::HealthCheck, [&](scenario::ScenarioText& t) {
      edit_health_check(t, spec_, whatif_->service_index(), on, loop, static_cast<std::uint32_t>(retry), timeout,
                        inhibit);
    });
  });
  connect(whatif_, &WhatIfPanel::advert_int_set, this, [this](double s) {
    apply_edit(Control::Vrrp, [&](scenario::ScenarioText& t) { edit_advert_int(t, spec_, s); });
  });
  connect(whatif_, &WhatIfPanel::storage_kind_chosen, this, [this](const QString& kind) {
    apply_edit(Control::Storage, [&](scenario::ScenarioText& t) { edit_storage_kind(t, spec_, kind.toStdString()); });
  });
}

// Makes the control's edit in the scenario text and reads the text back at once: a valid
// result becomes the spec (and re-runs after the debounce); an invalid one is shown next to
// the control and in the editor, and nothing runs until it is fixed.
void MainWindow::apply_edit(Control control, const std::function<void(scenario::ScenarioText&)>& edit) {
  whatif_->clear_errors();
  try {
    scenario::ScenarioText text(editor_->text().toStdString(), editor_->file_path().toStdString());
    edit(text);
    editing_ = true;
    editor_->apply_text(QString::fromStdString(text.text()));
    editor_->check_now();
    editing_ = false;
  } catch (const std::exception& e) {
    editing_ = false;
    whatif_->show_error(control, QString::fromStdString(e.what()));
    status_->setText(QStringLiteral("not changed: %1").arg(QString::fromStdString(e.what())));
    return;
  }
  if (!valid_) whatif_->show_error(control, editor_->error_text());
}

void MainWindow::on_spec_changed(const scenario::ScenarioSpec& spec) {
  spec_ = spec;
  valid_ = true;
  whatif_->show_spec(spec_);
  if (!editing_) whatif_->clear_errors();
  topology_->set_topology(spec_);
  mark_mounts(*topology_, spec_);
  compare_->set_spec(spec_);
  walk_->set_spec(spec_);
  theory_->set_scenario(spec_);
  sweep_->set_scenario(spec_, editor_->text().toStdString(), overrides_);
  run_button_->setEnabled(true);
  status_->setText(QStringLiteral("%1: ready").arg(QString::fromStdString(spec_.name)));
  debounce_->start();
  trace_if_shown();
}

// The packet walk follows the scenario while its tab is shown: a change traces again.
void MainWindow::trace_if_shown() {
  if (tabs_->currentWidget() == walk_ && valid_ && !walk_->up_to_date()) walk_->trace();
}

void MainWindow::scenario_invalid(const QString& error) {
  valid_ = false;
  debounce_->stop();
  if (!running()) run_button_->setEnabled(false);
  status_->setText(QStringLiteral("not run: %1").arg(error));
}

void MainWindow::start() {
  debounce_->stop();
  if (!valid_) return;
  worker_->start(spec_);
  run_spec_ = spec_;
  progress_->setValue(0);
  status_->setText(QStringLiteral("running %1 (seed %2)…").arg(QString::fromStdString(spec_.name)).arg(spec_.seed));
  set_running_ui(true);
}

bool MainWindow::run_pending() const { return running() || debounce_->isActive(); }

void MainWindow::cancel() {
  debounce_->stop();
  worker_->cancel();
}

void MainWindow::set_running_ui(bool running) {
  run_button_->setText(running ? QStringLiteral("Cancel") : QStringLiteral("Run"));
  run_button_->setEnabled(running || valid_);
}

void MainWindow::on_started(const run::SeriesLayout& layout) {
  layout_ = layout;
  pending_samples_.clear();  // a superseded run's
  draw_timer_->stop();
  const run::RunResult* overlay = baseline_ ? &*baseline_ : last_ ? &*last_ : nullptr;
  charts_->begin_run(layout, spec_.duration.seconds(), spec_.warmup.seconds(), overlay, overlay_series_label());
  show_overlay_caption(overlay, baseline_ ? baseline_spec_ : last_spec_, run_spec_);
  topology_->clear_load();
  for (RunChart c : kTimeCharts) clear_failover_marks(charts_->chart(c));
  timeline_->clear();
  clear_states(*topology_);
}

namespace {
constexpr int kDrawIntervalMs = 100;  // the live charts redraw at most ten times a second
}  // namespace

// A sample is drawn at once if the last drawing is kDrawIntervalMs old, else with the others
// that arrive before then.
void MainWindow::on_sample(const run::Sample& sample) {
  pending_samples_.push_back(sample);
  if (draw_timer_->isActive()) return;
  const qint64 since = since_draw_.isValid() ? since_draw_.elapsed() : kDrawIntervalMs;
  if (since >= kDrawIntervalMs) return draw_pending_samples();
  draw_timer_->start(static_cast<int>(kDrawIntervalMs - since));
}

void MainWindow::draw_pending_samples() {
  draw_timer_->stop();
  if (pending_samples_.empty()) return;
  charts_->add_samples(pending_samples_);
  topology_->set_load(layout_, pending_samples_.back());
  pending_samples_.clear();
  since_draw_.start();
}

void MainWindow::on_progress(double now_s, double end_s) {
  if (end_s > 0) progress_->setValue(static_cast<int>(now_s / end_s * kProgressSteps));
}

void MainWindow::on_finished(run::RunResult result) {
  pending_samples_.clear();  // the whole run is drawn below
  draw_timer_->stop();
  if (last_) previous_ = std::move(last_);
  last_ = std::move(result);
  previous_spec_ = std::move(last_spec_);
  last_spec_ = run_spec_;
  pin_->setEnabled(true);
  progress_->setValue(kProgressSteps);
  set_running_ui(false);
  const double p99 = last_->requests.latencies.quantile(0.99) * 1e3;  // exact
  status_->setText(QStringLiteral("%1 (seed %2): %3 s simulated in %4 s, %5 req/s, p99 %6, %7 failed")
                       .arg(QString::fromStdString(last_->scenario))
                       .arg(last_->seed)
                       .arg(last_->sim_time_s, 0, 'f', 1)
                       .arg(last_->wall_time_s, 0, 'f', 2)
                       .arg(last_->throughput_rps, 0, 'f', 1)
                       .arg(std::isnan(p99) ? QStringLiteral("n/a (nothing completed)") : number_text(p99, 2) + " ms")
                       .arg(last_->requests.failed_total()));
  charts_->finish_run(*last_, overlay_result(), overlay_series_label());
  show_overlay_caption(overlay_result(), baseline_ ? baseline_spec_ : previous_spec_, last_spec_);
  ipvsadm_->show_result(*last_);
  theory_->set_run(*last_);
  for (RunChart c : kTimeCharts) mark_failovers(charts_->chart(c), *last_);
  timeline_->show_result(*last_, run_spec_);
  mark_states(*topology_, timeline_->lanes_view()->lanes());
  emit redrawn();
}

void MainWindow::on_cancelled() {
  draw_pending_samples();
  set_running_ui(false);
  status_->setText(QStringLiteral("cancelled"));
}

void MainWindow::on_failed(const QString& message) {
  set_running_ui(false);
  status_->setText(QStringLiteral("run failed: %1").arg(message));
}

bool MainWindow::export_run(const QString& dir) {
  QString error;
  const auto fail = [&](const QString& why) {
    status_->setText(QStringLiteral("export failed: %1").arg(why));
    return false;
  };
  if (!last_) return fail(QStringLiteral("nothing to export: no run has completed"));
  if (!QDir().mkpath(dir)) return fail(QStringLiteral("cannot create %1").arg(dir));
  const std::vector<QChartView*> views = charts_->views();
  for (std::size_t i = 0; i < views.size(); ++i) {
    const QString stem = QDir(dir).filePath(chart_file_stem(*views[i]->chart()));
    if (!save_chart_png(*views[i], stem + ".png", &error) || !save_chart_svg(*views[i], stem + ".svg", &error) ||
        !save_chart_csv(*views[i]->chart(), stem + ".csv", &error))
      return fail(error);
  }
  try {
    run::write_csv(dir.toStdString(), *last_);
  } catch (const std::exception& e) {
    return fail(QString::fromStdString(e.what()));
  }
  QFile json(QDir(dir).filePath(QStringLiteral("results.json")));
  if (!json.open(QIODevice::WriteOnly) || json.write(QByteArray::fromStdString(run::to_json(*last_))) < 0)
    return fail(QStringLiteral("cannot write %1").arg(json.fileName()));
  status_->setText(QStringLiteral("exported %1 charts and the results (seed %2) to %3")
                       .arg(views.size())
                       .arg(last_->seed)
                       .arg(dir));
  return true;
}

}  // namespace lvs::gui
