#pragma once
// IPVS connection synchronisation daemons (net/netfilter/ipvs/ip_vs_sync.c), one per
// director: as master (the kernel thread ipvs-m) it batches the entries its director hands
// it into messages of at most `maxlen` bytes and multicasts each as one UDP datagram to
// 224.0.0.81:8848, TTL 1, from the sync interface's address; as backup (ipvs-b) it joins
// the group on that interface and installs every entry in its director's table.
// keepalived starts one or the other as its VRRP instance changes state (reference note
// 4.6): start_master() on entering MASTER, start_backup() on leaving it, stop() on shutdown.
//
// Timing, as the master thread runs (sync_thread_master, sb_queue_tail, next_sync_buff):
// - an entry goes into the current buffer; a buffer with no room for the next entry is
//   queued when that entry comes;
// - the first buffer queued into an empty queue arms a wake-up 20 ms later; the 8th queued
//   before the thread ran wakes it at once;
// - the thread, when it runs, sends every queued buffer, then the current one if it is at
//   least 2 s old, and sleeps 1 s (or until woken): a partial buffer leaves 2 to 3 s after
//   its first entry.
// Stopping a master discards what it had not sent (stop_sync_thread).
//
// Model: a datagram carries 8 + 36 n bytes of zeros and, as its tag, the number of the
// buffer it was sent from; the daemon keeps its last buffers (preallocated, at least 16,
// about 16 384 entries in all) for the receivers to read. Half of them may wait in the queue
// (the kernel's sync_qlen_max); a buffer beyond is dropped and counted, as the kernel does.
// The source port is 8848 (Linux's would be ephemeral). sync_ports is 1; templates are not
// synced; sync_refresh_period and sync_retries are 0.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "control/event_log.hpp"
#include "core/simulation.hpp"
#include "lvs/director.hpp"
#include "lvs/sync_entry.hpp"
#include "scenario/failover_spec.hpp"
#include "transport/end_host.hpp"

namespace lvs::control {

inline constexpr Ipv4Address kSyncGroup{224, 0, 0, 81};  ///< IP_VS_SYNC_GROUP
inline constexpr std::uint16_t kSyncPort = 8848;         ///< IP_VS_SYNC_PORT
inline constexpr std::uint32_t kSyncHeaderBytes = 8;     ///< struct ip_vs_sync_mesg (version 1)
inline constexpr Time kSyncSendDelay = Time::ms(20);     ///< IPVS_SYNC_SEND_DELAY (HZ / 50)
inline constexpr std::uint32_t kSyncWakeupRate = 8;      ///< IPVS_SYNC_WAKEUP_RATE, buffers
inline constexpr Time kSyncFlushTime = Time::s(2);       ///< IPVS_SYNC_FLUSH_TIME
inline constexpr Time kSyncCheckPeriod = Time::s(1);     ///< IPVS_SYNC_CHECK_PERIOD
inline constexpr std::uint32_t kSyncMaxlenCeiling = 65535 - 28;  ///< start_sync_thread's clamp

/// What one daemon did.
struct SyncStats {
  std::uint64_t entries_queued = 0;      ///< master: entries put into buffers
  std::uint64_t buffers_dropped = 0;     ///< master: buffers over the queue limit (their entries lost)
  std::uint64_t entries_discarded = 0;   ///< master: entries unsent when it stopped
  std::uint64_t datagrams_sent = 0;      ///< master: messages multicast
  std::uint64_t bytes_sent = 0;          ///< master: UDP payload bytes (8 + 36 per entry)
  std::uint64_t datagrams_received = 0;  ///< backup: messages taken in
  std::uint64_t entries_received = 0;    ///< backup
  std::uint64_t entries_installed = 0;   ///< backup: entries the director took
  std::uint64_t other_syncid = 0;        ///< backup: messages of another syncid, ignored
  std::uint64_t stale = 0;               ///< backup: messages whose buffer was already reused (model bound)
};

class SyncGroup;

class SyncDaemon final : public ConnSyncSink, public UdpApp {
 public:
  /// A stopped daemon of `director`, its sockets on `transport`, on the interface, syncid
  /// and maxlen of `spec` (syncid 0: a master sends 0, a backup takes any).
  SyncDaemon(SyncGroup& group, std::uint32_t index, Director& director, Transport& transport,
             const scenario::SyncDaemonSpec& spec, EventLog* log);
  SyncDaemon(const SyncDaemon&) = delete;
  SyncDaemon& operator=(const SyncDaemon&) = delete;

