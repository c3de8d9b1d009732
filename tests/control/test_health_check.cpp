// keepalived's checkers against real packets: detection times as the settings predict,
// recovery at the head of the list, inhibit_on_failure, alpha, the sorry server, HTTP_GET,
// MISC_CHECK, warm-up jitter and the log lines.

#include <algorithm>

#include "health_check_fixture.hpp"

using namespace lvs;
using namespace lvs::test;
using scenario::CheckKind;

namespace {

double seconds(Time t) { return t.seconds(); }

}  // namespace

TEST_CASE("health check: keepalived's GET is 71 bytes for / on 10.0.9.213:50080", "[control][health]") {
  // A strace of keepalived's HTTP_GET: sendto(..., "GET / HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n
  // Host: 10.0.9.213:50080\r\n\r\n", 71, ...) = 71.
  CHECK(control::keepalived_get_bytes("/", Ipv4Address(10, 0, 9, 213), 50080) == 71);
  CHECK(control::keepalived_get_bytes("/health/nfs.txt", Ipv4Address(10, 0, 1, 11), 80) == 81);
}

TEST_CASE("health check: a silent host is removed after 3 timeouts of 3 s and 2 retries 2 s apart",
          "[control][health]") {
  scenario::ScenarioSpec spec = checked_nat(keepalived());
  spec.services[0].destinations[0].checks = {check()};
  auto m = run::build_model(spec, spec.seed);
  VirtualService& vs = *m->directors[0]->services()[0];
  m->sim.run_until(Time::s(10));
  REQUIRE(list_order(vs) == std::vector<std::string>{"rs2", "rs1"});
  // Successes at ~1 s and ~7 s; the next attempt starts at ~13 s, into the silence.
  Silence silence(server(*m, "rs1"));
  m->sim.run_until(Time::s(30));
  const auto fails = records(*m, "check-fail");
  REQUIRE(fails.size() == 4);  // three attempts, then the DOWN line
  // Each attempt waits connect_timeout (3 s); a retry follows delay_before_retry (2 s) later.
  CHECK(seconds(fails[0].at) == Approx(16.0).margin(0.001));
  CHECK((fails[1].at - fails[0].at) == Time::s(5));
  CHECK((fails[2].at - fails[1].at) == Time::s(5));
  CHECK(fails[3].at == fails[2].at);
  CHECK(fails[0].line == "TCP connection to [192.168.10.102]:80 timedout.");
  CHECK(fails[3].line == "TCP_CHECK on service [192.168.10.102]:80 failed after 2 retries.");
  const auto down = records(*m, "realserver-down");
  REQUIRE(down.size() == 1);
  CHECK(seconds(down[0].at) == Approx(26.0).margin(0.001));  // 13 s after the first failing attempt
  CHECK(down[0].component == "[192.168.10.102]:80");
  CHECK(down[0].detail == "director: removed");
  CHECK(down[0].line == "Removing service [192.168.10.102]:80 from VS [192.168.74.129]:80");
  CHECK(list_order(vs) == std::vector<std::string>{"rs2"});
  // Back: the next attempt (delay_loop after the DOWN, at ~32 s) succeeds and re-adds it.
  silence.end();
  m->sim.run_until(Time::s(40));
  const auto up = records(*m, "realserver-up");
  REQUIRE(up.size() == 1);
  CHECK(seconds(up[0].at) == Approx(32.0).margin(0.001));
  CHECK(up[0].line == "Adding service [192.168.10.102]:80 to VS [192.168.74.129]:80");
  CHECK(list_order(vs) == std::vector<std::string>{"rs1", "rs2"});  // ADDDEST: at the head
}

