#include "theory_window.hpp"

#include <QChart>
#include <QChartView>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <exception>

#include "chart_export.hpp"
#include "lvs/version.hpp"
#include "metrics/queueing.hpp"
#include "side_panel.hpp"

namespace lvs::gui {

namespace {

constexpr int kPoints = 97;  // utilisation 0.02 .. 0.98
constexpr int kModelColumns = 4;

QScatterSeries* point_series(const QString& name, QColor colour, QScatterSeries::MarkerShape shape) {
  auto* s = new QScatterSeries;
  s->setName(name);
  s->setColor(colour);
  s->setBorderColor(Qt::black);
  s->setMarkerShape(shape);
  s->setMarkerSize(11);
  return s;
}

// As `lvslab theory` prints them: ms with 3 decimals, utilisation in % with 1.
QString ms(double s) { return QString::number(s * 1e3, 'f', 3); }
QString percent(double u) { return QString::number(u * 100, 'f', 1); }

}  // namespace

const QString TheoryWindow::kModelPoint = QStringLiteral("model at the offered rate");
const QString TheoryWindow::kMeasuredPoint = QStringLiteral("measured (last run)");

TheoryWindow::TheoryWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(QStringLiteral("lvslab %1 — M/M/c what-if").arg(kVersion));
  auto* form = new QFormLayout;
  form->addRow(build_inputs());

  chart_ = new QChart;
  chart_->setTitle(QStringLiteral("Time at the real servers against utilisation (M/M/c, Erlang C)"));
  auto* view = new QChartView(chart_);
  view->setRenderHint(QPainter::Antialiasing);
  add_export_actions(view);
  models_ = new QTableWidget(0, kModelColumns);
  models_->setHorizontalHeaderLabels({QStringLiteral("model (lvslab theory)"), QStringLiteral("mean ms"),
                                      QStringLiteral("p99 ms"), QStringLiteral("utilisation %")});
  models_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  models_->verticalHeader()->hide();
  models_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);

  auto* main = new QVBoxLayout;
  main->addWidget(view, 3);
  main->addWidget(models_, 1);
  set_side_panel_layout(*this, form, main, 1000, 600);
  redraw();
}

QWidget* TheoryWindow::build_inputs() {
  servers_ = new QSpinBox;
  servers_->setRange(1, 100000);
  servers_->setValue(4);
  workers_ = new QSpinBox;
  workers_->setRange(1, 100000);
  workers_->setValue(1);
  service_ms_ = new QDoubleSpinBox;
  service_ms_->setRange(0.001, 100000);
  service_ms_->setDecimals(3);
  service_ms_->setValue(10);
  service_ms_->setSuffix(QStringLiteral(" ms"));
  rate_ = new QDoubleSpinBox;
  rate_->setRange(0, 1e9);
  rate_->setDecimals(1);
  rate_->setSuffix(QStringLiteral(" req/s"));
  rate_->setToolTip(QStringLiteral("open-loop requests/s; 0 marks no model point"));
  source_ = new QLabel(QStringLiteral("no scenario: a what-if of your own"));
  source_->setWordWrap(true);
  status_ = new QLabel;
  status_->setWordWrap(true);

  auto* box = new QWidget;
  box->setFixedWidth(240);
  auto* form = new QFormLayout(box);
  form->setContentsMargins(0, 0, 0, 0);
  form->addRow(source_);
  form->addRow(QStringLiteral("Real servers"), servers_);
  form->addRow(QStringLiteral("Workers each"), workers_);
  form->addRow(QStringLiteral("Mean service"), service_ms_);
  form->addRow(QStringLiteral("Offered rate"), rate_);
  form->addRow(status_);
  connect(servers_, &QSpinBox::valueChanged, this, &TheoryWindow::redraw);
  connect(workers_, &QSpinBox::valueChanged, this, &TheoryWindow::redraw);
  connect(service_ms_, &QDoubleSpinBox::valueChanged, this, &TheoryWindow::on_input_changed);
  connect(rate_, &QDoubleSpinBox::valueChanged, this, &TheoryWindow::on_input_changed);
  return box;
}

QString TheoryWindow::status_text() const { return status_->text(); }

