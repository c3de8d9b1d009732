// ldirectord's keys on the same checkers: checkinterval, checktimeout, failurecount,
// quiescent (ldirectord(8)).

#include "health_check_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

scenario::HealthCheckSpec ldirectord() {
  scenario::HealthCheckSpec hc;
  hc.flavour = scenario::CheckFlavour::Ldirectord;
  hc.delay_loop = scenario::kLdirectordCheckInterval;
  hc.inhibit_on_failure = scenario::kLdirectordQuiescent;
  return hc;
}

scenario::CheckSpec connect_check(std::uint32_t failurecount) {
  scenario::CheckSpec c;
  c.connect_timeout = scenario::kLdirectordCheckTimeout;
  c.retry = failurecount - 1;
  return c;
}

}  // namespace

TEST_CASE("ldirectord: servers join at the first check, quiesce after failurecount checks checkinterval apart",
          "[control][health]") {
  scenario::ScenarioSpec spec = checked_nat(ldirectord());
  spec.services[0].destinations[0].checks = {connect_check(2)};
  auto m = run::build_model(spec, spec.seed);
  VirtualService& vs = *m->directors[0]->services()[0];
  CHECK(weight_of(vs, "rs1") == 0);  // quiescent until a check finds it alive
  m->sim.run_until(Time::ms(10));
  CHECK(weight_of(vs, "rs1") == 1);  // checked at once, no bootstrap delay
  const auto up = records(*m, "realserver-up");
  REQUIRE(up.size() == 1);
  CHECK(up[0].line == "Added real server: 192.168.10.102:80 (192.168.74.129:80) (Weight set to 1)");
  m->sim.run_until(Time::s(5));
  Silence silence(server(*m, "rs1"));
  // Checks at ~10 s and ~25 s (5 s checktimeout, then checkinterval): the second failure quiesces.
  m->sim.run_until(Time::s(60));
  const auto down = records(*m, "realserver-down");
  REQUIRE(down.size() == 1);
  CHECK(down[0].at.seconds() == Approx(30.0).margin(0.001));
  CHECK(down[0].line == "Quiescent real server: 192.168.10.102:80 (192.168.74.129:80) (Weight set to 0)");
  CHECK(weight_of(vs, "rs1") == 0);
  CHECK(list_order(vs) == std::vector<std::string>{"rs2", "rs1"});
}

TEST_CASE("ldirectord: quiescent = no deletes the server", "[control][health]") {
  scenario::HealthCheckSpec hc = ldirectord();
  hc.inhibit_on_failure = false;
  scenario::ScenarioSpec spec = checked_nat(hc);
  scenario::CheckSpec closed = connect_check(scenario::kLdirectordFailureCount);
  closed.connect_port = 81;
  spec.services[0].destinations[0].checks = {closed};
  auto m = run::build_model(spec, spec.seed);
  VirtualService& vs = *m->directors[0]->services()[0];
  CHECK(list_order(vs) == std::vector<std::string>{"rs2"});
  m->sim.run_until(Time::s(30));
  CHECK(list_order(vs) == std::vector<std::string>{"rs2"});
  CHECK(m->checks.services()[0]->checker(0, 0).stats().attempts == 3);  // 0, 10, 20 s
}
