// Whole-cluster benchmarks: the DR scenario with 10 client hosts and 10 real servers.
// BM_ScenarioDR reports packet-hops per wall-second (a frame crossing one link or switch
// port is one hop). BM_ScenarioMemory holds 100 000 connections open and reports the heap
// bytes in use per open connection (client socket and session, director connection
// entry, real-server socket and queued request, and their tables). BM_Validate reads and validates
// a NAT cluster of 20 000 real servers (tests/support/big_scenario.hpp); BM_ValidateGroup the
// same cluster declared as one server group. BM_ScenarioNFS runs
// keepalived-lvs-nfs.yaml (issue 15) in packet-hops per wall-second.

#include <benchmark/benchmark.h>
#include <malloc.h>

#include "../support/big_scenario.hpp"
#include "../support/dr_scenario.hpp"
#include "run/builder.hpp"
#include "scenario/scenario_spec.hpp"

namespace {

using lvs::Time;

// Builds `spec` afresh per iteration, runs it untimed to `from`, then times it to `to`;
// reports packet-hops and events per wall-second of the timed part.
void run_timed(benchmark::State& state, const lvs::scenario::ScenarioSpec& spec, Time from, Time to) {
  std::uint64_t hops = 0, events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto model = lvs::run::build_model(spec, 1);
    model->sim.run_until(from);
    const std::uint64_t hops0 = model->net.hops(), events0 = model->sim.events_executed();
    state.ResumeTiming();
    model->sim.run_until(to);
    hops += model->net.hops() - hops0;
    events += model->sim.events_executed() - events0;
    state.PauseTiming();
    model.reset();
    state.ResumeTiming();
  }
  state.counters["packet_hops/s"] = benchmark::Counter(static_cast<double>(hops), benchmark::Counter::kIsRate);
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}

void BM_ScenarioDR(benchmark::State& state) {
  const lvs::test::DrScenarioShape shape{10, 10, "      arrivals: {rate: 2000}\n      timeout: 5s\n",
                                         "    workers: 32\n    service_time: {distribution: exponential, mean: 2ms}\n"
                                         "    response_size: 8KB\n",
                                         "3s"};
  const auto spec = lvs::scenario::read_scenario_text(lvs::test::dr_scenario_yaml(shape), "dr-scale.yaml");
  run_timed(state, spec, Time::ms(500), Time::s(2));  // from 0.5 s: ARP resolved, connections in flight
}
BENCHMARK(BM_ScenarioDR)->Unit(benchmark::kMillisecond)->UseRealTime();

// The classic cluster with its NFS web root (scenarios/keepalived-lvs-nfs.yaml): about one
// request in ten misses the web servers' page cache; with close-to-open every request sends
// a GETATTR. Measured from 12 s (after the warm-up, caches warm) to 22 s.
void BM_ScenarioNFS(benchmark::State& state) {
  const auto spec = lvs::scenario::read_scenario(std::string(LVSLAB_SOURCE_DIR) + "/scenarios/keepalived-lvs-nfs.yaml");
  run_timed(state, spec, Time::s(12), Time::s(22));
}
BENCHMARK(BM_ScenarioNFS)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// Heap bytes in use: small blocks plus the ones glibc serves by mmap (128 KiB and over: most
// of a large table), which uordblks alone does not count.
std::size_t heap_in_use() {
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

void BM_ScenarioMemory(benchmark::State& state) {
  const auto users = static_cast<int>(state.range(0));
  // Closed-loop users that start over the first 2 s and whose requests take 1000 s: every
  // connection stays open.
  const lvs::test::DrScenarioShape shape{
      10, 10,
      "      users: " + std::to_string(users / 10) +
          "\n      think_time: {distribution: uniform, min: 0s, max: 2s}\n      timeout: 2000s\n",
      "    workers: 8\n    service_time: 1000s\n    response_size: 1KB\n", "3000s"};
  const auto spec = lvs::scenario::read_scenario_text(lvs::test::dr_scenario_yaml(shape), "dr-memory.yaml");
  for (auto _ : state) {
    auto model = lvs::run::build_model(spec, 1);
    model->sim.run_until(Time::ms(100));
    const std::size_t before = heap_in_use();
    model->sim.run_until(Time::s(4));
    const std::size_t after = heap_in_use();
    std::size_t open = 0;
    for (const lvs::Director* d : model->directors) open += d->connections().size();
    state.counters["open_connections"] = static_cast<double>(open);
    state.counters["bytes_per_connection"] =
        open == 0 ? 0.0 : static_cast<double>(after - before) / static_cast<double>(open);
  }
}
BENCHMARK(BM_ScenarioMemory)->Arg(100'000)->Iterations(1)->Unit(benchmark::kMillisecond);

// Reading and validating a NAT cluster of range(0) real servers behind one service (issue 13):
// the YAML parse, the typed reads and every check, as `lvslab validate` does them.
void BM_Validate(benchmark::State& state) {
  const int servers = static_cast<int>(state.range(0));
  const std::string text = lvs::test::big_scenario_yaml(servers);
  for (auto _ : state) {
    const auto spec = lvs::scenario::read_scenario_text(text, "big.yaml");
    const auto findings = lvs::scenario::validate(spec);
    benchmark::DoNotOptimize(findings.data());
  }
  state.counters["servers/s"] =
      benchmark::Counter(static_cast<double>(servers), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Validate)->Arg(10'000)->Arg(20'000)->Unit(benchmark::kMillisecond);

// The same cluster with its range(0) servers declared as one group (issue 16): the group's
// expansion at read time and every check on the expanded servers, as `lvslab validate` does.
void BM_ValidateGroup(benchmark::State& state) {
  const int servers = static_cast<int>(state.range(0));
  const std::string text = lvs::test::big_group_scenario_yaml(servers);
  for (auto _ : state) {
    const auto spec = lvs::scenario::read_scenario_text(text, "group.yaml");
    const auto findings = lvs::scenario::validate(spec);
    benchmark::DoNotOptimize(findings.data());
  }
  state.counters["servers/s"] =
      benchmark::Counter(static_cast<double>(servers), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ValidateGroup)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

}  // namespace