void TheoryWindow::set_scenario(const scenario::ScenarioSpec& spec) {
  spec_ = spec;
  measured_.reset();
  theory_.reset();
  QString why = QStringLiteral("no service with clients to model");
  try {
    run::ScenarioTheory t = run::scenario_theory(spec);
    if (!t.services.empty() && t.services.front().workers > 0) theory_ = std::move(t.services.front());
  } catch (const std::exception& e) {
    why = QStringLiteral("no model: %1").arg(e.what());
  }
  if (!theory_) {
    source_->setText(QStringLiteral("%1: %2").arg(QString::fromStdString(spec.name), why));
    fill_models();
    return redraw();
  }
  const run::ServiceTheory& t = *theory_;
  service_ = t.service;
  source_->setText(QStringLiteral("From %1, service %2 (%3):").arg(QString::fromStdString(spec.name),
                                                                  QString::fromStdString(t.service),
                                                                  QString::fromStdString(t.scheduler)));
  // The pooled model's rates, exactly: the spin boxes show them rounded.
  const int per_server = std::max(1, static_cast<int>(std::lround(static_cast<double>(t.workers) / t.servers)));
  service_rate_ = t.server_capacity_rps / static_cast<double>(t.workers);
  offered_rps_ = t.offered_rps;
  {
    const QSignalBlocker a(servers_), b(workers_), c(service_ms_), d(rate_);
    servers_->setValue(t.servers);
    workers_->setValue(per_server);
    service_ms_->setValue(1e3 / service_rate_);
    rate_->setValue(offered_rps_);
  }
  fill_models();
  redraw();
}

void TheoryWindow::set_run(const run::RunResult& r) {
  measured_ = theory_ ? run::measured_point(spec_, service_, r) : std::nullopt;
  redraw();
}

void TheoryWindow::set_inputs(int servers, int workers, double service_time_ms, double rate_rps) {
  const QSignalBlocker a(servers_), b(workers_), c(service_ms_), d(rate_);
  servers_->setValue(servers);
  workers_->setValue(workers);
  service_ms_->setValue(service_time_ms);
  rate_->setValue(rate_rps);
  service_rate_ = 1e3 / service_time_ms;
  offered_rps_ = rate_rps;
  redraw();
}

// A spin box the user edited: its value (as shown) replaces the scenario's exact one.
void TheoryWindow::on_input_changed() {
  service_rate_ = 1e3 / service_ms_->value();
  offered_rps_ = rate_->value();
  redraw();
}

// One row per model scenario_theory() gives the service, its figures as the CLI prints them.
void TheoryWindow::fill_models() {
  models_->setRowCount(0);
  if (!theory_) return;
  const run::ServiceTheory& t = *theory_;
  models_->setRowCount(static_cast<int>(t.models.size()));
  for (std::size_t i = 0; i < t.models.size(); ++i) {
    const run::ModelFigures& m = t.models[i];
    const QString name = QString::fromStdString(m.name) + (t.best == i ? QStringLiteral(" (the scheduler's)") : "");
    const QStringList cells{name, ms(m.mean_response_s), m.p99_s ? ms(*m.p99_s) : QStringLiteral("—"),
                            m.utilization > 0 ? percent(m.utilization) : QStringLiteral("—")};
    for (int c = 0; c < kModelColumns; ++c) {
      auto* item = new QTableWidgetItem(cells[c]);
      item->setToolTip(QString::fromStdString(m.description + (m.note.empty() ? "" : "\n" + m.note)));
      if (c > 0) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      models_->setItem(static_cast<int>(i), c, item);
    }
  }
  models_->resizeColumnsToContents();
  models_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  models_->setFixedHeight(models_->horizontalHeader()->sizeHint().height() + models_->verticalHeader()->length() +
                          2 * models_->frameWidth());
}

