// The director profiles (sim/lvs/director_profiles.cpp): each figure against the measurement
// it comes from, the registry's lookups, the overrides a summary reports, and the CPU charging
// each packet its method's cost and a new connection its profile's cost, once.

#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <stdexcept>

#include "lvs/director_profiles.hpp"
#include "lvs_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

TEST_CASE("profiles: sorted, unique, the default among them, every one with its source", "[lvs][profiles]") {
  const std::vector<DirectorProfile>& all = director_profiles();
  REQUIRE(all.size() >= 4);
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < all.size(); ++i) {
    const DirectorProfile& p = all[i];
    INFO(p.name);
    CHECK(names.insert(p.name).second);
    if (i > 0) CHECK(all[i - 1].name < p.name);
    CHECK(p.cores >= 1);
    CHECK_FALSE(p.description.empty());
    CHECK_FALSE(p.hardware.empty());
    CHECK_FALSE(p.source.empty());
    CHECK_FALSE(p.derivation.empty());
    // At least one method has a measured cost: a profile is never assumption alone.
    bool measured = false;
    for (const auto* c : {&p.masquerade, &p.direct_routing, &p.tunnel, &p.full_nat})
      if (*c && !(*c)->assumed) measured = true;
    CHECK(measured);
  }
  CHECK(find_director_profile(kDefaultDirectorProfile) != nullptr);
  CHECK(find_director_profile("nope") == nullptr);
  CHECK_THROWS_WITH(director_profile("nope"),
                    "no director profile 'nope'; profiles: dpvs, katran, kernel-ipvs, lvs-nat-pentium");
}

namespace {

// One measured figure: the profile's per-packet cost of `method` and the packets/s per core the
// source reports (or the source's own arithmetic, for the LVS project's 60 us).
struct Measured {
  const char* profile;
  const char* method;
  double packets_per_core;
  const char* where;
};

Time cost_of(const DirectorProfile& p, const std::string& method) {
  const std::optional<ProfileCost>& c = method == "nat" ? p.masquerade
                                        : method == "dr" ? p.direct_routing
                                        : method == "tun" ? p.tunnel
                                                          : p.full_nat;
  REQUIRE(c);
  CHECK_FALSE(c->assumed);
  return c->time;
}

}  // namespace

TEST_CASE("profiles: each measured cost is one core's time per packet of its source", "[lvs][profiles]") {
  const Measured row = GENERATE(
      Measured{"kernel-ipvs", "tun", 1.2e6, "xdp-paper: IPVS, 1 core"},
      Measured{"katran", "tun", 5.2e6, "xdp-paper: Katran, 1 core"},
      Measured{"dpvs", "fullnat", 2.90e6, "dpvs v1.9.2 performance.md: UDP, 1 worker"},
      Measured{"lvs-nat-pentium", "nat", 1 / 60e-6, "LVS project: 60 us per packet rewrite"});
  INFO(row.where);
  const Time t = cost_of(director_profile(row.profile), row.method);
  CHECK(1.0 / t.seconds() == Approx(row.packets_per_core).epsilon(0.005));
}

