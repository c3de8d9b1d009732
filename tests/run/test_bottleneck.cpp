// Bottleneck attribution (docs/bottleneck.md): on scenarios built to saturate one resource
// each, the attribution names that resource; on nat-basic, which saturates nothing, it says
// none and names the busiest. Each run is a few simulated seconds.

#include <catch2/catch.hpp>

#include "run/bottleneck.hpp"
#include "run_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

run::Bottleneck attribution(const scenario::ScenarioSpec& spec) {
  const run::RunResult r = run::run_scenario(spec, {});
  const run::Bottleneck b = run::find_bottleneck(r);
  INFO("bottleneck: " << run::bottleneck_text(b));
  REQUIRE(!b.candidates.empty());
  return b;
}

const run::BottleneckCandidate& first(const run::Bottleneck& b) { return b.candidates.front(); }

// nat-basic, 4 s with a 1 s warm-up, and `overrides`.
scenario::ScenarioSpec short_nat(const std::vector<std::string>& overrides) {
  return scenario_file("nat-basic", joined({"duration=4s", "warmup=1s"}, overrides));
}

}  // namespace

TEST_CASE("nat-basic saturates nothing: the attribution names the busiest resource", "[run][bottleneck]") {
  // 500 connections/s of 5 ms over 2 x 8 workers: 2.5 of 16 workers busy, rho = 0.16.
  const run::Bottleneck b = attribution(scenario_file("nat-basic", {}));
  CHECK_FALSE(b.saturated());
  CHECK(first(b).resource == "rs workers");
  CHECK(first(b).utilization == Approx(500 * 0.005 / 16).epsilon(0.1));
  CHECK(run::bottleneck_text(b).rfind("none \u2014 busiest: rs workers 16% (rs", 0) == 0);
}

TEST_CASE("a NAT director with the Pentium profile saturates its CPU first", "[run][bottleneck]") {
  // lvs-nat-pentium: 60 us a packet on one core, at most 16.7k packets/s; 2000 connections/s
  // of ~14 packets each ask for 1.7 cores. The servers could serve 3200/s.
  const run::Bottleneck b = attribution(short_nat({"topology.hosts[1].cpu.profile=lvs-nat-pentium",
                                                   "workload.clients[0].arrivals.rate=2000"}));
  REQUIRE(b.saturated());
  CHECK(first(b).resource == "director cpu");
  CHECK(first(b).component == "director");
  CHECK(first(b).utilization > 0.95);
  CHECK(first(b).detail.rfind("NAT, lvs-nat-pentium profile", 0) == 0);
}

TEST_CASE("a 10 Mbps LAN the real servers answer over saturates the link", "[run][bottleneck]") {
  // dr-basic's replies go from the real servers to the router over the LAN, not through the
  // director: 10 Mbps against ~40 Mbit/s of responses.
  const run::Bottleneck b = attribution(scenario_file("dr-basic", {"duration=3s", "topology.segments[1].rate=10Mbps"}));
  REQUIRE(b.saturated());
  CHECK(first(b).resource == "link");
  CHECK(first(b).utilization > 0.95);
}

TEST_CASE("one worker per server for 500 connections/s of 5 ms saturates the workers", "[run][bottleneck]") {
  // 2 servers x 1 worker serve 400/s: rho = 1.25, the queue grows by ~100 connections/s.
  const run::Bottleneck b = attribution(short_nat({"servers[0].workers=1"}));
  REQUIRE(b.saturated());
  CHECK(first(b).resource == "rs workers");
  CHECK(first(b).component == "rs1, rs2");
  CHECK(first(b).utilization > 0.99);
}

TEST_CASE("two connections at once and a backlog of one drop SYNs with the workers idle", "[run][bottleneck]") {
  // max_connections 2: at most 2 of the 8 workers busy (utilisation <= 25%); connections
  // beyond wait in a one-entry accept queue, and SYNs beyond that are dropped.
  const run::Bottleneck b =
      attribution(short_nat({"servers[0].max_connections=2", "servers[0].backlog=1"}));
  REQUIRE(b.saturated());
  CHECK(first(b).resource == "backlog");
  CHECK(first(b).component == "rs1, rs2");
  CHECK(first(b).why == "refused");
}

TEST_CASE("one FULLNAT local address runs out of ports", "[run][bottleneck]") {
  const run::Bottleneck b = attribution(scenario_file("fullnat-port-exhaustion", {}));
  REQUIRE(b.saturated());
  CHECK(first(b).resource == "fullnat ports");
  CHECK(first(b).component == "TCP 203.0.113.100:443");
  CHECK(first(b).utilization == 1.0);
}

TEST_CASE("one client address with 100 local ports runs out of them", "[run][bottleneck]") {
  // 100 ports, each held 60 s in TIME_WAIT, at 50 connections/s: gone after 2 s.
  scenario::ScenarioSpec spec = short_nat({"topology.hosts[0].interfaces[0].sources=1",
                                           "workload.clients[0].arrivals.rate=50", "warmup=0"});
  spec.topology.hosts[0].sysctl.ip_local_port_range = std::pair{40000, 40099};
  const run::Bottleneck b = attribution(spec);
  REQUIRE(b.saturated());
  CHECK(first(b).resource == "client ports");
  CHECK(first(b).component == "client");
  REQUIRE(first(b).first_saturated_s);
  // Constant arrivals from 0 s every 20 ms: the 101st connect is at 2.00 s, the last instant
  // of the sample interval (1, 2] (a sample takes the events at its own time).
  CHECK(*first(b).first_saturated_s == Approx(2.0));
}

TEST_CASE("nfs-bottleneck's climbing load saturates the NFS server's disk first", "[run][bottleneck]") {
  // 7200 rpm: ~85 random reads/s; the offered load climbs 100..600 connections/s in steps
  // of 10 s, and the READs that miss the NFS page cache grow with it.
  const run::Bottleneck b = attribution(scenario_file("nfs-bottleneck", {}));
  REQUIRE(b.saturated());
  CHECK(first(b).resource == "nfs disk");
  CHECK(first(b).component == "nfs1");
  CHECK(first(b).detail == "hdd-7200");
  CHECK(first(b).why == "sustained");
}

TEST_CASE("at a constant 500 connections/s the disk the workers and threads wait on is named", "[run][bottleneck]") {
  // Web workers, nfsd threads and the disk all reach 100% in the first measured interval.
  const run::Bottleneck b = attribution(scenario_file(
      "nfs-bottleneck", {"duration=10s", "warmup=2s", "workload.clients[0].arrivals.rate[0].rate=500"}));
  REQUIRE(b.saturated());
  CHECK(first(b).resource == "nfs disk");
}

TEST_CASE("one nfsd thread with 5 ms of CPU per call saturates the threads, not the disk", "[run][bottleneck]") {
  // An NVMe disk, one thread busy 5 ms per call besides the disk: at most 200 calls/s, and
  // each connection sends at least a GETATTR; 300 connections/s ask for more.
  const run::Bottleneck b = attribution(scenario_file(
      "nfs-bottleneck", {"duration=10s", "warmup=0", "storage[0].threads=1", "storage[0].disk=nvme",
                         "storage[0].cpu=5ms", "workload.clients[0].arrivals.rate[0].rate=300"}));
  REQUIRE(b.saturated());
  CHECK(first(b).resource == "nfs threads");
  CHECK(first(b).detail == "1 nfsd thread");
}