TEST_CASE("health check: RST fails at once, recovery re-adds at the head, every checker must be up",
          "[control][health]") {
  scenario::ScenarioSpec spec = checked_nat(keepalived());
  scenario::CheckSpec closed = check();
  closed.connect_port = 81;  // nobody listens there: RST
  spec.services[0].destinations[0].checks = {check(), closed};
  auto m = run::build_model(spec, spec.seed);
  VirtualService& vs = *m->directors[0]->services()[0];
  m->sim.run_until(Time::s(2));
  // retry_it starts at retry: the first failure marks the checker DOWN, within a round trip.
  const auto down = records(*m, "realserver-down");
  REQUIRE(down.size() == 1);
  CHECK(down[0].at > Time::s(1));
  CHECK(down[0].at < Time::ms(1001));
  const auto fails = records(*m, "check-fail");
  REQUIRE(fails.size() == 2);
  CHECK(fails[0].line == "TCP connection to [192.168.10.102]:81 failed.");
  CHECK(fails[1].line == "TCP_CHECK on service [192.168.10.102]:81 failed.");
  CHECK(list_order(vs) == std::vector<std::string>{"rs2"});
  CHECK(m->checks.services()[0]->checker(0, 0).is_up());  // the port-80 checker stays up
  // While DOWN a TCP_CHECK still cycles through its retries: delay_loop after the DOWN (~7 s)
  // retry_it 0 -> 1, ~9 s 1 -> 2, and ~11 s is the last try of the round.
  RealServer& rs1 = server(*m, "rs1");
  Accepter app(rs1);
  m->sim.run_until(Time::s(10));
  rs1.tcp_listen(81, app, 16);  // the service starts
  m->sim.run_until(Time::s(20));
  const auto up = records(*m, "realserver-up");
  REQUIRE(up.size() == 1);
  CHECK(seconds(up[0].at) == Approx(11.0).margin(0.001));  // 1 + 6 + 2 + 2 s
  CHECK(m->checks.services()[0]->checker(0, 1).stats().attempts == 5);  // 1, 7, 9, 11, 17 s
  CHECK(list_order(vs) == std::vector<std::string>{"rs1", "rs2"});
  // rr walks the list from the head: rs1 first.
  SchedFlow flow{};
  const std::optional<DestId> pick = vs.pick(flow, m->sim.now());
  REQUIRE(pick);
  CHECK(vs.config(*pick).name == "rs1");
}

TEST_CASE("health check: inhibit_on_failure keeps the server in the list at weight 0", "[control][health]") {
  scenario::HealthCheckSpec hc = keepalived();
  hc.inhibit_on_failure = true;
  scenario::ScenarioSpec spec = checked_nat(hc);
  spec.services[0].destinations[0].weight = 3;
  scenario::CheckSpec closed = check();
  closed.connect_port = 81;
  spec.services[0].destinations[0].checks = {closed};
  auto m = run::build_model(spec, spec.seed);
  VirtualService& vs = *m->directors[0]->services()[0];
  m->sim.run_until(Time::s(2));
  CHECK(list_order(vs) == std::vector<std::string>{"rs2", "rs1"});
  CHECK(weight_of(vs, "rs1") == 0);
  const auto down = records(*m, "realserver-down");
  REQUIRE(down.size() == 1);
  CHECK(down[0].line == "Disabling service [192.168.10.102]:80 of VS [192.168.74.129]:80");
  RealServer& rs1 = server(*m, "rs1");
  Accepter app(rs1);
  rs1.tcp_listen(81, app, 16);
  m->sim.run_until(Time::s(20));
  CHECK(list_order(vs) == std::vector<std::string>{"rs2", "rs1"});  // EDITDEST: the place is kept
  CHECK(weight_of(vs, "rs1") == 3);
  REQUIRE(records(*m, "realserver-up").size() == 1);
  CHECK(records(*m, "realserver-up")[0].line == "Enabling service [192.168.10.102]:80 of VS [192.168.74.129]:80");
}

