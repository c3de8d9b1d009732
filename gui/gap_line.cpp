#include "gap_line.hpp"

#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>

namespace lvs::gui {

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
  return s;
}

// A segment of one point would draw nothing: its point is shown as a dot instead.
void GapLine::show_lone_point(QLineSeries* s) {
  const bool lone = s->count() == 1;
  if (s->pointsVisible() != lone) s->setPointsVisible(lone);
}

void GapLine::append(const GapPoint& p) { append_all({p}); }

void GapLine::append_all(const std::vector<GapPoint>& points) {
  QLineSeries* s = segments_.back();
  QList<QPointF> pending;  // for s
  for (const GapPoint& p : points) {
    if (!p.y) {
      gap_ = true;
      continue;
    }
    if (gap_ && (s->count() > 0 || !pending.isEmpty())) {
      extend(s, pending);
      s = add_segment();
    }
    gap_ = false;
    pending.append(QPointF(p.x, *p.y));
  }
  extend(s, pending);
}

// Appends `points` to `s` with one replace (one pointsReplaced, one layout); clears them.
void GapLine::extend(QLineSeries* s, QList<QPointF>& points) {
  if (points.isEmpty()) return;
  if (s->count() == 0) {
    s->replace(points);
  } else {
    QList<QPointF> all = s->points();
    all.append(points);
    s->replace(all);
  }
  points.clear();
  show_lone_point(s);
}

void GapLine::replace(const std::vector<GapPoint>& points) {
  for (std::size_t i = 1; i < segments_.size(); ++i) {
    chart_->removeSeries(segments_[i]);
    delete segments_[i];
  }
  segments_.resize(1);
  gap_ = false;
  std::vector<QList<QPointF>> runs(1);
  for (const GapPoint& p : points) {
    if (!p.y) {
      if (!runs.back().isEmpty()) runs.emplace_back();
      continue;
    }
    runs.back().append(QPointF(p.x, *p.y));
  }
  if (runs.size() > 1 && runs.back().isEmpty()) {
    runs.pop_back();
    gap_ = true;
  }
  for (std::size_t i = 0; i < runs.size(); ++i) {
    QLineSeries* s = i == 0 ? segments_.front() : add_segment();
    s->replace(runs[i]);
    show_lone_point(s);
  }
}

void GapLine::hide_from_legend() {
  in_legend_ = false;
  for (QLineSeries* s : segments_)
    for (QLegendMarker* m : chart_->legend()->markers(s)) m->setVisible(false);
}

QList<QPointF> GapLine::points() const {
  QList<QPointF> out;
  for (const QLineSeries* s : segments_) out.append(s->points());
  return out;
}

}  // namespace lvs::gui
