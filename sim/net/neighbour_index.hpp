#pragma once
// The neighbour cache's lookup index: a 64-bit key (interface index, IPv4 address) -> the
// entry, in one flat array with open addressing and linear probing (Knuth, TAOCP vol. 3,
// 6.4, Algorithm L), at most half full, grown by doubling. A probe reads 16-byte slots in
// one array; std::unordered_map's find divides by a prime and follows a bucket pointer
// to a node first.
//
// There is no erase: the entries live elsewhere (NeighbourTable's std::list, whose
// nodes stay put until erased), and the only removals, the garbage collector's sweep and a
// flush, clear the index and insert what is left. Nothing iterates over it, so the order of
// its slots never decides behaviour.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace lvs {

template <class T>
class NeighbourIndex {
 public:
  /// The entry stored under `k`, or nullptr.
  T* find(std::uint64_t k) const {
    if (size_ == 0) return nullptr;
    for (std::size_t i = home(k);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.entry == nullptr) return nullptr;
      if (s.key == k) return s.entry;
    }
  }
  /// Stores `entry` (not nullptr) under `k`, which must be absent.
  void insert(std::uint64_t k, T* entry) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    place(Slot{k, entry});
    ++size_;
  }
  /// Forgets every key (the array keeps its size).
  void clear() {
    for (Slot& s : slots_) s = Slot{};
    size_ = 0;
  }
  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint64_t key = 0;
    T* entry = nullptr;  // nullptr: the slot is empty
  };
  // Fibonacci hashing (Knuth 6.4): the top bits of k times 2^64 / phi.
  std::size_t home(std::uint64_t k) const { return static_cast<std::size_t>((k * 0x9e3779b97f4a7c15ULL) >> shift_); }
  void place(const Slot& s) {
    std::size_t i = home(s.key);
    while (slots_[i].entry != nullptr) i = (i + 1) & mask_;
    slots_[i] = s;
  }
  void grow() {
    const std::size_t capacity = slots_.empty() ? 16 : slots_.size() * 2;
    std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(capacity));
    mask_ = capacity - 1;
    shift_ = 64 - std::countr_zero(capacity);
    for (const Slot& s : old)
      if (s.entry != nullptr) place(s);
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  int shift_ = 64;
  std::size_t size_ = 0;
};

}  // namespace lvs
