#pragma once
// A learning switch's MAC address table: which port each source MAC was last seen on.
//
// The switch learns on every frame and looks up on every unicast frame, so this is on the
// per-hop path (docs/hot-path.md, "Switched segments"). It is a flat open-addressed table
// with linear probing: a lookup is a multiplication, a shift and, on a segment of a few
// hosts, one cache line; no division by a prime bucket count and no chain of nodes as in
// std::unordered_map.
//
// Behaviour is the one of the map it replaces: learn() overwrites the port of a known MAC,
// entries never age out nor get removed (the switch model has no ageing), and port() of a
// MAC never learned is kUnknown. Iteration order does not exist: nothing may depend on it.

#include <cstdint>
#include <utility>
#include <vector>

namespace lvs {

class MacTable {
 public:
  static constexpr int kUnknown = -1;

  MacTable() { rehash(kInitialSlots); }

  /// Records that `mac` (48 bits) was seen on `port` (>= 0).
  void learn(std::uint64_t mac, int port) {
    std::size_t i = home(mac);
    while (slots_[i].mac != mac) {
      if (slots_[i].mac == kEmpty) [[unlikely]] {
        insert_new(mac, port);
        return;
      }
      i = (i + 1) & mask_;
    }
    slots_[i].port = port;
  }

  /// The port `mac` was last learned on, or kUnknown.
  int port(std::uint64_t mac) const {
    std::size_t i = home(mac);
    for (;;) {
      if (slots_[i].mac == mac) return slots_[i].port;
      if (slots_[i].mac == kEmpty) return kUnknown;
      i = (i + 1) & mask_;
    }
  }

  /// MACs learned so far.
  std::size_t size() const { return size_; }

 private:
  // A MAC is 48 bits: all-ones in 64 bits is never one.
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  static constexpr std::size_t kInitialSlots = 16;

  struct Slot {
    std::uint64_t mac = kEmpty;
    int port = kUnknown;
  };

  // Fibonacci hashing: consecutive MACs (MacAddress::local(n)) land far apart.
  std::size_t home(std::uint64_t mac) const {
    return static_cast<std::size_t>((mac * 0x9E37'79B9'7F4A'7C15ULL) >> shift_);
  }

  // Invariant: at most half the slots are used, so a probe always meets an empty slot.
  void insert_new(std::uint64_t mac, int port) {
    if (2 * (size_ + 1) > slots_.size()) rehash(2 * slots_.size());
    std::size_t i = home(mac);
    while (slots_[i].mac != kEmpty) i = (i + 1) & mask_;
    slots_[i] = Slot{mac, port};
    ++size_;
  }

  void rehash(std::size_t slots) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(slots, Slot{});
    mask_ = slots - 1;
    shift_ = 64;
    for (std::size_t n = slots; n > 1; n >>= 1) --shift_;
    for (const Slot& s : old) {
      if (s.mac == kEmpty) continue;
      std::size_t i = home(s.mac);
      while (slots_[i].mac != kEmpty) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  unsigned shift_ = 64;
  std::size_t size_ = 0;
};

}  // namespace lvs
