#pragma once
// The timeline's failures and repairs, and the random failure processes, put on the model's
// simulation (sim/control/failures.hpp carries them out).

#include "run/builder.hpp"

namespace lvs::run {

/// Schedules every crash, recover, stop, start, link-down and link-up of `spec`'s timeline,
/// and starts each random failure process: up for a time drawn from time_to_failure, down for
/// one from time_to_repair, again and again (each process its own random stream).
void schedule_failures(Model& m, const scenario::ScenarioSpec& spec);

}  // namespace lvs::run
