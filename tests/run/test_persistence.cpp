// Persistence (ipvsadm -p TIMEOUT -M NETMASK) through the whole model: templates as the
// kernel keeps them (ipvs-semantics.md §5). nat-basic: 50 client addresses 192.168.74.10-59,
// 500 connections/s, wrr over rs1 and rs2.

#include <catch2/catch.hpp>

#include <map>

#include "lvs/ipvsadm_format.hpp"
#include "service_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

std::vector<std::string> persistent(const std::string& timeout, std::vector<std::string> more = {}) {
  return joined({"warmup=0", "workload.clients[0].arrivals.process=constant", "services[0].persistent=" + timeout},
                more);
}

std::uint64_t connections(const ServiceModel& m, std::size_t server) { return m.server(server).stats().connections; }

std::int32_t persistconns(const ServiceModel& m) { return m.dest("rs1").persistconns + m.dest("rs2").persistconns; }

}  // namespace

TEST_CASE("ipvsadm -p: every connection of a client goes to the destination of its template", "[run][persistence]") {
  const ServiceModel m(nat_with("", persistent("60s")));
  m.run_until(Time::s(3));
  std::map<Ipv4Address, Ipv4Address> chosen;
  std::size_t checked = 0;
  m.director().connections().for_each([&](const Connection& c) {
    const auto [it, fresh] = chosen.emplace(c.caddr, c.daddr);
    CHECK(it->second == c.daddr);
    ++checked;
  });
  CHECK(checked == 1499);  // every 2 ms from 2 ms
  CHECK(chosen.size() == 50);
  CHECK(m.director().templates().size() == 50);  // one per client address (-M 255.255.255.255)
  CHECK(persistconns(m) == 50);
  CHECK(connections(m, 0) + connections(m, 1) == 1499);
  CHECK(ipvsadm_list(m.director()).find("TCP  192.168.74.129:80 rr persistent 60\n") != std::string::npos);
}

TEST_CASE("ipvsadm -M 255.255.255.0: the whole client network shares one template", "[run][persistence]") {
  const ServiceModel m(nat_with("", persistent("60s", {"services[0].netmask=255.255.255.0"})));
  m.run_until(Time::s(2));
  CHECK(m.director().templates().size() == 1);
  CHECK(persistconns(m) == 1);
  CHECK(connections(m, 0) == 0);
  CHECK(connections(m, 1) == 999);  // rr's first pick: the head of the list, rs2 (added last)
  CHECK(ipvsadm_list(m.director()).find(":80 rr persistent 60 mask 255.255.255.0\n") != std::string::npos);
}

TEST_CASE("a template outlives its last connection: re-armed to last creation + timeout, then in 60 s steps",
          "[run][persistence]") {
  // Clients stop at 2 s; the last connections sit 120 s in TIME_WAIT. A template made at
  // t0 <= 2 s expires at t0 + 5 s with live connections, is kept to t0 + 65 s and t0 + 125 s,
  // then dies: all 50 between 126 s and 127 s.
  const ServiceModel m(nat_with("", persistent("5s", {"workload.clients[0].stop=2s"})));
  m.run_until(Time::ms(125900));
  CHECK(m.director().templates().size() == 50);
  CHECK(persistconns(m) == 50);
  m.run_until(Time::ms(127100));
  CHECK(m.director().templates().size() == 0);
  CHECK(persistconns(m) == 0);
  CHECK(m.director().connections().size() == 0);
}

TEST_CASE("quiesced (weight 0): persistent clients keep going there unless expire_quiescent_template is set",
          "[run][persistence]") {
  const std::string quiesce = "events:\n  - {at: 2s, edit: rs1, weight: 0}\n";
  SECTION("expire_quiescent_template = 0, the default") {
    const ServiceModel m(nat_with(quiesce, persistent("60s")));
    m.run_until(Time::ms(2010));
    const std::uint64_t before = connections(m, 0);
    m.run_until(Time::s(3));
    CHECK(connections(m, 0) - before == Approx(250).margin(10));  // its clients still come
  }
  SECTION("expire_quiescent_template = 1") {
    const ServiceModel m(
        nat_with(quiesce, persistent("60s", {"topology.hosts[1].sysctl.expire_quiescent_template=true"})));
    m.run_until(Time::ms(2010));
    const std::uint64_t before = connections(m, 0);
    m.run_until(Time::s(3));
    CHECK(connections(m, 0) == before);
    CHECK(connections(m, 1) > 490);
  }
}

TEST_CASE("a removed destination invalidates its templates: its clients get new ones elsewhere", "[run][persistence]") {
  const ServiceModel m(nat_with("events:\n  - {at: 2s, remove: rs1}\n", persistent("60s")));
  m.run_until(Time::ms(2010));
  const std::uint64_t rs1 = connections(m, 0), rs2 = connections(m, 1);
  m.run_until(Time::s(3));
  CHECK(connections(m, 0) == rs1);
  CHECK(connections(m, 1) - rs2 == 495);  // arrivals 2.010 .. 2.998 s
  CHECK(m.dest("rs2").persistconns == 50);  // every client now has a template on rs2
}
