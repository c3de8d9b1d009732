// Failures on the timeline, end to end through nat-basic (rr over rs1 and rs2, no health
// checks): a crashed real server is silent, so the sessions rr gives it time out; a stopped
// service answers RST, so they fail at once; a pulled cable is a crash to the network; a
// recovered server serves again with no memory of the old connections. And the random
// failure processes' up and down periods.

#include <catch2/catch.hpp>

#include <set>

#include "run_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

// The sessions (client ports) whose SYN the director sends to `server` after `from`.
struct SynsTo : PacketObserver {
  Ipv4Address server;
  Time from;
  std::set<std::uint16_t> sessions;
  void on_transmit(Time t, const Interface& out, const Packet& p) override {
    if (t >= from && out.node().name() == "director" && p.is_tcp() && p.ip.dst == server &&
        p.has_flag(tcp_flags::kSyn))
      sessions.insert(p.sport);
  }
};

// nat-basic: 10 sessions/s at 0.1 s steps from 0 until `stop`, a 5 ms service, a 3 s timeout.
scenario::ScenarioSpec cluster(const std::string& stop, const std::vector<std::string>& timeline) {
  scenario::ScenarioSpec spec = nat({"duration=12s", "workload.clients[0].arrivals.rate=10",
                                     "workload.clients[0].stop=" + stop, "workload.clients[0].timeout=3s"});
  spec.events.clear();
  for (const std::string& item : timeline) {
    // "CRASH|rs1|2050ms" style: action, component, time.
    scenario::EventSpec e;
    const std::size_t a = item.find('|'), b = item.rfind('|');
    const std::string action = item.substr(0, a);
    e.component = item.substr(a + 1, b - a - 1);
    e.at = parse_time(item.substr(b + 1));
    using A = scenario::EventSpec::Action;
    e.action = action == "crash"       ? A::Crash
               : action == "recover"   ? A::Recover
               : action == "stop"      ? A::Stop
               : action == "start"     ? A::Start
               : action == "link-down" ? A::LinkDown
                                       : A::LinkUp;
    spec.events.push_back(e);
  }
  return checked(spec);
}

struct Outcome {
  RequestStats totals;
  std::set<std::uint16_t> to_rs1;
  std::unique_ptr<run::Model> model;
};

Outcome run_cluster(const scenario::ScenarioSpec& spec, Time watch_from) {
  Outcome o;
  o.model = run::build_model(spec, spec.seed);
  SynsTo syns;
  syns.server = *Ipv4Address::parse("192.168.10.102");
  syns.from = watch_from;
  o.model->net.set_observer(&syns);
  o.model->sim.run_until(spec.duration);
  o.model->net.set_observer(nullptr);
  o.totals = o.model->clients.at(0)->totals();
  o.to_rs1 = syns.sessions;
  return o;
}

std::vector<std::string> log_lines(const run::Model& m) {
  std::vector<std::string> out;
  for (const control::LogRecord& r : m.log.records()) out.push_back(to_string(r.at) + " " + r.event + " " + r.line);
  return out;
}

}  // namespace

TEST_CASE("failures: a crashed real server is silent, the sessions rr gives it time out", "[run][failures][timeline]") {
  const Outcome o = run_cluster(cluster("4s", {"crash|rs1|2050ms"}), Time::ms(2050));
  // Sessions at 2.1 .. 3.9 s: rr alternates, so about half go to rs1, and each times out
  // after 3 s with no answer (its SYNs retransmitted into the void).
  CHECK(o.to_rs1.size() >= 9);
  CHECK(o.to_rs1.size() <= 10);
  CHECK(failed(o.totals, FailReason::Timeout) == o.to_rs1.size());
  CHECK(failed(o.totals, FailReason::Reset) == 0);
  CHECK(o.totals.completed + failed(o.totals, FailReason::Timeout) == o.totals.issued);
  const RealServer& rs1 = *o.model->servers.at(0);
  CHECK(rs1.name() == "rs1");
  CHECK(!rs1.running());
  CHECK(log_lines(*o.model) == std::vector<std::string>{"2.05s crash rs1: power off (silent: no FIN, no RST, no ARP reply)"});
}

