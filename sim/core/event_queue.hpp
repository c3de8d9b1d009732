#pragma once
// The future event list, ordered by (time, sequence number) so that events at equal times
// run first-in first-out (as ns-3's schedulers do).
//
// Two parts hold the keys, and a pop takes the lesser of their two least keys. Near events
// go to a timing wheel (Varghese and Lauck, "Hashed and hierarchical timing wheels", SOSP
// 1987): 4096 slots of 1.024 us, so 4.19 ms ahead, each slot a short array kept in key order.
// The rest, and any key whose slot already holds kWheelListMax, go to the buckets below.
// Which part a key goes to changes no order: both are exact. See docs/event-queue.md "The
// wheel in front".
//
// A radix heap on time (Ahuja, Mehlhorn, Orlin and Tarjan, "Faster algorithms for the
// shortest path problem", JACM 1990, section 3) with 4-bit digits. It relies on simulated
// time being monotone: nothing is scheduled before the last event taken out. A key is 128
// bits, (time, seq, slot); it lives in bucket 16 l + d when the highest 4-bit digit in which
// its time differs from the last time taken out is digit l, and is d there; in bucket 0 when
// its time equals it. Every key of a bucket is earlier than every key of a higher one. Bucket
// 0 is kept in sequence order (a queue): the keys a redistribution drops into it are sorted
// once, and later pushes at that time come last. Taking out the next event takes the least
// key of the lowest non-empty bucket and, when it was not bucket 0, moves the rest of that
// bucket to strictly lower buckets: push is O(1), pop amortised O(time bits / 4), every move
// sequential memory. A far timer (a connection's 60 s expiry) moves at most 9 times, not 36.
// See docs/event-queue.md.
//
// The head (the least key) is found as soon as the previous one is taken out, and the slots
// of the keys about to run are prefetched then, while the executing event runs: on a large
// queue the slot pool is far bigger than the cache and its random reads were the cost of a
// pop (Mowry, Lam and Gupta, "Design and evaluation of a compiler algorithm for
// prefetching", ASPLOS 1992: issue the load early enough to cover the miss latency).
//
// Callables live in a slot pool reused through a free list. Cancellation is O(1): it frees
// the slot, and the key still naming it is recognised as stale (its sequence number no
// longer matches the slot's) and dropped when reached; a big bucket about to move is first
// screened for stale keys by a one-byte tag per slot, so cancelled far timers stop moving;
// when stale keys outnumber live ones every bucket is swept.

