#pragma once
// The Maglev lookup table of the mh scheduler (ipvs-semantics.md §2.12;
// net/netfilter/ipvs/ip_vs_mh.c; Eisenbud et al., "Maglev", NSDI 2016), exposed read-only
// so tests can count slots per destination and benchmarks can time a build.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "schedulers/hash.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

/// M = 4093 slots, each naming one destination by its list index, filled per §2.12.
class MaglevTable {
 public:
  /// Table size M: primes[CONFIG_IP_VS_MH_TAB_INDEX (12) - 8].
  static constexpr std::uint32_t size = 4093;
  /// A slot that names no destination.
  static constexpr std::uint32_t empty = UINT32_MAX;
  /// generate_hash_secret: hash1 (slot lookup, permutation offset), both words 2654435761.
  static constexpr SipKey hash1{2654435761u, 2654435761u};
  /// hash2 (permutation skip), both words 2654446892.
  static constexpr SipKey hash2{2654446892u, 2654446892u};

  /// An all-empty table.
  MaglevTable();

  /// ip_vs_mh_hashkey: hsiphash of the u32 offset + port + host-order folded address.
  static std::uint32_t hash_key(const InetAddr& addr, std::uint16_t port, const SipKey& key, std::uint32_t offset);

  /// Rebuilds from scratch from the list's last_weight values (permutate + populate).
  /// More than `size` destinations (which the kernel refuses with -EINVAL) or no
  /// positive last_weight leaves every slot empty.
  void build(DestList dests);

  /// The list index in slot `slot` (< size), or `empty`.
  std::uint32_t at(std::uint32_t slot) const { return slots_[slot]; }
  /// How many slots name list index `index`.
  std::size_t count(std::size_t index) const;
  /// The right shift applied to last_weight / gcd at the last build (ip_vs_mh_shift_weight).
  int rshift() const { return rshift_; }

 private:
  /// Per destination, in list order: struct ip_vs_mh_dest_setup.
  struct Setup {
    std::uint32_t perm = 0;
    std::uint32_t skip = 1;
    std::int32_t turns = 0;
  };
  void populate();

  std::vector<std::uint32_t> slots_;
  std::vector<Setup> setup_;
  int rshift_ = 0;
};

}  // namespace lvs
