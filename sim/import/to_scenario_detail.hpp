#pragma once
// Shared by to_scenario.cpp (merging the sources) and to_scenario_topology.cpp (the network).

#include <map>
#include <set>
#include <string>
#include <vector>

#include "import/to_scenario.hpp"

namespace lvs::import::detail {

/// One service after merging: from its first director, and the others it is also on.
struct MergedService {
  ImportedService service;
  std::string director;
  std::vector<std::string> also_on;
};

/// What the topology is built from.
struct Plan {
  std::vector<std::string> directors;  ///< in source order
  std::vector<MergedService> services;
  std::vector<scenario::VrrpInstanceSpec> vrrp;
  std::optional<scenario::SyncDaemonSpec> sync_daemon;
};

/// Builds spec.topology, spec.servers, spec.workload and the services' host names from `plan`.
void build_topology(const Plan& plan, ImportResult& result, Diagnostics& diagnostics);

}  // namespace lvs::import::detail