TEST_CASE("profiles: the derived figures redo the sources' arithmetic", "[lvs][profiles]") {
  // The LVS project: 536-byte packets at 60 us each, 8.93 MB/s; 400 KB/s per real server: 22.
  const Time rewrite = director_profile("lvs-nat-pentium").masquerade->time;
  const double director_bytes = 536 / rewrite.seconds();
  CHECK(director_bytes == Approx(8.93e6).epsilon(0.001));
  CHECK(std::floor(director_bytes / 400e3) == 22);
  // DPVS: 200k connections/s with 1.21 Mpps on one worker; what the packets leave over is
  // the connections' own cost.
  const DirectorProfile& dpvs = director_profile("dpvs");
  const double packet = dpvs.full_nat->time.seconds();
  CHECK(dpvs.connection.time.seconds() == Approx((1 - 1'211'533 * packet) / 200'000).epsilon(0.01));
  // kernel-ipvs borrows DPVS's ratio of connection to packet (8.4), an assumption.
  const DirectorProfile& kernel = director_profile("kernel-ipvs");
  CHECK(kernel.connection.assumed);
  CHECK(kernel.connection.time.seconds() / kernel.tunnel->time.seconds() ==
        Approx(dpvs.connection.time.seconds() / packet).epsilon(0.01));
  // Katran has TUN only; the LVS project's Pentium predates FULLNAT.
  CHECK_FALSE(director_profile("katran").masquerade);
  CHECK_FALSE(director_profile("lvs-nat-pentium").full_nat);
}

TEST_CASE("profiles: a config made from a profile reports what a scenario overrides", "[lvs][profiles]") {
  DirectorCpuConfig c = cpu_config(director_profile("kernel-ipvs"));
  CHECK(c.profile == "kernel-ipvs");
  CHECK(c.cores == 6);
  CHECK(c.masquerade == Time::ns(833));
  CHECK(c.connection == Time::us(7));
  CHECK(profile_overrides(c).empty());
  c.cores = 1;
  c.masquerade = Time::us(25);
  c.connection = Time::zero();
  CHECK(profile_overrides(c) == std::vector<std::string>{"cores 1", "nat 25us", "connection 0ns"});
  DirectorCpuConfig k = cpu_config(director_profile("katran"));
  CHECK_FALSE(k.masquerade);
  k.masquerade = Time::us(1);
  CHECK(profile_overrides(k) == std::vector<std::string>{"nat 1us"});
}

namespace {

struct Charged {
  ForwardingMethod method;
  int packets;  // IPVS packets of one SYN and its SYN-ACK: the reply too in NAT and FULLNAT
};

}  // namespace

// One SYN creates one connection: its packet costs the method's cost plus the connection's;
// the SYN-ACK (NAT, FULLNAT) costs the method's cost alone.
TEST_CASE("profiles: the director charges a packet its method's cost and a new connection once", "[lvs][profiles]") {
  const Charged row = GENERATE(Charged{ForwardingMethod::Masquerade, 2}, Charged{ForwardingMethod::DirectRouting, 1},
                               Charged{ForwardingMethod::Tunnel, 1}, Charged{ForwardingMethod::FullNat, 2});
  INFO(forwarding_name(row.method));
  ModeTopology t;
  build(t, row.method);
  send_syn(t);
  t.sim.run_until(Time::s(1));
  const DirectorCpu& cpu = t.director->cpu();
  const DirectorCpuConfig& cfg = cpu.config();
  CHECK(cfg.profile == kDefaultDirectorProfile);
  CHECK(cpu.packets() == static_cast<std::uint64_t>(row.packets));
  const double busy = cpu.utilization(Time::s(1)) * cfg.cores;  // seconds of core time in 1 s
  CHECK(busy == Approx((row.packets * Time::ns(833) + Time::us(7)).seconds()).epsilon(1e-9));
}

TEST_CASE("the director CPU refuses a packet exactly when the backlog ahead of it is full", "[lvs][profiles]") {
  // One core, 10 us a packet, backlog 2: a packet is refused when floor(wait / 10 us) >= 2.
  DirectorCpuConfig cfg;
  cfg.cores = 1;
  cfg.backlog_packets = 2;
  DirectorCpu cpu(cfg);
  CHECK(cpu.admit(Time::zero(), Time::us(10)) == Time::us(10));  // waits 0
  CHECK(cpu.admit(Time::zero(), Time::us(10)) == Time::us(20));  // waits 10 us: 1 ahead
  CHECK_FALSE(cpu.admit(Time::zero(), Time::us(10)).has_value());  // waits 20 us: 2 ahead, full
  CHECK(cpu.admit(Time::ns(1), Time::us(10)) == Time::us(30));   // waits 19.999 us: floor 1
  CHECK_FALSE(cpu.admit(Time::ns(1), Time::us(10)).has_value());  // waits 29.999 us: floor 2
  CHECK(cpu.admit(Time::ns(1), Time::zero()) == Time::us(30));   // free work is never refused
  CHECK(cpu.packets() == 4);
}
