#pragma once
// Connections in TIME_WAIT: the side that closed first keeps the four-tuple for
// TCP_TIMEWAIT_LEN, 60 s, fixed in Linux (include/net/tcp.h), so that a retransmitted FIN
// of the peer is acknowledged and connect() does not reuse the tuple meanwhile (RFC 793
// 3.5; RFC 1122 4.2.2.13). Linux keeps such a connection as a small inet_timewait_sock,
// not a full socket; so does this table: a few words per tuple, a FIFO of expiries (every
// entry lives the same 60 s, so expiry order is insertion order) and one engine timer.

#include <cstdint>
#include <vector>

#include "core/time.hpp"
#include "transport/tuple_map.hpp"

namespace lvs {

/// TCP_TIMEWAIT_LEN: how long a connection closed first by this side stays in TIME_WAIT.
inline constexpr Time kTimeWaitLength = Time::s(60);

struct TimeWaitEntry {
  FourTuple tuple;
  Time since;                  ///< entered TIME_WAIT (tcp_tw_reuse needs 1 s of it)
  Time expires;
  std::uint32_t snd_nxt = 0;   ///< for the ACK answering a retransmitted FIN
  std::uint32_t rcv_nxt = 0;
  std::uint32_t ts_recent = 0; ///< the peer's last TSval (when timestamps were agreed)
  bool ts_ok = false;
  bool wscale_ok = false;
  std::uint32_t generation = 0;
};

class TimeWaitTable {
 public:
  /// Adds `e` (its tuple must be absent); it expires at e.expires.
  void add(const TimeWaitEntry& e);
  /// The entry for `t`, or nullptr.
  TimeWaitEntry* find(const FourTuple& t);
  const TimeWaitEntry* find(const FourTuple& t) const;
  /// Moves `t`'s expiry to `expires` (a retransmitted FIN restarts the 60 s).
  void extend(const FourTuple& t, Time expires);
  /// Removes `t` (a RST, or the tuple reused); false if absent.
  bool remove(const FourTuple& t);
  /// Removes every entry expired at `now`, calling gone(tuple) for each.
  template <class F>
  void expire(Time now, F&& gone);
  /// When the oldest entry expires, or Time::max() if there is none.
  Time next_expiry() const;
  std::size_t size() const { return index_.size(); }

 private:
  struct Queued {
    std::uint32_t slot;
    std::uint32_t generation;
  };
  void release(std::uint32_t slot);

  std::vector<TimeWaitEntry> slots_;
  std::vector<std::uint32_t> free_;
  TupleMap index_;              // tuple -> slot
  std::vector<Queued> ring_;    // expiry order; entries whose slot moved on are skipped
  std::size_t head_ = 0, count_ = 0;
  std::uint32_t next_generation_ = 1;
};

template <class F>
void TimeWaitTable::expire(Time now, F&& gone) {
  while (count_ > 0) {
    const Queued q = ring_[head_];
    TimeWaitEntry& e = slots_[q.slot];
    const bool stale = e.generation != q.generation;  // removed, or re-queued by extend()
    if (!stale && e.expires > now) return;
    head_ = (head_ + 1) % ring_.size();
    --count_;
    if (stale) continue;
    const FourTuple t = e.tuple;
    index_.erase(t);
    release(q.slot);
    gone(t);
  }
}

}  // namespace lvs
