#pragma once
// What an NFS server hands a committed file to when its disk is replicated (a DRBD pair,
// storage/drbd.hpp): the server's COMMIT completes when both its own disk write and the
// replicator are done. Without a replicator a COMMIT waits for the local disk only.

#include <cstdint>

namespace lvs::storage {

/// Told when a replicate() is done; `token` is what it was given.
class ReplicaClient {
 public:
  virtual ~ReplicaClient() = default;
  virtual void on_replicated(std::uint64_t token) = 0;
};

class Replicator {
 public:
  virtual ~Replicator() = default;
  /// `bytes` of `file` (now at change attribute `change`) were committed: client.on_replicated(token)
  /// once the replication protocol counts them as written (may be called from within this call).
  virtual void replicate(std::uint32_t file, std::uint32_t bytes, std::uint32_t change, ReplicaClient& client,
                         std::uint64_t token) = 0;
};

}  // namespace lvs::storage
