// The capacity warnings of validate() (sim/scenario/validate_capacity.cpp), word for word:
// open-loop clients offering more requests than the real servers serve,
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

std::vector<std::string> joined(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
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

// c1 --wan-- d1 --vpc-- s1, s2 (FULLNAT, s2 quiesced); one local address; 10 ms per request;
// 100 client addresses, so that their own ports last (below).
const char* const kFullNat = R"(topology:
  segments: [{name: wan}, {name: vpc}]
  hosts:
    - {name: c1, kind: client, interfaces: [{name: eth0, segment: wan, address: 203.0.113.150/24, sources: 100}]}
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
  - {hosts: [s1, s2], service_time: 10ms, workers: 100000}   # room for 10^7 requests/s: only the ports limit
workload:
  clients:
    - {host: c1, target: 203.0.113.100, arrivals: {rate: 1000}}
)";

const std::string kOneByOne =
    "1 local address x 1 real server give 60536 FULLNAT ports (alibaba: 5000..65535 per local address and real server)";

std::string ports_warning(const std::string& connections, int needed, const std::string& capacity = kOneByOne,
                          const std::string& hold = "7") {
  return "v.yaml:16:22: services[0].local_addresses: warning: " + capacity + ", but the clients may hold ~" +
         connections + " connections at once (each keeps its port " + hold +
         " s after it closes): new connections are refused once the ports run out; use at least " +
         std::to_string(needed) + " local address" + (needed == 1 ? "" : "es");
}

}  // namespace

// A port is held for the session (10 ms) and the flavour's 7 s TIME_WAIT: 7.01 s per
// connection. Alibaba gives 60536 ports per local address and real server.
TEST_CASE("capacity: FULLNAT, local ports against the connections the clients hold", "[validate][capacity]") {
  // 1000 sessions/s: 1000 x 7.01 = 7010 connections at once.
  CHECK(warnings_of(kFullNat).empty());
  // 10000/s: 70100, for 10 s and for 10 min alike (ports come back after 7.01 s).
  const std::vector<std::string> busy{"workload.clients[0].arrivals.rate=10000"};
  CHECK(warnings_of(kFullNat, busy) == Strings{ports_warning("70100", 2)});
  CHECK(warnings_of(kFullNat, joined(busy, {"duration=10min"})) == Strings{ports_warning("70100", 2)});
  // For 5 s only 50000 sessions: fewer than the ports.
  CHECK(warnings_of(kFullNat, joined(busy, {"duration=5s"})).empty());
  // A second real server doubles the ports (each local address has 60536 per server).
  CHECK(warnings_of(kFullNat, joined(busy, {"services[0].destinations[1].weight=1"})).empty());
  // A second local address too; naming the same one twice does not (and is warned about).
  const std::string twice = edited(kFullNat, "[10.1.0.201]", "[10.1.0.201, 10.1.0.201]");
  CHECK(warnings_of(twice.c_str(), busy) ==
        Strings{ports_warning("70100", 2),
                "v.yaml:16:35: services[0].local_addresses[1]: warning: local address 10.1.0.201 is listed twice: "
                "the director refuses the second (EEXIST), so it adds no ports"});
  CHECK(warnings_of(twice.c_str(), joined(busy, {"services[0].local_addresses[1]=10.1.0.202"})).empty());
  // UDP connections are held for 300 s: 1000 x 300.01 over 10 min, 300010 / 60536 -> 5.
  CHECK(warnings_of(kFullNat, {"duration=10min", "services[0].protocol=udp", "servers[0].protocol=udp",
                               "workload.clients[0].protocol=udp"}) == Strings{ports_warning("300000", 5, kOneByOne, "300")});
}

// The client's own ports (docs/ports.md): it closes first, so a port stays 60 s in TIME_WAIT;
// 28232 ports (32768..60999) give one source address 470 connections/s to one VIP:port. A
// port is held for the session (10 ms) and the 60 s: 60.01 s per connection.
TEST_CASE("capacity: a client's ephemeral ports against its connections per source address", "[validate][capacity]") {
  const std::vector<std::string> one{"topology.hosts[0].interfaces[0].sources=1", "duration=10min"};
  // 400/s: 400 x 60.01 = 24004 ports held, fewer than 28232.
  CHECK(warnings_of(kFullNat, joined(one, {"workload.clients[0].arrivals.rate=400"})).empty());
  // 500/s: 30005, so ceil(30005 / 28232) = 2 addresses.
  const std::string warning =
      "v.yaml:24:51: workload.clients[0].arrivals: warning: client c1 opens ~500 connections/s from each of its 1 "
      "source address to 203.0.113.100:80, but one address can open at most 470/s (28232 ports of "
      "ip_local_port_range, each held 60 s in TIME_WAIT, the client closing first): requests fail with "
      "no-ephemeral-port once the ports run out; use at least 2 source addresses (interfaces[].sources) or a wider "
      "ip_local_port_range";
  const std::vector<std::string> busy = joined(one, {"workload.clients[0].arrivals.rate=500"});
  CHECK(warnings_of(kFullNat, busy) == Strings{warning});
  // For 30 s only 15000 connections; two addresses take 250/s each; a range of 64512 ports
  // (1024..65535) holds 30005.
  CHECK(warnings_of(kFullNat, joined(busy, {"duration=30s"})).empty());
  CHECK(warnings_of(kFullNat, joined(busy, {"topology.hosts[0].interfaces[0].sources=2"})).empty());
  const auto with_sysctl = [](const std::string& sysctl) {
    return edited(kFullNat, "sources: 100}]}", "sources: 100}], sysctl: {" + sysctl + "}}");
  };
  CHECK(warnings_of(with_sysctl("ip_local_port_range: 1024 65535").c_str(), busy).empty());
  // tcp_tw_reuse 1 takes over TIME_WAIT tuples after 1 s, but only with timestamps.
  CHECK(warnings_of(with_sysctl("tcp_tw_reuse: 1").c_str(), busy).empty());
  CHECK(warnings_of(with_sysctl("tcp_tw_reuse: 1, tcp_timestamps: 0").c_str(), busy) == Strings{warning});
}

