#pragma once
// The kernel's weighted least-connection walk (ipvs-semantics.md §2.4; ip_vs_wlc_schedule),
// O(N) in list order. wlc itself answers from an O(log N) index; this walk is the reference
// the index is tested against, and the fallback lblc and lblcr call as the kernel does.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "schedulers/scheduler.hpp"

namespace lvs {

/// ip_vs_wlc_schedule: the first non-overloaded destination with weight > 0 seeds `least`;
/// a later non-overloaded one replaces it when overhead(least) * w(d) > overhead(d) * w(least)
/// (strict, in 64 bits, so ties stay with the earlier one and weight 0 never wins).
inline std::optional<std::size_t> wlc_scan(DestList dests) {
  std::size_t i = 0;
  while (i < dests.size() && !is_eligible(dests[i])) ++i;
  if (i == dests.size()) return std::nullopt;
  std::size_t least = i;
  std::int64_t loh = conn_overhead(dests[i]);
  for (++i; i < dests.size(); ++i) {
    const SchedDest& d = dests[i];
    if (d.overloaded) continue;
    const std::int64_t doh = conn_overhead(d);
    if (loh * d.weight > doh * dests[least].weight) {
      least = i;
      loh = doh;
    }
  }
  return least;
}

}  // namespace lvs
