#pragma once
// The per-service cache of lblc and lblcr (ipvs-semantics.md §2.13-2.14;
// net/netfilter/ipvs/ip_vs_lblc.c, ip_vs_lblcr.c): destination address -> destination(s),
// in 1024 buckets by hash_32(daddr, 10), chained with head insertion as hlist_add_head
// does. Entries live in a pooled vector with a free list, so the chain order and the
// rover are fully deterministic. Destinations are held by DestId; a DestIndex maps ids to
// list positions, and an id not in the list reads as not AVAILABLE (deleted).
//
// Garbage collection (`ip_vs_lblc_check_expire`, `ip_vs_lblc_full_check`) runs in the
// kernel on a 60 s timer. Schedulers have no timers, so `collect_garbage(now)` runs every
// check whose time has come, each at its own scheduled time: the first check is 60 s after
// the first call. Every 30th check is a full pass removing entries whose lastuse +
// expiration is not in the future; otherwise, when the table holds more than 16384
// entries, a pass from the rover removes entries idle >= 6 min until
// min((entries - 16384) * 4/3, 8192) are gone. The check counter advances only while the
// table is not over its maximum.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "core/time.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

/// `is_overloaded` of lblc/lblcr: d has more active connections than its weight while some
/// destination of the service is below half its weight (activeconns * 2 < weight).
bool lb_overloaded(const SchedDest& d, DestList dests);

/// DestId -> list index for the current list, rebuilt by the scheduler's hooks.
class DestIndex {
 public:
  /// Re-reads the list (call from init_service, add_dest, del_dest).
  void rebuild(DestList dests);
  /// The list index of `id`, or std::nullopt if it is not in the list (not AVAILABLE).
  std::optional<std::size_t> find(DestId id) const;

 private:
  /// (id, list index), sorted by id.
  std::vector<std::pair<DestId, std::uint32_t>> sorted_;
};

/// The lblc / lblcr address table with its lazily run garbage collector.
class LocalityTable {
 public:
  /// IP_VS_LBLC_TAB_BITS / IP_VS_LBLCR_TAB_BITS.
  static constexpr unsigned bits = 10;
  /// max_size = 1024 * 16 entries.
  static constexpr std::size_t max_size = (std::size_t{1} << bits) * 16;
  /// CHECK_EXPIRE_INTERVAL.
  static constexpr Time check_interval = Time::s(60);
  /// ENTRY_TIMEOUT: idle time after which the over-size pass may remove an entry.
  static constexpr Time entry_timeout = Time::s(6 * 60);
  /// COUNT_FOR_FULL_EXPIRATION.
  static constexpr int count_for_full_expiration = 30;
  /// Default of the lblc_expiration / lblcr_expiration sysctls: 24 h.
  static constexpr Time default_expiration = Time::s(24 * 60 * 60);
  /// No entry.
  static constexpr std::uint32_t none = UINT32_MAX;

  /// One cached address.
  struct Entry {
    /// The destination address (the key).
    InetAddr addr{};
    /// lblc: the one destination; lblcr: the set, newest first.
    std::vector<DestId> dests;
    /// Time of the last lookup or creation.
    Time lastuse{};
    /// lblcr: time of the last set insertion or removal.
    Time lastmod{};
    /// Next entry in the bucket's chain, or `none`.
    std::uint32_t next = none;
  };

  /// An empty table whose full pass removes entries idle >= `expiration`.
  explicit LocalityTable(Time expiration = default_expiration) : expiration_(expiration) { clear(); }

  /// Empties the table and resets the collector (init_service); the next
  /// collect_garbage call sets the first check time.
  void clear();
  /// The entry for `addr`, or `none`.
  std::uint32_t find(const InetAddr& addr) const;
  /// A new entry for `addr` holding `dest`, lastuse = lastmod = now, at its chain's head.
  std::uint32_t insert(const InetAddr& addr, DestId dest, Time now);
  /// Unlinks entry `e` and returns it to the pool.
  void erase(std::uint32_t e);
  /// Entry `e` (from find or insert).
  Entry& entry(std::uint32_t e) { return pool_[e]; }
  /// Number of entries.
  std::size_t size() const { return entries_; }
  /// Runs every 60 s check due at or before `now` (see the header comment).
  void collect_garbage(Time now);
  /// The check counter (tbl->counter): 1 after a full pass, +1 per check while not oversize.
  int counter() const { return counter_; }
  /// The rover: the bucket where the last pass stopped.
  std::uint32_t rover() const { return rover_; }

 private:
  static std::uint32_t bucket_of(const InetAddr& addr);
  void check(Time when);
  void full_check(Time when);
  void oversize_check(Time when);
  /// Removes the entries of `bucket` with `expired(entry)`; returns how many.
  template <typename Pred>
  std::size_t sweep(std::uint32_t bucket, Pred expired);

  /// lblc_expiration / lblcr_expiration.
  Time expiration_;
  /// First entry of each bucket's chain, or `none`.
  std::array<std::uint32_t, std::size_t{1} << bits> heads_{};
  /// Every entry ever allocated; unlinked ones are chained from `free_` through `next`.
  std::vector<Entry> pool_;
  std::uint32_t free_ = none;
  /// Linked entries (tbl->entries).
  std::size_t entries_ = 0;
  /// Time of the next 60 s check; unset until the first collect_garbage call.
  std::optional<Time> next_check_;
  int counter_ = 1;
  std::uint32_t rover_ = 0;
};

/// What lblc and lblcr share: the table of destination addresses, emptied when the
/// scheduler is bound (ip_vs_lblc_init_svc / ip_vs_lblcr_init_svc), and the id -> list-index
/// map kept up to date on every list change. Neither has an upd_dest hook.
class LocalityScheduler : public Scheduler {
 public:
  void init_service(DestList dests) override {
    table_.clear();
    index_.rebuild(dests);
  }
  void add_dest(DestList dests, std::size_t /*index*/) override { index_.rebuild(dests); }
  // The id map is a function of the list alone (the table is untouched by adds): one rebuild.
  void add_dests(DestList dests, std::size_t /*count*/) override { index_.rebuild(dests); }
  void del_dest(DestList dests, std::size_t /*index*/, const SchedDest& /*removed*/) override { index_.rebuild(dests); }

 protected:
  LocalityTable table_;
  DestIndex index_;
};

}  // namespace lvs
