#pragma once
// The Sweep tab's table: a row per point with the value, the metric's mean ± 95% half-width
// and the bottleneck, each cell the text `lvslab sweep` prints for it; with an SLO search,
// each probe's number, verdict and replications, and the answer's row tinted.

class QTableWidget;

#include "run/run_figures.hpp"
#include "sweep_worker.hpp"

namespace lvs::gui {

/// The tint of the search's answer row.
inline constexpr unsigned kAnswerRowRgb = 0xd6f0d6;

/// Fills `table` with `o`'s points for metric `m`.
void fill_sweep_table(QTableWidget& table, const SweepOutcome& o, run::RunMetric m);

}  // namespace lvs::gui
