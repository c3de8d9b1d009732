#pragma once
// The future event list, ordered by (time, sequence number) so that events at equal times
// run first-in first-out (as ns-3's schedulers do).
//
// A radix heap (Ahuja, Mehlhorn, Orlin and Tarjan, "Faster algorithms for the shortest
// path problem", JACM 1990). It relies on simulated time being monotone: nothing is
// scheduled before the last event taken out. Keys are 128 bits, (time, seq, slot); a key
// lives in bucket b, the highest bit in which it differs from the last key taken out.
// Taking out the next event scans the lowest non-empty bucket for its minimum and moves
// the others to strictly lower buckets: push is O(1), pop amortised O(key bits), and every
// scan is sequential memory, which is what makes it fast on large queues.
//
// Callables live in a slot pool reused through a free list. Cancellation is O(1): it frees
// the slot, and the key still naming it is recognised as stale (its sequence number no
// longer matches the slot's) and dropped when reached; when stale keys outnumber live
// ones every bucket is swept.

#include <array>
#include <cstdint>
#include <vector>

#include "core/event_fn.hpp"
#include "core/time.hpp"

namespace lvs {

/// Names one scheduled event; a default-constructed id names none.
struct EventId {
  std::uint32_t slot = 0;
  std::uint64_t seq = 0;  ///< 0: no event
  constexpr bool valid() const { return seq != 0; }
  constexpr bool operator==(const EventId&) const = default;
};

class EventQueue {
 public:
  /// Schedules `fn` at `t`; ties run in the order they were pushed. `t` must not be
  /// earlier than the last event popped (std::logic_error otherwise).
  EventId push(Time t, EventFn&& fn);
  /// Cancels a pending event; false if it already ran, was cancelled, or names none.
  bool cancel(EventId id);
  /// True while the event is scheduled and has not run.
  bool pending(EventId id) const;
  /// Pops the earliest event if its time is <= `limit`: sets `t` and moves its callable into `fn`.
  bool pop(Time limit, Time& t, EventFn& fn);
  /// Time of the earliest pending event, Time::max() if none.
  Time next_time();
  /// Number of pending (live) events.
  std::size_t size() const { return live_; }
  bool empty() const { return live_ == 0; }
  /// Keys held, including stale (cancelled) ones; for tests and diagnostics.
  std::size_t keys_held() const { return live_ + stale_; }
  /// Reserves room for `n` pending events in the slot pool.
  void reserve(std::size_t n);

 private:
  __extension__ using Key = unsigned __int128;  // (time with sign bit flipped, seq, slot)
  static constexpr int kSlotBits = 26;           // up to 67 million pending events
  static constexpr std::uint64_t kSlotMask = (1ULL << kSlotBits) - 1;
  // 2^38 (2.7e11) events per simulation: 7 hours of wall time at 10 M events/s.
  static constexpr std::uint64_t kSeqLimit = 1ULL << (64 - kSlotBits);
  static constexpr int kBuckets = 128;

  static Key make_key(Time t, std::uint64_t seq, std::uint32_t slot) {
    const auto hi = static_cast<std::uint64_t>(t.count()) ^ (1ULL << 63);
    return static_cast<Key>(hi) << 64 | (seq << kSlotBits | slot);
  }
  static Time time_of(Key k) {
    return Time::ns(static_cast<std::int64_t>(static_cast<std::uint64_t>(k >> 64) ^ (1ULL << 63)));
  }
  static std::uint64_t seq_of(Key k) { return static_cast<std::uint64_t>(k) >> kSlotBits; }
  static std::uint32_t slot_of(Key k) { return static_cast<std::uint32_t>(static_cast<std::uint64_t>(k) & kSlotMask); }

  struct Slot {
    EventFn fn;
    std::uint64_t seq = 0;  // the pending event's sequence number; 0 when free
  };

  bool stale(Key k) const { return slots_[slot_of(k)].seq != seq_of(k); }
  int bucket_of(Key k) const;
  int lowest_bucket() const;
  void put(Key k);
  Key take_min();
  void compact();

  std::array<std::vector<Key>, kBuckets> buckets_;
  std::uint64_t occupied_[2] = {0, 0};  // bit b: buckets_[b] is non-empty
  Key last_ = 0;                        // the last key taken out; every held key is greater
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t next_seq_ = 1;
  std::size_t live_ = 0;
  std::size_t stale_ = 0;
};

}  // namespace lvs