  /// keepalived's ipvs_syncd_master: stops the backup thread, starts the master one.
  void start_master();
  /// keepalived's ipvs_syncd_backup: stops the master thread, starts the backup one.
  void start_backup();
  /// Stops both threads.
  void stop();
  bool master() const { return master_; }
  bool backup() const { return backup_; }

  Director& director() const { return director_; }
  /// The syncid its messages carry, and the one a backup accepts (0: any).
  std::uint32_t syncid() const { return syncid_; }
  const SyncStats& stats() const { return stats_; }
  /// Entries that fit one message: (maxlen - 8) / 36, at least 1 (40 for 1472).
  std::uint32_t entries_per_message() const { return per_buffer_; }
  /// The entries of buffer `seq` if it is still kept; empty otherwise.
  std::span<const SyncEntry> entries(std::uint64_t seq) const;

  void sync_conn(const SyncEntry& e) override;
  void on_datagram(const Packet& pkt) override;

 private:
  struct Buffer {
    std::uint64_t seq = 0;   // its number (0: never used)
    Time first_use;
    std::uint32_t count = 0;
  };
  Buffer& slot(std::uint64_t seq) { return buffers_[seq % buffers_.size()]; }
  std::uint64_t queue_length() const { return queued_to_ - queued_from_; }
  void stop_master();
  void stop_backup();
  void queue_current();
  void master_wakeup_work();
  void wake_thread();
  void run_thread();
  void send(std::uint64_t seq);
  void receive(std::uint64_t tag);
  void log(const std::string& event, const std::string& detail, const std::string& line);

  SyncGroup& group_;
  std::uint32_t index_;
  Director& director_;
  Transport& transport_;
  Interface& iface_;
  std::uint32_t syncid_;
  std::uint32_t per_buffer_;
  EventLog* log_;
  bool master_ = false;
  bool backup_ = false;
  std::vector<Buffer> buffers_;        // ring, by seq
  std::vector<SyncEntry> entries_;     // per_buffer_ per ring slot
  std::uint64_t queued_from_ = 1;      // the oldest queued buffer
  std::uint64_t queued_to_ = 1;        // one past the newest queued: the current buffer's number
  bool has_current_ = false;
  std::uint32_t queue_delay_ = 0;      // sync_queue_delay
  EventId wakeup_work_;                // master_wakeup_work
  EventId thread_;                     // the master thread's next run
  std::uint64_t partial_tag_ = 0;      // backup: a message arriving in several datagrams
  std::uint32_t partial_bytes_ = 0;
  SyncStats stats_;
};

/// The daemons sharing one sync group: a datagram's tag names the daemon and the buffer.
class SyncGroup {
 public:
  /// Makes a stopped daemon for `director` (see SyncDaemon's constructor).
  SyncDaemon& add(Director& director, Transport& transport, const scenario::SyncDaemonSpec& spec,
                  EventLog* log = nullptr);
  const std::vector<std::unique_ptr<SyncDaemon>>& daemons() const { return daemons_; }
  /// The daemon of `director`, or nullptr.
  SyncDaemon* find(const Director& director) const;
  /// The tag of buffer `seq` of daemon `index`, and back.
  static std::uint64_t tag(std::uint32_t index, std::uint64_t seq) { return std::uint64_t{index} << 40 | seq; }
  /// The entries a datagram tagged `tag` carries (empty if its buffer was reused).
  std::span<const SyncEntry> entries(std::uint64_t tag) const;

 private:
  std::vector<std::unique_ptr<SyncDaemon>> daemons_;
};

}  // namespace lvs::control
