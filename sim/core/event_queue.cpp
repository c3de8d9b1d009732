#include "core/event_queue.hpp"

#include <bit>
#include <stdexcept>
#include <string>

namespace lvs {

EventId EventQueue::push(Time t, EventFn&& fn) {
  if (t < time_of(last_))
    throw std::logic_error("event queue: cannot schedule at " + to_string(t) + ", before the last event taken out");
  if (next_seq_ >= kSeqLimit) throw std::length_error("event queue: more than 2^38 events in one simulation");
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    if (slots_.size() > kSlotMask) throw std::length_error("event queue: more than 2^26 pending events");
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  const std::uint64_t seq = next_seq_++;
  slots_[slot].fn = std::move(fn);
  slots_[slot].seq = seq;
  ++live_;
  put(make_key(t, seq, slot));
  return EventId{slot, seq};
}

bool EventQueue::pending(EventId id) const {
  return id.valid() && id.slot < slots_.size() && slots_[id.slot].seq == id.seq;
}

bool EventQueue::cancel(EventId id) {
  if (!pending(id)) return false;
  Slot& s = slots_[id.slot];
  s.fn.reset();
  s.seq = 0;
  free_slots_.push_back(id.slot);
  --live_;
  ++stale_;
  if (stale_ > 64 && stale_ > live_) compact();
  return true;
}

bool EventQueue::pop(Time limit, Time& t, EventFn& fn) {
  while (live_ != 0) {
    const int b = lowest_bucket();
    std::vector<Key>& bucket = buckets_[b];
    std::size_t m = 0;
    for (std::size_t i = 1; i < bucket.size(); ++i) m = bucket[i] < bucket[m] ? i : m;
    const Key k = bucket[m];
    bucket[m] = bucket.back();
    bucket.pop_back();
    if (stale(k)) {
      // A cancelled event is the minimum: drop every cancelled event of this bucket in one
      // pass (dropping them one rescan at a time is quadratic when many timers of a big
      // bucket were cancelled, e.g. retransmission timers). last_ stays; the bucket stays valid.
      --stale_;
      const std::size_t before = bucket.size();
      std::erase_if(bucket, [this](Key x) { return stale(x); });
      stale_ -= before - bucket.size();
      if (bucket.empty()) occupied_[b >> 6] &= ~(1ULL << (b & 63));
      continue;
    }
    if (time_of(k) > limit) {
      bucket.push_back(k);
      return false;
    }
    __builtin_prefetch(&slots_[slot_of(k)]);
    last_ = k;
    // Every other key of this bucket now differs from last_ in a lower bit.
    for (const Key other : bucket) put(other);
    bucket.clear();
    occupied_[b >> 6] &= ~(1ULL << (b & 63));
    Slot& s = slots_[slot_of(k)];
    t = time_of(k);
    fn = std::move(s.fn);
    s.seq = 0;
    free_slots_.push_back(slot_of(k));
    --live_;
    return true;
  }
  return false;
}

Time EventQueue::next_time() {
  if (live_ == 0) return Time::max();
  compact();  // so the lowest bucket's minimum is live
  const std::vector<Key>& bucket = buckets_[lowest_bucket()];
  Key m = bucket[0];
  for (const Key k : bucket) m = k < m ? k : m;
  return time_of(m);
}

void EventQueue::reserve(std::size_t n) {
  slots_.reserve(n);
  free_slots_.reserve(n);
}

// The highest bit in which k differs from last_ (k > last_ always).
int EventQueue::bucket_of(Key k) const {
  const Key x = k ^ last_;
  const auto hi = static_cast<std::uint64_t>(x >> 64);
  if (hi != 0) return 127 - std::countl_zero(hi);
  return 63 - std::countl_zero(static_cast<std::uint64_t>(x));
}

int EventQueue::lowest_bucket() const {
  if (occupied_[0] != 0) return std::countr_zero(occupied_[0]);
  return 64 + std::countr_zero(occupied_[1]);
}

void EventQueue::put(Key k) {
  const int b = bucket_of(k);
  buckets_[b].push_back(k);
  occupied_[b >> 6] |= 1ULL << (b & 63);
}

// Drops every stale key; O(keys held).
void EventQueue::compact() {
  if (stale_ == 0) return;
  for (int b = 0; b < kBuckets; ++b) {
    std::vector<Key>& bucket = buckets_[b];
    std::erase_if(bucket, [this](Key k) { return stale(k); });
    if (bucket.empty()) occupied_[b >> 6] &= ~(1ULL << (b & 63));
  }
  stale_ = 0;
}

}  // namespace lvs
