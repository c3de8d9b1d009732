// lc: least connection (ipvs-semantics.md §2.3; net/netfilter/ipvs/ip_vs_lc.c).
//
// ip_vs_lc_schedule walks the list, skips overloaded and weight-0 entries, and keeps the first
// one with the strictly smallest ip_vs_dest_conn_overhead (activeconns * 256 + inactconns):
// ties go to the earliest in list order, and the size of the weight is ignored. Here the same
// argmin comes from a LoadIndex keyed by the overhead over a weight of 1, in O(log N) per
// count change and O(1) per pick (load_index.hpp explains why the answers are the same).

#include <memory>

#include "schedulers/load_index.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

namespace {

// The overhead alone: every eligible weight counts as 1.
LoadKey lc_key(const SchedDest& d) { return {conn_overhead(d), 1}; }

const SchedulerRegistrar lc_registrar{
    "lc", "least connection",
    []() -> std::unique_ptr<Scheduler> { return std::make_unique<IndexedLeastLoad>("lc", &lc_key); }};

}  // namespace

}  // namespace lvs
