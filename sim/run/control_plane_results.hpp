#pragma once
// The control plane's figures of a finished run: its timeline (the event log), the failovers
// found in it and the service's availability (run/failovers.hpp, run/availability.hpp).

#include "run/builder.hpp"
#include "run/results.hpp"
#include "run/service_uptime.hpp"

namespace lvs::run {

/// Whether `m` has a control plane that fails or fails over (failures, VRRP, checkers).
bool has_control_plane(const Model& m);
/// Fills r.control_plane, r.timeline, r.failovers and r.availability from `m` after its run
/// to `end` (r.requests and r.vip_arp must be filled already).
void control_plane_results(const Model& m, const scenario::ScenarioSpec& spec, const ServiceUptime& uptime, Time end,
                           RunResult& r);

}  // namespace lvs::run
