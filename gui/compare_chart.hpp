#pragma once
// The bar charts of the compare panel: per scheduler, a bar at the mean of one metric and a
// whisker over its 95% confidence interval (mean ± half-width, capped at both ends), drawn
// as a line series on the bars' category positions (bar i is centred at x = i).

#include <QString>

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

}  // namespace lvs::gui
