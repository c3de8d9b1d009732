// random: weighted random choice, the baseline every load-aware policy is measured against
// (Envoy's RANDOM load balancer; the d = 1 case of Mitzenmacher's supermarket model, 2001).
//
// Among the eligible destinations (weight > 0, not overloaded) one is drawn with
// probability weight / (sum of eligible weights), uniformly when the weights are equal:
// one rng.below(total) draw r, and the pick is the entry at which a walk in list order
// subtracting weights from r goes below 0 (found in O(log N) by eligible_index.hpp).
// Counts and latency are ignored. None when nothing is eligible.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "schedulers/eligible_index.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

namespace {

class WeightedRandom final : public EligibleIndexScheduler {
 public:
  WeightedRandom() : EligibleIndexScheduler(EligibleIndex::Value::Weight) {}
  std::string_view name() const override { return "random"; }
  // add_dest is the index's rebuild, a function of the list alone: one rebuild.
  void add_dests(DestList dests, std::size_t /*count*/) override { eligible_.rebuild(dests); }

  std::optional<std::size_t> schedule(const SchedContext& /*ctx*/, Rng& rng) override {
    const std::uint64_t total = eligible_.total();
    if (total == 0) return std::nullopt;
    return eligible_.find(rng.below(total));
  }
};

const SchedulerRegistrar random_registrar{
    "random", "weighted random (P proportional to weight)",
    []() -> std::unique_ptr<Scheduler> { return std::make_unique<WeightedRandom>(); }};

}  // namespace

}  // namespace lvs
