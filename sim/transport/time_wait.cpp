#include "transport/time_wait.hpp"

namespace lvs {

void TimeWaitTable::add(const TimeWaitEntry& e) {
  std::uint32_t slot = 0;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  TimeWaitEntry& s = slots_[slot];
  s = e;
  s.generation = next_generation_++;
  index_.insert(e.tuple, slot);
  if (count_ == ring_.size()) {  // full: unroll into a ring twice the size
    std::vector<Queued> bigger(ring_.empty() ? 64 : ring_.size() * 2);
    for (std::size_t i = 0; i < count_; ++i) bigger[i] = ring_[(head_ + i) % ring_.size()];
    ring_.swap(bigger);
    head_ = 0;
  }
  ring_[(head_ + count_) % ring_.size()] = Queued{slot, s.generation};
  ++count_;
}

TimeWaitEntry* TimeWaitTable::find(const FourTuple& t) {
  const std::uint32_t slot = index_.find(t);
  return slot == TupleMap::kAbsent ? nullptr : &slots_[slot];
}

const TimeWaitEntry* TimeWaitTable::find(const FourTuple& t) const {
  const std::uint32_t slot = index_.find(t);
  return slot == TupleMap::kAbsent ? nullptr : &slots_[slot];
}

// The entry goes to the back of the queue with a new generation; its old place is skipped.
void TimeWaitTable::extend(const FourTuple& t, Time expires) {
  const std::uint32_t slot = index_.find(t);
  if (slot == TupleMap::kAbsent) return;
  TimeWaitEntry e = slots_[slot];
  e.expires = expires;
  index_.erase(t);
  release(slot);
  add(e);
}

bool TimeWaitTable::remove(const FourTuple& t) {
  const std::uint32_t slot = index_.find(t);
  if (slot == TupleMap::kAbsent) return false;
  index_.erase(t);
  release(slot);
  return true;
}

void TimeWaitTable::release(std::uint32_t slot) {
  slots_[slot].generation = 0;  // its queued place, if any, is stale now
  free_.push_back(slot);
}

Time TimeWaitTable::next_expiry() const {
  for (std::size_t i = 0; i < count_; ++i) {
    const Queued q = ring_[(head_ + i) % ring_.size()];
    if (slots_[q.slot].generation == q.generation) return slots_[q.slot].expires;
  }
  return Time::max();
}

}  // namespace lvs
