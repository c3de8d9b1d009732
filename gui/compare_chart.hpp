#pragma once
// The bar charts of the compare panel: per scheduler, a bar at the mean of one metric and a
// whisker over its 95% confidence interval (mean ± half-width, capped at both ends), drawn
// as a line series on the bars' category positions (bar i is centred at x = i). The value
// axis spans the intervals, not 0 to the top, so that schedulers a few percent apart do not
// look the same (value_axis_range()).

#include <QString>

#include <string>

#include "run/compare.hpp"

class QChart;

namespace lvs::gui {

/// An empty chart for metric `m`: titled, the axes titled with units, no legend.
QChart* make_compare_chart(run::CompareMetric m);
/// Replaces the chart's bars and whiskers with `r`'s means and intervals of `m`. A NaN mean
/// (no request completed) is a zero bar labelled "<name> (n/a)"; a NaN half-width (one
/// replication) draws no whisker.
void fill_compare_chart(QChart& chart, run::CompareMetric m, const run::CompareResult& r);
/// The name of the whisker series of `scheduler`: "95% CI rr".
QString whisker_name(const QString& scheduler);
/// A scheduler's name on the charts and in the table: "ring†" for one that is not in the
/// kernel (lvs::is_kernel_scheduler()), the name itself otherwise.
QString scheduler_label(const std::string& scheduler);

/// A value axis range, before Qt rounds it to nice numbers.
struct AxisRange {
  double low = 0;
  double high = 1;
};
/// The value axis over drawn values from `lowest` to `highest` (the lowest lower and highest
/// upper bound of the intervals): that span widened by a fifth of it on each side, not below
/// 0 when every value is at least 0. When the span is empty (every value the same), from 0
/// to a little above the value instead, as a span of zero would show nothing; [0, 1] when
/// there are no finite values or they are all 0.
AxisRange value_axis_range(double lowest, double highest);

}  // namespace lvs::gui
