// Issue 17: the cost of many open connections. BM_ScaleOpenConns/C holds C TCP connections
// open through a DR director (closed-loop users whose requests take 1000 s, as
// BM_ScenarioMemory) and, once they are all open, runs a steady background of short
// requests to a second service on the same VIP (port 81, its own real servers and client
// host, a 1 ms application). Reported:
// - ns_per_hop, ns_per_event: CPU time of a 4 s window of background traffic per
//   packet-hop and per event executed: what every lookup in tables of C entries costs;
// - ramp_ns_per_event: CPU time per event while the C connections open (every table grows);
// - bytes_per_conn: heap bytes (mallinfo2, mmapped blocks included) taken while the C connections opened, per open
//   connection (client socket and session, director entry, real-server socket and queued
//   request, their tables and timers).
// Goal: ns_per_hop within 1.3x from C = 10^4 to 10^6, bytes_per_conn <= 1536 at 10^6.

#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <ctime>
#include <string>

#include "run/builder.hpp"
#include "scenario/scenario_spec.hpp"

namespace {

using lvs::Time;

constexpr int kLongClients = 10;  // client hosts holding the C connections
constexpr int kLongServers = 10;  // real servers of port 80
constexpr int kShortServers = 2;  // real servers of port 81

std::string host_yaml(const std::string& name, const std::string& kind, const std::string& address,
                      const std::string& extra) {
  return "    - name: " + name + "\n      kind: " + kind + "\n" + extra + "      interfaces:\n        - {name: eth0, " +
         address + "}\n";
}

std::string server_list(int first, int count) {
  std::string s;
  for (int r = first; r < first + count; ++r) s += (r == first ? "rs" : ", rs") + std::to_string(r);
  return s;
}

// The DR cluster of tests/support/dr_scenario.hpp with a second service (port 81) for the
// background. The C users start over `ramp` seconds; the background starts at `bg_start`.
std::string open_conns_yaml(int conns, int ramp, int bg_start) {
  std::string y =
      "name: open-conns\nduration: 3000s\ntopology:\n  segments:\n"
      "    - {name: internet, rate: 10Gbps, delay: 1ms, queue: 4MiB}\n"
      "    - {name: lan, rate: 10Gbps, delay: 5us, queue: 4MiB}\n  hosts:\n"
      "    - name: router\n      kind: router\n      interfaces:\n"
      "        - {name: eth0, segment: internet, address: 10.0.0.1/16}\n"
      "        - {name: eth1, segment: lan, address: 192.168.1.1/24}\n"
      "    - name: director\n      kind: director\n      gateway: 192.168.1.1\n"
      "      cpu: {cores: 4, backlog: 1000000}\n      interfaces:\n"
      "        - {name: eth0, segment: lan, address: 192.168.1.10/24, secondary: [192.168.1.100/24]}\n";
  for (int c = 1; c <= kLongClients + 1; ++c)
    y += host_yaml("client" + std::to_string(c), "client",
                   "segment: internet, address: 10.0." + std::to_string(c) + ".1/16, sources: 100",
                   "      gateway: 10.0.0.1\n");
  for (int r = 1; r <= kLongServers + kShortServers; ++r)
    y += host_yaml("rs" + std::to_string(r), "server", "segment: lan, address: 192.168.1." + std::to_string(r + 10) + "/24",
                   "      gateway: 192.168.1.1\n      loopback: [192.168.1.100]\n"
                   "      sysctl: {arp_ignore: 1, arp_announce: 2}\n");
  y += "services:\n";
  const auto service = [&y](int port, int first, int count) {
    y += "  - director: director\n    vip: 192.168.1.100\n    port: " + std::to_string(port) +
         "\n    scheduler: rr\n    destinations:\n";
    for (int r = first; r < first + count; ++r) y += "      - {server: rs" + std::to_string(r) + ", method: dr}\n";
  };
  service(80, 1, kLongServers);
  service(81, kLongServers + 1, kShortServers);
  y += "servers:\n  - hosts: [" + server_list(1, kLongServers) +
       "]\n    max_connections: 1000000\n    backlog: 1000000\n    workers: 8\n    service_time: 1000s\n"
       "    response_size: 1KB\n";
  y += "  - hosts: [" + server_list(kLongServers + 1, kShortServers) +
       "]\n    port: 81\n    workers: 32\n    service_time: {distribution: exponential, mean: 1ms}\n"
       "    response_size: 8KB\n";
  y += "workload:\n  clients:\n";
  for (int c = 1; c <= kLongClients; ++c)
    y += "    - host: client" + std::to_string(c) + "\n      target: 192.168.1.100\n      users: " +
         std::to_string(conns / kLongClients) + "\n      think_time: {distribution: uniform, min: 0s, max: " +
         std::to_string(ramp) + "s}\n      timeout: 2000s\n      max_open: 1048576\n";
  y += "    - host: client" + std::to_string(kLongClients + 1) +
       "\n      target: 192.168.1.100\n      port: 81\n      arrivals: {rate: 2000}\n      timeout: 5s\n"
       "      start: " + std::to_string(bg_start) + "s\n";
  return y;
}

// CPU time of this thread, ns: the other engineers' builds share the cores, and the
// figures compare runs made at different times.
double thread_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

// Heap bytes in use: the arena's (uordblks) plus the blocks malloc took with mmap
// (hblkhd), which glibc does for any block of 128 KiB or more (M_MMAP_THRESHOLD, mallopt(3)):
// the big arrays of a table with 10^5 entries are such blocks.
std::size_t heap_in_use() {
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

void BM_ScaleOpenConns(benchmark::State& state) {
  const auto conns = static_cast<int>(state.range(0));
  const int ramp = std::max(2, conns / 100'000);  // about 10^5 connections opened per second at most
  const int bg_start = ramp + 2;                   // every long connection is open by then
  constexpr int kWindow = 4;                       // seconds of background measured
  const auto spec = lvs::scenario::read_scenario_text(open_conns_yaml(conns, ramp, bg_start), "open-conns.yaml");
  for (auto _ : state) {
    auto model = lvs::run::build_model(spec, 1);
    model->sim.run_until(Time::ms(100));
    const std::size_t heap0 = heap_in_use();
    const std::uint64_t ramp_events0 = model->sim.events_executed();
    const double ramp_t0 = thread_ns();
    model->sim.run_until(Time::s(bg_start));
    const double ramp_ns = thread_ns() - ramp_t0;
    const std::size_t heap1 = heap_in_use();
    const auto ramp_events = static_cast<double>(model->sim.events_executed() - ramp_events0);
    std::size_t open = 0;
    for (int c = 0; c < kLongClients; ++c) open += model->clients[static_cast<std::size_t>(c)]->sessions_open();
    model->sim.run_until(Time::s(bg_start + 1));  // the background reaches its steady state
    const std::uint64_t hops0 = model->net.hops(), events0 = model->sim.events_executed();
    const double t0 = thread_ns();
    model->sim.run_until(Time::s(bg_start + 1 + kWindow));
    const double ns = thread_ns() - t0;
    const auto hops = static_cast<double>(model->net.hops() - hops0);
    const auto events = static_cast<double>(model->sim.events_executed() - events0);
    state.counters["open_connections"] = static_cast<double>(open);
    state.counters["bytes_per_conn"] = open == 0 ? 0.0 : static_cast<double>(heap1 - heap0) / static_cast<double>(open);
    state.counters["window_hops"] = hops;
    state.counters["ns_per_hop"] = hops == 0 ? 0.0 : ns / hops;
    state.counters["ns_per_event"] = events == 0 ? 0.0 : ns / events;
    state.counters["ramp_ns_per_event"] = ramp_events == 0 ? 0.0 : ramp_ns / ramp_events;
    state.PauseTiming();
    model.reset();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_ScaleOpenConns)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
