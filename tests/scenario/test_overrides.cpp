#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "scenario/overrides.hpp"
#include "scenario_fixture.hpp"

using namespace lvs;
using namespace lvs::scenario;

namespace {

using lvs::test::error_of;

const char* const kScenario = R"(services:
  - protocol: tcp
    vip: 192.168.10.100
    port: 80
    persistence:
    destinations:
      - address: 10.0.0.1
        weight: 3
      - address: 10.0.0.2
        weight: 1
  - protocol: udp
    vip: 192.168.10.101
    destinations: []
links:
  - rate: 1Gbps
)";

Document nat_scenario() { return Document::from_string(kScenario, "nat.yaml"); }

}  // namespace

TEST_CASE("an override replaces a scalar, with a dotted or a bracketed path", "[overrides]") {
  const char* assignment = GENERATE("services.0.destinations.1.weight=7", "services[0].destinations[1].weight=7",
                                    "services[0].destinations.1.weight=7", "services.0.destinations[1].weight = 7");
  CAPTURE(assignment);
  Document doc = nat_scenario();
  apply_override(doc, assignment);
  const Cursor dests = doc.root().at("services").at(0).at("destinations");
  CHECK(dests.at(1).required<std::int64_t>("weight", Range{0, 65535}) == 7);
  CHECK(dests.at(0).required<std::int64_t>("weight") == 3);
  CHECK(dests.at(1).at("weight").mark() == Position{0, 0});
  CHECK(doc.is_overridden("services[0].destinations[1].weight"));
  CHECK_FALSE(doc.is_overridden("services[0].destinations[0].weight"));
}

TEST_CASE("an override adds a key absent from an existing map, overriding a default", "[overrides]") {
  Document doc = nat_scenario();
  CHECK(doc.root().at("services").at(1).optional<std::int64_t>("port", 80) == 80);
  apply_override(doc, "services.1.port=8080");
  CHECK(doc.root().at("services").at(1).optional<std::int64_t>("port", 80) == 8080);
  apply_override(doc, "services.0.persistence=300s");  // an empty value is replaced too
  CHECK(doc.root().at("services").at(0).optional<Time>("persistence", Time::zero()) == Time::s(300));
  apply_overrides(doc, {"links[0].rate=10Gbps", "links[0].rate=100Mbps"});  // the later one wins
  CHECK(doc.root().at("links").at(0).required<DataRate>("rate") == DataRate::mbps(100));
}

TEST_CASE("an overridden value is checked by the typed getters and the error names the --set", "[overrides]") {
  Document doc = nat_scenario();
  apply_override(doc, "services[0].port=http");
  const Cursor svc = doc.root().at("services").at(0);
  try {
    svc.optional<std::int64_t>("port", 80, Range{1, 65535});
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) == "--set services[0].port: expected an integer in 1..65535, got 'http'");
    CHECK(e.file() == "nat.yaml");
    CHECK(e.line() == 0);
    CHECK(e.column() == 0);
    CHECK(e.key_path() == "services[0].port");
    CHECK(e.setting() == "services[0].port");
  }
  // The file's own values keep their positions.
  CHECK(error_of([&] { svc.required<Ipv4Address>("protocol"); }) ==
        "nat.yaml:2:15: services[0].protocol: expected an IPv4 address (e.g. 192.168.10.100), got 'tcp'");
  apply_override(doc, "services.0.vip=");
  CHECK(error_of([&] { svc.required<Ipv4Address>("vip"); }) ==
        "--set services[0].vip: expected an IPv4 address (e.g. 192.168.10.100), got ''");
}

TEST_CASE("a misspelt key added with --set is caught by allow_keys as a --set", "[overrides]") {
  Document doc = nat_scenario();
  apply_override(doc, "services.0.destinations.0.wieght=5");
  const Cursor dest = doc.root().at("services").at(0).at("destinations").at(0);
  CHECK(error_of([&] {
          dest.allow_keys({"address", "weight"});
        }) == "--set services[0].destinations[0].wieght: unknown key 'wieght', did you mean 'weight'?");
}

TEST_CASE("a bad --set is refused, naming the assignment and what is there", "[overrides]") {
  struct Row {
    const char* assignment;
    const char* message;
  };
  const char* const syntax = "expected KEY.PATH=VALUE, e.g. services.0.port=8080 or services[0].port=8080";
  const Row row = GENERATE_COPY(
      Row{"services.3.port=80", "services has 2 items (0..1)"},
      Row{"services[99999999999999999999999].port=80", "services has 2 items (0..1)"},
      Row{"services.1.destinations.0.weight=1", "services[1].destinations has no items"},
      Row{"links.1.rate=1Gbps", "links has 1 item (0)"},
      Row{"services.0.dests.1.weight=3",
          "services[0] has no key 'dests' (keys: protocol, vip, port, persistence, destinations)"},
      Row{"services.0.destination.0.weight=3", "services[0] has no key 'destination', did you mean 'destinations'?"},
      Row{"nothing[0].here=1", "the scenario has no key 'nothing' (keys: services, links)"},
      Row{"nothing.0.here=1", "the scenario has no key 'nothing' (keys: services, links)"},
      Row{"services.0=1",
          "services[0] is a map (keys: protocol, vip, port, persistence, destinations); --set replaces single values "
          "only"},
      Row{"services=1", "services is a list of 2 items; --set replaces single values only"},
      Row{"services.1.destinations=1", "services[1].destinations is an empty list; --set replaces single values only"},
      Row{"services.0.port.number=1", "services[0].port is '80', not a map or a list"},
      Row{"services.0.persistence.timeout=300s", "services[0].persistence is empty, not a map or a list"},
      Row{"services.x.port=80", "services is a list of 2 items, 'x' is not an index"},
      Row{"services[0].destinations[0][1]=1",
          "services[0].destinations[0] is a map, not a list (keys: address, weight)"},
      Row{"services.0.port", syntax}, Row{"=3", syntax}, Row{"services..port=1", syntax},
      Row{"services[x].port=1", syntax}, Row{"services[0.port=1", syntax}, Row{"services.=1", syntax},
      Row{".services=1", syntax}, Row{"services[0]port=1", syntax});
  CAPTURE(row.assignment);
  Document doc = nat_scenario();
  CHECK(error_of([&] { apply_override(doc, row.assignment); }) ==
        "--set " + std::string(row.assignment) + ": " + row.message);
}