TEST_CASE("health check: under alpha servers wait outside for their first success", "[control][health]") {
  scenario::HealthCheckSpec hc = keepalived();
  hc.alpha = true;
  scenario::ScenarioSpec spec = checked_nat(hc);
  scenario::CheckSpec closed = check();
  closed.connect_port = 81;
  spec.services[0].destinations[0].checks = {check()};
  spec.services[0].destinations[1].checks = {closed};
  auto m = run::build_model(spec, spec.seed);
  VirtualService& vs = *m->directors[0]->services()[0];
  CHECK(vs.destinations().empty());
  m->sim.run_until(Time::ms(999));
  CHECK(vs.destinations().empty());
  m->sim.run_until(Time::ms(1010));
  CHECK(list_order(vs) == std::vector<std::string>{"rs1"});
  // rs2's checker starts DOWN with retry_it 0: its failures retry delay_before_retry apart
  // (1, 3, 5 s), then wait delay_loop (11 s), and nothing is logged as a change.
  m->sim.run_until(Time::s(12));
  CHECK(m->checks.services()[0]->checker(1, 0).stats().attempts == 4);
  CHECK(records(*m, "realserver-down").empty());
  CHECK(list_order(vs) == std::vector<std::string>{"rs1"});
}

TEST_CASE("health check: the sorry server stands in while no real server is up", "[control][health]") {
  scenario::HealthCheckSpec hc = keepalived();
  hc.sorry_server = "sorry";
  scenario::ScenarioSpec spec = checked_nat(hc);
  scenario::HostSpec sorry = spec.topology.hosts.back();  // rs2's twin at .104
  sorry.name = "sorry";
  sorry.interfaces.front().address = Ipv4Prefix(Ipv4Address(192, 168, 10, 104), 24);
  spec.topology.hosts.push_back(sorry);
  spec.servers[0].hosts.push_back("sorry");
  scenario::CheckSpec closed = check();
  closed.connect_port = 81;
  spec.services[0].destinations[0].checks = {closed};
  spec.services[0].destinations[1].checks = {closed};
  auto m = run::build_model(spec, spec.seed);
  VirtualService& vs = *m->directors[0]->services()[0];
  m->sim.run_until(Time::s(2));
  CHECK(list_order(vs) == std::vector<std::string>{"sorry"});
  const auto on = records(*m, "sorry-server-on");
  REQUIRE(on.size() == 1);
  CHECK(on[0].line == "Adding sorry server [192.168.10.104]:80 to VS [192.168.74.129]:80");
  CHECK(on[0].detail == "director: quorum 1 lost (live weight 0)");
  CHECK(on[0].at == records(*m, "realserver-down").back().at);
  RealServer& rs2 = server(*m, "rs2");
  Accepter app(rs2);
  rs2.tcp_listen(81, app, 16);
  m->sim.run_until(Time::s(20));
  const auto off = records(*m, "sorry-server-off");
  REQUIRE(off.size() == 1);
  CHECK(off[0].line == "Removing sorry server [192.168.10.104]:80 from VS [192.168.74.129]:80");
  CHECK(list_order(vs) == std::vector<std::string>{"rs2"});
  CHECK(m->checks.services()[0]->sorry_active() == false);
}

