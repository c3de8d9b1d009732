// sed: shortest expected delay (ipvs-semantics.md §2.5; net/netfilter/ipvs/ip_vs_sed.c).
//
// ip_vs_sed_schedule is wlc's two-stage walk with ip_vs_sed_dest_overhead = activeconns + 1
// as the load (inactive connections are ignored): the argmin of (activeconns + 1) / weight over
// the entries that are not overloaded and have weight > 0, ties to the earliest in list order.
// The "+ 1" makes an idle heavy server beat an idle light one, unlike wlc. The argmin comes from
// a LoadIndex: O(log N) per count change, O(1) per pick.

#include <cstdint>
#include <memory>

#include "schedulers/load_index.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

namespace {

// ip_vs_sed_dest_overhead over the weight.
LoadKey sed_key(const SchedDest& d) { return {std::int64_t{d.activeconns} + 1, d.weight}; }

const SchedulerRegistrar sed_registrar{
    "sed", "shortest expected delay",
    []() -> std::unique_ptr<Scheduler> { return std::make_unique<IndexedLeastLoad>("sed", &sed_key); }};

}  // namespace

}  // namespace lvs
