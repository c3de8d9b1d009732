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

#include "nodes/client.hpp"
#include "run/builder.hpp"
#include "scenario/scenario_spec.hpp"

namespace {

using lvs::Time;

// 192.168.0.0/16: the gateway .0.1, the director .0.10 (VIP .0.100), servers from .1.1 up,
// 250 to a /24's worth of addresses.
std::string lan_address(int k) {
  return "192.168." + std::to_string(1 + k / 250) + "." + std::to_string(1 + k % 250);
}

std::string scale_yaml(int servers, const std::string& duration, const std::string& scheduler) {
  std::string y = "name: dr-scale-servers\nduration: " + duration +
                  "\ntopology:\n  segments:\n"
                  "    - {name: internet, rate: 10Gbps, delay: 1ms, queue: 4MiB}\n"
                  "    - {name: lan, rate: 10Gbps, delay: 5us, queue: 4MiB}\n"
                  "  hosts:\n"
                  "    - name: router\n      kind: router\n      interfaces:\n"
                  "        - {name: eth0, segment: internet, address: 10.0.0.1/16}\n"
                  "        - {name: eth1, segment: lan, address: 192.168.0.1/16}\n"
                  "    - name: director\n      kind: director\n      gateway: 192.168.0.1\n"
                  "      cpu: {cores: 4, backlog: 100000}\n      interfaces:\n"
                  "        - {name: eth0, segment: lan, address: 192.168.0.10/16, secondary: [192.168.0.100/16]}\n";
  for (int c = 0; c < 2; ++c)
    y += "    - name: client" + std::to_string(c + 1) + "\n      kind: client\n      gateway: 10.0.0.1\n" +
         "      interfaces:\n        - {name: eth0, segment: internet, address: 10.0." + std::to_string(c + 1) +
         ".1/16, sources: 100}\n";
  for (int r = 0; r < servers; ++r)
    y += "    - name: rs" + std::to_string(r + 1) +
         "\n      kind: server\n      gateway: 192.168.0.1\n      loopback: [192.168.0.100]\n"
         "      sysctl: {arp_ignore: 1, arp_announce: 2}\n      interfaces:\n"
         "        - {name: eth0, segment: lan, address: " + lan_address(r) + "/16}\n";
  y += "services:\n  - director: director\n    vip: 192.168.0.100\n    scheduler: " + scheduler +
       "\n    destinations:\n";
  for (int r = 0; r < servers; ++r) y += "      - {server: rs" + std::to_string(r + 1) + ", method: dr}\n";
  y += "servers:\n  - hosts: [";
  for (int r = 0; r < servers; ++r) y += (r ? ", rs" : "rs") + std::to_string(r + 1);
  y += "]\n    max_connections: 1000000\n    backlog: 1000000\n    workers: 16\n"
       "    service_time: {distribution: exponential, mean: 4ms}\n    response_size: 8KB\n"
       "workload:\n  clients:\n";
  for (int c = 0; c < 2; ++c)
    y += "    - host: client" + std::to_string(c + 1) + "\n      target: 192.168.0.100\n      arrivals: {rate: 1500}\n";
  return y;
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
  const auto spec = lvs::scenario::read_scenario_text(scale_yaml(n, "3s", "rr"), "dr-scale-servers.yaml");
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
  const auto spec = lvs::scenario::read_scenario_text(scale_yaml(n, "61s", "rr"), "dr-scale-servers.yaml");
  run_scale(state, spec, Time::s(60));
}
BENCHMARK(BM_ScaleServersExpiry)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
