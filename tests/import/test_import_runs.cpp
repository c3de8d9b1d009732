// What `lvslab import` writes is a scenario like any other: every configuration of the
// import tests reads back from its YAML, passes validate without an error and runs; and a
// scenario exported to keepalived.conf files imports back to the same cluster.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>

#include "import/keepalived_writer.hpp"
#include "import/scenario_yaml_writer.hpp"
#include "import_configs.hpp"
#include "run/run.hpp"
#include "support/source_tree.hpp"

using namespace lvs;
using namespace lvs::import;
using namespace lvs::test::imports;

namespace {

// `spec` has no validate error (each finding shown on failure).
void check_valid(const scenario::ScenarioSpec& spec, const std::string& yaml) {
  INFO(yaml);
  for (const scenario::Finding& f : scenario::validate(spec)) {
    INFO(f.str(spec.file));
    CHECK(f.severity != scenario::Finding::Severity::Error);
  }
}

// Runs `spec` for `seconds` of simulated time; requests complete and none is refused or reset.
void check_runs(const scenario::ScenarioSpec& spec, double seconds) {
  run::RunOptions o;
  o.until = Time::ms(static_cast<std::int64_t>(seconds * 1000));
  const run::RunResult r = run::run_scenario(spec, o);
  INFO(spec.name << ": issued " << r.requests.issued << ", completed " << r.requests.completed << ", failed "
                 << r.requests.failed_total());
  CHECK(r.sim_time_s == Approx(seconds));
  CHECK(r.requests.completed > 0);
  CHECK(r.requests.failed_total() == 0);
}

// The primary address of host `name` in `spec`.
Ipv4Address address_of(const scenario::ScenarioSpec& spec, const std::string& name) {
  for (const scenario::HostSpec& h : spec.topology.hosts)
    if (h.name == name) return h.interfaces.at(0).address.address();
  FAIL("no host " << name);
  return {};
}

void check_same_checks(const scenario::CheckSpec& a, const scenario::CheckSpec& b) {
  CHECK(a.kind == b.kind);
  CHECK(a.connect_port == b.connect_port);
  CHECK(a.connect_timeout == b.connect_timeout);
  CHECK(a.retry == b.retry);
  CHECK(a.delay_before_retry == b.delay_before_retry);
  CHECK(a.url_path == b.url_path);
  CHECK(a.status_code == b.status_code);
  CHECK(a.misc_success == b.misc_success);
  CHECK(a.misc_timeout == b.misc_timeout);
}

// The services of `a` and `b` are the same, destinations compared by address (the import
// names the real servers rs1, rs2, ...).
void check_same_services(const scenario::ScenarioSpec& a, const scenario::ScenarioSpec& b) {
  REQUIRE(a.services.size() == b.services.size());
  for (std::size_t i = 0; i < a.services.size(); ++i) {
    const scenario::ServiceSpec &s = a.services[i], &t = b.services[i];
    CHECK(s.director == t.director);
    CHECK(s.also_on == t.also_on);
    CHECK(s.protocol == t.protocol);
    CHECK(s.vip == t.vip);
    CHECK(s.port == t.port);
    CHECK(s.scheduler == t.scheduler);
    CHECK(s.persistent == t.persistent);
    REQUIRE(s.health_check.has_value() == t.health_check.has_value());
    if (s.health_check) {
      CHECK(s.health_check->delay_loop == t.health_check->delay_loop);
      CHECK(s.health_check->alpha == t.health_check->alpha);
      CHECK(s.health_check->inhibit_on_failure == t.health_check->inhibit_on_failure);
      CHECK(s.health_check->quorum == t.health_check->quorum);
      CHECK(s.health_check->hysteresis == t.health_check->hysteresis);
      CHECK(s.health_check->warmup == t.health_check->warmup);
    }
    REQUIRE(s.destinations.size() == t.destinations.size());
    for (std::size_t k = 0; k < s.destinations.size(); ++k) {
      const scenario::DestinationSpec &d = s.destinations[k], &e = t.destinations[k];
      CHECK(d.address.value_or(address_of(a, d.server)) == e.address.value_or(address_of(b, e.server)));
      CHECK(d.port.value_or(s.port) == e.port.value_or(t.port));
      CHECK(d.method == e.method);
      CHECK(d.weight == e.weight);
      REQUIRE(d.checks.size() == e.checks.size());
      for (std::size_t c = 0; c < d.checks.size(); ++c) check_same_checks(d.checks[c], e.checks[c]);
    }
  }
}

void check_same_vrrp(const scenario::ScenarioSpec& a, const scenario::ScenarioSpec& b) {
  REQUIRE(a.vrrp.size() == b.vrrp.size());
  for (std::size_t i = 0; i < a.vrrp.size(); ++i) {
    const scenario::VrrpInstanceSpec &v = a.vrrp[i], &w = b.vrrp[i];
    CHECK(v.name == w.name);
    CHECK(v.virtual_router_id == w.virtual_router_id);
    CHECK(v.version == w.version);
    CHECK(v.advert_int == w.advert_int);
    CHECK(v.virtual_ipaddress == w.virtual_ipaddress);
    CHECK(v.auth_pass == w.auth_pass);
    CHECK(v.garp_master_delay == w.garp_master_delay);
    CHECK(v.garp_master_repeat == w.garp_master_repeat);
    REQUIRE(v.members.size() == w.members.size());
    for (std::size_t m = 0; m < v.members.size(); ++m) {
      CHECK(v.members[m].director == w.members[m].director);
      CHECK(v.members[m].interface == w.members[m].interface);
      CHECK(v.members[m].state == w.members[m].state);
      CHECK(v.members[m].priority == w.members[m].priority);
      CHECK(v.members[m].nopreempt == w.members[m].nopreempt);
      REQUIRE(v.members[m].track_scripts.size() == w.members[m].track_scripts.size());
      for (std::size_t t = 0; t < v.members[m].track_scripts.size(); ++t) {
        CHECK(v.members[m].track_scripts[t].script == w.members[m].track_scripts[t].script);
        CHECK(v.members[m].track_scripts[t].weight == w.members[m].track_scripts[t].weight);
      }
    }
  }
  REQUIRE(a.vrrp_scripts.size() == b.vrrp_scripts.size());
  for (std::size_t i = 0; i < a.vrrp_scripts.size(); ++i) {
    const scenario::VrrpScriptSpec &s = a.vrrp_scripts[i], &t = b.vrrp_scripts[i];
    CHECK(s.name == t.name);
    CHECK(s.check == t.check);
    CHECK(s.interval == t.interval);
    CHECK(s.rise == t.rise);
    CHECK(s.fall == t.fall);
    CHECK(s.weight == t.weight);
  }
  REQUIRE(a.sync_daemon.has_value() == b.sync_daemon.has_value());
  if (a.sync_daemon) {
    CHECK(a.sync_daemon->interface == b.sync_daemon->interface);
    CHECK(a.sync_daemon->instance == b.sync_daemon->instance);
    CHECK(a.sync_daemon->syncid == b.sync_daemon->syncid);
    CHECK(a.sync_daemon->maxlen == b.sync_daemon->maxlen);
  }
}

}  // namespace

