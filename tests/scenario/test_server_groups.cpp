// services[].groups: count real servers from one template, expanded at read time into the
// hosts, destinations and server applications the hand-written form gives; errors about a
// generated server at the group's key.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "scenario/scenario_spec.hpp"
#include "scenario/scenario_text.hpp"
#include "scenario_fixture.hpp"

using namespace lvs;
using namespace lvs::scenario;
using lvs::test::error_of;

namespace {

// A DR director on lan 192.168.1.0/24 with one hand-written server (rs1) and a group of 3 (web).
const std::string kHead = R"(name: g
topology:
  segments: [{name: lan}]
  hosts:
    - name: client
      kind: client
      interfaces: [{name: eth0, segment: lan, address: 192.168.1.200/24}]
    - name: director
      kind: director
      interfaces: [{name: eth0, segment: lan, address: 192.168.1.10/24, secondary: [192.168.1.100/24]}]
    - name: rs1
      kind: server
      loopback: [192.168.1.100]
      sysctl: {arp_ignore: 1, arp_announce: 2}
      interfaces: [{name: eth0, segment: lan, address: 192.168.1.11/24}]
services:
  - director: director
    vip: 192.168.1.100
    port: 80
    destinations:
      - {server: rs1, method: dr, weight: 5}
    groups:
      - name: web
        count: 3
        segment: lan
        address: 192.168.1.21/24
        gateway: 192.168.1.1
        loopback: [192.168.1.100]
        sysctl: {arp_ignore: 1, arp_announce: 2}
        method: dr
        weight: 2
        u_threshold: 100
        workers: 4
        backlog: 64
        service_time: 3ms
        response_size: 2KB
)";
const std::string kTail = R"(servers:
  - {host: rs1, workers: 16}
workload:
  clients:
    - {host: client, target: 192.168.1.100, arrivals: {rate: 10}}
)";

ScenarioSpec read(const std::vector<std::string>& overrides = {}, const std::string& extra = "") {
  return read_scenario_text(kHead + extra + kTail, "g.yaml", overrides);
}

std::vector<std::string> errors(const ScenarioSpec& spec) {
  std::vector<std::string> out;
  for (const Finding& f : validate(spec))
    if (f.severity == Finding::Severity::Error) out.push_back(f.str(spec.file));
  return out;
}

}  // namespace

TEST_CASE("a group expands into hosts, destinations and one server application", "[groups]") {
  const ScenarioSpec spec = read();
  CHECK(errors(spec).empty());
  const std::vector<HostSpec>& hosts = spec.topology.hosts;
  REQUIRE(hosts.size() == 6);  // client, director, rs1, then web1..web3 after the topology's own
  const char* names[] = {"web1", "web2", "web3"};
  const char* addresses[] = {"192.168.1.21/24", "192.168.1.22/24", "192.168.1.23/24"};
  for (std::size_t k = 0; k < 3; ++k) {
    const HostSpec& h = hosts[3 + k];
    CHECK(h.name == names[k]);
    CHECK(h.kind == HostKind::Server);
    REQUIRE(h.interfaces.size() == 1);
    CHECK(h.interfaces[0].name == "eth0");
    CHECK(h.interfaces[0].segment == "lan");
    CHECK(h.interfaces[0].address.str() == addresses[k]);
    CHECK(h.gateway->str() == "192.168.1.1");
    CHECK(h.loopback.size() == 1);
    CHECK(h.sysctl.arp_ignore == 1);
    CHECK(h.sysctl.arp_announce == 2);
    CHECK(h.origin.path == "services[0].groups[0]");
    CHECK(h.origin.at.line == 23);
  }
  const ServiceSpec& s = spec.services[0];
  REQUIRE(s.destinations.size() == 4);  // hand-written first, then the group's
  CHECK(s.destinations[0].server == "rs1");
  CHECK(s.destinations[0].weight == 5);
  for (std::size_t k = 1; k < 4; ++k) {
    CHECK(s.destinations[k].server == names[k - 1]);
    CHECK(s.destinations[k].method == Method::Dr);
    CHECK(s.destinations[k].weight == 2);
    CHECK(s.destinations[k].u_threshold == 100);
    CHECK(!s.destinations[k].port);
    CHECK(!s.destinations[k].address);
  }
  REQUIRE(s.groups.size() == 1);
  CHECK(s.groups[0].count == 3);
  CHECK(s.groups[0].first_destination == 1);
  REQUIRE(spec.servers.size() == 2);  // `servers:` first, then the group's
  const ServerAppSpec& app = spec.servers[1];
  CHECK(app.hosts == std::vector<std::string>{"web1", "web2", "web3"});
  CHECK(app.port == 80);
  CHECK(app.workers == 4);
  CHECK(app.backlog == 64);
  CHECK(app.service_time.mean() == Approx(0.003));
  CHECK(app.response_size.mean() == Approx(2000));  // 2KB: decimal, as every size here
}

