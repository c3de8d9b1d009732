#pragma once
// The storage tier of a scenario in the model: the content catalogue, each NFS server on its
// host (rpc.nfsd on port 2049), and each web server's NFS mount, with the kernel's
// "nfs: server ... not responding" messages on the timeline and the NFS servers following
// their hosts' crashes and reboots.

#include "run/builder.hpp"

namespace lvs::run {

/// The catalogue of `spec`'s workload.content (sizes drawn from the run's seed), or null.
std::unique_ptr<storage::Catalogue> build_content(Simulation& sim, const scenario::ScenarioSpec& spec);

/// Starts the NFS servers on their hosts and mounts the web roots (after the hosts exist).
void build_storage(Model& m, const scenario::ScenarioSpec& spec);

}  // namespace lvs::run
