#pragma once
// The storage alternatives of docs/storage-alternatives.md in the model: a DRBD pair under
// Pacemaker (an NFS server on each node, the service address on the primary).

#include "run/builder.hpp"

namespace lvs::run {

/// Builds `s` (kind drbd): nfsd and DRBD on both hosts, Pacemaker starting node 0 as primary.
void build_drbd_pair(Model& m, const scenario::StorageSpec& s);

}  // namespace lvs::run