TEST_CASE("import: every test configuration imports to a scenario that validates and runs", "[import]") {
  const std::string name = GENERATE(from_range(import_case_names()));
  INFO(name);
  Diagnostics d;
  const ImportResult imported = to_scenario(import_case(name, d), d);
  const std::string yaml = scenario_yaml(imported);
  scenario::ScenarioSpec spec;
  {
    INFO(yaml);
    REQUIRE_NOTHROW(spec = scenario::read_scenario_text(yaml, name + ".yaml"));
  }
  check_valid(spec, yaml);
  check_runs(spec, 3.0);
}

TEST_CASE("import: a virtual service without real servers is skipped, and nothing left is an error", "[import]") {
  Diagnostics d;
  const ImportInput in = import_case("ipvsadm-bad-lines", d);
  CHECK_THROWS_WITH(to_scenario(in, d), "r: error: no virtual server with a real server and no vrrp_instance: nothing to import");
  CHECK(warnings(d).back() == "r:5: warning: virtual server 10.0.0.100 53 on director has no real server: skipped");
}

TEST_CASE("export: keepalived-pair.yaml as keepalived.conf files imports back to the same cluster", "[import]") {
  const scenario::ScenarioSpec original =
      scenario::read_scenario((test::kSource / "tests/scenario/data/keepalived-pair.yaml").string());
  const std::vector<std::string> directors = exported_directors(original);
  REQUIRE(directors == std::vector<std::string>{"lvs1", "lvs2"});
  const auto dir = scratch("export-pair");
  Diagnostics d;
  ImportInput in;
  for (const std::string& director : directors)
    in.keepalived.push_back(read_keepalived(
        write(dir / per_director_path("keepalived.conf", director, true), keepalived_conf(original, director)), d));
  const ImportResult back = to_scenario(in, d);
  CHECK(warnings(d).empty());
  check_same_services(original, back.spec);
  check_same_vrrp(original, back.spec);
  const std::string yaml = scenario_yaml(back);
  const scenario::ScenarioSpec spec = scenario::read_scenario_text(yaml, "back.yaml");
  check_valid(spec, yaml);
  check_runs(spec, 3.0);
}
