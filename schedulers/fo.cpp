// fo: weighted fail-over (ipvs-semantics.md §2.7; net/netfilter/ipvs/ip_vs_fo.c).
//
// ip_vs_fo_schedule walks the list and keeps the entry that is not overloaded and has the
// highest weight, compared with a strict `>` against a starting weight of 0: weight 0 is never
// picked and ties go to the earliest in list order. Connection counts are not looked at. An
// O(N) walk per pick, as in the kernel; fo services have a handful of destinations.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "schedulers/registry.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

namespace {

class WeightedFailOver final : public Scheduler {
 public:
  std::string_view name() const override { return "fo"; }

  // ip_vs_fo_schedule.
  std::optional<std::size_t> schedule(const SchedContext& ctx, Rng& /*rng*/) override {
    std::optional<std::size_t> best;
    std::int32_t hw = 0;
    for (std::size_t i = 0; i < ctx.dests.size(); ++i) {
      const SchedDest& d = ctx.dests[i];
      if (!d.overloaded && d.weight > hw) {
        best = i;
        hw = d.weight;
      }
    }
    return best;
  }
};

const SchedulerRegistrar fo_registrar{
    "fo", "weighted fail-over",
    []() -> std::unique_ptr<Scheduler> { return std::make_unique<WeightedFailOver>(); }};

}  // namespace

}  // namespace lvs
