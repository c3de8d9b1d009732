#pragma once
// A GlusterFS replica volume, reduced to what changes timing (docs/storage-alternatives.md,
// "GlusterFS"): a brick process on each storage host (TCP port 49152, where brick ports
// start) and, on each web server, the FUSE client, which holds one connection per brick.
// - open() looks the file up on every brick of the replica set (AFR's lookup goes to all
//   replicas), unless the kernel's attribute cache (1 s: FUSE attribute-timeout) is fresh;
// - data not in the page cache is READ from the first live brick;
// - a write goes to every live brick (the AFR transaction's lock/pre-op/post-op/unlock
//   round trips are not modelled: one WRITE per brick);
// - a brick that stops answering is declared down when nothing has been heard from it for
//   network.ping-timeout (42 s) while a call waits: "server X:49152 has not responded in the
//   last 42 seconds, disconnecting." Every operation waiting for it hangs until then, then
//   carries on with the other bricks. The client reconnects every 3 s (UNVERIFIED).
// Sizes (UNVERIFIED): 200 bytes for a call or a reply, plus the data.
// Sources: lvs-models-reference 6.4 (gluster-users 2015-12, "has not responded in the last 42
// seconds"); the GlusterFS volume-set option network.ping-timeout (default 42).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/ring_queue.hpp"
#include "core/simulation.hpp"
#include "core/slot_table.hpp"
#include "net/address.hpp"
#include "storage/content.hpp"
#include "storage/disk.hpp"
#include "storage/mount.hpp"
#include "storage/page_cache.hpp"
#include "transport/end_host.hpp"

namespace lvs::storage {

/// The first brick port (glusterd assigns 49152 upwards since GlusterFS 3.4).
inline constexpr std::uint16_t kGlusterBrickPort = 49152;
/// A call's or reply's bytes besides the data (UNVERIFIED).
inline constexpr std::uint32_t kGlusterMessageBytes = 200;
/// network.ping-timeout's default, seconds.
inline constexpr Time kGlusterPingTimeout = Time::s(42);
/// How often a client retries a brick it lost (UNVERIFIED).
inline constexpr Time kGlusterReconnect = Time::s(3);
/// FUSE attribute-timeout / entry-timeout default (glusterfs mount: 1 s).
inline constexpr Time kGlusterAttributeTimeout = Time::s(1);

enum class GlusterOp : std::uint8_t { Lookup, Read, Write };

/// A brick process: answers LOOKUP from memory, READ from its page cache or disk, WRITE into
/// its page cache (the disk write follows behind it).
class GlusterBrick : private TcpApp, private DiskClient {
 public:
  GlusterBrick(Transport& host, Simulation& sim, std::string name, DiskConfig disk, std::uint64_t page_cache_bytes,
               const Catalogue& content);
  void start();
  void power_off();
  /// Starts with the most popular files in the page cache, as after a long run.
  void warm() { warm_with_most_popular(cache_, content_); }
  const Disk& disk() const { return disk_; }
  std::uint64_t calls() const { return calls_; }

 private:
  void on_acceptable(std::uint16_t port) override;
  void on_message(SocketId s, std::uint64_t user, std::uint64_t tag, std::uint32_t bytes) override;
  void on_peer_closed(SocketId s, std::uint64_t user) override;
  void on_send_room(SocketId s, std::uint64_t user) override;
  void on_disk_done(std::uint64_t token) override;
  void reply(SocketId s, std::uint64_t tag);

  struct Pending {
    std::uint32_t bytes;
    std::uint64_t tag;
  };
  Transport& host_;
  const Catalogue& content_;
  PageCache cache_;
  Disk disk_;
  std::uint32_t life_ = 0;
  std::uint64_t calls_ = 0;
  std::vector<RingQueue<Pending>> out_;  // by socket
  struct DiskRead {
    SocketId socket;
    std::uint64_t tag;
  };
  std::vector<DiskRead> reads_;
  std::vector<std::uint32_t> free_reads_;
};

struct GlusterMountConfig {
  std::string volume = "gv0";                  ///< for messages: "g1:/gv0"
  std::string mount_point = "/var/www/html";
  std::vector<Ipv4Address> bricks;             ///< the replica set, in the volume's order
  Ipv4Address server;                          ///< the brick named at mount time (HOST:/VOLUME); 0: the first
  Time ping_timeout = kGlusterPingTimeout;
  std::uint64_t page_cache_bytes = 512ULL << 20;
};

class GlusterMount : public Mount, private TcpApp {
 public:
  GlusterMount(Transport& host, Simulation& sim, std::string name, GlusterMountConfig config, const Catalogue& content);
  ~GlusterMount() override;

  bool read(std::uint32_t file, NfsWaiter& waiter, std::uint64_t token) override;
  bool write(std::uint32_t file, NfsWaiter& waiter, std::uint64_t token) override;
  void power_off() override;
  void warm() override;
  void on_kernel_message(std::function<void(Time, const std::string&)> sink) override { message_ = std::move(sink); }
  const PageCache& page_cache() const override { return cache_; }
  const NfsMountStats& stats() const override { return stats_; }
  std::string source() const override;
  const std::string& mount_point() const override { return config_.mount_point; }
  /// Whether brick `b` is connected and not declared down.
  bool brick_up(std::size_t b) const;

 private:
  struct Brick;
  struct Op;
  void connect(std::size_t b);
  std::uint32_t start_op(NfsWaiter& waiter, std::uint64_t token, std::uint32_t file, GlusterOp op);
  bool send_to_live(std::uint32_t slot, GlusterOp op, bool all);
  void send(std::size_t b, std::uint32_t slot, GlusterOp op);
  void flush(std::size_t b);
  void brick_answered(std::size_t b, std::uint32_t slot);
  void next_phase(std::uint32_t slot);
  void finish(std::uint32_t slot);
  void check_ping(std::size_t b);
  void declare_down(std::size_t b);
  void on_connected(SocketId s, std::uint64_t user) override;
  void on_message(SocketId s, std::uint64_t user, std::uint64_t tag, std::uint32_t bytes) override;
  void on_closed(SocketId s, std::uint64_t user, TcpCloseReason why) override;
  void on_peer_closed(SocketId s, std::uint64_t user) override;
  void on_send_room(SocketId s, std::uint64_t user) override;

  Transport& host_;
  Simulation& sim_;
  std::string name_;
  GlusterMountConfig config_;
  const Catalogue& content_;
  PageCache cache_;
  NfsMountStats stats_;
  std::function<void(Time, const std::string&)> message_;
  std::vector<Brick> bricks_;
  SlotTable<Op> ops_;  // operations in flight, by slot
  std::vector<Time> looked_up_;  // by file: when its attributes were last fetched
};

}  // namespace lvs::storage
