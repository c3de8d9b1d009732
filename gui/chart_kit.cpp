#include "chart_kit.hpp"

#include <QPen>
#include <QValueAxis>

#include <algorithm>
#include <array>

namespace lvs::gui {

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
  auto* y = new QValueAxis;
  y->setTitleText(y_title);
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  return chart;
}

QLineSeries* add_line(QChart* chart, const QString& name, QColor colour, bool faint) {
  auto* s = new QLineSeries;
  s->setName(name);
  if (faint) colour.setAlpha(kOverlayAlpha);
  QPen pen(colour);
  pen.setWidthF(faint ? 1.5 : 2.0);
  s->setPen(pen);
  chart->addSeries(s);
  for (QAbstractAxis* axis : chart->axes()) s->attachAxis(axis);
  return s;
}

void fit_ranges(QChart* chart, double max_x, double max_y) {
  const auto axes_x = chart->axes(Qt::Horizontal);
  const auto axes_y = chart->axes(Qt::Vertical);
  if (!axes_x.empty()) axes_x.front()->setRange(0.0, std::max(max_x, 1.0));
  if (!axes_y.empty()) axes_y.front()->setRange(0.0, std::max(max_y * 1.1, 1.0));
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
