// The capacity warnings of validate() (sim/scenario/validate_capacity.cpp), word for word:
// a TUN path too narrow for full-size packets plus the IPIP header, FULLNAT local ports
// fewer than the connections the clients hold, a NAT director whose CPU the workload
// saturates. The figures in each expected text are worked out in the comment above it.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "scenario/scenario_spec.hpp"

using namespace lvs;
using namespace lvs::scenario;

namespace {

using Strings = std::vector<std::string>;

// The warnings of `text` with `overrides` (and no errors), as Finding::str gives them.
Strings warnings_of(const char* text, const std::vector<std::string>& overrides = {}) {
  const ScenarioSpec spec = read_scenario_text(text, "v.yaml", overrides);
  Strings out;
  for (const Finding& f : validate(spec)) {
    INFO(f.str(spec.file));
    REQUIRE(f.severity == Finding::Severity::Warning);
    out.push_back(f.str(spec.file));
  }
  return out;
}

// `text` with its first `from` (which must be there) replaced by `to`.
std::string edited(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// c1 --wan-- r1 --lan-- d1 (VIP); r1 --link far-- s1 (TUN). Every MTU 1500.
const char* const kTun = R"(topology:
  segments: [{name: wan}, {name: lan}]
  links: [{name: far}]
  hosts:
    - {name: c1, kind: client, gateway: 172.16.0.1, interfaces: [{name: eth0, segment: wan, address: 172.16.0.10/24}]}
    - name: r1
      kind: router
      interfaces:
        - {name: eth0, segment: wan, address: 172.16.0.1/24}
        - {name: eth1, segment: lan, address: 192.168.1.254/24}
        - {name: eth2, link: far, address: 10.2.0.1/24}
    - name: d1
      kind: director
      gateway: 192.168.1.254
      interfaces: [{name: eth0, segment: lan, address: 192.168.1.1/24, secondary: [192.168.1.100]}]
    - name: s1
      kind: server
      gateway: 10.2.0.1
      tunnel: [192.168.1.100]
      sysctl: {arp_ignore: 1, arp_announce: 2}
      interfaces: [{name: eth0, link: far, address: 10.2.0.11/24}]
services:
  - director: d1
    vip: 192.168.1.100
    scheduler: rr
    destinations:
      - {server: s1, method: tun}
servers:
  - {hosts: [s1]}
workload:
  clients:
    - {host: c1, target: 192.168.1.100, arrivals: {rate: 10}, request_size: 100KB}
)";

const std::string kTunAdvice =
    " plus the 20-byte IPIP header exceed MTU 1500 of director d1 eth0: large requests need fragmentation or "
    "path-MTU discovery; lower the clients' MSS/MTU or raise the tunnel path's MTU";

}  // namespace

TEST_CASE("capacity: TUN, full-size client packets plus IPIP exceed the director's MTU", "[validate][capacity]") {
  // 100 KB requests: segments of 1460 bytes, packets of 1500, 1520 encapsulated.
  CHECK(warnings_of(kTun) == Strings{"v.yaml:27:9: services[0].destinations[0]: warning: full-size packets from "
                                     "client c1 (MTU 1500)" +
                                     kTunAdvice});
  // Requests of any size (an exponential has no bound) may fill a segment too.
  CHECK(warnings_of(
            edited(kTun, "request_size: 100KB", "request_size: {distribution: exponential, mean: 500B}").c_str()) ==
        Strings{"v.yaml:27:9: services[0].destinations[0]: warning: full-size packets from client c1 (MTU 1500)" +
                kTunAdvice});
  // A bounded request: 1450 bytes + 40 of headers = 1490, 1510 encapsulated.
  CHECK(warnings_of(kTun, {"workload.clients[0].request_size=1450B"}) ==
        Strings{"v.yaml:27:9: services[0].destinations[0]: warning: packets of up to 1490 bytes from client c1" +
                kTunAdvice});
  CHECK(warnings_of(edited(kTun, "request_size: 100KB", "request_size: {distribution: uniform, min: 100B, max: 1450B}")
                        .c_str()) ==
        Strings{"v.yaml:27:9: services[0].destinations[0]: warning: packets of up to 1490 bytes from client c1" +
                kTunAdvice});
}