#include <array>
#include <concepts>
#include <cstdint>
#include <memory>
#include <type_traits>
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
  EventQueue() : wheel_(std::make_unique_for_overwrite<WheelSlot[]>(kWheelSlots)) {}
  /// Schedules `fn` (a callable, or an EventFn moved from) at `t`; ties run in the order
  /// they were pushed. `t` must not be earlier than the last event popped
  /// (std::logic_error otherwise). The callable is built in its slot: no temporary EventFn
  /// is made and moved, unless building it may throw (then it is built first, so that a
  /// throw leaves the queue as it was).
  template <class F>
    requires(!std::same_as<std::decay_t<F>, EventFn> || !std::is_lvalue_reference_v<F>)
  EventId push(Time t, F&& fn) {
    if constexpr (std::same_as<std::decay_t<F>, EventFn> || std::is_nothrow_constructible_v<std::decay_t<F>, F&&>) {
      const EventId id = take_slot(t);
      slots_[id.slot].fn.emplace(std::forward<F>(fn));
      file(t, id);
      return id;
    } else {
      EventFn made(std::forward<F>(fn));
      return push(t, std::move(made));
    }
  }
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
  // Radix digits: level l holds time bits [4 l, 4 l + 4); bucket 16 l + d, d > 0 the digit.
  static constexpr int kDigitBits = 4;
  static constexpr int kDigits = 1 << kDigitBits;
  static constexpr int kBuckets = 64 / kDigitBits * kDigits;  // 0: the last time taken out
  // A redistributed bucket this small holds the next events to run: their slots are prefetched.
  static constexpr std::size_t kPrefetchBucket = 32;
  // Bucket 0's slots are prefetched this many keys ahead of its front.
  static constexpr std::size_t kPrefetchAhead = 8;
  // A bucket this big is screened for stale keys (by tag) before it is scanned or moved.
  static constexpr std::size_t kScreenBucket = 256;
  // The wheel: slots of 2^10 ns (1.024 us), 4096 of them (4.19 ms ahead). A slot's keys are
  // kept in key order, at most kWheelListMax of them: an insertion's shift stays short,
  // and a crowded slot (a burst of events in one microsecond) sends the rest to the buckets.
  static constexpr int kWheelSlotBits = 10;
  static constexpr int kWheelBits = 12;
  static constexpr std::uint32_t kWheelSlots = 1U << kWheelBits;
  static constexpr std::uint8_t kWheelListMax = 8;
  static constexpr Key kNoKey = ~Key{0};       // greater than every key made

  static std::uint64_t order_of(Time t) { return static_cast<std::uint64_t>(t.count()) ^ (1ULL << 63); }
  static Key make_key(Time t, std::uint64_t seq, std::uint32_t slot) {
    return static_cast<Key>(order_of(t)) << 64 | (seq << kSlotBits | slot);
  }
  static std::uint64_t order_of(Key k) { return static_cast<std::uint64_t>(k >> 64); }
  static Time time_of(Key k) { return Time::ns(static_cast<std::int64_t>(order_of(k) ^ (1ULL << 63))); }
  static std::uint64_t seq_of(Key k) { return static_cast<std::uint64_t>(k) >> kSlotBits; }
  static std::uint32_t slot_of(Key k) { return static_cast<std::uint32_t>(static_cast<std::uint64_t>(k) & kSlotMask); }

  // One cache line: a pop reads the sequence number and the callable with one miss.
  struct alignas(64) Slot {
    EventFn fn;
    std::uint64_t seq = 0;  // the pending event's sequence number; 0 when free
  };

  // A free slot for an event at `t`, holding the next sequence number (its callable is
  // still to be stored); throws when `t` is in the past or a limit is reached.
  EventId take_slot(Time t) {
    if (order_of(t) < popped_order_) [[unlikely]]
      throw_past(t);
    if (next_seq_ >= kSeqLimit) [[unlikely]]
      throw_seq_limit();
    std::uint32_t slot;
    if (!free_slots_.empty()) [[likely]] {
      slot = free_slots_.back();
      free_slots_.pop_back();
    } else {
      slot = new_slot();
    }
    const std::uint64_t seq = next_seq_++;
    slots_[slot].seq = seq;
    tags_[slot] = tag_of(seq);
    return EventId{slot, seq};
  }
  [[gnu::noinline]] std::uint32_t new_slot();
  [[noreturn, gnu::noinline]] static void throw_past(Time t);
  [[noreturn, gnu::noinline]] static void throw_seq_limit();
  // Files the key of the event `id` (its slot already holds the callable) at `t`.
  void file(Time t, EventId id);
  bool stale(Key k) const { return slots_[slot_of(k)].seq != seq_of(k); }
  // The tag of a slot is the low byte of its pending event's sequence number, another value
  // when it is free: a key whose tag differs is stale, and the check stays in a small array.
  static std::uint8_t tag_of(std::uint64_t seq) { return static_cast<std::uint8_t>(seq); }
  bool surely_stale(Key k) const { return tags_[slot_of(k)] != tag_of(seq_of(k)); }
  void free_slot(std::uint32_t slot);
  void prefetch_slot(Key k) const { __builtin_prefetch(&slots_[slot_of(k)]); }
  int bucket_of(Key k) const;
  int lowest_bucket() const;
  void occupy(int b) { occupied_[b >> 6] |= 1ULL << (b & 63); }
  void vacate(int b) { occupied_[b >> 6] &= ~(1ULL << (b & 63)); }
  Key head() const { return head_key_; }  // the buckets' least key
  void find_head();
  void take_front();
  void take_and_redistribute();
  void drop_stale(int b);
  void erase_stale(int b, bool exact);
  void append(int b, Key k);
  void recycle(int b);
  void compact();
  void file_far(Key k);

  // The wheel's steps. A slot's number in the wheel is its absolute number (time >>
  // kWheelSlotBits) modulo kWheelSlots; every key held is at or after the last time taken
  // out and less than kWheelSlots slots ahead of it, so each slot holds keys of one lap.
  // `wslot` names a wheel slot, as `slot` names a callable's slot in slots_.
  void wheel_insert(std::uint32_t wslot, Key k);
  void take_wheel_head();
  void find_wheel_head();
  void wheel_sweep();
  void wheel_set(std::uint32_t wslot) {
    wheel_bits_[wslot >> 6] |= 1ULL << (wslot & 63);
    wheel_summary_ |= 1ULL << (wslot >> 6);
  }
  void wheel_clear(std::uint32_t wslot) {
    wheel_bits_[wslot >> 6] &= ~(1ULL << (wslot & 63));
    if (wheel_bits_[wslot >> 6] == 0) wheel_summary_ &= ~(1ULL << (wslot >> 6));
  }

  // The order of the last key taken out, from either part: nothing may be filed before it.
  std::uint64_t popped_order_ = 0;

  // The wheel. A slot's keys are stored in the slot itself, in descending order, so that
  // its least key (the one taken next) is the last: taking it out moves nothing, and an
  // insertion shifts at most kWheelListMax - 1 keys within the slot's two cache lines. As
  // time advances the wheel's slots are read in address order, which the hardware prefetcher
  // follows; a list of pooled nodes cost a dependent cache miss per node walked.
  struct alignas(64) WheelSlot {
    Key keys[kWheelListMax];  // keys[0, count_[wslot]), greatest first
  };
  std::unique_ptr<WheelSlot[]> wheel_;  // kWheelSlots of them; a key is read only below count_
  std::array<std::uint8_t, kWheelSlots> count_{};  // keys in each wheel slot
  std::array<std::uint64_t, kWheelSlots / 64> wheel_bits_{};  // bit s: wheel slot s holds keys
  std::uint64_t wheel_summary_ = 0;                           // bit w: wheel_bits_[w] != 0
  std::uint64_t wheel_now_ = 0;  // the slot number of the last time taken out (unwrapped)
  std::size_t wheel_keys_ = 0;   // keys in the wheel, live or stale
  // The wheel's head (its least key), the last key of its slot; always current (kNoKey, a
  // key greater than any real one, when the wheel is empty).
  std::uint32_t wheel_head_wslot_ = 0;
  Key wheel_key_ = kNoKey;

  // The buckets (the radix heap).
  std::size_t far_keys_ = 0;  // keys in the buckets, live or stale

  std::array<std::vector<Key>, kBuckets> buckets_;
  std::array<std::uint64_t, kBuckets / 64> occupied_{};  // bit b: buckets_[b] holds keys
  // The storage of emptied buckets, taken by the next empty bucket to fill: with 16 buckets a
  // level, a run touches many more of them than it ever fills at once, and each would keep
  // (and first allocate) its own. Holds at most kBuckets vectors (reserved once).
  std::vector<std::vector<Key>> spares_;
  std::uint64_t last_order_ = 0;        // order_of(time) of the last key taken out of the buckets
  std::size_t zero_front_ = 0;          // buckets_[0][0, zero_front_) were taken out
  // The buckets' head, their least key (live or stale): buckets_[head_bucket_][head_index_]
  // when head_ok_; otherwise found by the next pop.
  int head_bucket_ = 0;
  std::size_t head_index_ = 0;
  bool head_ok_ = false;
  Key head_key_ = 0;  // the head's key, when head_ok_ (kept, not read through the bucket)
  std::vector<Slot> slots_;
  std::vector<std::uint8_t> tags_;  // per slot, see tag_of
  std::vector<std::uint32_t> free_slots_;
  std::uint64_t next_seq_ = 1;
  std::size_t live_ = 0;
  std::size_t stale_ = 0;
};

}  // namespace lvs
