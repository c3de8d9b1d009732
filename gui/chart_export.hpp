#pragma once
// Every chart of the GUI can be saved as a picture (PNG, SVG) and its numbers as CSV that
// pandas reads as is (read_csv(path)): one header row, one row per point, bar or box, fields
// quoted only when they hold a comma, a quote or a line break, numbers in the shortest form
// that reads back to the same double, NaN as an empty field.
//
// CSV layouts, by the kind of series the chart holds (a chart mixing kinds exports the first
// kind in this order):
//   bars (QAbstractBarSeries)  category,set,value           one row per (category, set)
//                              (+ half_width when the set has kHalfWidthProperty)
//   box plots (QBoxPlotSeries) category,series,low,q1,median,q3,high
//   lines, scatter (QXYSeries) series,<x axis title>,<y axis title>   one row per point;
//                              "x" and "y" when the series' axes have no common title;
//                              every point, also those a long line does not draw

#include <QString>

class QChart;
class QChartView;

namespace lvs::gui {

/// A series with this property set to false is left out of the CSV (e.g. error-bar lines).
inline constexpr char kNoExportProperty[] = "lvslab_export";
/// A QXYSeries property holding a QList<QPointF>: every point of a series that draws fewer
/// (GapLine's m4()); exported instead of the drawn ones.
inline constexpr char kAllPointsProperty[] = "lvslab_all_points";
/// A QBarSet property holding a QList<qreal> of 95% CI half-widths, one per value; exported
/// as a half_width column.
inline constexpr char kHalfWidthProperty[] = "lvslab_half_width";

/// Writes the view's chart as a PNG at the view's size (1000x600 px if the view has never
/// been sized or shown) on white. On failure returns false and sets `error` (naming `path`).
bool save_chart_png(QChartView& view, const QString& path, QString* error = nullptr);
/// Writes the view's chart as SVG (title = chart title, viewBox = the PNG size in px).
bool save_chart_svg(QChartView& view, const QString& path, QString* error = nullptr);
/// The chart's data as CSV text (layouts above); "" when it holds no exportable series.
QString chart_csv(const QChart& chart);
/// Writes chart_csv(chart) to `path` (UTF-8).
bool save_chart_csv(const QChart& chart, const QString& path, QString* error = nullptr);

/// Gives `view` a right-click menu: "Save chart as PNG…", "Save chart as SVG…" and "Save
/// data as CSV…", each asking for a file name; a failure is shown in a message box.
void add_export_actions(QChartView* view);

}  // namespace lvs::gui
