#include "chart_kit.hpp"

#include <QPen>
#include <QValueAxis>

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace lvs::gui {

namespace {
constexpr int kTicks = 6;
}  // namespace

QColor palette_colour(std::size_t i) {
  static constexpr std::array<QRgb, 10> kTableau10{0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                                  0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};
  return QColor(kTableau10[i % kTableau10.size()]);
}

QChart* make_chart(const QString& title, const QString& x_title, const QString& y_title) {
  auto* chart = new QChart;
  chart->setTitle(title);
  chart->legend()->setAlignment(Qt::AlignBottom);
  auto* x = new QValueAxis;
  x->setTitleText(x_title);
  x->setLabelFormat(QStringLiteral("%g"));
  auto* y = new QValueAxis;
  y->setTitleText(y_title);
  y->setLabelFormat(QStringLiteral("%g"));
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  return chart;
}

QPen line_pen(QColor colour, bool overlay) {
  if (overlay) colour.setAlpha(kOverlayLineAlpha);
  QPen pen(colour);
  pen.setWidthF(2.0);
  if (overlay) pen.setDashPattern({3.0, 2.0});
  return pen;
}

QLineSeries* add_line(QChart* chart, const QString& name, QColor colour, bool faint) {
  auto* s = new QLineSeries;
  s->setName(name);
  s->setPen(line_pen(colour, faint));
  chart->addSeries(s);
  for (QAbstractAxis* axis : chart->axes()) s->attachAxis(axis);
  return s;
}

// The smallest round top (1, 2 or 5 times a power of ten per tick) at or above `max`,
// and its tick count.
std::pair<double, int> nice_top(double max) {
  const double raw = max / (kTicks - 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude * 10;
  for (const double m : {1.0, 2.0, 5.0})
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  const double ticks = std::ceil(max / step - 1e-9);
  return {ticks * step, static_cast<int>(ticks) + 1};
}

void fit_y(QChart* chart, double max_y) {
  const auto axes_y = chart->axes(Qt::Vertical);
  if (axes_y.empty()) return;
  auto* y = qobject_cast<QValueAxis*>(axes_y.front());
  if (y == nullptr) return;
  const auto [top, ticks] = nice_top(std::max(max_y * 1.1, 1.0));
  // Only a real change: every range change lays out each series of the chart again.
  if (y->min() == 0.0 && y->max() == top && y->tickCount() == ticks) return;
  y->setRange(0.0, top);
  y->setTickCount(ticks);
}

void fit_ranges(QChart* chart, double max_x, double max_y) {
  const auto axes_x = chart->axes(Qt::Horizontal);
  if (!axes_x.empty()) axes_x.front()->setRange(0.0, std::max(max_x, 1.0));
  fit_y(chart, max_y);
}

QPointF series_maxima(const QChart* chart) {
  QPointF m(0, 0);
  for (QAbstractSeries* s : chart->series()) {
    const auto* line = qobject_cast<const QLineSeries*>(s);
    if (line == nullptr) continue;
    for (const QPointF& p : line->points()) m = QPointF(std::max(m.x(), p.x()), std::max(m.y(), p.y()));
  }
  return m;
}

QChartView* make_view(QChart* chart, int min_height) {
  auto* view = new QChartView(chart);
  view->setRenderHint(QPainter::Antialiasing);
  view->setMinimumHeight(min_height);
  return view;
}

}  // namespace lvs::gui
