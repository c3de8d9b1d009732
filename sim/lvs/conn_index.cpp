#include "lvs/conn_index.hpp"

#include <cassert>
#include <utility>

namespace lvs {

void ConnIndex::insert(std::uint64_t hash, std::uint32_t value) {
  assert(value != kAbsent);
  if ((size_ + 1) * 2 > slots_.size()) grow();
  const std::uint32_t tag = tag_of(hash);
  std::size_t i = tag & mask_;
  while (slots_[i].value != kAbsent) i = (i + 1) & mask_;  // the caller made sure the key is absent
  slots_[i] = Slot{tag, value};
  ++size_;
}

// Backward-shift deletion (Knuth 6.4, Algorithm R): a later entry of the same run moves
// into the hole whenever the hole lies cyclically between its home and where it sits, so
// that every entry stays reachable from its home without tombstones.
void ConnIndex::erase_at(std::size_t hole) {
  for (std::size_t j = (hole + 1) & mask_; slots_[j].value != kAbsent; j = (j + 1) & mask_) {
    const std::size_t home = slots_[j].tag & mask_;
    const bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
    if (movable) {
      slots_[hole] = slots_[j];
      hole = j;
    }
  }
  slots_[hole].value = kAbsent;
  --size_;
}

void ConnIndex::grow() {
  const std::size_t capacity = slots_.empty() ? 16 : slots_.size() * 2;
  std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(capacity));
  mask_ = capacity - 1;
  for (const Slot& s : old) {
    if (s.value == kAbsent) continue;
    std::size_t i = s.tag & mask_;
    while (slots_[i].value != kAbsent) i = (i + 1) & mask_;
    slots_[i] = s;
  }
}

}  // namespace lvs
