#pragma once
// A flat hash index from a connection key to the connection's slot, for the IPVS
// connection table (lvs/connection_table.hpp): open addressing with linear probing
// (Knuth, TAOCP vol. 3, 6.4, Algorithm L) and deletion by backward shift, no tombstones
// (Knuth 6.4, Algorithm R). See docs/conn-tables.md.
//
// A slot is 8 bytes: 32 bits of the key's hash and the connection's slot. The key itself
// is not stored: it is read back from the connection the slot names (every key the
// table maps is that of a live connection whose address fields do not change while it is
// in the table), and only for a slot whose 32 hash bits match, so a miss rarely leaves
// the index and a hit costs one probe run plus the connection it returns anyway. Storing
// a short hash beside the value to skip most key comparisons is the "tag" of Google's
// SwissTable (Kulukundis, CppCon 2017) and of Facebook's F14, here 32 bits wide.
//
// The array is a power of two, at most half full (an unsuccessful search probes about
// 2.5 slots on average at load 1/2, Knuth 6.4 (44)), grown by doubling: nothing is
// allocated per insert once it has reached the peak. Nothing iterates over it: the order
// of its slots never decides behaviour.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lvs {

class ConnIndex {
 public:
  /// The value find() returns when the key is absent; it cannot be stored.
  static constexpr std::uint32_t kAbsent = ~std::uint32_t{0};

  /// The value stored under the key hashing to `hash` for which is_key(value) holds, or kAbsent.
  template <class IsKey>
  std::uint32_t find(std::uint64_t hash, IsKey&& is_key) const {
    if (size_ == 0) return kAbsent;
    return slots_[locate(hash, is_key)].value;
  }
  /// Stores `value` (not kAbsent) under a key hashing to `hash` that is absent.
  void insert(std::uint64_t hash, std::uint32_t value);
  /// Removes the key hashing to `hash` for which is_key(value) holds; false if absent.
  template <class IsKey>
  bool erase(std::uint64_t hash, IsKey&& is_key) {
    if (size_ == 0) return false;
    const std::size_t at = locate(hash, is_key);
    if (slots_[at].value == kAbsent) return false;
    erase_at(at);
    return true;
  }

  /// Starts loading the slot where a search for `hash` begins.
  void prefetch(std::uint64_t hash) const {
    if (size_ != 0) __builtin_prefetch(&slots_[tag_of(hash) & mask_]);
  }
  /// Keys stored.
  std::size_t size() const { return size_; }
  /// Slots allocated (a power of two, or 0).
  std::size_t capacity() const { return slots_.size(); }

 private:
  struct Slot {
    std::uint32_t tag = 0;         // the low 32 bits of the key's hash; its home is tag & mask_
    std::uint32_t value = kAbsent; // kAbsent: the slot is empty
  };
  static std::uint32_t tag_of(std::uint64_t hash) { return static_cast<std::uint32_t>(hash); }

  /// The slot holding the key, or the empty slot that ends its probe run.
  template <class IsKey>
  std::size_t locate(std::uint64_t hash, IsKey& is_key) const {
    const std::uint32_t tag = tag_of(hash);
    std::size_t i = tag & mask_;
    while (slots_[i].value != kAbsent && !(slots_[i].tag == tag && is_key(slots_[i].value))) i = (i + 1) & mask_;
    return i;
  }
  void erase_at(std::size_t hole);
  void grow();

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace lvs
