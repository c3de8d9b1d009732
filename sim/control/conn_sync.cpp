#include "control/conn_sync.hpp"

#include <algorithm>
#include <stdexcept>

#include "net/network.hpp"

namespace lvs::control {

namespace {

constexpr std::uint32_t kHistoryEntries = 16384;  // entries kept for the receivers, about
constexpr std::uint32_t kMinHistoryBuffers = 16;

Interface& sync_interface(Director& d, const std::string& name) {
  Interface* i = d.interface(name);
  if (i == nullptr) throw std::runtime_error("sync daemon on " + d.name() + ": no interface " + name);
  return *i;
}

// start_sync_thread: a master's sync_maxlen is clamped to 1..65535-28 (the default, 1472,
// is 1500 - 28); a buffer holds as many whole entries as fit after the header, at least
// one (ip_vs_sync_buff_create makes room for the first).
std::uint32_t entries_per_buffer(std::uint32_t maxlen) {
  const std::uint32_t len = std::clamp<std::uint32_t>(maxlen, 1, kSyncMaxlenCeiling);
  return std::max<std::uint32_t>(1, len > kSyncHeaderBytes ? (len - kSyncHeaderBytes) / kSyncEntryBytes : 0);
}

}  // namespace

SyncDaemon::SyncDaemon(SyncGroup& group, std::uint32_t index, Director& director, Transport& transport,
                       const scenario::SyncDaemonSpec& spec, EventLog* log)
    : group_(group),
      index_(index),
      director_(director),
      transport_(transport),
      iface_(sync_interface(director, spec.interface)),
      syncid_(spec.syncid),
      per_buffer_(entries_per_buffer(spec.maxlen)),
      log_(log),
      buffers_(std::max(kMinHistoryBuffers, kHistoryEntries / per_buffer_)),
      entries_(buffers_.size() * per_buffer_) {
  transport_.udp_bind(kSyncPort, *this);  // datagrams reach it only while the group is joined
}

void SyncDaemon::start_master() {
  stop_backup();
  if (master_) return;
  master_ = true;
  director_.set_sync_sink(this);
  thread_ = director_.network().sim().schedule_in(kSyncCheckPeriod, [this] { run_thread(); });
  log("sync-start", "MASTER",
      "IPVS: sync thread started: state = MASTER, mcast_ifn = " + iface_.name() + ", syncid = " +
          std::to_string(syncid_) + ", id = 0");
}

void SyncDaemon::start_backup() {
  stop_master();
  if (backup_) return;
  backup_ = true;
  director_.join_multicast(iface_, kSyncGroup);
  log("sync-start", "BACKUP",
      "IPVS: sync thread started: state = BACKUP, mcast_ifn = " + iface_.name() + ", syncid = " +
          std::to_string(syncid_) + ", id = 0");
}

void SyncDaemon::stop() {
  stop_master();
  stop_backup();
}

// stop_sync_thread: the thread ends; the queued buffers and the current one are freed unsent.
void SyncDaemon::stop_master() {
  if (!master_) return;
  master_ = false;
  director_.set_sync_sink(nullptr);
  Simulation& sim = director_.network().sim();
  sim.cancel(thread_);
  sim.cancel(wakeup_work_);
  for (std::uint64_t seq = queued_from_; seq < queued_to_; ++seq) stats_.entries_discarded += slot(seq).count;
  if (has_current_) stats_.entries_discarded += slot(queued_to_).count;
  queued_from_ = queued_to_;
  has_current_ = false;
  queue_delay_ = 0;
  log("sync-stop", "MASTER", "IPVS: stopping master sync thread");
}

void SyncDaemon::stop_backup() {
  if (!backup_) return;
  backup_ = false;
  director_.leave_multicast(iface_, kSyncGroup);
  log("sync-stop", "BACKUP", "IPVS: stopping backup sync thread");
}

std::span<const SyncEntry> SyncDaemon::entries(std::uint64_t seq) const {
  const std::size_t at = seq % buffers_.size();
  if (buffers_[at].seq != seq) return {};
  return {entries_.data() + at * per_buffer_, buffers_[at].count};
}

// ip_vs_sync_conn: into the current buffer; one that has no room for this entry is queued
// first and a new one begun.
void SyncDaemon::sync_conn(const SyncEntry& e) {
  if (has_current_ && slot(queued_to_).count == per_buffer_) queue_current();
  Buffer& b = slot(queued_to_);
  if (!has_current_) {
    has_current_ = true;
    b = Buffer{queued_to_, director_.network().sim().now(), 0};
  }
  entries_[(queued_to_ % buffers_.size()) * per_buffer_ + b.count] = e;
  ++b.count;
  ++stats_.entries_queued;
}

// sb_queue_tail: the first buffer in an empty queue arms the 20 ms wake-up; the 8th wakes
// the thread at once. Over the limit the buffer is freed.
void SyncDaemon::queue_current() {
  has_current_ = false;
  if (queue_length() >= buffers_.size() / 2) {
    ++stats_.buffers_dropped;
    return;  // its slot is begun afresh by the next entry
  }
  Simulation& sim = director_.network().sim();
  if (queue_length() == 0 && !sim.pending(wakeup_work_))
    wakeup_work_ = sim.schedule_in(kSyncSendDelay, [this] { master_wakeup_work(); });
  ++queued_to_;
  if (++queue_delay_ == kSyncWakeupRate) wake_thread();
}

// master_wakeup_work_handler: wakes the thread if buffers wait and no one woke it yet.
void SyncDaemon::master_wakeup_work() {
  if (queue_length() == 0 || queue_delay_ >= kSyncWakeupRate) return;
  queue_delay_ = kSyncWakeupRate;
  wake_thread();
}

// wake_up_process: the sleeping thread runs now (as its own event, after the packet that woke it).
void SyncDaemon::wake_thread() {
  Simulation& sim = director_.network().sim();
  sim.cancel(thread_);
  thread_ = sim.schedule_in(Time::zero(), [this] { run_thread(); });
}

// sync_thread_master: every queued buffer, then the current one if it is old enough
// (next_sync_buff, get_curr_sync_buff); then a 1 s sleep.
void SyncDaemon::run_thread() {
  Simulation& sim = director_.network().sim();
  while (queued_from_ < queued_to_) send(queued_from_++);
  queue_delay_ = 0;  // sb_dequeue emptied the queue
  if (has_current_ && sim.now() - slot(queued_to_).first_use >= kSyncFlushTime) {
    has_current_ = false;
    queued_from_ = ++queued_to_;
    send(queued_to_ - 1);
  }
  thread_ = sim.schedule_in(kSyncCheckPeriod, [this] { run_thread(); });
}

void SyncDaemon::send(std::uint64_t seq) {
  const std::uint32_t bytes = kSyncHeaderBytes + kSyncEntryBytes * slot(seq).count;
  ++stats_.datagrams_sent;
  stats_.bytes_sent += bytes;
  transport_.udp_send(iface_.primary_address(), kSyncPort, kSyncGroup, kSyncPort, bytes, SyncGroup::tag(index_, seq));
}

// sync_thread_backup / ip_vs_process_message: a whole message (one datagram unless maxlen
// exceeds the path's MTU) is read entry by entry.
void SyncDaemon::on_datagram(const Packet& pkt) {
  if (!backup_) return;
  if (pkt.payload < pkt.message_bytes) {  // one piece of a longer message
    if (partial_tag_ != pkt.app) partial_bytes_ = 0;
    partial_tag_ = pkt.app;
    partial_bytes_ += pkt.payload;
    if (partial_bytes_ < pkt.message_bytes) return;
    partial_bytes_ = 0;
  }
  receive(pkt.app);
}

void SyncDaemon::receive(std::uint64_t tag) {
  ++stats_.datagrams_received;
  const SyncDaemon* from = group_.daemons().at(tag >> 40).get();
  if (syncid_ != 0 && from->syncid() != syncid_) {
    ++stats_.other_syncid;
    return;
  }
  const std::span<const SyncEntry> entries = group_.entries(tag);
  if (entries.empty()) {
    ++stats_.stale;
    return;
  }
  for (const SyncEntry& e : entries) {
    ++stats_.entries_received;
    if (director_.install_synced(e)) ++stats_.entries_installed;
  }
}

void SyncDaemon::log(const std::string& event, const std::string& detail, const std::string& line) {
  if (log_ != nullptr) log_->add(director_.network().sim().now(), director_.name(), event, detail, line);
}

SyncDaemon& SyncGroup::add(Director& director, Transport& transport, const scenario::SyncDaemonSpec& spec,
                           EventLog* log) {
  const auto index = static_cast<std::uint32_t>(daemons_.size());
  daemons_.push_back(std::make_unique<SyncDaemon>(*this, index, director, transport, spec, log));
  return *daemons_.back();
}

SyncDaemon* SyncGroup::find(const Director& director) const {
  for (const auto& d : daemons_)
    if (&d->director() == &director) return d.get();
  return nullptr;
}

std::span<const SyncEntry> SyncGroup::entries(std::uint64_t tag) const {
  return daemons_.at(tag >> 40)->entries(tag & ((std::uint64_t{1} << 40) - 1));
}

}  // namespace lvs::control
