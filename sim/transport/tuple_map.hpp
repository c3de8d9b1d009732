#pragma once
// The socket demultiplexing table: (local address, local port, remote address, remote
// port) -> a 32-bit value, in one flat array with open addressing.
//
// Linear probing at a load factor of at most 1/2, backward-shift deletion (no
// tombstones), so a slot costs 16 bytes and nothing is allocated per insert once the
// array has grown to the peak. Nothing iterates over it: the order of slots never
// decides behaviour.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "net/address.hpp"

namespace lvs {

/// A connection's addresses and ports as seen from this host.
struct FourTuple {
  Ipv4Address laddr;
  Ipv4Address raddr;
  std::uint16_t lport = 0;
  std::uint16_t rport = 0;
  constexpr bool operator==(const FourTuple&) const = default;
};

class TupleMap {
 public:
  /// The value find() returns for an absent key; it cannot be stored.
  static constexpr std::uint32_t kAbsent = ~std::uint32_t{0};

  /// The value stored for `k`, or kAbsent.
  std::uint32_t find(const FourTuple& k) const;
  /// The value stored for `k` to update in place, or nullptr.
  std::uint32_t* get(const FourTuple& k);
  /// Stores `v` (not kAbsent) for `k`, which must be absent.
  void insert(const FourTuple& k, std::uint32_t v);
  /// Removes `k`; false if it was absent.
  bool erase(const FourTuple& k);

  std::size_t size() const { return size_; }
  /// Slots allocated (a power of two, or 0).
  std::size_t capacity() const { return slots_.size(); }

 private:
  struct Slot {
    FourTuple key;
    std::uint32_t value = kAbsent;  // kAbsent: the slot is empty
  };
  static std::uint64_t hash(const FourTuple& k);
  std::size_t home(const FourTuple& k) const { return static_cast<std::size_t>(hash(k)) & mask_; }
  /// The slot holding `k`, or the empty slot that ends its probe sequence.
  std::size_t locate(const FourTuple& k) const;
  void grow();

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace lvs
