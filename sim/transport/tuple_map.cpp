#include "transport/tuple_map.hpp"

#include <cassert>
#include <utility>

namespace lvs {

// The 64-bit finaliser of MurmurHash3 over the packed tuple.
std::uint64_t TupleMap::hash(const FourTuple& k) {
  std::uint64_t h = (std::uint64_t{k.laddr.value()} << 32 | k.raddr.value()) ^
                    ((std::uint64_t{k.lport} << 16 | k.rport) * 0x9e3779b97f4a7c15ULL);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

std::size_t TupleMap::locate(const FourTuple& k) const {
  std::size_t i = home(k);
  while (slots_[i].value != kAbsent && !(slots_[i].key == k)) i = (i + 1) & mask_;
  return i;
}

std::uint32_t TupleMap::find(const FourTuple& k) const {
  if (size_ == 0) return kAbsent;
  return slots_[locate(k)].value;
}

std::uint32_t* TupleMap::get(const FourTuple& k) {
  if (size_ == 0) return nullptr;
  Slot& s = slots_[locate(k)];
  return s.value == kAbsent ? nullptr : &s.value;
}

void TupleMap::insert(const FourTuple& k, std::uint32_t v) {
  assert(v != kAbsent);
  if ((size_ + 1) * 2 > slots_.size()) grow();
  Slot& s = slots_[locate(k)];
  assert(s.value == kAbsent && "TupleMap::insert: key already present");
  s.key = k;
  s.value = v;
  ++size_;
}

// Backward-shift deletion: later entries of the same probe run move into the hole
// whenever the hole lies between their home slot and where they sit.
bool TupleMap::erase(const FourTuple& k) {
  if (size_ == 0) return false;
  std::size_t hole = locate(k);
  if (slots_[hole].value == kAbsent) return false;
  for (std::size_t j = (hole + 1) & mask_; slots_[j].value != kAbsent; j = (j + 1) & mask_) {
    const std::size_t h = home(slots_[j].key);
    const bool movable = hole <= j ? (h <= hole || h > j) : (h <= hole && h > j);
    if (movable) {
      slots_[hole] = slots_[j];
      hole = j;
    }
  }
  slots_[hole].value = kAbsent;
  --size_;
  return true;
}

void TupleMap::grow() {
  const std::size_t capacity = slots_.empty() ? 16 : slots_.size() * 2;
  std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(capacity));
  mask_ = capacity - 1;
  for (const Slot& s : old)
    if (s.value != kAbsent) slots_[locate(s.key)] = s;
}

}  // namespace lvs
