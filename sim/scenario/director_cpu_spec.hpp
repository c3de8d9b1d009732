#pragma once
// A director's CPU as a scenario describes it, made into the model's: the named profile's
// cores and costs with the scenario's overrides. The builder and validate's capacity
// estimate both use it, so they agree on what a packet costs.

#include <optional>

#include "lvs/director_cpu.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs::scenario {

/// The CPU of a director: its profile with `s`'s overrides. Throws std::invalid_argument for
/// an unknown profile (the reader refuses one first).
DirectorCpuConfig director_cpu(const DirectorCpuSpec& s);

/// What one packet forwarded by `m` costs on `cpu`; none if its profile has no such method
/// and the scenario sets no cost for it.
std::optional<Time> packet_cost(const DirectorCpuConfig& cpu, Method m);

}  // namespace lvs::scenario
