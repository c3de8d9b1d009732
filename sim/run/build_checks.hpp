#pragma once
// Wires the health checking of a scenario: for every service with a health_check, on its
// director and on each of its also_on directors, a control::CheckedService with one
// checker per CheckSpec of every real server, running on that director's own Transport.

#include <cstddef>
#include <functional>
#include <string>

#include "run/builder.hpp"

namespace lvs::run {

/// The VirtualService of spec.services[service_index] on `director` (nullptr: not there).
using ServiceLookup = std::function<VirtualService*(const std::string& director, std::size_t service_index)>;

/// Adds the checkers of `spec` to `m.checks` and starts them (at the model's current time,
/// the run's start): alpha and the initial quorum are applied now, first attempts scheduled.
/// Without `service_on`, a service is found on a director by protocol, VIP and port.
/// Destinations that are not in the service at the start (added later by an event) get no
/// checkers. Throws std::runtime_error for a director or sorry server the model lacks.
void build_checks(Model& m, const scenario::ScenarioSpec& spec, const ServiceLookup& service_on = nullptr);

}  // namespace lvs::run
