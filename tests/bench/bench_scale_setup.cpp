// Issue 17, set-up and sampling linear in the number of real servers (docs/server-groups.md,
// "Scale"). The cluster is tests/support/big_scenario.hpp's: one NAT director and one wlc
// service whose N real servers are one group.
// BM_ScaleSetup/N: read + validate + build_model, as `lvslab run` does before the first
// event; reports the time per set-up and per server (time_per_server), and the heap bytes
// in use per server with the spec and the model alive (heap_per_server, mallinfo2).
// BM_ScaleSample/N: one time-series sample (run/sampler.hpp) of the built cluster.

#include <benchmark/benchmark.h>
#include <malloc.h>

#include "../support/big_scenario.hpp"
#include "run/builder.hpp"
#include "run/sampler.hpp"
#include "scenario/scenario_spec.hpp"

namespace {

void BM_ScaleSetup(benchmark::State& state) {
  const int servers = static_cast<int>(state.range(0));
  const std::string text = lvs::test::big_group_scenario_yaml(servers);
  double heap = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::size_t before = mallinfo2().uordblks;
    state.ResumeTiming();
    const auto spec = lvs::scenario::read_scenario_text(text, "group.yaml");
    const auto findings = lvs::scenario::validate(spec);
    benchmark::DoNotOptimize(findings.data());
    auto model = lvs::run::build_model(spec, 1);
    benchmark::DoNotOptimize(model.get());
    state.PauseTiming();  // the heap measure and the teardown are not set-up
    heap = static_cast<double>(mallinfo2().uordblks - before);
    model.reset();
    state.ResumeTiming();
  }
  // Heap in use with the spec and the built model alive, per server.
  state.counters["heap_per_server"] = heap / static_cast<double>(servers);
  state.counters["time_per_server"] = benchmark::Counter(static_cast<double>(servers),
                                                       benchmark::Counter::kIsIterationInvariantRate |
                                                           benchmark::Counter::kInvert);
}
BENCHMARK(BM_ScaleSetup)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ScaleSample(benchmark::State& state) {
  const int servers = static_cast<int>(state.range(0));
  const auto spec = lvs::scenario::read_scenario_text(lvs::test::big_group_scenario_yaml(servers), "group.yaml");
  auto model = lvs::run::build_model(spec, 1);
  model->sim.run_until(lvs::Time::ms(100));  // a few connections bound
  lvs::run::Sampler sampler(*model, lvs::Time::ms(100), {});
  lvs::Time now = lvs::Time::ms(100);
  for (auto _ : state) {
    now += lvs::Time::ms(100);
    const lvs::run::Sample s = sampler.take(now);
    benchmark::DoNotOptimize(s.server_activeconns.data());
  }
  state.counters["servers"] = static_cast<double>(servers);
}
BENCHMARK(BM_ScaleSample)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
