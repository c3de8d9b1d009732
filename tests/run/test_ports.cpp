// Client ports and their reuse, end to end (docs/ports.md): one client address opens at most
// 28 232 / 60 s = 470 connections per second to one VIP:port (TIME_WAIT holds each tuple 60 s
// on the side that closes first, the client); beyond that the request fails with
// no-ephemeral-port and the run goes on. A port the client reuses meets the director's old
// entry for it: in NAT (TIME_WAIT, 120 s) the SYN is scheduled afresh (conn_reuse_mode 1);
// in DR (FIN_WAIT, 120 s) it goes on to the same real server; with conntrack it is dropped
// once and retransmitted 1 s later.

#include <catch2/catch.hpp>

#include <functional>

#include "run_fixture.hpp"
#include "support/sanitizer.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

std::uint64_t failed_by(const RequestStats& r, FailReason why) { return r.failed[static_cast<std::size_t>(why)]; }

// One client address, constant arrivals at `rate` per second.
std::vector<std::string> one_address(const std::string& rate) {
  return {"topology.hosts[0].interfaces[0].sources=1", "workload.clients[0].arrivals.process=constant",
          "workload.clients[0].arrivals.rate=" + rate};
}

}  // namespace

TEST_CASE("one client address opens at most 28232 / 60 s = 470 connections per second to one VIP:port",
          "[run][ports]") {
  // 600/s from one address: the 28 232 ports of 32768..60999 are used up after 47 s and
  // none comes back before 60 s, when each one leaves the client's TIME_WAIT 60 s (and a few
  // ms of connection) after it was taken. So the connections succeed in bursts, and any 60 s
  // window from 60 s on holds each port once: 28 232 of them. Under the sanitizers the same
  // law on a tenth of the range (2822 ports: 47 per second) and a tenth of the load.
  const bool small = kSanitized;
  std::vector<std::string> o = one_address(small ? "60" : "600");
  o = joined(o, {"warmup=60s", "duration=120s"});
  scenario::ScenarioSpec spec = scenario_file("nat-basic", o);
  const int ports = small ? 2822 : 28232;
  if (small) spec.topology.hosts[0].sysctl.ip_local_port_range = std::pair{32768, 32768 + ports - 1};
  const run::RunResult r = run::run_scenario(spec, {});
  CHECK(r.requests.completed == Approx(ports).margin(2));  // each port once in the minute
  CHECK(r.throughput_rps == Approx(ports / 60.0).margin(0.05));
  CHECK(r.requests.issued == static_cast<std::uint64_t>((small ? 60 : 600) * 60));
  CHECK(failed_by(r.requests, FailReason::NoEphemeralPort) == r.requests.failed_total());
  CHECK(r.requests.completed + r.requests.failed_total() + 10 >= r.requests.issued);  // a few open at the end
  // Every port reused met the director's TIME_WAIT entry of its last connection.
  CHECK(r.directors.at(0).rescheduled >= r.requests.completed);
  CHECK(r.directors.at(0).reuse_drops == 0);

  // Below the ceiling nothing fails.
  scenario::ScenarioSpec below = scenario_file("nat-basic", joined(one_address(small ? "40" : "400"), {"warmup=60s", "duration=120s"}));
  below.topology.hosts[0].sysctl.ip_local_port_range = spec.topology.hosts[0].sysctl.ip_local_port_range;
  CHECK(run::run_scenario(below, {}).requests.failed_total() == 0);
}

