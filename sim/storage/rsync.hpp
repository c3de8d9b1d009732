#pragma once
// Local copies kept by periodic rsync (docs/storage-alternatives.md, "rsync"): the source host
// holds the master copy; every `interval` (a timer by the clock, as cron) it runs `rsync -a` to each web server's
// rsync daemon (TCP port 873), sending the file list and the files changed since that server's
// last completed run. No shared server: a crashed source stops the updates, not the reads. The
// price is staleness: each write reaches every web server only at the end of the next run that
// carries it; the source measures that window per write.
// Sizes (UNVERIFIED): a file-list entry of 40 bytes per file, the changed files' bytes whole
// (new content: rsync's delta finds no matching blocks), nothing for the receiver's block
// checksums or the protocol's handshake beyond TCP's.

#include <cstdint>
#include <string>
#include <vector>

#include "core/simulation.hpp"
#include "metrics/summary.hpp"
#include "net/address.hpp"
#include "storage/content.hpp"
#include "storage/local_mount.hpp"
#include "transport/end_host.hpp"

namespace lvs::storage {

/// rsyncd's port (/etc/services "rsync 873/tcp").
inline constexpr std::uint16_t kRsyncPort = 873;
/// Bytes of the file list per file, each run (UNVERIFIED: name, size, mtime, mode).
inline constexpr std::uint32_t kRsyncFileListEntryBytes = 40;

struct RsyncTarget {
  Transport* host = nullptr;     ///< the web server (its rsync daemon)
  Ipv4Address address;
  LocalMount* mount = nullptr;   ///< its copy
};

struct RsyncStats {
  std::uint64_t runs = 0;            ///< transfers started (one per target per interval while up)
  std::uint64_t completed = 0;       ///< transfers that reached their target
  std::uint64_t bytes = 0;           ///< payload bytes of the completed transfers
  std::uint64_t writes = 0;          ///< writes to the master copy
  std::uint64_t propagated = 0;      ///< writes every target has
  Summary staleness;                 ///< seconds from a write to its last target having it
};

class RsyncSource : public UploadSink, private TcpApp {
 public:
  /// The source on `host`; runs at k x `interval` from the first start() (a timer by the
  /// clock: the runs due while the source is down are skipped).
  RsyncSource(Transport& host, Simulation& sim, Time interval, const Catalogue& content, std::vector<RsyncTarget> targets);
  ~RsyncSource() override;

  /// The source runs (cron started); the targets' daemons listen.
  void start();
  /// The source host lost power: transfers in flight are lost; the master copy (its disk) stays.
  void power_off();
  /// Target `k`'s host booted: its daemon listens again.
  void target_started(std::size_t k);

  void uploaded(std::uint32_t file) override;

  const RsyncStats& stats() const { return stats_; }
  Time interval() const { return interval_; }
  /// Writes not yet on every target now, and the age of the oldest of them (seconds, 0 if none).
  std::uint64_t pending() const { return stats_.writes - stats_.propagated; }
  double oldest_pending_seconds() const;

 private:
  class Daemon;  // a target's rsync daemon
  struct Write {
    std::uint32_t file = 0;
    Time at;
    std::uint32_t remaining = 0;  // targets that do not have it yet
  };
  struct Run {
    SocketId socket = kNoSocket;
    std::size_t upto = 0;   // the writes this run carries end here
    std::uint32_t bytes = 0;
    bool in_flight = false;
  };
  void tick();
  void begin(std::size_t k);
  void delivered(std::size_t k);
  std::uint32_t transfer_bytes(std::size_t k);
  void on_connected(SocketId s, std::uint64_t user) override;
  void on_closed(SocketId s, std::uint64_t user, TcpCloseReason why) override;
  void on_peer_closed(SocketId s, std::uint64_t user) override;

  Transport& host_;
  Simulation& sim_;
  Time interval_;
  const Catalogue& content_;
  std::vector<RsyncTarget> targets_;
  std::vector<std::unique_ptr<Daemon>> daemons_;
  std::vector<Write> writes_;
  std::vector<std::size_t> delivered_upto_;  // by target: the writes before this index it has
  std::vector<Run> runs_;                    // by target
  std::vector<std::uint32_t> seen_;          // by file: the last transfer that counted it
  std::uint32_t stamp_ = 0;
  std::size_t oldest_ = 0;                   // writes before this index are on every target
  bool up_ = false;
  bool daemons_listening_ = false;
  Timer cron_;
  RsyncStats stats_;
};

}  // namespace lvs::storage
