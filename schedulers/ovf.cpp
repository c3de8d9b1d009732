// ovf: weighted overflow (ipvs-semantics.md §2.8; net/netfilter/ipvs/ip_vs_ovf.c).
//
// ip_vs_ovf_schedule walks the list, skipping an entry that is overloaded, has weight 0, or has
// more active connections than its weight, and keeps the highest weight among the rest, ties
// to the earliest in list order. So an entry takes connections while activeconns <= weight
// (weight + 1 of them from idle), then overflows to the next heaviest. Inactive connections
// are ignored. An O(N) walk per pick, as in the kernel.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "schedulers/registry.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

namespace {

class WeightedOverflow final : public Scheduler {
 public:
  std::string_view name() const override { return "ovf"; }

  // ip_vs_ovf_schedule.
  std::optional<std::size_t> schedule(const SchedContext& ctx, Rng& /*rng*/) override {
    std::optional<std::size_t> best;
    std::int32_t hw = 0;
    for (std::size_t i = 0; i < ctx.dests.size(); ++i) {
      const SchedDest& d = ctx.dests[i];
      if (d.overloaded || d.weight == 0 || d.activeconns > d.weight) continue;
      if (!best || d.weight > hw) {
        best = i;
        hw = d.weight;
      }
    }
    return best;
  }
};

const SchedulerRegistrar ovf_registrar{
    "ovf", "weighted overflow",
    []() -> std::unique_ptr<Scheduler> { return std::make_unique<WeightedOverflow>(); }};

}  // namespace

}  // namespace lvs
