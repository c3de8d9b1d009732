#include "whatif_window.hpp"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QPen>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <array>
#include <exception>
#include <utility>

#include "lvs/version.hpp"
#include "schedulers/registry.hpp"
#include "side_panel.hpp"

namespace lvs::gui {

namespace {

constexpr int kDebounceMs = 200;
constexpr int kOverlayAlpha = 60;
constexpr int kProgressSteps = 1000;

struct MethodName {
  const char* name;
  scenario::Method method;
};
constexpr std::array<MethodName, 4> kMethods{{{"nat", scenario::Method::Nat},
                                              {"dr", scenario::Method::Dr},
                                              {"tun", scenario::Method::Tun},
                                              {"fullnat", scenario::Method::FullNat}}};

// A line series named `name` in `color`; faint (alpha kOverlayAlpha) for the previous run.
QLineSeries* add_series(QChart* chart, const QString& name, QColor color, bool faint) {
  auto* s = new QLineSeries;
  s->setName(name);
  if (faint) color.setAlpha(kOverlayAlpha);
  QPen pen(color);
  pen.setWidthF(faint ? 1.5 : 2.0);
  s->setPen(pen);
  chart->addSeries(s);
  return s;
}

QChart* make_chart(const QString& title, const QString& y_title) {
  auto* chart = new QChart;
  chart->setTitle(title);
  auto* x = new QValueAxis;
  x->setTitleText(QStringLiteral("simulated time (s)"));
  auto* y = new QValueAxis;
  y->setTitleText(y_title);
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  return chart;
}

void attach_axes(QChart* chart) {
  for (QAbstractSeries* s : chart->series())
    for (QAbstractAxis* axis : chart->axes()) s->attachAxis(axis);
}

// Puts `points` in `s` and widens the running x / y maxima.
void fill(QLineSeries* s, const QList<QPointF>& points, double& max_x, double& max_y) {
  s->replace(points);
  for (const QPointF& p : points) {
    max_x = std::max(max_x, p.x());
    max_y = std::max(max_y, p.y());
  }
}

QList<QPointF> points(const std::optional<run::RunResult>& r, double run::Sample::*field) {
  QList<QPointF> out;
  if (!r) return out;
  out.reserve(static_cast<qsizetype>(r->series.size()));
  for (const run::Sample& s : r->series) out.append(QPointF(s.time_s, s.*field));
  return out;
}

void set_ranges(QChart* chart, double max_x, double max_y) {
  const auto axes_x = chart->axes(Qt::Horizontal);
  const auto axes_y = chart->axes(Qt::Vertical);
  if (!axes_x.empty()) axes_x.front()->setRange(0.0, std::max(max_x, 1.0));
  if (!axes_y.empty()) axes_y.front()->setRange(0.0, std::max(max_y * 1.1, 1.0));
}

}  // namespace

WhatIfWindow::WhatIfWindow(const std::string& path, const std::vector<std::string>& overrides,
                           QWidget* parent)
    : WhatIfWindow(scenario::ScenarioSpec{}, parent) {
  try {
    base_ = scenario::read_scenario(path, overrides);
  } catch (const std::exception& e) {
    loaded_ = false;
    status_->setText(QStringLiteral("cannot load: %1").arg(QString::fromStdString(e.what())));
    return;
  }
  fill_controls();
}

WhatIfWindow::WhatIfWindow(scenario::ScenarioSpec spec, QWidget* parent)
    : QMainWindow(parent), base_(std::move(spec)), worker_(new RunWorker(this)), debounce_(new QTimer(this)) {
  debounce_->setSingleShot(true);
  debounce_->setInterval(kDebounceMs);
  build_ui();
  connect(debounce_, &QTimer::timeout, this, &WhatIfWindow::start);
  connect(worker_, &RunWorker::progress, this, &WhatIfWindow::on_progress);
  connect(worker_, &RunWorker::finished, this, &WhatIfWindow::on_finished);
  connect(worker_, &RunWorker::cancelled, this, &WhatIfWindow::on_cancelled);
  connect(worker_, &RunWorker::failed, this, &WhatIfWindow::on_failed);
  if (!base_.services.empty() || !base_.file.empty()) fill_controls();
}

void WhatIfWindow::build_ui() {
  setWindowTitle(QStringLiteral("lvslab %1 — what-if").arg(kVersion));
  scheduler_ = new QComboBox;
  for (const SchedulerInfo& info : scheduler_list()) {
    scheduler_->addItem(QString::fromStdString(info.name));
    scheduler_->setItemData(scheduler_->count() - 1, QString::fromStdString(info.description), Qt::ToolTipRole);
  }
  scheduler_info_ = new QLabel;
  rate_ = new QDoubleSpinBox;
  rate_->setRange(0.0, 1e7);
  rate_->setDecimals(1);
  rate_->setSuffix(QStringLiteral(" /s"));
  method_ = new QComboBox;
  method_->addItem(QStringLiteral("as in the file"));
  for (const MethodName& m : kMethods) method_->addItem(QString::fromLatin1(m.name));
  method_error_ = new QLabel;
  method_error_->setWordWrap(true);
  method_error_->setStyleSheet(QStringLiteral("color: #b00020"));
  run_button_ = new QPushButton(QStringLiteral("Run"));
  progress_ = new QProgressBar;
  progress_->setRange(0, kProgressSteps);
  status_ = new QLabel;
  status_->setWordWrap(true);

  auto* form = new QFormLayout;
  form->addRow(QStringLiteral("Scheduler"), scheduler_);
  form->addRow(QString(), scheduler_info_);
  form->addRow(QStringLiteral("Client rate"), rate_);
  form->addRow(QStringLiteral("Forwarding"), method_);
  form->addRow(QString(), method_error_);
  form->addRow(run_button_);
  form->addRow(progress_);
  form->addRow(status_);

  throughput_chart_ = make_chart(QStringLiteral("Throughput"), QStringLiteral("requests/s"));
  throughput_ = add_series(throughput_chart_, QStringLiteral("throughput"), QColor(31, 119, 180), false);
  prev_throughput_ = add_series(throughput_chart_, QStringLiteral("previous throughput"), QColor(31, 119, 180), true);
  attach_axes(throughput_chart_);
  latency_chart_ = make_chart(QStringLiteral("Latency"), QStringLiteral("ms"));
  p50_ = add_series(latency_chart_, QStringLiteral("p50"), QColor(44, 160, 44), false);
  p99_ = add_series(latency_chart_, QStringLiteral("p99"), QColor(214, 39, 40), false);
  prev_p50_ = add_series(latency_chart_, QStringLiteral("previous p50"), QColor(44, 160, 44), true);
  prev_p99_ = add_series(latency_chart_, QStringLiteral("previous p99"), QColor(214, 39, 40), true);
  attach_axes(latency_chart_);

  auto* charts = new QVBoxLayout;
  for (QChart* chart : {throughput_chart_, latency_chart_}) {
    auto* view = new QChartView(chart);
    view->setRenderHint(QPainter::Antialiasing);
    charts->addWidget(view, 1);
  }
  set_side_panel_layout(*this, form, charts, 1100, 700);

  connect(scheduler_, &QComboBox::currentIndexChanged, this, &WhatIfWindow::controls_changed);
  connect(rate_, &QDoubleSpinBox::valueChanged, this, &WhatIfWindow::controls_changed);
  connect(method_, &QComboBox::currentIndexChanged, this, &WhatIfWindow::controls_changed);
  connect(run_button_, &QPushButton::clicked, this, [this] { running() ? cancel() : start(); });
}

// Shows the scenario's own values in the controls and checks it.
void WhatIfWindow::fill_controls() {
  const QSignalBlocker b1(scheduler_), b2(rate_), b3(method_);
  setWindowTitle(QStringLiteral("lvslab %1 — what-if: %2").arg(kVersion, QString::fromStdString(base_.name)));
  scheduler_->setEnabled(!base_.services.empty());
  if (!base_.services.empty()) {
    scheduler_->setCurrentIndex(scheduler_->findText(QString::fromStdString(base_.services.front().scheduler)));
    scheduler_info_->setText(scheduler_->currentData(Qt::ToolTipRole).toString());
  }
  const bool open_loop = !base_.workload.clients.empty() && !base_.workload.clients.front().rate.empty();
  rate_->setEnabled(open_loop);
  rate_->setToolTip(open_loop ? QStringLiteral("sessions/s of the first client; later steps scale with it")
                              : QStringLiteral("the first client is closed-loop (users): no rate to set"));
  if (open_loop) rate_->setValue(base_.workload.clients.front().rate.front().rate);
  method_->setCurrentIndex(0);
  spec_ = base_;
  QString error;
  loaded_ = edited_spec(error).has_value();
  status_->setText(loaded_ ? QStringLiteral("%1: ready").arg(QString::fromStdString(base_.name))
                           : QStringLiteral("invalid scenario: %1").arg(error));
  run_button_->setEnabled(loaded_);
}

// base_ with the controls' values applied, or nullopt and the first validation error.
std::optional<scenario::ScenarioSpec> WhatIfWindow::edited_spec(QString& error) const {
  scenario::ScenarioSpec spec = base_;
  if (scheduler_->currentIndex() >= 0)
    for (scenario::ServiceSpec& s : spec.services) s.scheduler = scheduler_->currentText().toStdString();
  if (!spec.workload.clients.empty() && !spec.workload.clients.front().rate.empty()) {
    std::vector<RateStep>& steps = spec.workload.clients.front().rate;
    const double first = steps.front().rate;
    for (RateStep& step : steps) step.rate = first > 0 ? step.rate * rate_->value() / first : rate_->value();
  }
  if (method_->currentIndex() > 0) {
    const scenario::Method m = kMethods[static_cast<std::size_t>(method_->currentIndex() - 1)].method;
    for (scenario::ServiceSpec& s : spec.services)
      for (scenario::DestinationSpec& d : s.destinations) d.method = m;
  }
  for (const scenario::Finding& f : scenario::validate(spec))
    if (f.severity == scenario::Finding::Severity::Error) {
      error = QString::fromStdString(f.str(spec.file));
      return std::nullopt;
    }
  return spec;
}

void WhatIfWindow::controls_changed() {
  if (scheduler_->currentIndex() >= 0)
    scheduler_info_->setText(scheduler_->currentData(Qt::ToolTipRole).toString());
  if (!loaded_) return;
  QString error;
  std::optional<scenario::ScenarioSpec> spec = edited_spec(error);
  if (!spec) {
    debounce_->stop();
    method_error_->setText(error);
    status_->setText(QStringLiteral("not run: %1").arg(error));
    return;
  }
  method_error_->clear();
  spec_ = std::move(*spec);
  debounce_->start();
}

void WhatIfWindow::start() {
  debounce_->stop();
  if (!loaded_ || !method_error_->text().isEmpty()) return;
  worker_->start(spec_);
  progress_->setValue(0);
  status_->setText(QStringLiteral("running %1…").arg(QString::fromStdString(spec_.name)));
  set_running_ui(true);
}

void WhatIfWindow::cancel() {
  debounce_->stop();
  worker_->cancel();
}

QString WhatIfWindow::status_text() const { return status_->text(); }
QString WhatIfWindow::method_error() const { return method_error_->text(); }

void WhatIfWindow::set_running_ui(bool running) {
  run_button_->setText(running ? QStringLiteral("Cancel") : QStringLiteral("Run"));
}

void WhatIfWindow::on_progress(double now_s, double end_s) {
  if (end_s > 0) progress_->setValue(static_cast<int>(now_s / end_s * kProgressSteps));
}

void WhatIfWindow::on_finished(lvs::run::RunResult result) {
  if (last_) previous_ = std::move(last_);
  last_ = std::move(result);
  progress_->setValue(kProgressSteps);
  set_running_ui(false);
  status_->setText(QStringLiteral("%1: %2 s simulated in %3 s, %4 req/s, p99 %5 ms")
                       .arg(QString::fromStdString(last_->scenario))
                       .arg(last_->sim_time_s, 0, 'f', 1)
                       .arg(last_->wall_time_s, 0, 'f', 2)
                       .arg(last_->throughput_rps, 0, 'f', 1)
                       .arg(last_->requests.latency.percentile(0.99) * 1e3, 0, 'f', 2));
  redraw();
}

void WhatIfWindow::on_cancelled() {
  set_running_ui(false);
  status_->setText(QStringLiteral("cancelled"));
}

void WhatIfWindow::on_failed(const QString& message) {
  set_running_ui(false);
  status_->setText(QStringLiteral("run failed: %1").arg(message));
}

void WhatIfWindow::redraw() {
  double max_x = 0, max_y = 0;
  fill(throughput_, points(last_, &run::Sample::throughput_rps), max_x, max_y);
  fill(prev_throughput_, points(previous_, &run::Sample::throughput_rps), max_x, max_y);
  set_ranges(throughput_chart_, max_x, max_y);
  max_x = max_y = 0;
  fill(p50_, points(last_, &run::Sample::latency_p50_ms), max_x, max_y);
  fill(p99_, points(last_, &run::Sample::latency_p99_ms), max_x, max_y);
  fill(prev_p50_, points(previous_, &run::Sample::latency_p50_ms), max_x, max_y);
  fill(prev_p99_, points(previous_, &run::Sample::latency_p99_ms), max_x, max_y);
  set_ranges(latency_chart_, max_x, max_y);
  emit redrawn();
}

}  // namespace lvs::gui
