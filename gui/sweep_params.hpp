#pragma once
// The Sweep tab's parameter picker: a --param may be any key path --set takes (README:
// "Capacity planning"); these are the ones a planner reaches for first, with a range around
// the scenario's own value to start from. The user may type any other path.

#include <QString>

#include <vector>

#include "scenario/scenario_spec.hpp"

namespace lvs::gui {

/// A key path and a first grid for it, as `lvslab sweep --param KEY=VALUES` takes them.
struct SweepSuggestion {
  QString key;     ///< "workload.clients[0].arrivals.rate"
  QString values;  ///< "1000:3000:500" or "rr,wrr,lc,wlc"
};

/// The suggestions that apply to `spec`, most useful first: the first client's arrival rate
/// (or users), the first server entry's (or server group's) workers and mean service time, the first service's
/// scheduler and its first group's server count. Each range spans half to twice (a group's
/// count: one and a half times) the scenario's value, in quarters of it.
std::vector<SweepSuggestion> sweep_suggestions(const scenario::ScenarioSpec& spec);

}  // namespace lvs::gui
