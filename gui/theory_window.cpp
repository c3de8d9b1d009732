#include "theory_window.hpp"

#include <QChart>
#include <QChartView>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QSpinBox>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "chart_export.hpp"
#include "lvs/version.hpp"
#include "metrics/queueing.hpp"
#include "side_panel.hpp"

namespace lvs::gui {

namespace {
constexpr int kPoints = 97;  // utilisation 0.02 .. 0.98
}

TheoryWindow::TheoryWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(QStringLiteral("lvslab %1 — M/M/c what-if").arg(kVersion));
  servers_ = new QSpinBox;
  servers_->setRange(1, 1000);
  servers_->setValue(4);
  service_ms_ = new QDoubleSpinBox;
  service_ms_->setRange(0.01, 100000);
  service_ms_->setDecimals(2);
  service_ms_->setValue(10);
  service_ms_->setSuffix(QStringLiteral(" ms"));
  status_ = new QLabel;

  auto* form = new QFormLayout;
  form->addRow(QStringLiteral("Real servers (c)"), servers_);
  form->addRow(QStringLiteral("Mean service time"), service_ms_);
  form->addRow(status_);

  chart_ = new QChart;
  chart_->setTitle(QStringLiteral("Response time against utilisation (Erlang C)"));
  auto* view = new QChartView(chart_);
  view->setRenderHint(QPainter::Antialiasing);
  add_export_actions(view);

  auto* charts = new QVBoxLayout;
  charts->addWidget(view);
  set_side_panel_layout(*this, form, charts, 1000, 600);

  connect(servers_, &QSpinBox::valueChanged, this, &TheoryWindow::redraw);
  connect(service_ms_, &QDoubleSpinBox::valueChanged, this, &TheoryWindow::redraw);
  redraw();
}

void TheoryWindow::set_inputs(int servers, double service_time_ms) {
  servers_->setValue(servers);
  service_ms_->setValue(service_time_ms);
  redraw();
}

void TheoryWindow::redraw() {
  chart_->removeAllSeries();
  for (QAbstractAxis* axis : chart_->axes()) {
    chart_->removeAxis(axis);  // gives the axis back to us
    delete axis;
  }
  const int c = servers_->value();
  const double mu = 1000.0 / service_ms_->value();
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
    mean->append(rho * 100, q.mean_response * 1e3);
    p50->append(rho * 100, response_time_quantile(q, 0.5) * 1e3);
    const double median = response_time_quantile(q, 0.5) * 1e3;
    const double tail = response_time_quantile(q, 0.99) * 1e3;
    p99->append(rho * 100, tail);
    lowest = std::min(lowest, median);
    highest = std::max(highest, tail);
  }
  auto* x = new QValueAxis;
  x->setTitleText(QStringLiteral("utilisation (%)"));
  x->setRange(0, 100);
  auto* y = new QLogValueAxis;
  y->setTitleText(QStringLiteral("response time (ms)"));
  y->setLabelFormat(QStringLiteral("%g"));
  y->setMinorTickCount(8);
  y->setRange(std::pow(10.0, std::floor(std::log10(lowest))), std::pow(10.0, std::ceil(std::log10(highest))));
  chart_->addAxis(x, Qt::AlignBottom);
  chart_->addAxis(y, Qt::AlignLeft);
  for (QLineSeries* s : {mean, p50, p99}) {
    chart_->addSeries(s);
    s->attachAxis(x);
    s->attachAxis(y);
  }
  status_->setText(QStringLiteral("capacity %1 req/s").arg(c * mu, 0, 'f', 1));
}

}  // namespace lvs::gui
