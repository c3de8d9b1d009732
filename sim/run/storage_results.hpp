#pragma once
// The storage tier's figures of a finished run: each NFS server's threads, disk, page cache
// and calls by procedure; each web server's mount (its page cache against Che's
// approximation, the requests that blocked on NFS, calls, retransmissions, timeouts).
// What the capacity planner's bottleneck attribution reads (docs/nfs-server.md).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "storage/nfs_wire.hpp"

namespace lvs::run {

struct Model;
struct RunResult;

/// Each mount's page-cache counts at the end of the warm-up: the hit ratio the results give
/// (and compare with Che's approximation) is the steady state's, not the cold start's.
class StorageBaseline {
 public:
  /// Takes the counts now (call at the warm-up's end).
  void take(const Model& m);
  /// Hits and misses of `server`'s page cache at the time taken (zero if never taken).
  std::pair<std::uint64_t, std::uint64_t> page_cache(const std::string& server) const;

 private:
  std::vector<std::pair<std::string, std::pair<std::uint64_t, std::uint64_t>>> counts_;
};

struct NfsServerResult {
  std::string name, host, export_path, disk_profile;
  bool sync = true;
  std::uint32_t threads = 0;
  double thread_utilization = 0;      ///< busy threads / threads, time-averaged
  double disk_utilization = 0;        ///< fraction of time the disk was busy
  storage::NfsOpCounts calls{};
  std::uint64_t read_bytes = 0;       ///< file data in READ replies: the origin traffic of a cache cluster
  std::uint64_t cache_hits = 0, cache_misses = 0;
  std::uint64_t disk_reads = 0, disk_writes = 0, disk_read_bytes = 0, disk_written_bytes = 0;
  std::uint64_t duplicates = 0;
};

struct MountResult {
  std::string server;                 ///< the web server
  std::string from;                   ///< "192.168.10.104:/opt/wwwroot"
  std::string mount_point;
  std::string options;                ///< as written in the scenario
  std::uint64_t requests = 0;         ///< the web server's
  std::uint64_t blocked = 0;          ///< requests whose worker waited for NFS
  std::uint64_t errors = 0;           ///< requests answered 500: the soft mount timed out
  storage::NfsOpCounts calls{};
  std::uint64_t retransmits = 0, major_timeouts = 0, reconnects = 0;
  std::uint64_t page_hits = 0, page_misses = 0;  ///< after the warm-up
  double hit_ratio = 0;                          ///< after the warm-up
  std::optional<double> che_hit_ratio;  ///< Che's approximation for this page cache under independent requests
};

/// A DRBD pair under Pacemaker (storage: kind drbd).
struct DrbdPairResult {
  std::string name;
  char protocol = 'C';
  std::string primary;                ///< the host running the service at the end ("" while it moves)
  std::uint64_t replicated = 0, acked = 0, out_of_sync = 0, disconnects = 0;  ///< both nodes' sums
  double address_up_s = 0;            ///< when the address last came up (the end of the last failover)
};

/// Local copies kept by rsync (storage: kind rsync): the staleness window of the writes.
struct RsyncResult {
  std::string name;
  double interval_s = 0;
  std::uint64_t runs = 0, completed = 0, bytes = 0;
  std::uint64_t writes = 0, propagated = 0;   ///< writes, and those every web server has
  double staleness_mean_s = 0, staleness_max_s = 0;  ///< write -> on every web server (propagated writes)
  double oldest_pending_s = 0;                ///< the age at the end of the oldest write not yet everywhere
};

/// A GlusterFS brick (storage: kind glusterfs).
struct GlusterBrickResult {
  std::string name;                   ///< "gv0@g1"
  std::uint64_t calls = 0;
  double disk_utilization = 0;
};

struct StorageResult {
  std::uint32_t files = 0;
  std::uint64_t content_bytes = 0;
  double zipf = 0, write_fraction = 0;
  std::vector<NfsServerResult> nfs;
  std::vector<MountResult> mounts;
  std::vector<DrbdPairResult> drbd;
  std::vector<RsyncResult> rsync;
  std::vector<GlusterBrickResult> bricks;
};

/// The storage figures of `m` after its run to `end` (seconds); nullopt without content.
std::optional<StorageResult> storage_results(const Model& m, const StorageBaseline& warm, double end_s);
/// The "Storage" section of the summary.
void print_storage(std::ostream& os, const StorageResult& s);
/// The JSON `storage` object (README, "JSON output").
nlohmann::ordered_json storage_json(const StorageResult& s);

}  // namespace lvs::run
