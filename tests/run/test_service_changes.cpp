// Run-time changes to a service, each reaching the scheduler through the kernel's hooks:
// weight 0 (quiesce), removal and re-addition (at the head of the list, restored from the
// trash), a new scheduler; and the -x/-y thresholds with the overload flag (ipvs-semantics.md
// §1, §4). nat-basic set to wrr over rs1 and rs2 (weight 1 each), 500 connections/s.

#include <catch2/catch.hpp>

#include "lvs/ipvsadm_format.hpp"
#include "service_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

const std::vector<std::string> kSteady = {"warmup=0", "workload.clients[0].arrivals.process=constant",
                                          "services[0].scheduler=wrr"};

std::uint64_t connections(const ServiceModel& m, std::size_t server) { return m.server(server).stats().connections; }

}  // namespace

TEST_CASE("a destination quiesced with weight 0 takes no new connection, the others take them all",
          "[run][events]") {
  const ServiceModel m(nat_with("events:\n  - {at: 2s, edit: rs1, weight: 0}\n", kSteady));
  m.run_until(Time::ms(2010));  // SYNs scheduled before 2 s have arrived
  const std::uint64_t rs1 = connections(m, 0), rs2 = connections(m, 1);
  // Arrivals every 2 ms from 2 ms: 999 before 2 s, wrr 1:1 starting at the head (rs2, added
  // last); the edit runs before the arrival at 2 s (scheduled first), which goes to rs2.
  CHECK(rs1 == 499);
  CHECK(rs2 == 500 + 5);
  m.run_until(Time::s(5));
  CHECK(connections(m, 0) == rs1);
  CHECK(connections(m, 1) == rs2 + 1495);
  CHECK(m.dest("rs1").weight == 0);
  CHECK(m.dest("rs1").last_weight == 1);
  CHECK(ipvsadm_list(m.director()).find("  -> 192.168.10.102:80            Masq    0      ") != std::string::npos);
}

TEST_CASE("a removed destination gets nothing and its connections' packets are dropped, re-added, it is first in "
          "the list again",
          "[run][events]") {
  // 50 ms of service: about a dozen of rs1's requests are in service when it goes.
  const ServiceModel m(nat_with("events:\n  - {at: 2s, remove: rs1}\n  - {at: 3s, add: rs1, weight: 3}\n",
                                joined(kSteady, {"servers[0].service_time.mean=50ms"})));
  m.run_until(Time::ms(2010));
  const std::uint64_t rs1 = connections(m, 0);
  const DestId id = m.service().find(Ipv4Address(192, 168, 10, 102), 80).value();
  CHECK(m.service().destinations().size() == 1);
  m.run_until(Time::ms(3000));
  CHECK(connections(m, 0) == rs1);
  CHECK(m.director().counters().dead_destination > 0);  // FINs and ACKs of its open connections
  m.run_until(Time::ms(3010));
  REQUIRE(m.service().destinations().size() == 2);
  CHECK(m.service().destinations()[0].id == id);  // restored from the trash, at the head
  CHECK(m.service().destinations()[0].weight == 3);
  m.run_until(Time::s(4));
  // wrr 3:1 from 3 s (the scheduler's add_dest reset): 375 of the next 500 go to rs1.
  CHECK(connections(m, 0) - rs1 == Approx(375).margin(3));
}

TEST_CASE("a scheduler change (ipvsadm -E -s) binds the new scheduler to the current list", "[run][events]") {
  const ServiceModel m(nat_with("events:\n  - {at: 1s, scheduler: rr}\n", kSteady));
  CHECK(m.service().scheduler().name() == "wrr");
  m.run_until(Time::s(2));
  CHECK(m.service().scheduler().name() == "rr");
  CHECK(connections(m, 0) + connections(m, 1) == 999);  // every 2 ms from 2 ms
  CHECK(connections(m, 0) == 499);                      // rr, like wrr 1:1, starts at the head: rs2
}