TEST_CASE("capacity: FULLNAT, closed loops, rate profiles and stop times", "[validate][capacity]") {
  // 100 users without think time, 10 ms per session: 10000 sessions/s, 70100 at once.
  CHECK(warnings_of(edited(kFullNat, "arrivals: {rate: 1000}", "users: 100").c_str()) ==
        Strings{ports_warning("70100", 2)});
  // 1000/s for 5 s, then 20000/s for 5 s: 105000 sessions, fewer than 20000 x 7.01.
  const std::string profile = edited(kFullNat, "{rate: 1000}", "{rate: [{at: 0s, rate: 1000}, {at: 5s, rate: 20000}]}");
  CHECK(warnings_of(profile.c_str()) == Strings{ports_warning("105000", 2)});
  // The same clients stopped at 6 s: 5000 + 20000.
  CHECK(warnings_of(profile.c_str(), {"workload.clients[0].stop=6s"}).empty());
}

TEST_CASE("capacity: FULLNAT, each flavour's port range", "[validate][capacity]") {
  // 9000/s: 63090 connections, more than Alibaba's 60536, fewer than DPVS's 64511.
  const std::vector<std::string> rate{"workload.clients[0].arrivals.rate=9000"};
  CHECK(warnings_of(kFullNat, rate) == Strings{ports_warning("63100", 2)});
  CHECK(warnings_of(kFullNat, joined(rate, {"services[0].flavour=dpvs"})).empty());
  // 10000/s is too many for DPVS too.
  CHECK(warnings_of(kFullNat, {"workload.clients[0].arrivals.rate=10000", "services[0].flavour=dpvs"}) ==
        Strings{ports_warning("70100", 2,
                              "1 local address x 1 real server give 64511 FULLNAT ports (dpvs: 1025..65535 per local "
                              "address and port pool)")});
  // Alibaba's range is its director's sysctl: 1025..65535 gives 64511 as well.
  const std::string wide = edited(kFullNat, "      kind: director\n",
                                  "      kind: director\n      sysctl: {fullnat_lport_min: 1025}\n");
  CHECK(warnings_of(wide.c_str(), rate).empty());
}

// DPVS's pools: 10.1.0.11:80 is in pool (11 + 80) % 16 = 11, 10.1.0.27:80 in (27 + 80) % 16 =
// 11 as well, so the two real servers share one pool's 64511 ports per local address.
TEST_CASE("capacity: FULLNAT, DPVS's real servers that share a port pool", "[validate][capacity]") {
  const std::vector<std::string> both{"workload.clients[0].arrivals.rate=10000", "services[0].flavour=dpvs",
                                      "services[0].destinations[1].weight=1"};
  CHECK(warnings_of(kFullNat, both).empty());  // 10.1.0.12:80 is in pool 12: 129022 ports
  CHECK(warnings_of(kFullNat, joined(both, {"topology.hosts[3].interfaces[0].address=10.1.0.27/24"})) ==
        Strings{ports_warning("70100", 2,
                              "1 local address x 2 real servers give 129022 FULLNAT ports (dpvs: 1025..65535 per local "
                              "address and port pool), only 64511 usable: the real servers fall in 1 of DPVS's 16 port "
                              "pools and share them")});
}

// Alibaba under rr: connection k goes to real server k mod N and local address k mod L, so
// each real server only ever gets L / gcd(L, N) of the local addresses. Two servers and two
// addresses: one each; three addresses would give each server all three.
TEST_CASE("capacity: FULLNAT, rr in lock-step with Alibaba's round robin of local addresses", "[validate][capacity]") {
  const std::string two = edited(kFullNat, "[10.1.0.201]", "[10.1.0.201, 10.1.0.202]");
  const std::vector<std::string> both{"workload.clients[0].arrivals.rate=20000", "services[0].destinations[1].weight=1"};
  // 20000 x 7.01 = 140200 connections; 2 x 2 x 60536 = 242144 ports, of which 121072 usable.
  CHECK(warnings_of(two.c_str(), both) ==
        Strings{ports_warning("140000", 3,
                              "2 local addresses x 2 real servers give 242144 FULLNAT ports (alibaba: 5000..65535 per "
                              "local address and real server), only 121072 usable: rr steps through the 2 real servers "
                              "in lock-step with the round robin of the local addresses, so each real server gets 1 of "
                              "them")});
  CHECK(warnings_of(two.c_str(), joined(both, {"services[0].scheduler=wlc"})).empty());
  CHECK(warnings_of(two.c_str(), joined(both, {"services[0].flavour=dpvs"})).empty());  // DPVS's skips break the step
}

