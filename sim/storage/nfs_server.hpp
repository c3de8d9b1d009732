#pragma once
// An NFS server (Linux knfsd, NFSv3 over TCP) on a host's transport: rpc.nfsd's `threads`
// threads (16 by default, nfs-utils NFSD_NPROC) take calls from every connection first come,
// first served; a thread holds a call until it is answered. The server keeps its own page
// cache of the export's files; a READ of a file not in it reads the file from the disk, and
// a thread waits for the disk. The export is `sync` (a COMMIT waits for its data to reach
// the disk) or `async` (COMMIT is answered at once; the data goes to the disk behind it,
// still occupying the disk). WRITE is UNSTABLE (into the page cache, the Linux client's
// default for writes it will COMMIT at close). A write changes the file: its change
// attribute, which GETATTR and every reply's post-op attributes carry, moves on.
// root_squash and the other export options change no timing and are not modelled.
// docs/nfs-server.md.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/ring_queue.hpp"
#include "metrics/summary.hpp"
#include "storage/content.hpp"
#include "storage/disk.hpp"
#include "storage/nfs_wire.hpp"
#include "storage/page_cache.hpp"
#include "storage/replicator.hpp"
#include "transport/end_host.hpp"

namespace lvs::storage {

/// rpc.nfsd's default thread count (nfs-utils NFSD_NPROC, 16 since commit eb5abb5c, 2024).
inline constexpr std::uint32_t kDefaultNfsdThreads = 16;

struct NfsServerConfig {
  std::uint32_t threads = kDefaultNfsdThreads;
  std::uint64_t page_cache_bytes = 1ULL << 30;
  DiskConfig disk;
  bool sync = true;                      ///< /etc/exports `sync` (the default since nfs-utils 1.0.0) or `async`
  std::string export_path = "/export";
  /// The largest READ/WRITE the server accepts (knfsd's max block size, 1 MiB): rsize and
  /// wsize are negotiated down to it.
  std::uint32_t max_io = 1U << 20;
  /// Thread time per call besides the disk (decoding, the file system, encoding), seconds.
  Distribution cpu = Distribution::constant(0);
};

struct NfsServerStats {
  NfsOpCounts calls{};            ///< calls answered, by procedure
  std::uint64_t read_bytes = 0;   ///< file data sent in READ replies
  std::uint64_t cache_hits = 0;   ///< READs served from the server's page cache
  std::uint64_t cache_misses = 0; ///< READs that went to the disk
  std::uint64_t duplicates = 0;   ///< calls retransmitted while the first was still being served (dropped)
  std::uint64_t connections = 0;  ///< accepted
};

class NfsServer : private TcpApp, private DiskClient, private ReplicaClient {
 public:
  /// Serves `content` on `host`'s transport; `name` is the host's (RNG streams, messages).
  NfsServer(Transport& host, Simulation& sim, std::string name, NfsServerConfig config, const Catalogue& content);
  ~NfsServer() override;

  /// rpc.nfsd starts: listens on port 2049.
  void start();
  /// Starts with a warm page cache: the most popular files that fit (storage/content.hpp), as
  /// a server that has served this export for long. Call before start().
  void warm() { warm_with_most_popular(cache_, content_); }
  /// rpc.nfsd stops (`systemctl stop nfs-server`): stops listening, resets its connections;
  /// calls being served are never answered.
  void stop();
  /// The host lost power: every call, disk I/O and cached page is gone, without a packet
  /// (Transport::forget_all() is the host's to call). start() again after the reboot.
  void power_off();
  bool running() const { return running_; }
  /// The export's disk is replicated (DRBD): a COMMIT also waits for `r` (null: none).
  void set_replicator(Replicator* r) { replicator_ = r; }
  /// A replicated write of `file` reached this server's disk (it is a DRBD secondary): its
  /// change attribute follows the primary's, as the replicated inode does.
  void apply_replica(std::uint32_t file, std::uint32_t change) { change_.at(file) = change; }
  /// The disk, for a DRBD secondary's replicated writes (the same device).
  Disk& disk() { return disk_; }

  const NfsServerConfig& config() const { return config_; }
  const NfsServerStats& stats() const { return stats_; }
  const PageCache& page_cache() const { return cache_; }
  const Disk& disk() const { return disk_; }
  /// File `file`'s change attribute: the number of writes done to it.
  std::uint32_t change(std::uint32_t file) const { return change_.at(file); }
  /// Threads serving a call now, and calls waiting for one.
  std::uint32_t busy_threads() const { return busy_; }
  std::size_t waiting() const;
  /// Busy threads integrated over time (thread-seconds), for utilisation.
  double busy_thread_seconds() const;
  /// Seconds from each answered call's arrival (its whole message in) to its reply being
  /// handed to the connection (sent, or queued for send room): the server's response time,
  /// queueing for a thread included.
  const Summary& response_times() const;

 private:
  struct Impl;  // (the implementation's)
  struct Call;
  struct Connection;

  void on_acceptable(std::uint16_t port) override;
  void on_message(SocketId s, std::uint64_t user, std::uint64_t tag, std::uint32_t bytes) override;
  void on_closed(SocketId s, std::uint64_t user, TcpCloseReason why) override;
  void on_peer_closed(SocketId s, std::uint64_t user) override;
  void on_send_room(SocketId s, std::uint64_t user) override;
  void on_disk_done(std::uint64_t token) override;
  void on_replicated(std::uint64_t token) override;
  void commit_part_done(std::uint32_t thread);

  Connection& connection(SocketId s);
  void open_connection(SocketId s);
  void close_connection(SocketId s);
  void admit(SocketId s, Connection& conn, std::uint64_t tag);
  void dispatch(const Call& call);
  void begin(const Call& call);
  void serve(std::uint32_t thread);
  void serve_read(std::uint32_t thread, const RpcCallTag& call);
  void serve_write(std::uint32_t thread, const RpcCallTag& call);
  void serve_commit(std::uint32_t thread, const RpcCallTag& call);
  void join_or_start_fill(std::uint32_t thread, std::uint32_t file);
  void finish_fill(std::uint32_t fill);
  void answer(std::uint32_t thread);
  void send_reply(SocketId s, Connection& conn, std::uint32_t bytes, std::uint64_t tag);
  void release(std::uint32_t thread);
  void forget_work();

  Transport& host_;
  Simulation& sim_;
  std::string name_;
  NfsServerConfig config_;
  const Catalogue& content_;
  PageCache cache_;
  Disk disk_;
  std::vector<std::uint32_t> change_;
  NfsServerStats stats_;
  std::uint32_t busy_ = 0;
  bool running_ = false;
  Replicator* replicator_ = nullptr;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lvs::storage
