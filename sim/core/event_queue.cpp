#include "core/event_queue.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <stdexcept>
#include <string>

namespace lvs {

namespace {
// Buckets of levels 0..2 (digits worth up to 256 ns) keep their storage: a run reaches all
// 48 of them within microseconds, and they empty on nearly every pop, where handing storage
// round would cost more than it saves.
constexpr int kKeepStorageBelow = 48;
}  // namespace

// The steps every push and pop takes, inlined into them.

// The slot no longer holds a pending event: a key still naming it is stale, and its tag
// (flipped) no longer matches the key that held it.
[[gnu::always_inline]] inline void EventQueue::free_slot(std::uint32_t slot) {
  slots_[slot].seq = 0;
  tags_[slot] ^= 1;
  free_slots_.push_back(slot);
}

// Appends k to bucket b; an empty bucket without storage takes a spare one first.
[[gnu::always_inline]] inline void EventQueue::append(int b, Key k) {
  std::vector<Key>& bucket = buckets_[b];
  if (bucket.capacity() == 0 && !spares_.empty()) {
    bucket = std::move(spares_.back());
    spares_.pop_back();
  }
  bucket.push_back(k);
  occupy(b);
}

// Bucket b is empty: its storage goes to the spares (from level 3 up). Every vector with
// storage is a bucket's or a spare, and a new one is made only when no spare is left, so
// there are never more spares than buckets.
[[gnu::always_inline]] inline void EventQueue::recycle(int b) {
  std::vector<Key>& bucket = buckets_[b];
  if (b < kKeepStorageBelow || bucket.capacity() == 0) return;
  if (spares_.capacity() == 0) spares_.reserve(kBuckets);
  spares_.push_back(std::move(bucket));
  bucket = std::vector<Key>();
}

// 0 if k's time is the last time taken out, else 16 l + d: l the highest 4-bit digit in
// which they differ, d k's digit there (greater than the last time's, so d > 0).
[[gnu::always_inline]] inline int EventQueue::bucket_of(Key k) const {
  const std::uint64_t order = order_of(k);
  const std::uint64_t x = order ^ last_order_;
  if (x == 0) return 0;
  const int level = (63 - std::countl_zero(x)) / kDigitBits;
  const int digit = static_cast<int>(order >> (level * kDigitBits)) & (kDigits - 1);
  return level * kDigits + digit;
}

[[noreturn]] void EventQueue::throw_past(Time t) {
  throw std::logic_error("event queue: cannot schedule at " + to_string(t) + ", before the last event taken out");
}

[[noreturn]] void EventQueue::throw_seq_limit() {
  throw std::length_error("event queue: more than 2^38 events in one simulation");
}

// A slot never used before: the free list is empty.
std::uint32_t EventQueue::new_slot() {
  if (slots_.size() > kSlotMask) throw std::length_error("event queue: more than 2^26 pending events");
  slots_.emplace_back();
  tags_.push_back(0);
  return static_cast<std::uint32_t>(slots_.size() - 1);
}

// Files k in the buckets (the radix heap); inlined into file().
[[gnu::always_inline]] inline void EventQueue::file_far(Key k) {
  const bool was_empty = far_keys_ == 0;
  ++far_keys_;
  const int b = bucket_of(k);
  append(b, k);
  const std::vector<Key>& bucket = buckets_[b];
  // The new key is the head if the queue was empty, or if it is less than the head: in a
  // lower bucket, or in the head's bucket when that is not bucket 0 (where it comes last).
  if (was_empty || (head_ok_ && (b < head_bucket_ || (b == head_bucket_ && b != 0 && k < head())))) {
    head_ok_ = true;
    head_bucket_ = b;
    head_index_ = bucket.size() - 1;
    head_key_ = k;
  }
}

void EventQueue::file(Time t, EventId id) {
  ++live_;
  const Key k = make_key(t, id.seq, id.slot);
  const std::uint64_t number = order_of(t) >> kWheelSlotBits;
  if (number - wheel_now_ < kWheelSlots) {
    const auto wslot = static_cast<std::uint32_t>(number) & (kWheelSlots - 1);
    if (count_[wslot] < kWheelListMax) [[likely]] {
      wheel_insert(wslot, k);
      return;
    }
  }
  file_far(k);
}

// Puts k in its place in its wheel slot (after every greater key, before every lesser one)
// and makes it the wheel's head if it is less than the head.
void EventQueue::wheel_insert(std::uint32_t wslot, Key k) {
  Key* keys = wheel_[wslot].keys;
  std::uint32_t i = count_[wslot]++;
  for (; i > 0 && keys[i - 1] < k; --i) keys[i] = keys[i - 1];
  keys[i] = k;
  if (count_[wslot] == 1) wheel_set(wslot);
  ++wheel_keys_;
  if (k < wheel_key_) {
    wheel_key_ = k;
    wheel_head_wslot_ = wslot;
  }
}

// Takes the wheel's head (the last key of its wheel slot) out; the next head is the wheel
// slot's new last key, or the last key of the next wheel slot that holds keys.
void EventQueue::take_wheel_head() {
  const std::uint32_t wslot = wheel_head_wslot_;
  const std::uint8_t left = --count_[wslot];
  --wheel_keys_;
  if (left != 0) {
    wheel_key_ = wheel_[wslot].keys[left - 1];
    prefetch_slot(wheel_key_);
    return;
  }
  wheel_clear(wslot);
  find_wheel_head();
}

// The first wheel slot holding keys from the current one on, round the wheel: the slots
// after the current one hold this lap's keys, those before it the next lap's.
void EventQueue::find_wheel_head() {
  if (wheel_keys_ == 0) {
    wheel_key_ = kNoKey;
    return;
  }
  const auto now = static_cast<std::uint32_t>(wheel_now_) & (kWheelSlots - 1);
  std::uint32_t w = now >> 6;
  std::uint64_t bits = wheel_bits_[w] & (~0ULL << (now & 63));
  if (bits == 0) {
    const std::uint64_t later = w == kWheelSlots / 64 - 1 ? 0 : wheel_summary_ & (~0ULL << (w + 1));
    w = static_cast<std::uint32_t>(std::countr_zero(later != 0 ? later : wheel_summary_));
    bits = wheel_bits_[w];
  }
  const std::uint32_t wslot = 64 * w + static_cast<std::uint32_t>(std::countr_zero(bits));
  wheel_head_wslot_ = wslot;
  wheel_key_ = wheel_[wslot].keys[count_[wslot] - 1];
  prefetch_slot(wheel_key_);
}

// Drops every stale key from the wheel, keeping each slot's order; O(slots holding keys +
// their keys).
void EventQueue::wheel_sweep() {
  for (std::uint32_t w = 0; w < kWheelSlots / 64; ++w) {
    for (std::uint64_t bits = wheel_bits_[w]; bits != 0; bits &= bits - 1) {
      const std::uint32_t wslot = 64 * w + static_cast<std::uint32_t>(std::countr_zero(bits));
      Key* keys = wheel_[wslot].keys;
      std::uint8_t kept = 0;
      for (std::uint8_t i = 0; i < count_[wslot]; ++i)
        if (!stale(keys[i])) keys[kept++] = keys[i];
      const std::size_t dropped = count_[wslot] - kept;
      wheel_keys_ -= dropped;
      stale_ -= dropped;
      count_[wslot] = kept;
      if (kept == 0) wheel_clear(wslot);
    }
  }
  find_wheel_head();
}

bool EventQueue::pending(EventId id) const {
  return id.valid() && id.slot < slots_.size() && slots_[id.slot].seq == id.seq;
}

bool EventQueue::cancel(EventId id) {
  if (!pending(id)) return false;
  slots_[id.slot].fn.reset();
  free_slot(id.slot);
  --live_;
  ++stale_;
  if (stale_ > 64 && stale_ > live_) compact();
  return true;
}

// Scans the lowest non-empty bucket for the least key (bucket 0's is its front). A big
// bucket is screened first, so cancelled far timers are neither scanned again nor moved.
// Inlined into its callers: after most pops it runs on a bucket of one to three keys, where
// a call's register saves were a fifth of its cost.
[[gnu::always_inline]] inline void EventQueue::find_head() {
  int b = lowest_bucket();
  while (stale_ != 0 && b != 0 && b < kBuckets && buckets_[b].size() >= kScreenBucket) {
    erase_stale(b, false);
    if (!buckets_[b].empty()) break;
    b = lowest_bucket();
  }
  head_ok_ = false;
  if (b == kBuckets) return;  // every key left was stale
  const std::vector<Key>& bucket = buckets_[b];
  std::size_t m = 0;
  if (b == 0)
    m = zero_front_;
  else
    for (std::size_t i = 1; i < bucket.size(); ++i) m = bucket[i] < bucket[m] ? i : m;
  head_bucket_ = b;
  head_index_ = m;
  head_key_ = bucket[m];
  head_ok_ = true;
  prefetch_slot(bucket[m]);
}

// Takes the lesser of the two parts' least keys. Only that one is checked for staleness: a
// stale key of the other part is greater, and is dropped when it is reached.
bool EventQueue::pop(Time limit, Time& t, EventFn& fn) {
  while (live_ != 0) {
    if (far_keys_ != 0 && !head_ok_) find_head();
    const bool far = far_keys_ != 0 && head() < wheel_key_;
    const Key k = far ? head() : wheel_key_;
    if (stale(k)) {
      if (far) {
        drop_stale(head_bucket_);
      } else {
        take_wheel_head();
        --stale_;
      }
      continue;
    }
    if (time_of(k) > limit) return false;
    popped_order_ = order_of(k);
    wheel_now_ = popped_order_ >> kWheelSlotBits;
    if (!far) {
      take_wheel_head();
    } else {
      --far_keys_;
      if (head_bucket_ == 0) {
        take_front();
      } else if (buckets_[head_bucket_].size() == 1) {
        // Most pops: the head is alone in its bucket (every lower one is empty), so nothing
        // moves; take_and_redistribute() does the same, through its loop's setup.
        buckets_[head_bucket_].clear();
        vacate(head_bucket_);
        recycle(head_bucket_);
        last_order_ = order_of(k);
        head_ok_ = false;
        if (far_keys_ != 0) find_head();
      } else {
        take_and_redistribute();
      }
    }
    Slot& s = slots_[slot_of(k)];
    t = time_of(k);
    fn = std::move(s.fn);
    free_slot(slot_of(k));
    --live_;
    return true;
  }
  return false;
}

// Takes out the head, the front of bucket 0: the time taken out stays, no key moves.
void EventQueue::take_front() {
  std::vector<Key>& bucket = buckets_[0];
  ++zero_front_;
  if (zero_front_ == bucket.size()) {
    bucket.clear();
    zero_front_ = 0;
    vacate(0);
    recycle(0);
    head_ok_ = false;
    if (far_keys_ != 0) find_head();
    return;
  }
  head_index_ = zero_front_;
  head_key_ = bucket[zero_front_];
  if (zero_front_ + kPrefetchAhead < bucket.size()) prefetch_slot(bucket[zero_front_ + kPrefetchAhead]);
}

// Takes out the head from bucket b > 0 (every lower bucket is empty) and moves the rest of
// bucket b to lower buckets: each now differs from the new last time in a lower digit, or not
// at all. A big bucket's cancelled keys are left behind instead (by tag: no slot is read).
void EventQueue::take_and_redistribute() {
  const int from = head_bucket_;
  std::vector<Key>& bucket = buckets_[from];
  const Key k = bucket[head_index_];
  bucket[head_index_] = bucket.back();
  bucket.pop_back();
  vacate(from);
  last_order_ = order_of(k);
  head_ok_ = false;
  const bool near = bucket.size() <= kPrefetchBucket;
  const bool screened = stale_ != 0 && bucket.size() >= kScreenBucket;
  Key least = std::numeric_limits<Key>::max();
  for (const Key other : bucket) {
    if (screened && surely_stale(other)) {
      --stale_;
      --far_keys_;
      continue;
    }
    if (near) prefetch_slot(other);
    const int b = bucket_of(other);
    append(b, other);
    if (other < least) {
      least = other;
      head_bucket_ = b;
      head_index_ = buckets_[b].size() - 1;
    }
  }
  bucket.clear();
  recycle(from);
  if (least == std::numeric_limits<Key>::max()) {
    if (far_keys_ != 0) find_head();
    return;
  }
  head_ok_ = true;
  head_key_ = least;
  if (head_bucket_ == 0) {
    // Bucket 0 was empty: what fell in comes in bucket order; put it in sequence order.
    std::sort(buckets_[0].begin(), buckets_[0].end());
    head_index_ = 0;
  }
  if (!near) prefetch_slot(least);
}

// The head is stale: drops it with every other stale key of its bucket in one pass (dropping
// them one rescan at a time is quadratic when many timers of a big bucket were cancelled).
// Outside bucket 0 the tags find them without reading a slot; if the head's own tag matches
// (a slot reused 256 times over, or bucket 0), every key is checked exactly.
void EventQueue::drop_stale(int b) {
  erase_stale(b, b == 0 || !surely_stale(head()));
}

// Drops from bucket b the keys whose tags show them stale, and with `exact` every stale key.
// Order is kept, so bucket 0 stays in sequence order.
void EventQueue::erase_stale(int b, bool exact) {
  std::vector<Key>& bucket = buckets_[b];
  if (b == 0) {
    bucket.erase(bucket.begin(), bucket.begin() + static_cast<std::ptrdiff_t>(zero_front_));
    zero_front_ = 0;
  }
  const std::size_t before = bucket.size();
  if (exact)
    std::erase_if(bucket, [this](Key x) { return surely_stale(x) || stale(x); });
  else
    std::erase_if(bucket, [this](Key x) { return surely_stale(x); });
  stale_ -= before - bucket.size();
  far_keys_ -= before - bucket.size();
  if (bucket.empty()) {
    vacate(b);
    recycle(b);
  }
  head_ok_ = false;
}

Time EventQueue::next_time() {
  if (live_ == 0) return Time::max();
  if (far_keys_ != 0 && (!head_ok_ || stale(head()))) {
    compact();  // so the lowest bucket's least key is live
    if (far_keys_ != 0) find_head();
  }
  while (wheel_key_ != kNoKey && stale(wheel_key_)) {
    take_wheel_head();
    --stale_;
  }
  const bool far = far_keys_ != 0 && head_ok_ && head() < wheel_key_;
  return time_of(far ? head() : wheel_key_);
}

void EventQueue::reserve(std::size_t n) {
  slots_.reserve(n);
  tags_.reserve(n);
  free_slots_.reserve(n);
}

// The lowest non-empty bucket; kBuckets if none.
int EventQueue::lowest_bucket() const {
  for (std::size_t w = 0; w < occupied_.size(); ++w)
    if (occupied_[w] != 0) return static_cast<int>(64 * w) + std::countr_zero(occupied_[w]);
  return kBuckets;
}

// Drops every stale key; O(keys held).
void EventQueue::compact() {
  if (stale_ == 0) return;
  for (int b = 0; b < kBuckets; ++b)
    if (!buckets_[b].empty()) erase_stale(b, true);
  if (wheel_keys_ != 0) wheel_sweep();
}

}  // namespace lvs
