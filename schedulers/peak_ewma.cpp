// peak-ewma: latency-aware power of two choices, as Finagle's PeakEwma balancer (Twitter,
// 2016, finagle-core loadbalancer/PeakEwma.scala) and Linkerd's proxy balancer use it.
//
// Per destination a peak EWMA of request latency (latency_ewma.hpp: a sample above the
// average replaces it, otherwise avg = avg * w + sample * (1 - w), w = exp(-dt / 10 s), dt
// since the previous sample), fed by on_request_done. Two distinct eligible destinations
// (weight > 0, not overloaded) are drawn uniformly (eligible_index.hpp); the lower cost wins,
// ties to the first draw. cost = avg * (outstanding + 1), outstanding = activeconns.
// No sample yet: cost 0 while it has nothing outstanding, so a new destination is probed at
// once and gets a sample; Penalty + outstanding (Penalty = 2^47 ns, about 39 h, Finagle's
// Long.MaxValue >> 16) while its first requests are in flight, so a cold or black-holed
// server is not piled on before it has answered once. This is Finagle's rule; Linkerd
// instead seeds a default RTT. Weight counts only through > 0, as in Finagle. Unlike
// Finagle, the average is not decayed towards 0 when read (its observe(0.0) in get()):
// a pick changes no state, and a slow server is re-tried when the other draw is busier.

#include <cstddef>
#include <memory>
#include <optional>

#include "schedulers/latency_ewma.hpp"
#include "schedulers/eligible_index.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

namespace {

/// The cost of a destination with no latency sample and requests outstanding, ns.
constexpr double unsampled_penalty_ns = 140737488355328.0;  // 2^47

class PeakEwmaBalancer final : public EligibleIndexScheduler {
 public:
  PeakEwmaBalancer() : EligibleIndexScheduler(EligibleIndex::Value::One) {}
  std::string_view name() const override { return "peak-ewma"; }

  void init_service(DestList dests) override {
    latency_.init(dests);
    EligibleIndexScheduler::init_service(dests);
  }
  void add_dest(DestList dests, std::size_t index) override {
    latency_.add(dests, index);
    EligibleIndexScheduler::add_dest(dests, index);
  }
  void del_dest(DestList dests, std::size_t index, const SchedDest& removed) override {
    latency_.del(dests, index);
    EligibleIndexScheduler::del_dest(dests, index, removed);
  }
  void on_request_done(DestId dest, Time latency, Time now) override {
    if (LatencyEwma* e = latency_.find(dest)) e->add_peak(latency, now);
  }

  std::optional<std::size_t> schedule(const SchedContext& ctx, Rng& rng) override {
    const auto pair = draw_two_eligible(eligible_, rng);
    if (!pair) return std::nullopt;
    const double cost_a = cost(ctx.dests, pair->first);
    const double cost_b = cost(ctx.dests, pair->second);
    return cost_b < cost_a ? pair->second : pair->first;
  }

 private:
  // Finagle's Metric.get(), without the decay on read.
  double cost(DestList dests, std::size_t index) const {
    const LatencyEwma& e = latency_[index];
    const auto outstanding = static_cast<double>(dests[index].activeconns);
    if (!e.has_sample()) return outstanding == 0 ? 0.0 : unsampled_penalty_ns + outstanding;
    return e.average_ns() * (outstanding + 1);
  }

  PerDest<LatencyEwma> latency_;
};

const SchedulerRegistrar peak_ewma_registrar{
    "peak-ewma", "two choices on peak-EWMA latency x (active + 1), as Finagle/Linkerd",
    []() -> std::unique_ptr<Scheduler> { return std::make_unique<PeakEwmaBalancer>(); }};

}  // namespace

}  // namespace lvs
