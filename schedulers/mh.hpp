#pragma once
// The Maglev lookup table of the mh scheduler (ipvs-semantics.md §2.12;
// net/netfilter/ipvs/ip_vs_mh.c; Eisenbud et al., "Maglev", NSDI 2016), exposed read-only
// so tests can count slots per destination and benchmarks can time a build. The population
// loop also takes given (offset, skip) pairs, so the paper's own example (§3.4, Table 1)
// runs through the same code as the kernel-exact scheduler (docs/hash-disruption.md).

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "schedulers/hash.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

/// The table sizes a kernel can be built with: ip_vs_mh.c's primes[], indexed by
/// CONFIG_IP_VS_MH_TAB_INDEX - 8 (Kconfig range 8..17).
inline constexpr std::array<std::uint32_t, 10> maglev_kernel_sizes{251,  509,   1021,  2039,  4093,
                                                                   8191, 16381, 32749, 65521, 131071};

/// Whether `m` is one of maglev_kernel_sizes.
bool is_maglev_kernel_size(std::uint32_t m);

/// One destination's preference list and turns per pass (struct ip_vs_mh_dest_setup):
/// slot offset, offset + skip, offset + 2 skip, ... (mod M).
struct MaglevPermutation {
  /// The next slot to try; starts at the offset (0..M-1).
  std::uint32_t perm = 0;
  /// The step, 1..M-1.
  std::uint32_t skip = 1;
  /// Slots taken in a row per pass; 0 = none at all (added with weight 0).
  std::int32_t turns = 1;
};

/// M slots (4093 unless built otherwise), each naming one destination by its list index,
/// filled per §2.12.
class MaglevTable {
 public:
  /// The kernel's default M: primes[CONFIG_IP_VS_MH_TAB_INDEX (12) - 8].
  static constexpr std::uint32_t default_size = 4093;
  /// A slot that names no destination.
  static constexpr std::uint32_t empty = UINT32_MAX;
  /// generate_hash_secret: hash1 (slot lookup, permutation offset), both words 2654435761.
  static constexpr SipKey hash1{2654435761u, 2654435761u};
  /// hash2 (permutation skip), both words 2654446892.
  static constexpr SipKey hash2{2654446892u, 2654446892u};

  /// An all-empty table of `m` slots (m >= 2; the kernel uses maglev_kernel_sizes only).
  explicit MaglevTable(std::uint32_t m = default_size);

  /// The table size M.
  std::uint32_t size() const { return static_cast<std::uint32_t>(slots_.size()); }

  /// ip_vs_mh_hashkey: hsiphash of the u32 offset + port + host-order folded address.
  static std::uint32_t hash_key(const InetAddr& addr, std::uint16_t port, const SipKey& key, std::uint32_t offset);

  /// Rebuilds from scratch from the list's last_weight values (permutate + populate).
  /// More than `size` destinations (which the kernel refuses with -EINVAL) or no
  /// positive last_weight leaves every slot empty.
  void build(DestList dests);

  /// Fills the table from given permutations, entry i naming setup[i] (Pseudocode 1 of
  /// the paper with turns); every perm must be < M and every skip in 1..M-1.
  void build_from(std::span<const MaglevPermutation> setup);

  /// The list index in slot `slot` (< size()), or `empty`.
  std::uint32_t at(std::uint32_t slot) const { return slots_[slot]; }
  /// How many slots name list index `index`.
  std::size_t count(std::size_t index) const;
  /// The right shift applied to last_weight / gcd at the last build (ip_vs_mh_shift_weight).
  int rshift() const { return rshift_; }

 private:
  void populate();

  std::vector<std::uint32_t> slots_;
  std::vector<MaglevPermutation> setup_;  // per destination, in list order
  int rshift_ = 0;
};

/// A fresh mh scheduler whose table has `m` slots, as a kernel built with another
/// CONFIG_IP_VS_MH_TAB_INDEX; `make_scheduler("mh")` gives the default 4093.
std::unique_ptr<Scheduler> make_maglev_scheduler(std::uint32_t m);

}  // namespace lvs