TEST_CASE("failures: a stopped service answers RST, the sessions fail at once, started again it serves",
          "[run][failures][timeline]") {
  const Outcome o = run_cluster(cluster("4s", {"stop|rs1|2050ms", "start|rs1|3050ms"}), Time::ms(2050));
  // Sessions to rs1 between 2.05 s and 3.05 s are refused; after 3.05 s they complete.
  CHECK(failed(o.totals, FailReason::Reset) == 5);
  CHECK(failed(o.totals, FailReason::Timeout) == 0);
  CHECK(o.totals.completed + 5 == o.totals.issued);
  CHECK(o.to_rs1.size() == 9);  // of the 19 sessions of 2.1 .. 3.9 s, rr gives rs2 the first
  CHECK(log_lines(*o.model) ==
        std::vector<std::string>{"2.05s stop rs1: service on port 80 stopped (SYNs get RST)",
                                 "3.05s start rs1: service on port 80 started"});
  // A refused session ends within a round trip, not at the timeout.
  CHECK(o.totals.latency_summary.max() < 0.1);
}

TEST_CASE("failures: a crashed server that boots again serves, and the SYNs sent meanwhile get through late",
          "[run][failures][timeline]") {
  const Outcome o = run_cluster(cluster("6s", {"crash|rs1|2050ms", "recover|rs1|3050ms"}), Time::ms(2050));
  // The 5 sessions rr gave rs1 while it was down retransmit their SYN 1 s later (the initial
  // RTO, RFC 6298) and find it up: none fails, and they are 1 s late.
  CHECK(o.totals.completed == o.totals.issued);
  std::uint64_t late = 0;
  for (double x : o.totals.latencies.values()) late += x > 1.0 ? 1 : 0;
  CHECK(late == 5);
  CHECK(o.model->servers.at(0)->running());
}

TEST_CASE("failures: a pulled cable loses the frames at the interface, and they are counted", "[run][failures][timeline]") {
  const Outcome o = run_cluster(cluster("4s", {"link-down|rs1/eth0|2050ms", "link-up|rs1/eth0|9s"}), Time::ms(2050));
  CHECK(failed(o.totals, FailReason::Timeout) == o.to_rs1.size());
  CHECK(o.to_rs1.size() >= 9);
  std::uint64_t at_rs1 = 0;
  for (const DropCounts::Entry& d : o.model->net.drop_counts().sorted())
    if (d.node == "rs1" && d.reason == "the interface is down (no carrier)") at_rs1 = d.count;
  CHECK(at_rs1 > 0);
  CHECK(log_lines(*o.model) == std::vector<std::string>{"2.05s link-down rs1/eth0: carrier lost (cable out)",
                                                        "9s link-up rs1/eth0: carrier back (cable in)"});
}

TEST_CASE("failures: a switch that fails takes every session with it", "[run][failures][timeline]") {
  const Outcome o = run_cluster(cluster("4s", {"link-down|inside|2050ms"}), Time::ms(2050));
  // Sessions at 2.1 .. 3.9 s: 19, none answered.
  CHECK(failed(o.totals, FailReason::Timeout) == 19);
}

TEST_CASE("failures: a random failure process alternates up and down periods drawn from its distributions",
          "[run][failures][random]") {
  scenario::ScenarioSpec spec = nat({"duration=10s", "workload.clients[0].arrivals.rate=10"});
  scenario::FailureProcessSpec f;
  f.kind = scenario::FailureKind::Crash;
  f.component = "rs2";
  f.time_to_failure = Distribution::constant(2.0);
  f.time_to_repair = Distribution::constant(0.5);
  spec.failures.push_back(f);
  const std::unique_ptr<run::Model> m = run::build_model(checked(spec), spec.seed);
  m->sim.run_until(Time::s(7));
  std::vector<std::string> events;
  for (const control::LogRecord& r : m->log.records()) events.push_back(to_string(r.at) + " " + r.event);
  CHECK(events == std::vector<std::string>{"2s crash", "2.5s recover", "4.5s crash", "5s recover", "7s crash"});
}