TEST_CASE("ipvsadm -x: the overload flag is set when activeconns + inactconns reaches the upper threshold", "[run][thresholds]") {
  // TIME_WAIT connections count as inactive for 120 s, so rs1 takes exactly 5 and then
  // stays overloaded: the flag clears only below 3/4 of -x (no -y).
  const ServiceModel m(nat_with("", joined(kSteady, {"services[0].destinations[0].u_threshold=5"})));
  m.run_until(Time::s(3));
  CHECK(connections(m, 0) == 5);
  CHECK(connections(m, 1) == 1499 - 5);
  CHECK(m.dest("rs1").overloaded);
  CHECK(m.dest("rs1").activeconns + m.dest("rs1").inactconns == 5);
}

TEST_CASE("ipvsadm -x with -y: the flag clears only below the lower threshold", "[run][thresholds]") {
  // Connections live 120 s in TIME_WAIT; with -x 5 -y 2 the five of rs1 must all but one
  // expire before it is scheduled again: at about 120 s after the fifth.
  const ServiceModel m(nat_with("", joined(kSteady, {"services[0].destinations[0].u_threshold=5",
                                                     "services[0].destinations[0].l_threshold=2",
                                                     "workload.clients[0].arrivals.rate=10"})));
  m.run_until(Time::s(100));
  CHECK(connections(m, 0) == 5);
  CHECK(m.dest("rs1").overloaded);
  m.run_until(Time::s(130));
  CHECK(connections(m, 0) > 5);
}

TEST_CASE("the real servers' response times reach a latency-aware scheduler (lrt)", "[run][events]") {
  // rs1 serves in 40 ms on average, rs2 in 5 ms; lrt learns it from the servers' reports and
  // sends rs1 far fewer connections than wrr's half.
  std::string text = read_file(kSource / "scenarios" / "nat-basic.yaml");
  text = replaced(text, "  - hosts: [rs1, rs2]\n    port: 80\n",
                  "  - host: rs1\n    service_time: {distribution: exponential, mean: 40ms}\n  - host: rs2\n    port: 80\n");
  const ServiceModel m(checked(scenario::read_scenario_text(text, "nat-basic.yaml", {"services[0].scheduler=lrt"})));
  m.run_until(Time::s(3));
  const std::uint64_t rs1 = connections(m, 0), rs2 = connections(m, 1);
  CHECK(rs1 + rs2 > 1400);
  CHECK(rs1 * 4 < rs2);
  CHECK(rs1 > 20);  // without the reports lrt never leaves the list head (rs2): no samples, no load data
}

// ipvsadm -b in the scenario: one client address under sh goes to one server; with sh-port
// the source port is hashed too and the connections spread (ip_vs_sh.c, svc_f_sched2).
TEST_CASE("sched_flags: sh-port set in the scenario reaches the director's sh", "[run][flags]") {
  const auto served = [](const std::vector<std::string>& more) {
    const run::RunResult r = run::run_scenario(
        scenario_file("nat-basic", joined({"duration=3s", "services[0].scheduler=sh",
                                           "topology.hosts[0].interfaces[0].sources=1"},
                                          more)),
        {});
    return std::pair{r.servers.at(0).requests, r.servers.at(1).requests};
  };
  const auto [rs1, rs2] = served({});
  CHECK(std::min(rs1, rs2) == 0);
  CHECK(std::max(rs1, rs2) > 1000);
  const auto [p1, p2] = served({"services[0].sched_flags=sh-port"});
  CHECK(std::min(p1, p2) > 0.4 * static_cast<double>(p1 + p2));
}

// ipvsadm 1.31 shows the -b flags after the scheduler in -Ln and saves them with -b.
TEST_CASE("sched_flags: ipvsadm -Ln and -S -n show them by the scheduler's names", "[run][flags][ipvsadm]") {
  const ServiceModel m(nat_with("", {"services[0].scheduler=sh", "services[0].sched_flags=sh-port,flag-3"}));
  CHECK(ipvsadm_list(m.director()).find("TCP  192.168.74.129:80 sh (sh-port,flag-3)\n") != std::string::npos);
  CHECK(ipvsadm_save(m.director()).starts_with("-A -t 192.168.74.129:80 -s sh -b sh-port,flag-3\n"));
}
