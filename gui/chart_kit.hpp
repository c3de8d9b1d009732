#pragma once
// Small pieces every lvslab chart is made of: a chart with titled value axes, named line
// series in a palette colour (faint for the previous run's overlay), axis ranges that fit.

#include <QChart>
#include <QChartView>
#include <QColor>
#include <QLineSeries>
#include <QList>
#include <QPen>
#include <QPointF>
#include <QString>

#include <cstddef>
#include <utility>

namespace lvs::gui {

/// Alpha of the overlay's (the previous run's or the baseline's) bars and area.
inline constexpr int kOverlayAlpha = 60;
/// Alpha of the overlay's lines: dashed, they stay readable where they lie on the current
/// run's line (a faint solid line there vanishes under it).
inline constexpr int kOverlayLineAlpha = 170;

/// Colour `i` of a ten-colour palette (Tableau 10), cycling.
QColor palette_colour(std::size_t i);

/// A chart titled `title` with a bottom value axis `x_title` and a left value axis `y_title`.
QChart* make_chart(const QString& title, const QString& x_title, const QString& y_title);

/// The pen of a line in `colour`: solid, or for the overlay dashed (alpha kOverlayLineAlpha).
QPen line_pen(QColor colour, bool overlay);
/// A line series `name` in `colour` added to `chart` and attached to its axes; in the
/// overlay's pen (line_pen) for the previous run or baseline.
QLineSeries* add_line(QChart* chart, const QString& name, QColor colour, bool faint = false);

/// The round axis top for values up to `max` (> 0): 1, 2 or 5 times a power of ten per
/// tick, five intervals or fewer; and the tick count.
std::pair<double, int> nice_top(double max);
/// Sets `chart`'s first vertical axis to [0, nice_top(max_y * 1.1)] (at least [0, 1]),
/// leaving it alone when that is what it already shows.
void fit_y(QChart* chart, double max_y);
/// Sets `chart`'s first horizontal axis to [0, max(max_x, 1)], and fit_y(max_y).
void fit_ranges(QChart* chart, double max_x, double max_y);

/// The largest x and y over every point of every line series of `chart` (0 if none).
QPointF series_maxima(const QChart* chart);

/// A view of `chart` with antialiasing, at least `min_height` pixels tall.
QChartView* make_view(QChart* chart, int min_height = 220);

}  // namespace lvs::gui
