#include "gap_line.hpp"

#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QVariant>

#include <algorithm>
#include <cmath>

#include "chart_export.hpp"

namespace lvs::gui {

QList<QPointF> m4(const QList<QPointF>& points, double x_step) {
  if (!(x_step > 0) || points.size() <= 4) return points;
  QList<QPointF> out;
  qsizetype first = 0;
  while (first < points.size()) {
    const double column = std::floor(points[first].x() / x_step);
    qsizetype last = first, low = first, high = first;
    while (last + 1 < points.size() && std::floor(points[last + 1].x() / x_step) == column) {
      ++last;
      if (points[last].y() < points[low].y()) low = last;
      if (points[last].y() > points[high].y()) high = last;
    }
    // first, lowest and highest in the order they came, last; each once
    const qsizetype a = std::min(low, high), b = std::max(low, high);
    out.append(points[first]);
    if (a != first && a != last) out.append(points[a]);
    if (b != a && b != first && b != last) out.append(points[b]);
    if (last != first) out.append(points[last]);
    first = last + 1;
  }
  return out;
}

GapLine::GapLine(QChart* chart, const QString& name, const QPen& pen) : chart_(chart), name_(name), pen_(pen) {
  add_segment();
}

QLineSeries* GapLine::add_segment() {
  auto* s = new QLineSeries;
  s->setName(name_);
  s->setPen(pen_);
  s->setColor(pen_.color());  // the colour of the lone-point dot
  chart_->addSeries(s);
  for (QAbstractAxis* axis : chart_->axes()) s->attachAxis(axis);
  if (!segments_.empty() || !in_legend_)  // one legend entry per line: the first segment's
    for (QLegendMarker* m : chart_->legend()->markers(s)) m->setVisible(false);
  segments_.push_back(s);
  runs_.emplace_back();
  return s;
}

// Segment i drawn from its points (one replace: one layout), a lone point as a dot (a line
// of one point draws nothing). Reduced by m4(), the series keeps every point for the CSV.
void GapLine::draw(std::size_t i) {
  QLineSeries* s = segments_[i];
  const QList<QPointF> drawn = m4(runs_[i], x_step_);
  s->setProperty(kAllPointsProperty, drawn.size() == runs_[i].size() ? QVariant() : QVariant::fromValue(runs_[i]));
  s->replace(drawn);
  const bool lone = s->count() == 1;
  if (s->pointsVisible() != lone) s->setPointsVisible(lone);
}

void GapLine::append(const GapPoint& p) { append_all({p}); }

void GapLine::append_all(const std::vector<GapPoint>& points) {
  std::size_t from = runs_.size();  // the first segment that gets points
  for (const GapPoint& p : points) {
    if (!p.y) {
      gap_ = true;
      continue;
    }
    if (gap_ && !runs_.back().isEmpty()) add_segment();
    gap_ = false;
    runs_.back().append(QPointF(p.x, *p.y));
    from = std::min(from, runs_.size() - 1);
  }
  for (std::size_t i = from; i < runs_.size(); ++i) draw(i);
}

void GapLine::replace(const std::vector<GapPoint>& points) {
  for (std::size_t i = 1; i < segments_.size(); ++i) {
    chart_->removeSeries(segments_[i]);
    delete segments_[i];
  }
  segments_.resize(1);
  runs_.assign(1, {});
  gap_ = false;
  append_all(points);
  if (runs_.front().isEmpty()) draw(0);  // nothing to draw: the first segment's old points go
}

void GapLine::set_x_step(double x_step) {
  if (x_step == x_step_) return;
  x_step_ = x_step;
  for (std::size_t i = 0; i < runs_.size(); ++i)
    if (runs_[i].size() > 4) draw(i);
}

void GapLine::hide_from_legend() {
  in_legend_ = false;
  for (QLineSeries* s : segments_)
    for (QLegendMarker* m : chart_->legend()->markers(s)) m->setVisible(false);
}

QList<QPointF> GapLine::points() const {
  QList<QPointF> out;
  for (const QList<QPointF>& run : runs_) out.append(run);
  return out;
}

}  // namespace lvs::gui
