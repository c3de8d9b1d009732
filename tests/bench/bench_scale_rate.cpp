// Issue 17, the per-hop hot path (docs/hot-path.md).
// BM_DR1M: scenarios/dr-basic.yaml run as `lvslab run scenarios/dr-basic.yaml --until 336s`
// does it (the whole lvs::run::run_scenario path: build, run, sample, collect), about 1 M
// requests at its ~2 980 requests/s; reports the requests completed after the warm-up and the
// wall seconds. Target: under 10 s on one core.
// BM_ScaleRate/R: the DR cluster of BM_ScenarioDR (10 clients, 10 real servers) offered R
// requests/s in all, timed over the next 200 000 requests' worth of simulated time after an
// untimed 0.5 s; reports wall nanoseconds per packet-hop (one link traversal). Target: within
// 1.3x from R = 1 000 to R = 100 000. cpu_ns_per_hop is the same in this thread's CPU time.

#include <benchmark/benchmark.h>

#include <time.h>

#include <chrono>
#include <string>

#include "../support/dr_scenario.hpp"
#include "run/builder.hpp"
#include "run/run.hpp"
#include "scenario/scenario_spec.hpp"

namespace {

using lvs::Time;

void BM_DR1M(benchmark::State& state) {
  const auto spec = lvs::scenario::read_scenario(std::string(LVSLAB_SOURCE_DIR) + "/scenarios/dr-basic.yaml");
  lvs::run::RunOptions options;
  options.until = Time::s(336);
  for (auto _ : state) {
    const lvs::run::RunResult r = lvs::run::run_scenario(spec, options);
    state.counters["requests_completed"] = static_cast<double>(r.requests.completed);
    state.counters["packet_hops"] = static_cast<double>(r.packet_hops);
    state.counters["events"] = static_cast<double>(r.events);
  }
}
BENCHMARK(BM_DR1M)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

constexpr double kTimedRequests = 200'000;

// This thread's CPU seconds: on a shared machine the wall time counts other processes' turns.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void BM_ScaleRate(benchmark::State& state) {
  const auto rate = static_cast<double>(state.range(0));
  // Each client host offers rate/10; 256 workers per server keep the servers far from
  // saturation at 100 000 requests/s (10 000 per server x 2 ms = 20 busy on average).
  const lvs::test::DrScenarioShape shape{
      10, 10, "      arrivals: {rate: " + std::to_string(static_cast<int>(rate / 10)) + "}\n      timeout: 5s\n",
      "    workers: 256\n    service_time: {distribution: exponential, mean: 2ms}\n    response_size: 8KB\n",
      "1000s"};
  const auto spec = lvs::scenario::read_scenario_text(lvs::test::dr_scenario_yaml(shape), "dr-scale-rate.yaml");
  const Time from = Time::ms(500);
  const Time to = from + Time::from_seconds(kTimedRequests / rate);
  double seconds = 0, cpu_seconds = 0;
  std::uint64_t hops = 0;
  for (auto _ : state) {
    auto model = lvs::run::build_model(spec, 1);
    model->sim.run_until(from);
    const std::uint64_t hops0 = model->net.hops();
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = thread_cpu_seconds();
    model->sim.run_until(to);
    cpu_seconds += thread_cpu_seconds() - cpu0;
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - t0;
    state.SetIterationTime(wall.count());
    seconds += wall.count();
    hops += model->net.hops() - hops0;
  }
  state.counters["ns_per_hop"] = hops == 0 ? 0.0 : seconds * 1e9 / static_cast<double>(hops);
  state.counters["cpu_ns_per_hop"] = hops == 0 ? 0.0 : cpu_seconds * 1e9 / static_cast<double>(hops);
  state.counters["packet_hops"] = static_cast<double>(hops) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_ScaleRate)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond)->UseManualTime();

}  // namespace