TEST_CASE("capacity: TUN, packets that fit the tunnel are not warned about", "[validate][capacity]") {
  CHECK(warnings_of(kTun, {"workload.clients[0].request_size=1440B"}).empty());    // 1480 + 20
  CHECK(warnings_of(kTun, {"topology.hosts[0].interfaces[0].mtu=1480"}).empty());  // the client's MSS is 1440
  // The MSS is negotiated: a real server with MTU 1480 advertises 1440.
  CHECK(warnings_of(kTun, {"topology.hosts[3].interfaces[0].mtu=1480"}).empty());
}

TEST_CASE("capacity: TUN, the narrowest link is found beyond the director", "[validate][capacity]") {
  // Jumbo frames on the LAN, but the link to s1 still has MTU 1500.
  CHECK(warnings_of(kTun, {"topology.hosts[2].interfaces[0].mtu=9000", "topology.hosts[1].interfaces[1].mtu=9000"}) ==
        Strings{"v.yaml:27:9: services[0].destinations[0]: warning: full-size packets from client c1 (MTU 1500) plus "
                "the 20-byte IPIP header exceed MTU 1500 of router r1 eth2: large requests need fragmentation or "
                "path-MTU discovery; lower the clients' MSS/MTU or raise the tunnel path's MTU"});
  CHECK(warnings_of(kTun, {"topology.hosts[2].interfaces[0].mtu=9000", "topology.hosts[1].interfaces[1].mtu=9000",
                           "topology.hosts[1].interfaces[2].mtu=1520", "topology.hosts[3].interfaces[0].mtu=1520"})
            .empty());
}

namespace {

// c1 --wan-- d1 --vpc-- s1, s2 (FULLNAT, s2 quiesced); one local address; 10 ms per request.
const char* const kFullNat = R"(topology:
  segments: [{name: wan}, {name: vpc}]
  hosts:
    - {name: c1, kind: client, interfaces: [{name: eth0, segment: wan, address: 203.0.113.150/24, sources: 10}]}
    - name: d1
      kind: director
      interfaces:
        - {name: eth0, segment: wan, address: 203.0.113.10/24, secondary: [203.0.113.100]}
        - {name: eth1, segment: vpc, address: 10.1.0.1/24, secondary: [10.1.0.201, 10.1.0.202]}
    - {name: s1, kind: server, interfaces: [{name: eth0, segment: vpc, address: 10.1.0.11/24}]}
    - {name: s2, kind: server, interfaces: [{name: eth0, segment: vpc, address: 10.1.0.12/24}]}
services:
  - director: d1
    vip: 203.0.113.100
    scheduler: rr
    local_addresses: [10.1.0.201]
    destinations:
      - {server: s1, method: fullnat}
      - {server: s2, method: fullnat, weight: 0}
servers:
  - {hosts: [s1, s2], service_time: 10ms}
workload:
  clients:
    - {host: c1, target: 203.0.113.100, arrivals: {rate: 1000}}
)";

std::string ports_warning(const std::string& connections, int needed, const std::string& hold = "120") {
  return "v.yaml:16:22: services[0].local_addresses: warning: 1 local address x 1 real server give 64512 FULLNAT "
         "ports, but the clients may hold ~" +
         connections + " connections at once (each keeps its port " + hold +
         " s after it closes): new connections are refused once the ports run out; use at least " +
         std::to_string(needed) + " local address" + (needed == 1 ? "" : "es");
}

}  // namespace

