#pragma once
// The storage alternatives of docs/storage-alternatives.md in the model: a DRBD pair under
// Pacemaker (an NFS server on each node, the service address on the primary); local copies
// kept by rsync from a source host; a GlusterFS replica volume.

#include "run/builder.hpp"

namespace lvs::run {

/// Mounts `s` (kind rsync) on each of `webs` as a local copy and starts the source pushing to
/// them every interval.
void build_rsync(Model& m, const scenario::StorageSpec& s, const scenario::MountSpec& mount,
                 const std::vector<RealServer*>& webs);

/// Starts a brick on each host of `s` (kind glusterfs), following their hosts' crashes and boots.
void build_gluster_bricks(Model& m, const scenario::StorageSpec& s);
/// Mounts the volume of `s` on each of `webs` (the FUSE client, a connection to every brick).
void build_gluster_mounts(Model& m, const scenario::StorageSpec& s, const scenario::MountSpec& mount,
                          const std::vector<RealServer*>& webs);

/// Builds `s` (kind drbd): nfsd and DRBD on both hosts, Pacemaker starting node 0 as primary.
void build_drbd_pair(Model& m, const scenario::StorageSpec& s);

}  // namespace lvs::run
