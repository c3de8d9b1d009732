// `routes: auto`: static routes computed on the topology graph (sim/scenario/routes.hpp).
// Each case reads a topology and compares every computed route, in order, with a table.

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "scenario/routes.hpp"
#include "scenario/scenario_spec.hpp"
#include "scenario_fixture.hpp"

using namespace lvs;
using namespace lvs::scenario;

namespace {

using lvs::test::error_of;

// What every topology below needs around it to be read: a DR service on 10.0.4.100 (the
// director and real server of the chain below) and a client of it.
const char* const kRest = R"(services:
  - director: d1
    vip: 10.0.4.100
    scheduler: rr
    destinations: [{server: s1}]
workload:
  clients:
    - {host: c1, target: 10.0.4.100, arrivals: {rate: 1}}
)";

ScenarioSpec read(const std::string& topology, const std::vector<std::string>& overrides = {}) {
  return read_scenario_text(topology + kRest, "routes.yaml", overrides);
}

const HostSpec& host(const ScenarioSpec& spec, const std::string& name) {
  for (const HostSpec& h : spec.topology.hosts)
    if (h.name == name) return h;
  throw std::logic_error("no host " + name);
}

// The routes of `name`, in order: "10.2.0.0/24 via 172.16.1.2".
std::vector<std::string> routes_of(const ScenarioSpec& spec, const std::string& name) {
  std::vector<std::string> out;
  for (const RouteSpec& r : host(spec, name).routes) out.push_back(r.to.str() + " via " + r.via.str());
  return out;
}

// `text` with `line` inserted after the first line that is exactly `anchor`.
std::string insert_after(std::string text, const std::string& anchor, const std::string& line) {
  const std::size_t at = text.find(anchor + "\n");
  REQUIRE(at != std::string::npos);
  return text.insert(at + anchor.size() + 1, line + "\n");
}

// The topology of scenarios/tun-wan.yaml with `routes: auto` on router-a instead of its two
// hand-written routes. Subnets: 10.0.0.0/24 (internet), 192.168.1.0/24 (site-a),
// 172.16.1.0/30 and 172.16.2.0/30 (the WAN links), 10.2.0.0/24 and 10.3.0.0/24 (sites b, c).
const char* const kTunWan = R"(topology:
  segments:
    - {name: internet, rate: 10Gbps, delay: 2ms}
    - {name: site-a}
    - {name: site-b}
    - {name: site-c}
  links:
    - {name: wan-b}
    - {name: wan-c}
  hosts:
    - name: client
      kind: client
      gateway: 10.0.0.1
      interfaces:
        - {name: eth0, segment: internet, address: 10.0.0.10/24, sources: 100}
    - name: router-a
      kind: router
      routes: auto
      interfaces:
        - {name: eth0, segment: internet, address: 10.0.0.1/24}
        - {name: eth1, segment: site-a, address: 192.168.1.1/24}
        - {name: wan-b, link: wan-b, address: 172.16.1.1/30}
        - {name: wan-c, link: wan-c, address: 172.16.2.1/30}
    - name: director
      kind: director
      gateway: 192.168.1.1
      interfaces:
        - {name: eth0, segment: site-a, address: 192.168.1.10/24, secondary: [192.168.1.100/24]}
    - name: router-b
      kind: router
      gateway: 172.16.1.1
      interfaces:
        - {name: wan, link: wan-b, address: 172.16.1.2/30}
        - {name: eth1, segment: site-b, address: 10.2.0.1/24}
    - name: router-c
      kind: router
      gateway: 172.16.2.1
      interfaces:
        - {name: wan, link: wan-c, address: 172.16.2.2/30}
        - {name: eth1, segment: site-c, address: 10.3.0.1/24}
    - name: rs-b
      kind: server
      gateway: 10.2.0.1
      interfaces:
        - {name: eth0, segment: site-b, address: 10.2.0.11/24}
    - name: rs-c
      kind: server
      gateway: 10.3.0.1
      interfaces:
        - {name: eth0, segment: site-c, address: 10.3.0.11/24}
)";