TEST_CASE("health check: HTTP_GET fails on a 500 and re-checks every max(delay_before_retry, delay_loop)",
          "[control][health]") {
  scenario::ScenarioSpec spec = checked_nat(keepalived());
  scenario::CheckSpec get = check(CheckKind::Http);
  get.delay_before_retry = Time::s(3);
  spec.services[0].destinations[0].checks = {get};
  spec.services[0].destinations[1].checks = {get};
  auto m = run::build_model(spec, spec.seed);
  RealServer& rs1 = server(*m, "rs1");
  rs1.set_http_status(500);
  VirtualService& vs = *m->directors[0]->services()[0];
  m->sim.run_until(Time::s(2));
  // The GET is a request like any other: the app answers after its 5 ms service time.
  const auto down = records(*m, "realserver-down");
  REQUIRE(down.size() == 1);
  CHECK(down[0].at > Time::ms(1005));
  CHECK(down[0].at < Time::ms(1010));
  const auto fails = records(*m, "check-fail");
  REQUIRE(fails.size() == 2);
  CHECK(fails[0].line == "HTTP status code error to server [192.168.10.102]:80.");
  CHECK(fails[1].line == "HTTP_CHECK on service [192.168.10.102]:80 failed after 2 retries.");
  CHECK(rs1.stats().requests == 1);
  CHECK(server(*m, "rs2").stats().requests == 1);
  CHECK(list_order(vs) == std::vector<std::string>{"rs2"});
  m->sim.run_until(Time::s(10));
  rs1.set_http_status(200);
  m->sim.run_until(Time::s(20));
  // DOWN: attempts ~1, ~7 (still 500), ~13 s (200): up; then delay_loop again (~19 s).
  CHECK(rs1.stats().requests == 4);
  const auto up = records(*m, "realserver-up");
  REQUIRE(up.size() == 1);
  CHECK(seconds(up[0].at) == Approx(13.015).margin(0.005));
  CHECK(records(*m, "check-ok").back().line == "Remote Web server [192.168.10.102]:80 succeed on service.");
  CHECK(list_order(vs) == std::vector<std::string>{"rs1", "rs2"});
}

TEST_CASE("health check: MISC_CHECK succeeds with its probability, sending nothing", "[control][health]") {
  scenario::HealthCheckSpec hc = keepalived();
  hc.delay_loop = Time::s(1);
  scenario::ScenarioSpec spec = checked_nat(hc, "1001s");
  scenario::CheckSpec misc = check(CheckKind::Misc);
  misc.retry = 0;
  misc.misc_success = 0.3;
  spec.services[0].destinations[0].checks = {misc};
  const auto run = [&](std::uint64_t seed) {
    auto m = run::build_model(spec, seed);
    m->sim.run_until(Time::s(1000) + Time::ms(500));
    return m->checks.services()[0]->checker(0, 0).stats();
  };
  const control::CheckerStats a = run(1);
  CHECK(a.attempts == 1000);                            // at 1, 2, ..., 1000 s
  CHECK(a.failures >= 650);                             // 700 expected, sd 14.5
  CHECK(a.failures <= 750);
  CHECK(run(1).failures == a.failures);                 // the same seed, the same draws
  CHECK(run(2).failures != a.failures);
  auto m = run::build_model(spec, 1);
  m->sim.run_until(Time::s(100));
  CHECK(m->director_transports[0]->transport_stats().segments_out == 0);
}

TEST_CASE("health check: first attempts at 1 s + U[0, warmup], the same for a seed", "[control][health]") {
  scenario::HealthCheckSpec hc = keepalived();
  hc.warmup = Time::s(5);
  scenario::ScenarioSpec spec = checked_nat(hc);
  spec.services[0].destinations[0].checks = std::vector<scenario::CheckSpec>(20, check(CheckKind::Misc));
  spec.services[0].destinations[1].checks = std::vector<scenario::CheckSpec>(20, check(CheckKind::Misc));
  const auto first_runs = [&](std::uint64_t seed) {
    auto m = run::build_model(spec, seed);
    std::vector<Time> out;
    const control::CheckedService& cs = *m->checks.services()[0];
    for (std::size_t s = 0; s < 2; ++s)
      for (std::size_t k = 0; k < 20; ++k) out.push_back(cs.checker(s, k).first_run());
    return out;
  };
  const std::vector<Time> a = first_runs(7);
  for (Time t : a) {
    CHECK(t >= Time::s(1));
    CHECK(t <= Time::s(6));
  }
  CHECK(*std::min_element(a.begin(), a.end()) < Time::s(2));
  CHECK(*std::max_element(a.begin(), a.end()) > Time::s(5));
  CHECK(first_runs(7) == a);
  CHECK(first_runs(8) != a);
}