// The model's point at the offered rate (below saturation) and the run's measured point,
// each as mean and p99 at one utilisation; widens [lowest, highest] to hold them.
void TheoryWindow::add_points(double& lowest, double& highest) {
  const int c = servers_->value() * workers_->value();
  auto* model = point_series(kModelPoint, QColor(44, 160, 44), QScatterSeries::MarkerShapeCircle);
  if (offered_rps_ > 0 && offered_rps_ < c * service_rate_) {
    const MmcResult q = mmc(c, offered_rps_, service_rate_);
    model->append(q.utilization * 100, q.mean_response * 1e3);
    model->append(q.utilization * 100, response_time_quantile(q, 0.99) * 1e3);
  }
  auto* measured = point_series(kMeasuredPoint, QColor(214, 39, 40), QScatterSeries::MarkerShapeRectangle);
  if (measured_ && measured_->requests > 0) {
    measured->append(measured_->utilization * 100, measured_->mean_s * 1e3);
    if (measured_->p99_s) measured->append(measured_->utilization * 100, *measured_->p99_s * 1e3);
  }
  for (QScatterSeries* s : {model, measured}) {
    chart_->addSeries(s);
    for (const QPointF& p : s->points()) {
      lowest = std::min(lowest, p.y());
      highest = std::max(highest, p.y());
    }
  }
}

void TheoryWindow::redraw() {
  chart_->removeAllSeries();
  for (QAbstractAxis* axis : chart_->axes()) {
    chart_->removeAxis(axis);  // gives the axis back to us
    delete axis;
  }
  const int c = servers_->value() * workers_->value();
  const double mu = service_rate_;
  auto* mean = new QLineSeries;
  auto* p50 = new QLineSeries;
  auto* p99 = new QLineSeries;
  mean->setName(QStringLiteral("mean"));
  p50->setName(QStringLiteral("p50"));
  p99->setName(QStringLiteral("p99"));
  double lowest = 1e300, highest = 0;
  for (int i = 1; i <= kPoints; ++i) {
    const double rho = 0.01 * (i + 1);
    const MmcResult q = mmc(c, rho * c * mu, mu);
    const double median = response_time_quantile(q, 0.5) * 1e3;
    const double tail = response_time_quantile(q, 0.99) * 1e3;
    mean->append(rho * 100, q.mean_response * 1e3);
    p50->append(rho * 100, median);
    p99->append(rho * 100, tail);
    lowest = std::min(lowest, median);
    highest = std::max(highest, tail);
  }
  for (QLineSeries* s : {mean, p50, p99}) chart_->addSeries(s);
  add_points(lowest, highest);
  auto* x = new QValueAxis;
  x->setTitleText(QStringLiteral("utilisation of the workers (%)"));
  x->setRange(0, 100);
  auto* y = new QLogValueAxis;
  y->setTitleText(QStringLiteral("waiting + service (ms)"));
  y->setLabelFormat(QStringLiteral("%g"));
  y->setMinorTickCount(8);
  y->setRange(std::pow(10.0, std::floor(std::log10(lowest))), std::pow(10.0, std::ceil(std::log10(highest))));
  chart_->addAxis(x, Qt::AlignBottom);
  chart_->addAxis(y, Qt::AlignLeft);
  for (QAbstractSeries* s : chart_->series()) {
    s->attachAxis(x);
    s->attachAxis(y);
  }
  QString status = QStringLiteral("c = %1 workers, capacity %2 req/s").arg(c).arg(c * mu, 0, 'f', 1);
  if (offered_rps_ > 0)
    status += offered_rps_ < c * mu ? QStringLiteral("; at %1 req/s: utilisation %2%")
                                          .arg(offered_rps_, 0, 'f', 1)
                                          .arg(percent(offered_rps_ / (c * mu)))
                                    : QStringLiteral("; %1 req/s is beyond capacity: no steady state")
                                          .arg(offered_rps_, 0, 'f', 1);
  if (theory_ && theory_->closed_loop)
    status += QStringLiteral("; the %1 closed-loop users are not in the open model").arg(theory_->users);
  if (measured_)
    status += QStringLiteral("\nlast run: utilisation %1%, mean %2 ms, p99 %3 ms at the servers")
                  .arg(percent(measured_->utilization), ms(measured_->mean_s),
                       measured_->p99_s ? ms(*measured_->p99_s) : QStringLiteral("n/a"));
  status_->setText(status);
}

}  // namespace lvs::gui