TEST_CASE("capacity: FULLNAT, local ports against the connections the clients hold", "[validate][capacity]") {
  // 1000 sessions/s for the default 10 s: at most 10000 connections, 64512 ports.
  CHECK(warnings_of(kFullNat).empty());
  // For 100 s: 100000 sessions, none of whose ports is free again before 120 s.
  CHECK(warnings_of(kFullNat, {"duration=100s"}) == Strings{ports_warning("100000", 2)});
  // For 10 min: each port is held for the session (10 ms) and 120 s: 1000 x 120.01 = 120010.
  CHECK(warnings_of(kFullNat, {"duration=10min"}) == Strings{ports_warning("120000", 2)});
  // A second real server doubles the ports (each local address has 64512 per server).
  CHECK(warnings_of(kFullNat, {"duration=10min", "services[0].destinations[1].weight=1"}).empty());
  // A second local address too; naming the same one twice does not.
  const std::string twice = edited(kFullNat, "[10.1.0.201]", "[10.1.0.201, 10.1.0.201]");
  CHECK(warnings_of(twice.c_str(), {"duration=10min"}) == Strings{ports_warning("120000", 2)});
  CHECK(warnings_of(twice.c_str(), {"duration=10min", "services[0].local_addresses[1]=10.1.0.202"}).empty());
  // UDP connections are held for 300 s.
  CHECK(warnings_of(kFullNat, {"duration=10min", "services[0].protocol=udp", "servers[0].protocol=udp",
                               "workload.clients[0].protocol=udp"}) == Strings{ports_warning("300000", 5, "300")});
}

TEST_CASE("capacity: FULLNAT, closed loops, rate profiles and stop times", "[validate][capacity]") {
  // 100 users without think time, 10 ms per session: 10000 sessions/s, 100000 in 10 s.
  CHECK(warnings_of(edited(kFullNat, "arrivals: {rate: 1000}", "users: 100").c_str()) ==
        Strings{ports_warning("100000", 2)});
  // 1000/s for 5 s, then 20000/s for 5 s: 105000 sessions.
  const std::string profile = edited(kFullNat, "{rate: 1000}", "{rate: [{at: 0s, rate: 1000}, {at: 5s, rate: 20000}]}");
  CHECK(warnings_of(profile.c_str()) == Strings{ports_warning("105000", 2)});
  // The same clients stopped at 6 s: 5000 + 20000.
  CHECK(warnings_of(profile.c_str(), {"workload.clients[0].stop=6s"}).empty());
}

namespace {

// c1 --outside-- d1 (kernel-ipvs on 2 cores: 833 ns per packet, 7 us per new connection) --inside-- s1 (NAT):
// 100 workers of 1 ms (100000 requests/s), 10 KB responses.
const char* const kNat = R"(topology:
  segments: [{name: outside}, {name: inside}]
  hosts:
    - {name: c1, kind: client, interfaces: [{name: eth0, segment: outside, address: 192.168.74.10/24, sources: 50}]}
    - name: d1
      kind: director
      sysctl: {ip_forward: true}
      cpu: {cores: 2}
      interfaces:
        - {name: eth0, segment: outside, address: 192.168.74.128/24, secondary: [192.168.74.129]}
        - {name: eth1, segment: inside, address: 192.168.10.101/24}
    - name: s1
      kind: server
      gateway: 192.168.10.101
      interfaces: [{name: eth0, segment: inside, address: 192.168.10.102/24}]
services:
  - director: d1
    vip: 192.168.74.129
    scheduler: rr
    destinations: [{server: s1, method: nat}]
servers:
  - {hosts: [s1], workers: 100, service_time: 1ms, response_size: 10KB}
workload:
  clients:
    - {host: c1, target: 192.168.74.129, arrivals: {rate: 1000}, request_size: 300B}
)";

}  // namespace

