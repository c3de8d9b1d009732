// twos: weighted random twos choice (ipvs-semantics.md §2.9; net/netfilter/ipvs/ip_vs_twos.c).
//
// ip_vs_twos_schedule sums the weights T of the entries that are not overloaded and have
// weight > 0 (none: NULL), draws r1 and r2 uniformly in [0, T] (get_random_u32_below(T + 1),
// r1 first), then walks those entries in list order subtracting each weight from both; choice k
// is the first entry where rk <= 0. The first eligible entry owns r = 0 as well as 1..w, a small
// bias kept on purpose. Of the two, choice 2 wins only when its overhead / weight is strictly
// smaller: w2 * overhead1 > w1 * overhead2, in 64 bits. Two O(N) walks, as in the kernel.

#include "schedulers/twos.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "schedulers/registry.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

std::uint64_t twos_total_weight(DestList dests) {
  std::uint64_t total = 0;
  for (const SchedDest& d : dests)
    if (is_eligible(d)) total += static_cast<std::uint64_t>(d.weight);
  return total;
}

std::optional<std::size_t> twos_choose(DestList dests, std::uint64_t r1, std::uint64_t r2) {
  std::optional<std::size_t> choice1;
  std::optional<std::size_t> choice2;
  std::optional<std::size_t> last;
  auto left1 = static_cast<std::int64_t>(r1);
  auto left2 = static_cast<std::int64_t>(r2);
  for (std::size_t i = 0; i < dests.size() && !(choice1 && choice2); ++i) {
    if (!is_eligible(dests[i])) continue;
    last = i;
    left1 -= dests[i].weight;
    left2 -= dests[i].weight;
    if (!choice1 && left1 <= 0) choice1 = i;
    if (!choice2 && left2 <= 0) choice2 = i;
  }
  if (!last) return std::nullopt;
  // A draw above T (only a test can pass one) acts as T: the last eligible entry.
  if (!choice1) choice1 = last;
  if (!choice2) choice2 = last;
  const SchedDest& d1 = dests[*choice1];
  const SchedDest& d2 = dests[*choice2];
  return std::int64_t{d2.weight} * conn_overhead(d1) > std::int64_t{d1.weight} * conn_overhead(d2) ? choice2 : choice1;
}

namespace {

class TwosChoice final : public Scheduler {
 public:
  std::string_view name() const override { return "twos"; }

  // ip_vs_twos_schedule: no draw at all when nothing is eligible.
  std::optional<std::size_t> schedule(const SchedContext& ctx, Rng& rng) override {
    const std::uint64_t total = twos_total_weight(ctx.dests);
    if (total == 0) return std::nullopt;
    const std::uint64_t r1 = rng.below(total + 1);
    const std::uint64_t r2 = rng.below(total + 1);
    return twos_choose(ctx.dests, r1, r2);
  }
};

const SchedulerRegistrar twos_registrar{
    "twos", "weighted random twos choice",
    []() -> std::unique_ptr<Scheduler> { return std::make_unique<TwosChoice>(); }};

}  // namespace

}  // namespace lvs
