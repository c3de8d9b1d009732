// lrt: least response time, the deterministic latency-aware policy of commercial balancers
// (Citrix NetScaler's LRTM method, which weighs response time by active transactions;
// NGINX Plus `least_time`, 2014, which combines average response time with active
// connections). No single paper defines it; this is the common form.
//
// Every eligible destination (weight > 0, not overloaded) is scored
// avg_latency * (activeconns + 1) / weight, and the first with the smallest score in list
// order wins (scores compared by cross-multiplication, a strict < keeps ties on the earlier
// one). avg_latency is the plain time-decayed EWMA of latency_ewma.hpp (no peak rule:
// lrt wants the typical latency, peak-ewma the pessimistic one): the first sample sets it,
// then avg = avg * w + sample * (1 - w), w = exp(-dt / 10 s), dt since the previous sample.
// Warm-up: an eligible destination with no sample yet is picked first, the first such in
// list order, whatever its counts, so each gets measured. Inactive connections are ignored.

#include <cstddef>
#include <memory>
#include <optional>

#include "schedulers/latency_ewma.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

namespace {

class LeastResponseTime final : public Scheduler {
 public:
  std::string_view name() const override { return "lrt"; }

  void init_service(DestList dests) override { latency_.init(dests); }
  void add_dest(DestList dests, std::size_t index) override { latency_.add(dests, index); }
  void del_dest(DestList dests, std::size_t index, const SchedDest& /*removed*/) override {
    latency_.del(dests, index);
  }
  void on_request_done(DestId dest, Time latency, Time now) override {
    if (LatencyEwma* e = latency_.find(dest)) e->add(latency, now);
  }

  std::optional<std::size_t> schedule(const SchedContext& ctx, Rng& /*rng*/) override {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < ctx.dests.size(); ++i) {
      const SchedDest& d = ctx.dests[i];
      if (!is_eligible(d)) continue;
      if (!latency_[i].has_sample()) return i;  // warm-up
      if (!best || delay(d, i) * ctx.dests[*best].weight < delay(ctx.dests[*best], *best) * d.weight) best = i;
    }
    return best;
  }

 private:
  // avg_latency * (activeconns + 1), ns: the score before the division by weight.
  double delay(const SchedDest& d, std::size_t index) const {
    return latency_[index].average_ns() * (static_cast<double>(d.activeconns) + 1);
  }

  PerDest<LatencyEwma> latency_;
};

const SchedulerRegistrar lrt_registrar{
    "lrt", "least response time: EWMA latency x (active + 1) / weight",
    []() -> std::unique_ptr<Scheduler> { return std::make_unique<LeastResponseTime>(); }};

}  // namespace

}  // namespace lvs
