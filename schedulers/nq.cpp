// nq: never queue (ipvs-semantics.md §2.6; net/netfilter/ipvs/ip_vs_nq.c).
//
// ip_vs_nq_schedule walks the entries that are not overloaded and have weight > 0 and returns
// the first with no active connection; failing that, the one of least (activeconns + 1) /
// weight, ties to the earliest in list order (sed's choice). Both are one argmin when an idle
// entry's load is 0: 0 / w ties every other idle entry, so the earliest idle one wins, and
// beats any busy entry, whose load is >= 2. That argmin comes from a LoadIndex: O(log N) per
// count change, O(1) per pick.

#include <cstdint>
#include <memory>

#include "schedulers/load_index.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

namespace {

// 0 when idle, else sed's activeconns + 1, over the weight.
LoadKey nq_key(const SchedDest& d) {
  return {d.activeconns == 0 ? 0 : std::int64_t{d.activeconns} + 1, d.weight};
}

const SchedulerRegistrar nq_registrar{
    "nq", "never queue",
    []() -> std::unique_ptr<Scheduler> { return std::make_unique<IndexedLeastLoad>("nq", &nq_key); }};

}  // namespace

}  // namespace lvs