// A chain of three routers between a client and a DR pair, every host with `routes: auto`:
//   c1 --a-- r1 --l1-- r2 --l2-- r3 --d-- d1 (VIP 10.0.4.100), s1
const char* const kChain = R"(topology:
  segments: [{name: a}, {name: d}]
  links: [{name: l1}, {name: l2}]
  hosts:
    - name: c1
      kind: client
      routes: auto
      interfaces: [{name: eth0, segment: a, address: 10.0.1.10/24}]
    - name: r1
      kind: router
      routes: auto
      interfaces: [{name: eth0, segment: a, address: 10.0.1.1/24}, {name: eth1, link: l1, address: 10.0.12.1/30}]
    - name: r2
      kind: router
      routes: auto
      interfaces: [{name: eth0, link: l1, address: 10.0.12.2/30}, {name: eth1, link: l2, address: 10.0.23.1/30}]
    - name: r3
      kind: router
      routes: auto
      interfaces: [{name: eth0, link: l2, address: 10.0.23.2/30}, {name: eth1, segment: d, address: 10.0.4.1/24}]
    - name: d1
      kind: director
      routes: auto
      interfaces: [{name: eth0, segment: d, address: 10.0.4.10/24, secondary: [10.0.4.100]}]
    - name: s1
      kind: server
      routes: auto
      loopback: [10.0.4.100]
      sysctl: {arp_ignore: 1, arp_announce: 2}
      interfaces: [{name: eth0, segment: d, address: 10.0.4.11/24}]
)";

}  // namespace

TEST_CASE("routes: auto on router-a of tun-wan computes exactly its two hand-written routes") {
  const ScenarioSpec spec = read(kTunWan);
  CHECK(routes_of(spec, "router-a") ==
        std::vector<std::string>{"10.2.0.0/24 via 172.16.1.2", "10.3.0.0/24 via 172.16.2.2"});
  for (const char* other : {"client", "director", "router-b", "router-c", "rs-b", "rs-c"}) {
    INFO(other);
    CHECK(routes_of(spec, other).empty());
  }
}

TEST_CASE("routes: auto also routes the subnets the gateway would reach") {
  struct Row {
    std::string host;
    std::vector<std::string> routes;
  };
  const Row row = GENERATE(
      Row{"router-b", {"10.0.0.0/24 via 172.16.1.1", "10.3.0.0/24 via 172.16.1.1", "172.16.2.0/30 via 172.16.1.1",
                       "192.168.1.0/24 via 172.16.1.1"}},
      Row{"rs-b", {"10.0.0.0/24 via 10.2.0.1", "10.3.0.0/24 via 10.2.0.1", "172.16.1.0/30 via 10.2.0.1",
                   "172.16.2.0/30 via 10.2.0.1", "192.168.1.0/24 via 10.2.0.1"}},
      Row{"director", {"10.0.0.0/24 via 192.168.1.1", "10.2.0.0/24 via 192.168.1.1", "10.3.0.0/24 via 192.168.1.1",
                       "172.16.1.0/30 via 192.168.1.1", "172.16.2.0/30 via 192.168.1.1"}});
  INFO(row.host);
  const std::string anchor = "    - name: " + row.host;
  const ScenarioSpec spec = read(insert_after(kTunWan, anchor, "      routes: auto"));
  CHECK(routes_of(spec, row.host) == row.routes);
}

TEST_CASE("routes: auto on a chain of three routers: the next hop of every path") {
  struct Row {
    std::string host;
    std::vector<std::string> routes;
  };
  const Row row = GENERATE(
      Row{"c1", {"10.0.4.0/24 via 10.0.1.1", "10.0.12.0/30 via 10.0.1.1", "10.0.23.0/30 via 10.0.1.1"}},
      Row{"r1", {"10.0.4.0/24 via 10.0.12.2", "10.0.23.0/30 via 10.0.12.2"}},
      Row{"r2", {"10.0.1.0/24 via 10.0.12.1", "10.0.4.0/24 via 10.0.23.2"}},
      Row{"r3", {"10.0.1.0/24 via 10.0.23.1", "10.0.12.0/30 via 10.0.23.1"}},
      Row{"d1", {"10.0.1.0/24 via 10.0.4.1", "10.0.12.0/30 via 10.0.4.1", "10.0.23.0/30 via 10.0.4.1"}},
      Row{"s1", {"10.0.1.0/24 via 10.0.4.1", "10.0.12.0/30 via 10.0.4.1", "10.0.23.0/30 via 10.0.4.1"}});
  INFO(row.host);
  CHECK(routes_of(read(kChain), row.host) == row.routes);
}

