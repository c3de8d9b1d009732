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

  /// Takes the line out of the legend (the overlay, explained above the charts).
  void hide_from_legend();

  /// Every drawn point, in order, over all segments.
  QList<QPointF> points() const;
  /// The segments, the first one holding the legend entry.
  const std::vector<QLineSeries*>& segments() const { return segments_; }
  const QString& name() const { return name_; }

 private:
  QLineSeries* add_segment();
  static void extend(QLineSeries* s, QList<QPointF>& points);
  static void show_lone_point(QLineSeries* s);

  QChart* chart_;
  QString name_;
  QPen pen_;
  std::vector<QLineSeries*> segments_;
  bool gap_ = false;  // the last thing appended was a gap
  bool in_legend_ = true;
};

}  // namespace lvs::gui