TEST_CASE("a group count set on the command line resizes the cluster in one value", "[groups]") {
  const ScenarioSpec spec = read({"services[0].groups[0].count=12"});
  CHECK(errors(spec).empty());
  REQUIRE(spec.topology.hosts.size() == 3 + 12);
  CHECK(spec.topology.hosts.back().name == "web12");
  CHECK(spec.topology.hosts.back().interfaces[0].address.str() == "192.168.1.32/24");  // 21 + 11
  CHECK(spec.services[0].destinations.size() == 13);
  CHECK(spec.servers[1].hosts.size() == 12);
  SECTION("count 0 beside a hand-written destination: the group adds nothing") {
    const ScenarioSpec none = read({"services[0].groups[0].count=0"});
    CHECK(errors(none).empty());
    CHECK(none.topology.hosts.size() == 3);
    CHECK(none.services[0].destinations.size() == 1);
    CHECK(none.servers.size() == 1);
  }
}

TEST_CASE("two groups and hand-written destinations: the ipvsadm -a order as documented", "[groups]") {
  const std::string second = "      - {name: db, count: 2, segment: lan, address: 192.168.1.50/24, method: dr, "
                             "loopback: [192.168.1.100], sysctl: {arp_ignore: 1, arp_announce: 2}}\n";
  const ScenarioSpec spec = read({}, second);
  CHECK(errors(spec).empty());
  std::vector<std::string> order;
  for (const DestinationSpec& d : spec.services[0].destinations) order.push_back(d.server);
  CHECK(order == std::vector<std::string>{"rs1", "web1", "web2", "web3", "db1", "db2"});
  CHECK(spec.services[0].groups[1].first_destination == 4);
  CHECK(spec.topology.hosts.back().interfaces[0].address.str() == "192.168.1.51/24");
}

TEST_CASE("a group's bad values are refused at the group's key", "[groups]") {
  CHECK(error_of([] { read({"services[0].groups[0].count=300"}); }) ==
        "--set services[0].groups[0].count: count 300 from 192.168.1.21 runs past 192.168.1.254, the last host "
        "address of 192.168.1.0/24: at most 234 servers fit");
  std::string text = kHead + kTail;
  text.replace(text.find("count: 3"), 8, "count: 235");
  CHECK(error_of([&] { read_scenario_text(text, "g.yaml"); }) ==
        "g.yaml:24:16: services[0].groups[0].count: count 235 from 192.168.1.21 runs past 192.168.1.254, the last "
        "host address of 192.168.1.0/24: at most 234 servers fit");
  text.replace(text.find("count: 235"), 10, "count: 234");
  CHECK(error_of([&] { read_scenario_text(text, "g.yaml"); }) == "no error");
  CHECK(error_of([] { read({"services[0].groups[0].address=192.168.1.0/24"}); }) ==
        "--set services[0].groups[0].address: 192.168.1.0 is the network address of 192.168.1.0/24: expected a host "
        "address");
  CHECK(error_of([] { read({"services[0].groups[0].address=192.168.1.255/24"}); }) ==
        "--set services[0].groups[0].address: 192.168.1.255 is the broadcast address of 192.168.1.0/24: expected a "
        "host address");
  CHECK(error_of([] { read({"services[0].groups[0].address=192.168.1.21"}); }) ==
        "--set services[0].groups[0].address: expected an address with its prefix length (e.g. 192.168.10.101/24), "
        "got '192.168.1.21'");
  CHECK(error_of([] { read({"services[0].groups[0].count=-1"}); }) ==
        "--set services[0].groups[0].count: expected an integer in 0..100000, got '-1'");
  const std::string second = "      - {name: db, count: 99998, segment: lan, address: 10.0.0.1/8}\n";
  CHECK(error_of([&] { read({}, second); }) ==
        "g.yaml:37:27: services[0].groups[1].count: the groups declare 100001 servers with this one; at most 100000 "
        "in all");
  CHECK(error_of([] { read({"services[0].groups[0].wieght=3"}); }).find("unknown key 'wieght'") != std::string::npos);
  CHECK(error_of([] { read({"services[0].groups[0].sysctl.conntrack=true"}); }) ==
        "--set services[0].groups[0].sysctl.conntrack: an IPVS sysctl (net.ipv4.vs.*) is for directors only; "
        "group web is not of kind director");
}

TEST_CASE("a service with only an empty group has no destination", "[groups]") {
  std::string text = kHead + kTail;
  const std::string destinations = "    destinations:\n      - {server: rs1, method: dr, weight: 5}\n";
  text.erase(text.find(destinations), destinations.size());
  CHECK(read_scenario_text(text, "g.yaml").services[0].destinations.size() == 3);
  CHECK(error_of([&] { read_scenario_text(text, "g.yaml", {"services[0].groups[0].count=0"}); }) ==
        "--set services[0].groups[0].count: service tcp/192.168.1.100:80 has no destination: a group's count may "
        "be 0 only beside other destinations");
}

