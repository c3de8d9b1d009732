// wlc: weighted least connection (ipvs-semantics.md §2.4; net/netfilter/ipvs/ip_vs_wlc.c).
//
// ip_vs_wlc_schedule seeds `least` with the first entry that is not overloaded and has
// weight > 0, then lets a later non-overloaded entry d replace it when
// overhead(least) * w(d) > overhead(d) * w(least), in 64 bits. That is the argmin of
// overhead / weight over the eligible entries, ties to the earliest in list order (a later
// weight-0 entry can never win). The same argmin comes from a LoadIndex keyed by
// (ip_vs_dest_conn_overhead, weight): O(log N) per count change, O(1) per pick. The kernel's
// walk itself is wlc_scan (least_conn.hpp), the reference the tests compare against.
// This is ipvsadm's default scheduler.

#include <memory>

#include "schedulers/load_index.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

namespace {

// ip_vs_dest_conn_overhead over the weight.
LoadKey wlc_key(const SchedDest& d) { return {conn_overhead(d), d.weight}; }

const SchedulerRegistrar wlc_registrar{
    "wlc", "weighted least connection",
    []() -> std::unique_ptr<Scheduler> { return std::make_unique<IndexedLeastLoad>("wlc", &wlc_key); }};

}  // namespace

}  // namespace lvs