namespace {

// Sessions at 31, 62, 93 s from one address with only the ports 40000 and 40001: the first
// takes 40000 (connect() tries even offsets first), the second 40001 (40000 is in the
// client's TIME_WAIT), the third 40000 again (its TIME_WAIT ended at 91 s), while the
// director still holds the first connection's entry (120 s in NAT's TIME_WAIT and DR's
// FIN_WAIT). `director` is the director's host index; `ipvs` sets its IPVS sysctls.
scenario::ScenarioSpec reuse_one_port(const std::string& stem, std::size_t director,
                                      const std::function<void(scenario::SysctlSpec&)>& ipvs = {}) {
  std::vector<std::string> o{"topology.hosts[0].interfaces[0].sources=1",
                             "workload.clients[0].arrivals.process=constant",
                             "workload.clients[0].arrivals.rate=0.0322580645",  // one per 31 s
                             "workload.clients[0].stop=100s",
                             "workload.clients[0].requests_per_connection=1",
                             "duration=100s",
                             "warmup=0"};
  if (stem == "dr-basic") o.push_back("workload.clients[1].start=100s");  // no closed loop
  scenario::ScenarioSpec spec = scenario_file(stem, o);
  spec.topology.hosts[0].sysctl.ip_local_port_range = std::pair{40000, 40001};
  if (ipvs) ipvs(spec.topology.hosts.at(director).sysctl);
  return spec;
}

struct Sessions : PacketObserver {
  std::vector<std::pair<std::uint16_t, std::string>> syns;  // (client port, real server it reached)
  void on_receive(Time, const Interface& in, const Packet& p) override {
    if (p.is_tcp() && p.tcp.flags == tcp_flags::kSyn && in.node().name().starts_with("rs"))
      syns.push_back({p.sport, in.node().name()});
  }
};

std::unique_ptr<run::Model> run_with(const scenario::ScenarioSpec& spec, Sessions& seen) {
  std::unique_ptr<run::Model> m = run::build_model(spec, spec.seed);
  m->net.set_observer(&seen);
  m->sim.run_until(spec.duration);
  return m;
}

}  // namespace

TEST_CASE("a reused client port: NAT schedules the SYN afresh from TIME_WAIT, DR keeps it on its server",
          "[run][ports][ipvs]") {
  SECTION("NAT: the old connection is in TIME_WAIT; conn_reuse_mode 1 schedules the SYN afresh") {
    Sessions seen;
    const auto m = run_with(reuse_one_port("nat-basic", 1), seen);
    REQUIRE(seen.syns.size() == 3);
    CHECK(seen.syns[0].first == 40000);
    CHECK(seen.syns[1].first == 40001);
    CHECK(seen.syns[2].first == 40000);
    const Director& d = *m->directors.at(0);
    CHECK(d.counters().rescheduled == 1);
    CHECK(d.services().at(0)->stats().conns == 3);
  }
  SECTION("NAT with conn_reuse_mode 0: the SYN goes on with the old connection, to the same server") {
    Sessions seen;
    const auto m = run_with(reuse_one_port("nat-basic", 1, [](scenario::SysctlSpec& s) { s.conn_reuse_mode = 0; }), seen);
    REQUIRE(seen.syns.size() == 3);
    CHECK(seen.syns[2].second == seen.syns[0].second);
    CHECK(m->directors.at(0)->counters().rescheduled == 0);
    CHECK(m->directors.at(0)->services().at(0)->stats().conns == 2);
  }
  SECTION("DR: the old connection is in FIN_WAIT (no reply ever seen); mode 1 keeps it, mode 3 reschedules") {
    for (const int mode : {1, 3}) {
      CAPTURE(mode);
      Sessions seen;
      const auto m =
          run_with(reuse_one_port("dr-basic", 3, [mode](scenario::SysctlSpec& s) { s.conn_reuse_mode = mode; }), seen);
      REQUIRE(seen.syns.size() == 3);
      CHECK(seen.syns[2].first == 40000);
      const Director& d = *m->directors.at(0);
      CHECK(d.counters().rescheduled == (mode == 3 ? 1u : 0u));
      if (mode == 1) CHECK(seen.syns[2].second == seen.syns[0].second);  // pinned to the same real server
      CHECK(d.services().at(0)->stats().conns == (mode == 3 ? 3u : 2u));
    }
  }
  SECTION("NAT with conntrack: the SYN meets the old, confirmed conntrack entry and is dropped once") {
    Sessions seen;
    const auto m = run_with(reuse_one_port("nat-basic", 1, [](scenario::SysctlSpec& s) { s.conntrack = true; }), seen);
    const Director& d = *m->directors.at(0);
    CHECK(d.counters().reuse_drops == 1);
    CHECK(d.counters().rescheduled == 0);
    REQUIRE(seen.syns.size() == 3);  // the dropped SYN never reached a server; its retransmission did
    const RequestStats& r = m->clients.at(0)->totals();
    CHECK(r.completed == 3);
    CHECK(r.latency_summary.max() > 1.0);  // the third waited for its 1 s SYN retransmission
    CHECK(r.latency_summary.max() < 1.1);
  }
}