TEST_CASE("computed routes carry each computed route's origin: the routes key") {
  const ScenarioSpec spec = read(kChain);
  const HostSpec& r2 = host(spec, "r2");
  CHECK(r2.auto_routes);
  CHECK(r2.routes_origin.path == "topology.hosts[2].routes");
  CHECK(r2.routes_origin.at == Position{15, 15});
  for (const RouteSpec& r : r2.routes) {
    CHECK(r.origin.path == "topology.hosts[2].routes");
    CHECK(r.origin.at == Position{15, 15});
  }
  ScenarioSpec again = spec;
  compute_routes(again);  // replaces, never appends
  CHECK(routes_of(again, "r2") == routes_of(spec, "r2"));
}

TEST_CASE("the computed routes carry the chain's traffic: validate() finds no error, and one missing does") {
  const auto errors = [](const ScenarioSpec& spec) {
    std::vector<std::string> out;
    for (const Finding& f : validate(spec))
      if (f.severity == Finding::Severity::Error) out.push_back(f.str(spec.file));
    return out;
  };
  CHECK(errors(read(kChain)).empty());
  const std::string without_r2 = [] {
    std::string text = kChain;
    const std::string r2 = "    - name: r2\n      kind: router\n      routes: auto\n";
    text.replace(text.find(r2), r2.size(), "    - name: r2\n      kind: router\n");
    return text;
  }();
  CHECK(errors(read(without_r2)) ==
        std::vector<std::string>{"routes.yaml:37:26: workload.clients[0].target: error: client c1 cannot reach "
                                 "10.0.4.100: router r2 has no route"});
}

TEST_CASE("routes: auto takes the fewest router hops, then the lowest next-hop address") {
  // h --a-- r1, r2 --b-- r4 --c-- r3 --a-- h: subnet b is one hop away through r1 or r2,
  // subnet c one hop through r3 (10.0.0.9) and two through r1 or r2 (lower addresses).
  struct Row {
    std::string r1, r2, via_b;
  };
  const Row row = GENERATE(Row{"10.0.0.3", "10.0.0.2", "10.0.0.2"}, Row{"10.0.0.2", "10.0.0.3", "10.0.0.2"},
                           Row{"10.0.0.7", "10.0.0.5", "10.0.0.5"});
  INFO(row.r1 << " " << row.r2);
  const ScenarioSpec spec = read(R"(topology:
  segments: [{name: a}, {name: b}, {name: c}]
  hosts:
    - {name: h, routes: auto, interfaces: [{name: eth0, segment: a, address: 10.0.0.10/24}]}
    - name: r1
      kind: router
      interfaces:
        - {name: eth0, segment: a, address: )" + row.r1 + R"(/24}
        - {name: eth1, segment: b, address: 10.0.1.1/24}
    - name: r2
      kind: router
      interfaces:
        - {name: eth0, segment: a, address: )" + row.r2 + R"(/24}
        - {name: eth1, segment: b, address: 10.0.1.2/24}
    - name: r3
      kind: router
      interfaces: [{name: eth0, segment: a, address: 10.0.0.9/24}, {name: eth1, segment: c, address: 10.0.2.1/24}]
    - name: r4
      kind: router
      interfaces: [{name: eth0, segment: b, address: 10.0.1.4/24}, {name: eth1, segment: c, address: 10.0.2.4/24}]
)");
  CHECK(routes_of(spec, "h") == std::vector<std::string>{"10.0.1.0/24 via " + row.via_b, "10.0.2.0/24 via 10.0.0.9"});
}