namespace {

// c1 --outside-- d1 (kernel-ipvs on 2 cores: 833 ns per packet, 7 us per new connection) --inside-- s1 (NAT):
// 100 workers of 1 ms (100000 requests/s), 10 KB responses.
// Segments of 100 Gbps: these cases are about the CPU, not the links (test_validate_links.cpp).
const char* const kNat = R"(topology:
  segments: [{name: outside, rate: 100Gbps}, {name: inside, rate: 100Gbps}]
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
  // The servers cap what reaches the director: 10 workers serve 10000/s, 11 %. But the
  // clients offer 80000/s to a server that serves 10 workers / 1 ms = 10000/s: it saturates.
  CHECK(warnings_of(kNat, {"workload.clients[0].arrivals.rate=80000", "servers[0].workers=10"}) ==
        Strings{"v.yaml:25:52: workload.clients[0].arrivals: warning: the clients offer service tcp/192.168.74.129:80 "
                "up to ~80000 requests/s, but its real servers serve at most ~10000 (workers / mean service time, "
                "summed): they saturate and the queues grow until requests time out; add servers or workers"});
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

TEST_CASE("capacity: huge rates give 'more than' figures, never an overflowed count", "[validate][capacity]") {
  // 1e300 sessions/s: every estimate is beyond 10^15 (and 1e300 x 7.01 s is no integer).
  Strings found;
  Strings links;  // the 10^7 requests/s the servers serve also overfill the links and the
                  // director (test_validate_links.cpp): counted, not overflowed
  for (const std::string& w : warnings_of(kFullNat, {"workload.clients[0].arrivals.rate=1e300"}))
    (w.find(" would carry ~") != std::string::npos || w.find("FULLNAT director d1") != std::string::npos ? links : found)
        .push_back(w);
  for (const std::string& w : links)
    CHECK((w.find("Mbit/s of service tcp/203.0.113.100:80 (FULLNAT") != std::string::npos ||
           w.find("FULLNAT director d1 (profile kernel-ipvs) needs ~") != std::string::npos));
  CHECK(!links.empty());
  REQUIRE(found.size() == 3);
  CHECK(found[0] == "v.yaml:16:22: services[0].local_addresses: warning: " + kOneByOne +
                        ", but the clients may hold more than 1000000000000000 connections at once (each keeps its "
                        "port 7 s after it closes): new connections are refused once the ports run out; use more "
                        "than 1000000 local addresses");
  // 100 000 workers at 10 ms on s1 (s2 has weight 0): 10^7 requests/s.
  CHECK(found[1] ==
        "v.yaml:24:51: workload.clients[0].arrivals: warning: the clients offer service tcp/203.0.113.100:80 up to "
        "more than 1000000000000000 requests/s, but its real servers serve at most ~10000000 (workers / mean service "
        "time, summed): they saturate and the queues grow until requests time out; add servers or workers");
  CHECK(found[2] ==
        "v.yaml:24:51: workload.clients[0].arrivals: warning: client c1 opens more than 1000000000000000 "
        "connections/s from each of its 100 source addresses to 203.0.113.100:80, but one address can open at most "
        "470/s (28232 ports of ip_local_port_range, each held 60 s in TIME_WAIT, the client closing first): requests "
        "fail with no-ephemeral-port once the ports run out; use more than 4294967296 source addresses "
        "(interfaces[].sources) or a wider ip_local_port_range");
}

TEST_CASE("capacity: clients offering more than the real servers serve, named with both figures", "[validate][capacity]") {
  // kNat's one server: 100 workers at 1 ms serve 100 000 requests/s.
  CHECK(warnings_of(kNat, {"workload.clients[0].arrivals.rate=100000"}).size() == 1);  // the director's CPU only
  const Strings found = warnings_of(kNat, {"workload.clients[0].arrivals.rate=100000", "servers[0].workers=99"});
  REQUIRE(found.size() == 2);
  CHECK(found[1] == "v.yaml:25:52: workload.clients[0].arrivals: warning: the clients offer service "
                    "tcp/192.168.74.129:80 up to ~100000 requests/s, but its real servers serve at most ~99000 (workers "
                    "/ mean service time, summed): they saturate and the queues grow until requests time out; add "
                    "servers or workers");
  // Closed-loop users slow down with the servers: no warning.
  const std::string closed = edited(kNat, "arrivals: {rate: 1000}", "users: 10");
  CHECK(warnings_of(closed.c_str(), {"servers[0].workers=1"}).empty());
}
