// The classic hold model (Jones 1986): K pending events; each executed event schedules one
// new event at now + Exp(mean 1 us). Reports executed events per second.
// BM_EventQueueTimers adds what a cluster run has besides: many far timers, restarted often.

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "core/distribution.hpp"
#include "core/simulation.hpp"

namespace {

using lvs::Time;

constexpr std::int64_t kBatch = 100'000;  // events per benchmark iteration

/// An Exp(mean 1 us) delay in whole nanoseconds, drawn the way a model draws it.
std::int64_t exp_1us(lvs::Rng& rng) {
  static const lvs::Distribution delay_ns = lvs::Distribution::exponential(1000.0);
  return static_cast<std::int64_t>(delay_ns.sample(rng));
}

struct Hold {
  lvs::Simulation* sim;
  lvs::Rng* rng;
  std::int64_t left = 0;

  Time draw() { return Time::ns(exp_1us(*rng)); }
  void fire() {
    sim->schedule_in(draw(), [this] { fire(); });
    if (--left == 0) sim->stop();
  }
};

void BM_EventQueueHold(benchmark::State& state) {
  const auto k = static_cast<std::size_t>(state.range(0));
  lvs::Simulation sim(1);
  Hold hold{&sim, &sim.rng("hold")};
  sim.reserve_events(k + 1);
  for (std::size_t i = 0; i < k; ++i) sim.schedule_at(hold.draw(), [&hold] { hold.fire(); });
  for (auto _ : state) {
    hold.left = kBatch;
    sim.run();
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["pending"] = static_cast<double>(sim.events_pending());
}
BENCHMARK(BM_EventQueueHold)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);

// The shape of a cluster run (dr-basic holds about 200 000 connection timers and a few
// thousand near events): the hold model at K = 1000 near events, plus N far timers (an IPVS
// connection's 60 s..120 s expiry); every executed event restarts one timer picked at
// random (cancel, then push 60 s..120 s later), as a packet of that connection would.
struct HoldWithTimers {
  lvs::Simulation* sim;
  lvs::Rng* rng;
  std::vector<lvs::Timer> timers;
  std::int64_t left = 0;

  Time far() { return Time::ns(60'000'000'000 + static_cast<std::int64_t>(rng->below(60'000'000'000))); }
  void fire() {
    sim->schedule_in(Time::ns(exp_1us(*rng)), [this] { fire(); });
    timers[rng->below(timers.size())].restart(*sim, far(), [] {});
    if (--left == 0) sim->stop();
  }
};

void BM_EventQueueTimers(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  lvs::Simulation sim(1);
  HoldWithTimers hold{&sim, &sim.rng("hold"), std::vector<lvs::Timer>(n)};
  sim.reserve_events(n + 1001);
  for (lvs::Timer& timer : hold.timers) timer.restart(sim, hold.far(), [] {});
  for (int i = 0; i < 1000; ++i) sim.schedule_at(Time::ns(exp_1us(*hold.rng)), [&hold] { hold.fire(); });
  for (auto _ : state) {
    hold.left = kBatch;
    sim.run();
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["pending"] = static_cast<double>(sim.events_pending());
}
BENCHMARK(BM_EventQueueTimers)->Arg(200000)->Unit(benchmark::kMillisecond);

// Baseline for the same hold model: a bare std::priority_queue of times, no callables,
// no cancellation, no FIFO tie-break. What the engine is measured against.
void BM_BarePriorityQueueHold(benchmark::State& state) {
  const auto k = static_cast<std::size_t>(state.range(0));
  lvs::Rng rng(1, "hold");
  std::priority_queue<std::int64_t, std::vector<std::int64_t>, std::greater<>> q;
  for (std::size_t i = 0; i < k; ++i) q.push(exp_1us(rng));
  for (auto _ : state) {
    for (std::int64_t i = 0; i < kBatch; ++i) {
      const std::int64_t now = q.top();
      q.pop();
      q.push(now + exp_1us(rng));
    }
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_BarePriorityQueueHold)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
