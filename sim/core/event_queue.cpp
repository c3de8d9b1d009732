#include "core/event_queue.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>

namespace lvs {

EventId EventQueue::push(Time t, EventFn&& fn) {
  if (order_of(t) < last_order_)
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
  const bool was_empty = keys_held() == 0;
  ++live_;
  const Key k = make_key(t, seq, slot);
  const int b = bucket_of(k);
  std::vector<Key>& bucket = buckets_[b];
  bucket.push_back(k);
  occupy(b);
  // The new key is the head if the queue was empty, or if it is less than the head: in a
  // lower bucket, or in the head's bucket when that is not bucket 0 (where it comes last).
  if (was_empty || (head_ok_ && (b < head_bucket_ || (b == head_bucket_ && b != 0 && k < head())))) {
    head_ok_ = true;
    head_bucket_ = b;
    head_index_ = bucket.size() - 1;
  }
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
    if (!head_ok_) find_head();
    const Key k = head();
    if (stale(k)) {
      drop_stale(head_bucket_);
      continue;
    }
    if (time_of(k) > limit) return false;
    if (head_bucket_ == 0)
      take_front();
    else
      take_and_redistribute();
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

// Takes out the head, the front of bucket 0: the time taken out stays, no key moves.
void EventQueue::take_front() {
  std::vector<Key>& bucket = buckets_[0];
  ++zero_front_;
  if (zero_front_ == bucket.size()) {
    bucket.clear();
    zero_front_ = 0;
    vacate(0);
    head_ok_ = false;
    if (keys_held() > 1) find_head();
    return;
  }
  head_index_ = zero_front_;
  if (zero_front_ + kPrefetchAhead < bucket.size()) prefetch_slot(bucket[zero_front_ + kPrefetchAhead]);
}

// Takes out the head from bucket b > 0 (bucket 0 is empty) and moves the rest of bucket b
// to lower buckets: each now differs from the new last time in a lower bit, or not at all.
void EventQueue::take_and_redistribute() {
  const int from = head_bucket_;
  std::vector<Key>& bucket = buckets_[from];
  const Key k = bucket[head_index_];
  bucket[head_index_] = bucket.back();
  bucket.pop_back();
  vacate(from);
  last_order_ = order_of(k);
  head_ok_ = false;
  if (bucket.empty()) {
    if (keys_held() > 1) find_head();
    return;
  }
  const bool near = bucket.size() <= kPrefetchBucket;
  Key least = bucket[0];
  for (const Key other : bucket) {
    if (near) prefetch_slot(other);
    const int b = bucket_of(other);
    buckets_[b].push_back(other);
    occupy(b);
    if (other <= least) {
      least = other;
      head_bucket_ = b;
      head_index_ = buckets_[b].size() - 1;
    }
  }
  bucket.clear();
  head_ok_ = true;
  if (head_bucket_ == 0) {
    // Bucket 0 was empty: what fell in comes in bucket order; put it in sequence order.
    std::sort(buckets_[0].begin(), buckets_[0].end());
    head_index_ = 0;
  }
  if (!near) prefetch_slot(least);
}

// Scans the lowest non-empty bucket for the least key (bucket 0's is its front).
void EventQueue::find_head() {
  const int b = lowest_bucket();
  const std::vector<Key>& bucket = buckets_[b];
  std::size_t m = 0;
  if (b == 0)
    m = zero_front_;
  else
    for (std::size_t i = 1; i < bucket.size(); ++i) m = bucket[i] < bucket[m] ? i : m;
  head_bucket_ = b;
  head_index_ = m;
  head_ok_ = true;
  prefetch_slot(bucket[m]);
}

// Drops the cancelled keys of bucket b (one pass: dropping them one rescan at a time is
// quadratic when many timers of a big bucket were cancelled, e.g. retransmission timers).
// Order is kept, so bucket 0 stays in sequence order.
void EventQueue::drop_stale(int b) {
  std::vector<Key>& bucket = buckets_[b];
  if (b == 0) {
    bucket.erase(bucket.begin(), bucket.begin() + static_cast<std::ptrdiff_t>(zero_front_));
    zero_front_ = 0;
  }
  const std::size_t before = bucket.size();
  std::erase_if(bucket, [this](Key x) { return stale(x); });
  stale_ -= before - bucket.size();
  if (bucket.empty()) vacate(b);
  head_ok_ = false;
}

Time EventQueue::next_time() {
  if (live_ == 0) return Time::max();
  if (!head_ok_ || stale(head())) {
    compact();  // so the lowest bucket's least key is live
    find_head();
  }
  return time_of(head());
}

void EventQueue::reserve(std::size_t n) {
  slots_.reserve(n);
  free_slots_.reserve(n);
}

// 0 if k's time is the last time taken out, else 1 + the highest bit in which they differ.
int EventQueue::bucket_of(Key k) const {
  const std::uint64_t x = order_of(k) ^ last_order_;
  return x == 0 ? 0 : 64 - std::countl_zero(x);
}

int EventQueue::lowest_bucket() const {
  if (occupied_[0] != 0) return std::countr_zero(occupied_[0]);
  return 64 + std::countr_zero(occupied_[1]);
}

// Drops every stale key; O(keys held).
void EventQueue::compact() {
  if (stale_ == 0) return;
  for (int b = 0; b < kBuckets; ++b) drop_stale(b);
  stale_ = 0;
}

}  // namespace lvs