// Packets of one request (MSS 1460): the request is 1 segment, the response ceil(10000 /
// 1460) = 7; the client ACKs every second one (3); the handshake and close add SYN, ACK,
// FIN, ACK from the client and SYN-ACK, FIN from the server: 1 + 3 + 4 = 8 from the client,
// 7 + 2 = 9 from the server, 17 through a NAT director, 8 through a DR one. A request on
// kernel-ipvs costs 17 x 833 ns + 7 us = 21.2 us in NAT, 8 x 833 ns + 7 us = 13.7 us in DR.
TEST_CASE("capacity: NAT, a director whose cores cannot rewrite every packet", "[validate][capacity]") {
  // 1000 requests/s x 21.2 us / 2 cores = 1.1 %.
  CHECK(warnings_of(kNat).empty());
  // 80000/s: 85 %; in DR 80000 x 13.7 us / 2 = 55 %.
  CHECK(warnings_of(kNat, {"workload.clients[0].arrivals.rate=80000"}) ==
        Strings{"v.yaml:8:12: topology.hosts[1].cpu: warning: NAT director d1 (profile kernel-ipvs) needs ~85% of its 2 "
                "cores for ~80000 requests/s (~17 packets each, both ways, at 833ns, and 7us per new connection): "
                "close to saturation, where throughput stops growing with more real servers; in DR it would see ~8 "
                "packets per request (the client's half) at 833ns: ~55%"});
  // The servers cap what reaches the director: 10 workers serve 10000/s, 11 %.
  CHECK(warnings_of(kNat, {"workload.clients[0].arrivals.rate=80000", "servers[0].workers=10"}).empty());
  // The profile's own cost: the LVS project's Pentium, 1 core at 60 us: 1000 x 17 x 60 us = 102 %.
  CHECK(warnings_of(edited(kNat, "cpu: {cores: 2}", "cpu: {profile: lvs-nat-pentium}").c_str()) ==
        Strings{"v.yaml:8:12: topology.hosts[1].cpu: warning: NAT director d1 (profile lvs-nat-pentium) needs ~102% "
                "of its 1 core for ~1000 requests/s (~17 packets each, both ways, at 60us): it saturates and "
                "throughput stops growing with more real servers; in DR it would see ~8 packets per request (the "
                "client's half) at 60us: ~48%"});
  // Overrides: 1 core at 25 us per NAT packet and nothing per connection: at 10000/s,
  // 10000 x 17 x 25 us = 425 %; DR keeps the profile's 833 ns: 10000 x 8 x 833 ns = 7 %.
  CHECK(warnings_of(edited(kNat, "cpu: {cores: 2}", "cpu: {cores: 1, cost: {nat: 25us, connection: 0s}}").c_str(),
                    {"workload.clients[0].arrivals.rate=10000"}) ==
        Strings{"v.yaml:8:12: topology.hosts[1].cpu: warning: NAT director d1 (profile kernel-ipvs) needs ~425% of "
                "its 1 core for ~10000 requests/s (~17 packets each, both ways, at 25us): it saturates and "
                "throughput stops growing with more real servers; in DR it would see ~8 packets per request (the "
                "client's half) at 833ns: ~7%"});
  // DR: no CPU warning (only that s1 lacks the VIP on lo).
  CHECK(warnings_of(kNat, {"workload.clients[0].arrivals.rate=80000", "services[0].destinations[0].method=dr"}) ==
        Strings{"v.yaml:20:20: services[0].destinations[0]: warning: real server s1 does not have the VIP "
                "192.168.74.129 on lo: it drops the frames DR sends it for the VIP"});
}

TEST_CASE("capacity: NAT, closed loops and connections that carry several requests", "[validate][capacity]") {
  // 80 users without think time, 1 ms each: 80000 requests/s, 85 %.
  CHECK(warnings_of(edited(kNat, "arrivals: {rate: 1000}", "users: 80").c_str()) ==
        Strings{"v.yaml:8:12: topology.hosts[1].cpu: warning: NAT director d1 (profile kernel-ipvs) needs ~85% of its 2 "
                "cores for ~80000 requests/s (~17 packets each, both ways, at 833ns, and 7us per new connection): "
                "close to saturation, where throughput stops growing with more real servers; in DR it would see ~8 "
                "packets per request (the client's half) at 833ns: ~55%"});
  // 4 requests per connection share its handshake, close and creation: 1 + 3 + 1 in, 7 + 0.5
  // out = 12.5 packets per request, 20000 connections/s: on 1 core 80000 x 12.5 x 833 ns +
  // 20000 x 7 us = 97 %; in DR 80000 x 5 x 833 ns + 20000 x 7 us = 47 %.
  CHECK(warnings_of(kNat, {"workload.clients[0].arrivals.rate=20000", "workload.clients[0].requests_per_connection=4",
                           "topology.hosts[1].cpu.cores=1"}) ==
        Strings{"v.yaml:8:12: topology.hosts[1].cpu: warning: NAT director d1 (profile kernel-ipvs) needs ~97% of its 1 "
                "core for ~80000 requests/s (~12.5 packets each, both ways, at 833ns, and 7us per new connection): "
                "close to saturation, where throughput stops growing with more real servers; in DR it would see ~5 "
                "packets per request (the client's half) at 833ns: ~47%"});
}
