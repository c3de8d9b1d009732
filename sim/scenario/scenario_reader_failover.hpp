#pragma once
// Internal to the scenario reader: the failover keys (scenario_reader_failover.cpp).

#include <string>
#include <vector>

#include "scenario/scenario_reader_detail.hpp"

namespace lvs::scenario::reader {

/// The service's `health_check` settings; fills each destination's `checks` (its own, or the
/// service's common `check`) with the virtual server's values inherited (keepalived's rule).
HealthCheckSpec read_health_check(const Cursor& service, std::vector<DestinationSpec>& destinations,
                                  const std::vector<Cursor>& destination_items);
/// Refuses `checks` on a destination of a service without `health_check`.
void refuse_checks_without_health_check(const std::vector<Cursor>& destination_items);
/// The `vrrp` section: instances, sync_groups, scripts.
void read_vrrp(const Cursor& vrrp, ScenarioSpec& spec);
SyncDaemonSpec read_sync_daemon(const Cursor& c);
/// The `failures` list: random failure processes.
std::vector<FailureProcessSpec> read_failures(const Cursor& list);
/// A service's `director`: a name, or a list (the first is returned in `first`, the rest).
std::vector<std::string> read_directors(const Cursor& service, std::string& first);

}  // namespace lvs::scenario::reader
