// p2c: power of two choices on least outstanding requests (Mitzenmacher, "The power of two
// choices in randomized load balancing", IEEE TPDS 12(10), 2001; Envoy's LEAST_REQUEST
// with its default choice_count 2).
//
// Two distinct destinations are drawn uniformly among the eligible ones (weight > 0, not
// overloaded): rng.below(n), then rng.below(n - 1) shifted past the first
// (eligible_index.hpp, O(log N)). With a single
// eligible destination it is taken without a draw; with none, none. The one with fewer
// outstanding requests per unit of weight wins: outstanding = activeconns (the director's
// count of open active connections), compared by cross-multiplication in 64-bit integers,
// b wins when b.active * w_a < a.active * w_b; ties go to the first draw. Inactive
// connections and latency are ignored. Unlike kernel twos (§2.9) the draws are uniform,
// not weighted, and distinct; the weight enters only the comparison.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "schedulers/eligible_index.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

namespace {

class PowerOfTwoChoices final : public EligibleIndexScheduler {
 public:
  PowerOfTwoChoices() : EligibleIndexScheduler(EligibleIndex::Value::One) {}
  std::string_view name() const override { return "p2c"; }
  // add_dest is the index's rebuild, a function of the list alone: one rebuild.
  void add_dests(DestList dests, std::size_t /*count*/) override { eligible_.rebuild(dests); }

  std::optional<std::size_t> schedule(const SchedContext& ctx, Rng& rng) override {
    const auto pair = draw_two_eligible(eligible_, rng);
    if (!pair) return std::nullopt;
    const SchedDest& a = ctx.dests[pair->first];
    const SchedDest& b = ctx.dests[pair->second];
    const std::int64_t load_b = std::int64_t{b.activeconns} * a.weight;
    const std::int64_t load_a = std::int64_t{a.activeconns} * b.weight;
    return load_b < load_a ? pair->second : pair->first;
  }
};

const SchedulerRegistrar p2c_registrar{
    "p2c", "power of two choices, fewest active connections per weight",
    []() -> std::unique_ptr<Scheduler> { return std::make_unique<PowerOfTwoChoices>(); }};

}  // namespace

}  // namespace lvs
