// Issue 17: a DR cluster with N real servers on one LAN (N = 4 .. 10 000) carrying
// dr-basic's workload (two client hosts, 1 500 req/s each, 16 workers per server, service
// exponential 4 ms, rr). Every real server resolves the gateway and the director resolves
// every server it schedules to by broadcast ARP: per-port flooding makes each broadcast
// cost N + 2 deliveries, lazy flooding (docs/arp.md, "Broadcasts on a large segment") O(1)
// events plus the hosts whose state it changes. Reports wall microseconds per completed
// request and packet-hops per completed request of the timed part (0 -> 2 s, the model
// built untimed). BM_ScaleServersExpiry runs N = 1 000 for 60 s: every neighbour entry
// outlives its reachable time (15-45 s), goes STALE, DELAY and PROBE and is re-probed.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "../support/dr_scenario.hpp"
#include "nodes/client.hpp"
#include "run/builder.hpp"
#include "scenario/scenario_spec.hpp"

namespace {

using lvs::Time;

// dr_scenario.hpp's DR cluster on a /16 LAN (gateway 192.168.0.1, director .0.10, VIP
// .0.100, servers from 192.168.1.1) with two client hosts at 1 500 req/s each.
std::string scale_yaml(int servers, const std::string& duration) {
  return lvs::test::dr_scenario_yaml(lvs::test::DrScenarioShape{
      2, servers, "      arrivals: {rate: 1500}\n",
      "    workers: 16\n    service_time: {distribution: exponential, mean: 4ms}\n    response_size: 8KB\n", duration,
      true});
}

std::uint64_t completed(const lvs::run::Model& m) {
  std::uint64_t n = 0;
  for (const auto* c : m.clients) n += c->totals().completed;
  return n;
}

// Builds the model untimed, times `to`, reports us per completed request (of CPU time: the
// machine is shared) and hops per request.
void run_scale(benchmark::State& state, const lvs::scenario::ScenarioSpec& spec, Time to) {
  std::uint64_t hops = 0, requests = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto model = lvs::run::build_model(spec, 1);
    state.ResumeTiming();
    model->sim.run_until(to);
    state.PauseTiming();
    hops += model->net.hops();
    requests += completed(*model);
    model.reset();
    state.ResumeTiming();
  }
  const double per = static_cast<double>(requests == 0 ? 1 : requests);
  state.counters["us/request"] = benchmark::Counter(per / 1e6, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["hops/request"] = static_cast<double>(hops) / per;
  state.counters["requests"] = static_cast<double>(requests) / static_cast<double>(state.iterations());
}

void BM_ScaleServers(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto spec = lvs::scenario::read_scenario_text(scale_yaml(n, "3s"), "dr-scale-servers.yaml");
  run_scale(state, spec, Time::s(2));
}
BENCHMARK(BM_ScaleServers)->Arg(4)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// ARP expiry: 60 s, longer than any reachable time (at most 45 s). The director only
// forwards to the servers, which never confirms an entry (docs/arp.md), so each of its
// 1 000 entries goes STALE, DELAY and PROBE and is re-probed by unicast (Linux's PROBE
// requests go to the cached MAC): no new broadcast, so the figure should stay that of the
// 2 s run.
void BM_ScaleServersExpiry(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto spec = lvs::scenario::read_scenario_text(scale_yaml(n, "61s"), "dr-scale-servers.yaml");
  run_scale(state, spec, Time::s(60));
}
BENCHMARK(BM_ScaleServersExpiry)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
