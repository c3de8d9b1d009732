// validate()'s director warning in every forwarding mode and its link warning
// (sim/scenario/validate_director.cpp, validate_links.cpp), word for word, with the
// packet counts of scenario/director_capacity.hpp checked against hand counts.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "scenario/director_capacity.hpp"
#include "scenario/scenario_spec.hpp"

using namespace lvs;
using namespace lvs::scenario;

namespace {

using Strings = std::vector<std::string>;

Strings warnings_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
  const ScenarioSpec spec = read_scenario_text(text, "v.yaml", overrides);
  Strings out;
  for (const Finding& f : validate(spec)) {
    INFO(f.str(spec.file));
    REQUIRE(f.severity == Finding::Severity::Warning);
    out.push_back(f.str(spec.file));
  }
  return out;
}

// c1 --outside-- d1 (kernel-ipvs, 2 cores) --inside-- s1: 1000 workers of 1 ms, 10 KB responses.
const char* const kCluster = R"(topology:
  segments: [{name: outside, rate: RATE}, {name: inside, rate: RATE}]
  hosts:
    - {name: c1, kind: client, sysctl: {tcp_tw_reuse: 1}, interfaces: [{name: eth0, segment: outside, address: 192.168.74.10/24, sources: 50}]}
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
      loopback: [192.168.74.129]
      sysctl: {arp_ignore: 1, arp_announce: 2}
      interfaces: [{name: eth0, segment: inside, address: 192.168.10.102/24}]
services:
  - director: d1
    vip: 192.168.74.129
    scheduler: rr
    destinations: [{server: s1, method: METHOD}]
servers:
  - {hosts: [s1], workers: 1000, service_time: 1ms, response_size: 10KB}
workload:
  clients:
    - {host: c1, target: 192.168.74.129, arrivals: {rate: 1000}, request_size: 300B}
)";

std::string cluster(const std::string& rate, const std::string& method) {
  std::string t = kCluster;
  for (std::size_t at; (at = t.find("RATE")) != std::string::npos;) t.replace(at, 4, rate);
  t.replace(t.find("METHOD"), 6, method);
  return t;
}

}  // namespace

TEST_CASE("director capacity: packets per request by mode, counted by hand", "[validate][capacity]") {
  // 300 B request: 1 segment; 10 000 B response: ceil(6.85) = 7. To the server: 1 + 3 ACKs +
  // SYN, ACK, FIN, ACK = 8; back: 7 + 0 ACKs + SYN-ACK, FIN = 9.
  const RequestPackets p = request_packets(segments(Distribution::constant(300), Protocol::Tcp),
                                           segments(Distribution::constant(10'000), Protocol::Tcp), 1, Protocol::Tcp);
  CHECK(p.to_server == 8);
  CHECK(p.to_client == 9);
  CHECK(director_packets(Method::Nat, p) == 17);
  CHECK(director_packets(Method::FullNat, p) == 17);
  CHECK(director_packets(Method::Dr, p) == 8);
  CHECK(director_packets(Method::Tun, p) == 8);
  // A spread-out size: its last segment is half full on average: 10 000 / 1460 + 0.5.
  CHECK(segments(Distribution::exponential(10'000), Protocol::Tcp) == Approx(10'000.0 / 1460 + 0.5));
  // kernel-ipvs, 6 cores: 833 ns a packet, 7 us a connection: DR 6 / (8 x 833 ns + 7 us).
  DirectorCpuConfig cpu = cpu_config(director_profile("kernel-ipvs"));
  const std::optional<DirectorCapacity> dr = director_capacity(cpu, Method::Dr, p, 1);
  REQUIRE(dr);
  CHECK(dr->max_requests_per_s == Approx(6 / (8 * cpu.direct_routing->seconds() + cpu.connection.seconds())));
  // 4 requests per connection share the handshake and the connection's cost.
  const RequestPackets keep = request_packets(1, 7, 4, Protocol::Tcp);
  CHECK(keep.to_server == 5);
  CHECK(keep.to_client == 7.5);
  CHECK(director_capacity(cpu, Method::Nat, keep, 4)->max_requests_per_s ==
        Approx(6 / (12.5 * cpu.masquerade->seconds() + cpu.connection.seconds() / 4)));
}

TEST_CASE("capacity: a DR director whose cores cannot forward the client's half of every packet", "[validate][capacity]") {
  // DR at 200 000/s: 200 000 x (8 x 833 ns + 7 us) / 2 cores = 137 %.
  CHECK(warnings_of(cluster("100Gbps", "dr"), {"workload.clients[0].arrivals.rate=200000"}) ==
        Strings{"v.yaml:8:12: topology.hosts[1].cpu: warning: DR director d1 (profile kernel-ipvs) needs ~137% of its 2 "
                "cores for ~200000 requests/s (~8 packets each, the client's half, at 833ns, and 7us per new "
                "connection): it saturates and throughput stops growing with more real servers"});
  // At 100 000/s: 68 %, no warning.
  CHECK(warnings_of(cluster("100Gbps", "dr"), {"workload.clients[0].arrivals.rate=100000"}).empty());
}

TEST_CASE("capacity: a link whose rate is below the bytes the workload puts on it", "[validate][capacity][links]") {
  // NAT at 20 000/s: each response is 10 000 B + 9 packets x 54 B of headers = 10 486 B, on
  // the inside segment to the director and on the outside one to the client: 20 000 x
  // 10 486 x 8 = 1678 Mbit/s each, above 1 Gbps. The requests (300 + 8 x 54 = 732 B, 117
  // Mbit/s) fit.
  CHECK(warnings_of(cluster("1Gbps", "nat"), {"workload.clients[0].arrivals.rate=20000"}) ==
        Strings{"v.yaml:2:36: topology.segments[0].rate: warning: segment outside's port to c1 would carry ~1680 "
                "Mbit/s of service tcp/192.168.74.129:80 (NAT: requests in, responses on the mode's path), above its "
                "rate 1Gbps: its queue fills and drops packets; use a faster link or DR, whose responses bypass the "
                "director",
                "v.yaml:2:65: topology.segments[1].rate: warning: segment inside's port to d1 would carry ~1680 Mbit/s "
                "of service tcp/192.168.74.129:80 (NAT: requests in, responses on the mode's path), above its rate "
                "1Gbps: its queue fills and drops packets; use a faster link or DR, whose responses bypass the "
                "director"});
  CHECK(warnings_of(cluster("1Gbps", "nat"), {"workload.clients[0].arrivals.rate=10000"}).empty());  // 839 Mbit/s
}
