// The failover keys read into exact values (keepalived's inheritance and defaults), and the
// failover checks of validate(): each bad reference named at its key.

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "scenario/scenario_spec.hpp"
#include "scenario_fixture.hpp"

using namespace lvs;
using namespace lvs::scenario;

namespace {

const std::string kPairFile = std::string(LVSLAB_SOURCE_DIR) + "/tests/scenario/data/keepalived-pair.yaml";

std::string pair_text() {
  std::ifstream in(kPairFile);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The pair's text with `from` replaced by `to` (which must occur).
std::string edited(const std::string& from, const std::string& to) {
  std::string text = pair_text();
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::vector<std::string> findings_of(const std::string& text) {
  std::vector<std::string> out;
  for (const Finding& f : validate(read_scenario_text(text, "p.yaml"))) out.push_back(f.str("p.yaml"));
  return out;
}

// The one finding of `text` that contains `part`, or "" (the findings are listed on failure).
std::string finding_with(const std::string& text, const std::string& part) {
  const std::vector<std::string> found = findings_of(text);
  for (const std::string& f : found)
    if (f.find(part) != std::string::npos) return f;
  for (const std::string& f : found) UNSCOPED_INFO(f);
  return "";
}

}  // namespace

TEST_CASE("failover: a service on a VRRP pair runs on both directors", "[scenario_reader][failover]") {
  const ScenarioSpec spec = read_scenario(kPairFile);
  const ServiceSpec& s = spec.services.at(0);
  CHECK(s.director == "lvs1");
  CHECK(s.also_on == std::vector<std::string>{"lvs2"});
  CHECK(validate(spec).empty());
}

TEST_CASE("failover: checkers inherit the virtual server's values, keepalived's defaults fill the rest",
          "[scenario_reader][failover]") {
  const ScenarioSpec spec = read_scenario(kPairFile);
  const ServiceSpec& s = spec.services.at(0);
  REQUIRE(s.health_check);
  CHECK(s.health_check->delay_loop == Time::s(6));
  CHECK(!s.health_check->warmup);
  CHECK(!s.health_check->alpha);
  // web1 takes the service's common TCP_CHECK with connect_timeout 3 s, retry 2, delay 2 s.
  const auto& web1 = s.destinations.at(0).checks;
  REQUIRE(web1.size() == 1);
  CHECK(web1[0].kind == CheckKind::Tcp);
  CHECK(web1[0].connect_timeout == Time::s(3));
  CHECK(web1[0].retry == 2);
  CHECK(web1[0].delay_before_retry == Time::s(2));
  // web2's own checkers: nb_get_retry is retry's old name; MISC_CHECK's own retry default
  // (0) gives way to the virtual server's 2, as keepalived's inheritance does.
  const auto& web2 = s.destinations.at(1).checks;
  REQUIRE(web2.size() == 2);
  CHECK(web2[0].kind == CheckKind::Http);
  CHECK(web2[0].url_path == "/health");
  CHECK(web2[0].status_code == 200);
  CHECK(web2[0].retry == 3);
  CHECK(web2[0].delay_before_retry == Time::s(2));
  CHECK(web2[1].kind == CheckKind::Misc);
  CHECK(web2[1].misc_success == 0.5);
}

TEST_CASE("failover: without virtual server values, each checker kind has keepalived's own defaults",
          "[scenario_reader][failover]") {
  const ScenarioSpec spec = read_scenario_text(
      edited("      connect_timeout: 3s\n      retry: 2\n      delay_before_retry: 2s\n", ""), "p.yaml");
  const auto& web1 = spec.services.at(0).destinations.at(0).checks.at(0);
  CHECK(web1.connect_timeout == Time::s(5));  // alloc_vs: connection_to = 5 s
  CHECK(web1.retry == 1);                      // queue_checker: default_retry = 1
  CHECK(web1.delay_before_retry == Time::s(1));
  const auto& web2 = spec.services.at(0).destinations.at(1).checks;
  CHECK(web2.at(0).delay_before_retry == Time::s(3));  // check_http.c: 3 s for HTTP_GET
  CHECK(web2.at(1).retry == 0);                          // MISC_CHECK: no retry
}

TEST_CASE("failover: VRRP instance, members, scripts and the sync daemon", "[scenario_reader][failover]") {
  const ScenarioSpec spec = read_scenario(kPairFile);
  REQUIRE(spec.vrrp.size() == 1);
  const VrrpInstanceSpec& v = spec.vrrp[0];
  CHECK(v.name == "VI_1");
  CHECK(v.virtual_router_id == 51);
  CHECK(v.version == 2);
  CHECK(v.advert_int == Time::s(1));
  CHECK(v.virtual_ipaddress.at(0).str() == "192.168.1.100/24");
  CHECK(v.auth_pass == "s3cr3t12");
  CHECK(v.garp_master_delay == Time::s(5));
  CHECK(v.garp_master_repeat == 5);
  REQUIRE(v.members.size() == 2);
  CHECK(v.members[0].state == VrrpInitialState::Master);
  CHECK(v.members[0].priority == 150U);
  CHECK(v.members[1].state == VrrpInitialState::Backup);
  CHECK(v.members[1].track_scripts.at(0).script == "chk_lan");
  CHECK(v.members[1].track_scripts.at(0).weight == -60);
  REQUIRE(spec.vrrp_scripts.size() == 1);
  CHECK(spec.vrrp_scripts[0].check == "interface eth0");
  CHECK(spec.vrrp_scripts[0].interval == Time::s(2));
  CHECK(spec.vrrp_scripts[0].fall == 3);
  REQUIRE(spec.sync_daemon);
  CHECK(spec.sync_daemon->instance == "VI_1");
  CHECK(spec.sync_daemon->maxlen == 1472);
}

TEST_CASE("failover: the timeline's failures and the random failure processes", "[scenario_reader][failover]") {
  const ScenarioSpec spec = read_scenario(kPairFile);
  using A = EventSpec::Action;
  REQUIRE(spec.events.size() == 6);
  CHECK(spec.events[0].action == A::Crash);
  CHECK(spec.events[0].component == "web1");
  CHECK(spec.events[1].action == A::Stop);
  CHECK(spec.events[1].port == std::optional<std::uint16_t>(80));
  CHECK(spec.events[2].action == A::Start);
  CHECK(!spec.events[2].port);
  CHECK(spec.events[4].action == A::LinkDown);
  CHECK(spec.events[4].component == "lvs1/eth0");
  REQUIRE(spec.failures.size() == 2);
  CHECK(spec.failures[0].kind == FailureKind::Crash);
  CHECK(spec.failures[0].time_to_failure.mean() == Approx(1000.0 * 3600));
  CHECK(spec.failures[0].time_to_repair.mean() == Approx(3600.0));
  CHECK(spec.failures[1].kind == FailureKind::Stop);
  CHECK(spec.failures[1].component == "web2:80");
  CHECK(spec.failures[1].time_to_repair.mean() == Approx(600.0));
}

TEST_CASE("failover: quorum and hysteresis, keepalived's 1 and 0 unless given", "[scenario_reader][failover]") {
  const HealthCheckSpec plain = *read_scenario(kPairFile).services.at(0).health_check;
  CHECK(plain.quorum == 1);
  CHECK(plain.hysteresis == 0);
  const ScenarioSpec spec =
      read_scenario_text(edited("delay_loop: 6s", "delay_loop: 6s\n      quorum: 2\n      hysteresis: 1"), "p.yaml");
  CHECK(spec.services.at(0).health_check->quorum == 2);
  CHECK(spec.services.at(0).health_check->hysteresis == 1);
  CHECK_THAT(test::error_of([] { read_scenario_text(edited("delay_loop: 6s", "delay_loop: 6s\n      quorum: 0"), "p.yaml"); }),
             Catch::Contains("health_check.quorum: expected an integer in 1..4294967295"));
}

TEST_CASE("failover: reading errors name the key", "[scenario_reader][failover]") {
  CHECK_THAT(test::error_of([] { read_scenario_text(edited("advert_int: 1s", "advert_int: 1500ms"), "p.yaml"); }),
             Catch::Contains("vrrp.instances[0].advert_int: VRRP version 2 advertises whole seconds"));
  CHECK_THAT(test::error_of([] {
               read_scenario_text(edited("{director: lvs1, interface: eth0, state: MASTER, priority: 150}",
                                         "{director: lvs1, state: MASTER, nopreempt: true}"),
                                  "p.yaml");
             }),
             Catch::Contains("members[0].nopreempt: nopreempt needs state BACKUP"));
  CHECK_THAT(test::error_of([] { read_scenario_text(edited("{type: MISC_CHECK, success: 0.5}", "{type: MISC_CHECK, url: /x}"), "p.yaml"); }),
             Catch::Contains("checks[1].url: url is an HTTP_GET setting"));
  CHECK_THAT(test::error_of([] { read_scenario_text(edited("mtbf: 1000h, mttr: 1h", "mttr: 1h"), "p.yaml"); }),
             Catch::Contains("failures[0]: missing 'time_to_failure' or 'mtbf'; give a mean (mtbf) or a distribution"));
  CHECK_THAT(test::error_of([] { read_scenario_text(edited("timeline:", "events:"), "p.yaml"); }), Catch::Contains("no error"));
  CHECK_THAT(test::error_of([] { read_scenario_text(edited("{at: 35s, start: web2}", "{at: 35s, start: web2, weight: 1}"), "p.yaml"); }),
             Catch::Contains("timeline[2].weight: unknown key"));
}

TEST_CASE("failover: validate names every reference that does not resolve", "[validate][failover]") {
  CHECK(findings_of(edited("director: [lvs1, lvs2]", "director: [lvs1, web1]")) ==
        std::vector<std::string>{"p.yaml:43:15: services[0].director: error: a virtual service runs on a director: "
                                 "real server web1 is not a director"});
  CHECK(!finding_with(edited("{director: lvs1, interface: eth0,", "{director: lvs1, interface: eth9,"),
                      "members[0].interface: error: director lvs1 has no interface 'eth9' (it has eth0)").empty());
  CHECK(!finding_with(edited("script: chk_lan, weight", "script: chk_wan, weight"),
                      "error: no vrrp script called 'chk_wan' in VI_1").empty());
  CHECK(!finding_with(edited("{at: 40s, recover: web1}", "{at: 40s, recover: web2}"),
                      "timeline[3]: error: not crashed: web2 at 40s").empty());
  CHECK(!finding_with(edited("{at: 45s, link-down: lvs1/eth0}", "{at: 45s, link-down: lvs1/eth1}"),
                      "timeline[4]: error: director lvs1 has no interface 'eth1' (it has eth0)").empty());
  CHECK(!finding_with(edited("stop: \"web2:80\"", "stop: \"web2:8080\""),
                      "failures[1]: error: real server web2 runs no server application on port 8080 to stop").empty());
  CHECK(!finding_with(edited("instance: VI_1}", "instance: VI_2}"),
                      "sync_daemon.instance: error: no vrrp instance called 'VI_2'").empty());
}

TEST_CASE("failover: validate sees the VIP on the expected master, as keepalived configures it at start-up",
          "[validate][failover]") {
  // Without the instance, the VIP is on no director: the service check says so.
  const std::string vrrp_start = "vrrp:\n", vrrp_end = "sync_daemon: {interface: eth0, instance: VI_1}\n";
  std::string text = pair_text();
  text.erase(text.find(vrrp_start), text.find(vrrp_end) + vrrp_end.size() - text.find(vrrp_start));
  const std::vector<std::string> found = findings_of(text);
  REQUIRE(!found.empty());
  CHECK_THAT(found.at(0), Catch::Contains("VIP 192.168.1.100 is not an address of director lvs1"));
}
