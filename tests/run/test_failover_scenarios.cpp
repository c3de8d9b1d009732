// The bundled failover scenarios, end to end: the takeover time is the RFC arithmetic from
// the last advert the backup heard; with the sync daemon no established connection is lost
// at the takeover, without it exactly those open at the crash are reset; a silent web server
// is removed after retry + 1 failed checks, delay_before_retry apart, each connect_timeout long.

#include <catch2/catch.hpp>

#include "run_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

std::vector<const control::LogRecord*> records(const run::Model& m, const std::string& event) {
  std::vector<const control::LogRecord*> out;
  for (const control::LogRecord& r : m.log.records())
    if (r.event == event) out.push_back(&r);
  return out;
}

void show_log(const run::Model& m) {
  for (const control::LogRecord& r : m.log.records())
    UNSCOPED_INFO(to_string(r.at) << " " << r.component << " " << r.event << " " << r.detail << " | " << r.line);
}

// When lvs2 received each VRRP advert.
struct AdvertsAt : PacketObserver {
  std::vector<Time> at;
  void on_receive(Time t, const Interface& in, const Packet& p) override {
    if (in.node().name() == "lvs2" && p.ip.proto == IpProto::Vrrp) at.push_back(t);
  }
};

// The sum of ActiveConn over lvs1's destinations (ESTABLISHED connections, ipvsadm's view).
std::int64_t active_on(const run::Model& m, const std::string& director) {
  std::int64_t sum = 0;
  for (const Director* d : m.directors)
    if (d->name() == director)
      for (const auto& s : d->services())
        for (const SchedDest& dest : s->destinations()) sum += dest.activeconns;
  return sum;
}

}  // namespace

TEST_CASE("failover-director: lvs2 takes over 3.609375 s after the last advert it heard, and the router follows its GARP",
          "[run][failover][vrrp]") {
  const scenario::ScenarioSpec spec = scenario_file("failover-director", {"duration=30s"});
  const auto m = run::build_model(spec, spec.seed);
  AdvertsAt adverts;
  m->net.set_observer(&adverts);
  m->sim.run_until(Time::s(30));
  m->net.set_observer(nullptr);
  show_log(*m);
  Time last_before_crash;
  for (Time t : adverts.at)
    if (t < Time::s(20)) last_before_crash = t;
  Time takeover = Time::max();
  for (const control::LogRecord* r : records(*m, "vrrp-state"))
    if (r->component == "VI_1@lvs2" && r->detail == "BACKUP->MASTER") takeover = std::min(takeover, r->at);
  // RFC 3768 6.1 / keepalived: 3 x 1 s + (256 - 100) / 256 s, in integer microseconds.
  CHECK(takeover == last_before_crash + Time::us(3'609'375));
  CHECK(takeover > Time::s(20));
}

TEST_CASE("failover-director: with sync no connection is lost at the takeover, without it every open one is reset",
          "[run][failover][sync]") {
  for (const bool sync : {true, false}) {
    CAPTURE(sync);
    scenario::ScenarioSpec spec = scenario_file("failover-director", {"duration=39s"});
    if (!sync) spec.sync_daemon.reset();
    const auto m = run::build_model(spec, spec.seed);
    std::int64_t open_at_crash = -1;
    m->sim.schedule_at(Time::s(20) - Time::ns(1), [&] { open_at_crash = active_on(*m, "lvs1"); });
    m->sim.run_until(Time::s(39));
    const RequestStats& s = m->clients.at(0)->totals();
    CHECK(open_at_crash > 20);
    CHECK(failed(s, FailReason::Timeout) == 0);
    CHECK(failed(s, FailReason::Reset) == (sync ? 0 : static_cast<std::uint64_t>(open_at_crash)));
  }
}

TEST_CASE("failover-realserver: a silent web server is removed after retry + 1 failed checks",
          "[run][failover][checks]") {
  const scenario::ScenarioSpec spec = scenario_file("failover-realserver", {"duration=40s"});
  const auto m = run::build_model(spec, spec.seed);
  m->sim.run_until(Time::s(40));
  show_log(*m);
  std::vector<Time> fails;
  for (const control::LogRecord* r : records(*m, "check-fail"))
    if (r->component == "[192.168.1.102]:80" && r->detail.rfind("lvs1", 0) == 0) fails.push_back(r->at);
  Time down = Time::max();
  for (const control::LogRecord* r : records(*m, "realserver-down"))
    if (r->component == "[192.168.1.102]:80" && r->detail.rfind("lvs1", 0) == 0) down = std::min(down, r->at);
  // delay_loop 6 s, connect_timeout 3 s, retry 2, delay_before_retry 2 s: the first attempt
  // after the crash starts within 6 s and fails 3 s later; the next two follow 2 + 3 s apart.
  REQUIRE(fails.size() >= 3);
  CHECK(fails[0] > Time::s(23));
  CHECK(fails[0] <= Time::s(29));
  CHECK(fails[1] - fails[0] == Time::s(5));
  CHECK(fails[2] - fails[1] == Time::s(5));
  CHECK(down == fails[2]);
}

TEST_CASE("keepalived-lvs: a cable pulled from the master faults its instance, and back it takes over again with GARPs",
          "[run][failover][vrrp]") {
  scenario::ScenarioSpec spec = scenario_file("keepalived-lvs", {"duration=40s"});
  for (const auto& [at, action] : {std::pair{Time::s(20), scenario::EventSpec::Action::LinkDown},
                                   std::pair{Time::s(30), scenario::EventSpec::Action::LinkUp}}) {
    scenario::EventSpec e;
    e.at = at;
    e.action = action;
    e.component = "lvs1/eth0";
    spec.events.push_back(e);
  }
  const auto m = run::build_model(spec, spec.seed);
  m->sim.run_until(Time::s(40));
  show_log(*m);
  std::vector<std::string> lvs1;
  for (const control::LogRecord* r : records(*m, "vrrp-state"))
    if (r->component == "VI_1@lvs1") lvs1.push_back(to_string(r->at) + " " + r->detail);
  // keepalived tracks its interface: FAULT at the carrier poll (every 10 ms: here the same
  // instant), BACKUP when it is back, then MASTER again when its down timer runs out
  // (lvs2's priority is lower: lvs1 ignores its adverts).
  for (const std::string& line : lvs1) UNSCOPED_INFO(line);
  REQUIRE(lvs1.size() == 5);
  CHECK(lvs1[0] == "0ns INIT->BACKUP");
  CHECK(lvs1[1].substr(lvs1[1].find(' ')) == " BACKUP->MASTER");
  CHECK(lvs1[2] == "20s MASTER->FAULT");
  CHECK(lvs1[3] == "30s FAULT->BACKUP");
  CHECK(lvs1[4].substr(lvs1[4].find(' ')) == " BACKUP->MASTER");
  std::size_t garps_after = 0;
  for (const control::LogRecord* r : records(*m, "garp"))
    if (r->component == "VI_1@lvs1" && r->at > Time::s(30)) ++garps_after;
  CHECK(garps_after >= 1);
  // The clients lose only what the takeovers cost: no black hole after the cable is back.
  const RequestStats& s = m->clients.at(0)->totals();
  CHECK(failed(s, FailReason::Timeout) < 1000);
}