TEST_CASE("validate names the group's line and key for a generated server", "[groups]") {
  SECTION("a range over another host's address") {
    const ScenarioSpec spec = read({"services[0].groups[0].address=192.168.1.9/24"});  // web2 = the director's .10
    const std::vector<std::string> e = errors(spec);
    REQUIRE(!e.empty());
    CHECK(e.front() == "g.yaml: services[0].groups[0].address: error: address 192.168.1.10 is also on director "
                       "director (topology.hosts[1].interfaces[0].address): an address must belong to one interface");
  }
  SECTION("a generated name a hand-written host has") {
    const ScenarioSpec spec = read({"services[0].groups[0].name=rs"});  // rs1 twice
    const std::vector<std::string> e = errors(spec);
    REQUIRE(!e.empty());
    CHECK(e.front() == "g.yaml: services[0].groups[0].name: error: host name rs1 is already used by topology.hosts[2]");
  }
  SECTION("a segment that does not exist") {
    const ScenarioSpec spec = read({"services[0].groups[0].segment=lan2"});
    const std::vector<std::string> e = errors(spec);
    REQUIRE(!e.empty());
    CHECK(e.front().rfind("g.yaml: services[0].groups[0].segment: error: ", 0) == 0);
  }
}

TEST_CASE("set_server_count changes a group's count instead of copying hosts", "[groups][scenario_text]") {
  const std::string original = kHead + kTail;
  ScenarioText text(original, "g.yaml");
  set_server_count(text, 0, 10);
  std::string expected = original;
  expected.replace(expected.find("count: 3"), 8, "count: 9");
  CHECK(text.text() == expected);
  CHECK(read_scenario_text(text.text(), "g.yaml").topology.hosts.size() == 3 + 9);
  set_server_count(text, 0, 1);  // rs1 alone: the group's count 0
  CHECK(read_scenario_text(text.text(), "g.yaml").services[0].destinations.size() == 1);
  set_server_count(text, 0, 4);
  CHECK(text.text() == original);
  const std::string with_event = original + "timeline:\n  - {at: 1s, edit: web3, weight: 0}\n";
  ScenarioText evented(with_event, "e.yaml");
  CHECK(error_of([&] { set_server_count(evented, 0, 3); }).find("web3") != std::string::npos);
  CHECK(evented.text() == with_event);
  const std::string second = "      - {name: db, count: 2, segment: lan, address: 192.168.1.50/24, method: dr, "
                             "loopback: [192.168.1.100], sysctl: {arp_ignore: 1, arp_announce: 2}}\n";
  ScenarioText two(kHead + second + kTail, "t.yaml");
  set_server_count(two, 0, 5);  // rs1, web1..web3 and db1: the last group shrinks
  CHECK(read_scenario_text(two.text(), "t.yaml").services[0].groups[1].count == 1);
  CHECK(error_of([&] { set_server_count(two, 0, 3); }) ==
        "t.yaml:37:27: services[0].groups[1].count: cannot reduce service tcp/192.168.1.100:80 to 3 servers: 4 of its "
        "destinations are not in its last group");
}

TEST_CASE("a group's checks go to each of its servers, the service's check to the others", "[groups]") {
  const std::string health = "    health_check:\n      delay_loop: 6s\n      check: {type: TCP_CHECK}\n";
  std::string text = kHead + kTail;
  text.insert(text.find("    destinations:\n"), health);
  text.insert(text.find("        workers: 4\n"), "        checks: [{type: HTTP_GET, url: /health}]\n");
  const ScenarioSpec spec = read_scenario_text(text, "g.yaml");
  const std::vector<DestinationSpec>& d = spec.services[0].destinations;
  REQUIRE(d.size() == 4);
  REQUIRE(d[0].checks.size() == 1);
  CHECK(d[0].checks[0].kind == CheckKind::Tcp);
  for (std::size_t k = 1; k < 4; ++k) {
    REQUIRE(d[k].checks.size() == 1);
    CHECK(d[k].checks[0].kind == CheckKind::Http);
    CHECK(d[k].checks[0].url_path == "/health");
  }
  const std::size_t workers = kHead.find("        workers: 4\n");
  const std::string without =
      kHead.substr(0, workers) + "        checks: [{type: TCP_CHECK}]\n" + kHead.substr(workers) + kTail;
  CHECK(error_of([&] { read_scenario_text(without, "g.yaml"); }) ==
        "g.yaml:33:17: services[0].groups[0].checks: checks need the service's `health_check` (delay_loop and the "
        "rest)");
}
