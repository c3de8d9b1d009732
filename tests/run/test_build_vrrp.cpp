// build_vrrp: the scenario's vrrp_instance / vrrp_script / vrrp_sync_group specs made into
// one VRRP daemon per director, with keepalived's defaults resolved.

#include <catch2/catch.hpp>

#include "run/build_vrrp.hpp"
#include "run/builder.hpp"

using namespace lvs;
using namespace lvs::run;
using namespace lvs::scenario;

namespace {

// Two directors on one segment, as the builder would leave them.
struct Pair {
  Model m{1};
  Pair() {
    Segment& lan = m.net.add_segment("lan", TxParams{});
    for (std::uint8_t i = 1; i <= 2; ++i) {
      Director& d = m.net.add_node<Director>("lvs" + std::to_string(i));
      lan.attach(d.add_ethernet("eth0", MacAddress::local(i), Ipv4Prefix(Ipv4Address(10, 0, 0, i), 24)));
      m.directors.push_back(&d);
    }
  }
};

VrrpMemberSpec member(std::string director, VrrpInitialState state, std::optional<std::uint32_t> priority) {
  VrrpMemberSpec m;
  m.director = std::move(director);
  m.state = state;
  m.priority = priority;
  return m;
}

}  // namespace

TEST_CASE("build_vrrp: keepalived's defaults for priority, nopreempt and auth_pass", "[run][vrrp]") {
  VrrpInstanceSpec vi;
  vi.name = "VI_WEB";
  vi.virtual_router_id = 51;
  vi.auth_pass = "s3cr3t12-and-more";
  vi.virtual_ipaddress = {*Ipv4Prefix::parse("10.0.0.100/24")};
  VrrpMemberSpec master = member("lvs1", VrrpInitialState::Master, std::nullopt);
  master.nopreempt = true;
  master.preempt_delay = Time::s(5);
  const control::VrrpConfig a = vrrp_config(vi, master);
  CHECK(a.priority == 255);  // state MASTER without a priority: the owner
  CHECK_FALSE(a.nopreempt);  // cleared for state MASTER
  CHECK(a.preempt_delay == Time::zero());
  CHECK(a.auth_pass == "s3cr3t12");
  VrrpMemberSpec backup = member("lvs2", VrrpInitialState::Backup, std::nullopt);
  backup.nopreempt = true;
  const control::VrrpConfig b = vrrp_config(vi, backup);
  CHECK(b.priority == 100);
  CHECK(b.nopreempt);
  CHECK(b.garp_master_repeat == 5);
  CHECK(b.garp_master_delay == Time::s(5));
}

TEST_CASE("build_vrrp: a daemon per director, scripts, sync groups, started at 0", "[run][vrrp]") {
  Pair p;
  ScenarioSpec spec;
  for (const std::string name : {"VI_1", "VI_2"}) {
    VrrpInstanceSpec vi;
    vi.name = name;
    vi.virtual_router_id = name == "VI_1" ? 51 : 52;
    vi.virtual_ipaddress = {*Ipv4Prefix::parse(name == "VI_1" ? "10.0.0.100/24" : "10.0.0.101/24")};
    vi.members = {member("lvs1", VrrpInitialState::Master, 150), member("lvs2", VrrpInitialState::Backup, 100)};
    vi.members[0].track_scripts = {VrrpTrackSpec{"chk_if", std::nullopt}};
    spec.vrrp.push_back(vi);
  }
  VrrpScriptSpec chk;
  chk.name = "chk_if";
  chk.check = "interface eth0";
  chk.weight = -20;
  spec.vrrp_scripts = {chk};
  spec.vrrp_sync_groups = {VrrpSyncGroupSpec{{}, "VG_1", {"VI_1", "VI_2"}}};
  build_vrrp(p.m, spec);
  REQUIRE(p.m.vrrp.size() == 2);
  control::VrrpDaemon& d1 = *p.m.vrrp[0];
  REQUIRE(d1.instances().size() == 2);
  REQUIRE(d1.script("chk_if") != nullptr);  // one script, tracked by both instances
  CHECK(d1.instance("VI_1")->priority() == 150);
  CHECK(d1.instance("VI_1")->state() == control::VrrpState::Backup);  // started: BACKUP, then MASTER at 1.003906 s
  p.m.sim.run_until(Time::s(3));
  CHECK(d1.instance("VI_1")->state() == control::VrrpState::Master);
  CHECK(d1.instance("VI_2")->state() == control::VrrpState::Master);
  CHECK(p.m.vrrp[1]->instance("VI_2")->state() == control::VrrpState::Backup);
  CHECK(p.m.directors[0]->interface("eth0")->has_address(Ipv4Address(10, 0, 0, 101)));
}

TEST_CASE("build_vrrp: a member on a host that is not a director is refused", "[run][vrrp]") {
  Pair p;
  ScenarioSpec spec;
  VrrpInstanceSpec vi;
  vi.name = "VI_1";
  vi.virtual_router_id = 1;
  vi.members = {member("rs1", VrrpInitialState::Backup, 100)};
  spec.vrrp = {vi};
  CHECK_THROWS_WITH(build_vrrp(p.m, spec), Catch::Contains("vrrp member rs1 is not a director"));
}
