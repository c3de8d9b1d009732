#pragma once
// The Sweep tab's chart: one metric against the swept parameter. The mean of each point is a
// line with markers; its Student-t 95% interval (the sweep's, run/sweep.hpp) a shaded band
// between the intervals' lower and upper ends; the SLO's bound a horizontal dashed line;
// the SLO search's answer a vertical line at that value. A point with no value (no request
// completed: NaN) leaves a gap in the line, and one whose interval cannot be estimated
// (one replication) has no band.

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

#include "run/run_figures.hpp"
#include "run/slo_search.hpp"
#include "run/sweep.hpp"

class QChart;

namespace lvs::gui {

/// Where the points sit on the x axis: the values themselves when every one is a number
/// with the same unit after it ("1000", "5ms"), else their positions 0, 1, ... labelled
/// with the values (a list of schedulers).
struct SweepAxis {
  std::vector<double> x;  ///< one per point
  QString unit;           ///< the values' common unit ("ms"), "" if none
  QStringList labels;     ///< the values, when `x` are positions; empty when numeric
};
SweepAxis sweep_axis(const std::vector<std::string>& values);

/// Series names (the legend's, and the tests').
QString sweep_mean_name(run::RunMetric m);
inline QString sweep_band_name() { return QStringLiteral("95% CI"); }
QString slo_line_name(const run::Slo& slo);
/// "answer: 340 (highest meeting p99<200ms)".
QString slo_answer_name(const run::SloSearchResult& r);

/// A chart with its axes and no series.
QChart* make_sweep_chart();
/// Draws metric `m` of `sweep`; the SLO line when `slo` is on `m`; the answer's line when
/// `search` found one and its SLO is on `m`. With `log_y`, on a log axis, where a mean at or
/// below 0 is a gap and a band whose lower end is at or below 0 is left out at that point.
void fill_sweep_chart(QChart& chart, const run::SweepResult& sweep, run::RunMetric m, const std::optional<run::Slo>& slo,
                      const run::SloSearchResult* search, bool log_y = false);

}  // namespace lvs::gui
