#pragma once
// Failovers on a chart's time axis: for each failure of the run (RunResult::failovers) a
// vertical line at the failure, its detection (the first control-plane reaction), the
// takeover (traffic no longer goes to the failed part) and its recovery, each carrying the
// failover record as its tooltip. The lines are drawn over the plot area and are not series:
// legends, fitted ranges and the CSV export of the chart are unchanged.

#include <QColor>

#include <cstddef>
#include <string>
#include <vector>

#include "run/results.hpp"

class QChart;

namespace lvs::gui {

/// One moment of a failover on the time axis.
struct FailoverMark {
  enum class Kind { Failure, Detection, Takeover, Recovery };
  Kind kind = Kind::Failure;
  double time_s = 0;
  std::size_t failover = 0;  ///< index into RunResult::failovers
};

/// "crash", "detection", "takeover", "recovery".
const char* mark_kind_name(FailoverMark::Kind kind);
/// The colour of a mark: failure red (solid), the others dashed: detection orange, takeover
/// blue, recovery green.
QColor failover_mark_colour(FailoverMark::Kind kind);
/// The marks of `failovers`, failover by failover, each in the order above; a moment that
/// did not happen in the run (nullopt) has no mark.
std::vector<FailoverMark> failover_marks(const std::vector<run::FailoverResult>& failovers);
/// The record as the summary's Failovers table gives it, in lines: what failed and when,
/// detected (and by which log line), traffic moved, recovered, requests failed and delayed.
std::string failover_record_text(const run::FailoverResult& f);

/// Draws failover_marks(r.failovers) on `chart` (whose first horizontal axis is a value axis
/// of seconds), replacing the marks drawn before; they follow the axis and the plot area.
void mark_failovers(QChart* chart, const run::RunResult& r);
/// Removes the marks from `chart`.
void clear_failover_marks(QChart* chart);
/// The marks drawn on `chart`, in the order drawn.
std::vector<FailoverMark> marks_on(const QChart* chart);

}  // namespace lvs::gui