TEST_CASE("a refused --set reports where it stopped", "[overrides]") {
  Document doc = nat_scenario();
  try {
    apply_override(doc, "services.3.port=80");
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(e.setting() == "services.3.port=80");
    CHECK(e.key_path() == "services");
    CHECK(e.message() == "services has 2 items (0..1)");
    CHECK(e.line() == 0);
  }
  CHECK(doc.root().at("services").size() == 2);  // nothing was changed
}

TEST_CASE("an override of an empty document has nowhere to go", "[overrides]") {
  Document doc = Document::from_string("", "empty.yaml");
  CHECK(error_of([&] { apply_override(doc, "services.0.port=80"); }) ==
        "--set services.0.port=80: the scenario is empty, not a map or a list");
}

TEST_CASE("an override of a top-level key and of a list item", "[overrides]") {
  Document doc = Document::from_string("seed: 1\nports: [80, 443]\n", "t.yaml");
  apply_overrides(doc, {"seed=42", "ports.1=8443", "ports[0]=8080", "name=run-7"});
  CHECK(doc.root().required<std::int64_t>("seed") == 42);
  CHECK(doc.root().at("ports").at(0).as<std::int64_t>() == 8080);
  CHECK(doc.root().at("ports").at(1).as<std::int64_t>() == 8443);
  CHECK(doc.root().required<std::string>("name") == "run-7");
  CHECK(doc.is_overridden("ports[1]"));
  CHECK(error_of([&] {
          doc.root().at("ports").at(1).as<std::int64_t>(Range<std::int64_t>{1, 1024});
        }) == "--set ports[1]: expected an integer in 1..1024, got '8443'");
}

TEST_CASE("an override creates a missing map down to its value, and the reader checks its keys", "[overrides]") {
  Document doc = nat_scenario();
  apply_override(doc, "services[1].sysctl.arp_ignore=1");
  const Cursor svc = doc.root().at("services").at(1);
  CHECK(svc.at("sysctl").required<std::int64_t>("arp_ignore") == 1);
  CHECK(svc.at("sysctl").mark() == Position{0, 0});
  CHECK(doc.is_overridden("services[1].sysctl"));
  apply_override(doc, "services[1].sysctl.arp_announce=2");  // the created map is an existing one now
  CHECK(svc.at("sysctl").size() == 2);
  apply_override(doc, "a.b.c=x");
  CHECK(doc.root().at("a").at("b").required<std::string>("c") == "x");
  CHECK(error_of([&] { doc.root().allow_keys({"services", "links"}); }) ==
        "--set a: unknown key 'a', expected one of [services, links]");
  CHECK(error_of([&] { svc.at("sysctl").allow_keys({"arp_ignore"}); }) ==
        "--set services[1].sysctl.arp_announce: unknown key 'arp_announce', expected one of [arp_ignore]");
}

TEST_CASE("a value set through a YAML alias names the --set, not the anchor", "[overrides]") {
  Document doc = Document::from_string("hosts:\n  - &h {name: a, loopback: [10.0.0.1]}\n  - *h\n", "t.yaml");
  apply_override(doc, "hosts[1].loopback[0]=1.2.3");
  for (const Cursor& host : doc.root().at("hosts").items()) {
    CAPTURE(host.path());
    CHECK(error_of([&] { host.at("loopback").at(0).as<Ipv4Address>(); }) ==
          "--set hosts[1].loopback[0]: expected an IPv4 address (e.g. 192.168.10.100), got '1.2.3'");
    CHECK(host.at("loopback").at(0).mark() == Position{0, 0});
  }
}

TEST_CASE("a value set twice, through its anchor and through an alias, names the later --set", "[overrides]") {
  Document doc = Document::from_string("a: &p 80\nb: *p\n", "t.yaml");
  apply_override(doc, "a=81");
  apply_override(doc, "b=x");
  for (const char* key : {"a", "b"}) {
    CAPTURE(key);
    CHECK(error_of([&] { doc.root().at(key).as<int>(); }) == "--set b: expected an integer (e.g. 42), got 'x'");
  }
}
