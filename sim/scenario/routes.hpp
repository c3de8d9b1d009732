#pragma once
// `routes: auto`: the static routes of a host computed on the topology, as a routing daemon
// would install them, so that the builder and validate() see ordinary RouteSpec entries.

#include "scenario/scenario_spec.hpp"

namespace lvs::scenario {

/// Replaces the routes of every host with `auto_routes` by computed ones: for each subnet of the
/// scenario (the network of an interface's primary address) the host is not connected to, a
/// route via the first hop of a path with the fewest forwarding hosts (kind router, or ip_forward
/// true) across segments and links; on a tie the lowest next-hop address. A subnet with no such
/// path gets no route. Routes come in subnet order and carry the origin of the `routes` key.
/// Safe on a spec that validate() would refuse (unknown segments are left out of the graph).
void compute_routes(ScenarioSpec& spec);

}  // namespace lvs::scenario
