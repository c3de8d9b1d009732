#pragma once
// Entries in a vector whose indices (slots) stay put: a freed slot is reused by the next
// insert, so timers and other entries may name an entry by its slot (with a generation to
// tell a reused slot apart). Used by the connection table and the persistence templates, a
// web server's requests blocked on storage and the storage clients' outstanding operations.
// Nothing is allocated once the slots have grown.

#include <cstdint>
#include <vector>

namespace lvs {

/// If `T` has a `std::uint32_t slot` member, it is set on insert to the entry's own index.
template <class T>
class SlotTable {
 public:
  /// Stores a copy of `value` in a free slot (or a new one) and returns the slot.
  std::uint32_t add(const T& value) {
    std::uint32_t slot;
    if (free_.empty()) {
      slot = static_cast<std::uint32_t>(slots_.size());
      slots_.push_back(value);
    } else {
      slot = free_.back();
      free_.pop_back();
      slots_[slot] = value;
    }
    if constexpr (requires { value.slot; }) slots_[slot].slot = slot;
    return slot;
  }
  /// As add(), returning the stored entry.
  T& insert(const T& value) { return slots_[add(value)]; }
  /// Makes `slot` free for reuse; the caller has marked its entry dead.
  void release(std::uint32_t slot) { free_.push_back(slot); }
  /// Frees every slot (their entries stay in place until reused).
  void release_all() {
    free_.clear();
    for (auto k = static_cast<std::uint32_t>(slots_.size()); k-- > 0;) free_.push_back(k);
  }
  T& at(std::uint32_t slot) { return slots_[slot]; }
  const T& at(std::uint32_t slot) const { return slots_[slot]; }
  /// Entries in use.
  std::size_t live() const { return slots_.size() - free_.size(); }
  /// Every slot, dead ones included, in slot order.
  const std::vector<T>& entries() const { return slots_; }
  std::vector<T>& entries() { return slots_; }

 private:
  std::vector<T> slots_;
  std::vector<std::uint32_t> free_;
};

}  // namespace lvs