TEST_CASE("routes: auto never sends through a host that does not forward") {
  // h --a-- x --b, c      and      h --a-- r1 --l1-- r2 --b
  // Through x, subnets b and c are one hop away; b is two hops through r1 and r2; c only
  // through x. x is a transit only if it forwards (kind router, or ip_forward true).
  struct Row {
    std::string x;
    std::vector<std::string> routes;
  };
  const std::vector<std::string> around_x{"10.0.1.0/24 via 10.0.0.1", "10.0.9.0/30 via 10.0.0.1"};
  const std::vector<std::string> through_x{"10.0.1.0/24 via 10.0.0.5", "10.0.2.0/24 via 10.0.0.5",
                                           "10.0.9.0/30 via 10.0.0.1"};
  const Row row = GENERATE_COPY(Row{"kind: host", around_x}, Row{"kind: server", around_x},
                                Row{"kind: client", around_x}, Row{"kind: director", around_x},
                                Row{"kind: router\n      sysctl: {ip_forward: false}", around_x},
                                Row{"kind: host\n      sysctl: {ip_forward: true}", through_x},
                                Row{"kind: router", through_x});
  INFO(row.x);
  const ScenarioSpec spec = read(R"(topology:
  segments: [{name: a}, {name: b}, {name: c}]
  links: [{name: l1}]
  hosts:
    - {name: h, routes: auto, interfaces: [{name: eth0, segment: a, address: 10.0.0.10/24}]}
    - name: x
      )" + row.x + R"(
      interfaces:
        - {name: eth0, segment: a, address: 10.0.0.5/24}
        - {name: eth1, segment: b, address: 10.0.1.5/24}
        - {name: eth2, segment: c, address: 10.0.2.5/24}
    - name: r1
      kind: router
      interfaces: [{name: eth0, segment: a, address: 10.0.0.1/24}, {name: eth1, link: l1, address: 10.0.9.1/30}]
    - name: r2
      kind: router
      interfaces: [{name: eth0, link: l1, address: 10.0.9.2/30}, {name: eth1, segment: b, address: 10.0.1.2/24}]
)");
  CHECK(routes_of(spec, "h") == row.routes);
}

TEST_CASE("routes: a bad value, or auto mixed with a list, is an error at the value") {
  const std::string head = R"(topology:
  segments:
    - {name: a}
  hosts:
    - name: r1
      kind: router
      interfaces:
        - {name: eth0, segment: a, address: 10.0.0.1/24}
)";
  struct Row {
    std::string routes, error;
  };
  const std::string mixed =
      "'auto' cannot be combined with a list of routes: write 'routes: auto' alone to have them all computed, or "
      "list every route";
  const Row row = GENERATE_COPY(
      Row{"routes: magic",
          "routes.yaml:9:15: topology.hosts[0].routes: expected a list of routes ({to: prefix, via: address}) or "
          "'auto', got 'magic'"},
      Row{"routes: autoo",
          "routes.yaml:9:15: topology.hosts[0].routes: expected a list of routes ({to: prefix, via: address}) or "
          "'auto', got 'autoo' (did you mean 'auto'?)"},
      Row{"routes: [auto, {to: 10.1.0.0/24, via: 10.0.0.2}]",
          "routes.yaml:9:16: topology.hosts[0].routes[0]: " + mixed},
      Row{"routes: [{to: 10.1.0.0/24, via: 10.0.0.2}, auto]",
          "routes.yaml:9:50: topology.hosts[0].routes[1]: " + mixed},
      Row{"routes:\n        - auto", "routes.yaml:10:11: topology.hosts[0].routes[0]: " + mixed});
  INFO(row.routes);
  CHECK(error_of([&] { read(head + "      " + row.routes + "\n"); }) == row.error);
}

TEST_CASE("routes: auto can be set with --set") {
  const ScenarioSpec spec = read(kTunWan);
  std::string text = kTunWan;
  const std::string line = "      routes: auto\n";
  text.erase(text.find(line), line.size());
  const ScenarioSpec by_hand = read(text);
  CHECK(routes_of(by_hand, "router-a").empty());
  const ScenarioSpec set = read(text, {"topology.hosts[1].routes=auto"});
  CHECK(set.topology.hosts[1].auto_routes);
  CHECK(routes_of(set, "router-a") == routes_of(spec, "router-a"));
}
