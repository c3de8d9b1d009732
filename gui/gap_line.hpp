#pragma once
// One line of a chart that may have gaps. Qt Charts joins consecutive points of a
// QLineSeries, so a value that does not exist (an interval with no completed request has no
// latency) cannot be left out of one series without a straight line bridging it, and a 0 in
// its place draws a value that was never measured. A GapLine is drawn as consecutive
// segments (QLineSeries) in one pen and under one name; only the first segment has a legend
// marker, so the legend shows one entry per line however many gaps it has. A segment of a
// single point shows that point as a dot (a line of one point draws nothing).

#include <QList>
#include <QPen>
#include <QPointF>
#include <QString>

#include <optional>
#include <vector>

class QChart;
class QLineSeries;

namespace lvs::gui {

/// `points` (x ascending) with at most four per column of width `x_step` (columns at
/// multiples of it): the first, the lowest, the highest and the last, in their order. A line
/// through them is drawn on pixel columns `x_step` wide exactly as one through all of
/// `points` (M4: Jugel, Jerzak, Hackenbroich and Markl, "M4: A Visualization-Oriented Time
/// Series Data Aggregation", PVLDB 7(10), 2014). `x_step` 0: `points` as they are.
QList<QPointF> m4(const QList<QPointF>& points, double x_step);

/// A point of a GapLine: y nullopt is a gap at x.
struct GapPoint {
  double x = 0;
  std::optional<double> y;
};

class GapLine {
 public:
  /// A line `name` in `pen` added to `chart` (its first, empty segment; the legend entry).
  GapLine(QChart* chart, const QString& name, const QPen& pen);

  /// Appends one point, or a gap (y nullopt): the next point starts a new segment.
  void append(const GapPoint& p);
  /// Appends `points` in order as append() would, with one layout of the chart per segment
  /// touched: Qt Charts lays a series out again, all its points, at every point appended.
  void append_all(const std::vector<GapPoint>& points);
  /// Replaces every point at once (one layout of the chart per segment, not one per point).
  void replace(const std::vector<GapPoint>& points);

  /// Draws each segment through m4(`x_step`) of its points: a chart's x range over its plot
  /// area's width in pixels, so that a line is laid out and painted in time proportional to
  /// the chart's width, not to the run's length (a 2 h run has 7 200 samples per line). Each
  /// series keeps all its points for the CSV (kAllPointsProperty). 0: every point drawn.
  void set_x_step(double x_step);

  /// Takes the line out of the legend (the overlay, explained above the charts).
  void hide_from_legend();

  /// Every point appended, in order, over all segments (all of them, not just those drawn).
  QList<QPointF> points() const;
  /// The segments, the first one holding the legend entry.
  const std::vector<QLineSeries*>& segments() const { return segments_; }
  const QString& name() const { return name_; }

 private:
  QLineSeries* add_segment();
  void draw(std::size_t segment);

  QChart* chart_;
  QString name_;
  QPen pen_;
  std::vector<QLineSeries*> segments_;
  std::vector<QList<QPointF>> runs_;  // each segment's points, all of them
  double x_step_ = 0;
  bool gap_ = false;  // the last thing appended was a gap
  bool in_legend_ = true;
};

}  // namespace lvs::gui
