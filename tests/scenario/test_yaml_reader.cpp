#include <catch2/catch.hpp>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "scenario/yaml_reader.hpp"
#include "scenario_fixture.hpp"

using namespace lvs;
using namespace lvs::scenario;

namespace {

using lvs::test::error_of;

Cursor root_of(const char* text) { return Document::from_string(text, "t.yaml").root(); }

// A file in the temporary directory, removed at the end of the test.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& text)
      : path_(std::filesystem::temp_directory_path() / ("lvslab-" + std::to_string(::getpid()) + "-" + name)) {
    std::ofstream(path_) << text;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

const char* const kScenario = R"(services:
  - protocol: tcp
    vip: 192.168.10.100
    port: 80
    scheduler: wlc
    persistence: 300s
    destinations:
      - address: 10.0.0.1
        weight: 3
        forward: dr
      - address: 10.0.0.2
        forward: nat
links:
  - rate: 1Gbps
    delay: 200us
    buffer: 64KiB
    mac: 02:00:00:00:00:01
    subnet: 192.168.10.0/24
    enabled: true
    loss: 0.001
    name: uplink
)";

}  // namespace

TEST_CASE("a section reads like the spec it fills", "[yaml_reader]") {
  const Document doc = Document::from_string(kScenario, "nat-basic.yaml");
  const Cursor root = doc.root();
  root.allow_keys({"services", "links"});
  Cursor svc = root.at("services").at(0);
  svc.allow_keys({"protocol", "vip", "port", "scheduler", "destinations", "persistence"});
  CHECK(svc.choice("protocol", {"tcp", "udp"}) == "tcp");
  CHECK(svc.required<Ipv4Address>("vip") == Ipv4Address(192, 168, 10, 100));
  CHECK(svc.optional<std::int64_t>("port", 80, Range{1, 65535}) == 80);
  CHECK(svc.optional<Time>("persistence", Time::zero()) == Time::s(300));
  CHECK(svc.choice("scheduler", {"rr", "wrr", "lc", "wlc"}, "wlc") == "wlc");
  std::vector<std::string> modes;
  std::vector<std::int64_t> weights;
  for (const Cursor& dest : svc.at("destinations").items()) {
    dest.allow_keys({"address", "weight", "forward"});
    modes.push_back(dest.choice("forward", {"nat", "dr", "tun", "fullnat"}));
    weights.push_back(dest.optional<std::int64_t>("weight", 1, Range{0, 65535}));
  }
  CHECK(modes == std::vector<std::string>{"dr", "nat"});
  CHECK(weights == std::vector<std::int64_t>{3, 1});

  const Cursor link = root.at("links").at(0);
  CHECK(link.required<DataRate>("rate") == DataRate::gbps(1));
  CHECK(link.optional<Time>("delay", Time::us(50)) == Time::us(200));
  CHECK(link.optional<Time>("jitter", Time::us(50)) == Time::us(50));
  CHECK(link.required<ByteSize>("buffer") == ByteSize::kib(64));
  CHECK(link.required<MacAddress>("mac") == MacAddress(0x02'00'00'00'00'01));
  CHECK(link.required<Ipv4Prefix>("subnet") == Ipv4Prefix(Ipv4Address(192, 168, 10, 0), 24));
  CHECK(link.required<bool>("enabled"));
  CHECK(link.required<double>("loss", Range{0.0, 1.0}) == 0.001);
  CHECK(link.required<std::string>("name") == "uplink");
  CHECK(link.optional<int>("mtu", 1500, Range{68, 9000}) == 1500);
}

TEST_CASE("the getter's type decides how a scalar is read, quoting does not matter", "[yaml_reader]") {
  const Cursor root = root_of("port: \"80\"\nname: 80\nenabled: 'true'\ncount: -7\nratio: 1e-3\n");
  CHECK(root.required<std::int64_t>("port") == 80);
  CHECK(root.required<std::string>("port") == "80");
  CHECK(root.required<std::string>("name") == "80");
  CHECK(root.required<bool>("enabled"));
  CHECK(root.required<int>("count") == -7);
  CHECK(root.required<double>("ratio") == 1e-3);
  CHECK(root.has("port"));
  CHECK_FALSE(root.has("vip"));
  CHECK_FALSE(root.find("vip").has_value());
  CHECK(root.find("count")->as<std::int64_t>() == -7);
}

TEST_CASE("each bad value names file, line, column, key path and what was expected", "[yaml_reader]") {
  struct Row {
    const char* yaml;
    void (*read)(const Cursor&);
    const char* message;
  };
  const Row row = GENERATE(
      Row{"weight: heavy",
          [](const Cursor& c) {
            c.required<std::int64_t>("weight", Range{0, 65535});
          },
          "t.yaml:1:9: weight: expected an integer in 0..65535, got 'heavy'"},
      Row{"weight: 3.5", [](const Cursor& c) { c.required<std::int64_t>("weight"); },
          "t.yaml:1:9: weight: expected an integer (e.g. 42), got '3.5'"},
      Row{"weight: 3abc", [](const Cursor& c) { c.required<std::int64_t>("weight"); },
          "t.yaml:1:9: weight: expected an integer (e.g. 42), got '3abc'"},
      Row{"port: 70000",
          [](const Cursor& c) {
            c.optional<std::int64_t>("port", 80, Range{1, 65535});
          },
          "t.yaml:1:7: port: expected an integer in 1..65535, got '70000'"},
      Row{"port: \"http\"",
          [](const Cursor& c) {
            c.optional<std::int64_t>("port", 80, Range{1, 65535});
          },
          "t.yaml:1:7: port: expected an integer in 1..65535, got 'http'"},
      Row{"port: [80]",
          [](const Cursor& c) {
            c.required<std::int64_t>("port", Range{1, 65535});
          },
          "t.yaml:1:7: port: expected an integer in 1..65535, got a list"},
      Row{"count: 3000000000", [](const Cursor& c) { c.required<int>("count"); },
          "t.yaml:1:8: count: expected an integer in -2147483648..2147483647, got '3000000000'"},
      Row{"servers: 0", [](const Cursor& c) { c.required<std::int64_t>("servers", at_least(1)); },
          "t.yaml:1:10: servers: expected an integer >= 1, got '0'"},
      Row{"preempt: yes", [](const Cursor& c) { c.required<bool>("preempt"); },
          "t.yaml:1:10: preempt: expected true or false, got 'yes'"},
      Row{"preempt: {on: 1}", [](const Cursor& c) { c.optional<bool>("preempt", true); },
          "t.yaml:1:10: preempt: expected true or false, got a map"},
      Row{"loss: abc", [](const Cursor& c) { c.required<double>("loss"); },
          "t.yaml:1:7: loss: expected a number (e.g. 0.5), got 'abc'"},
      Row{"loss: .inf", [](const Cursor& c) { c.required<double>("loss"); },
          "t.yaml:1:7: loss: expected a number (e.g. 0.5), got '.inf'"},
      Row{"loss: 1.5",
          [](const Cursor& c) {
            c.required<double>("loss", Range{0.0, 1.0});
          },
          "t.yaml:1:7: loss: expected a number in 0..1, got '1.5'"},
      Row{"name: [a, b]", [](const Cursor& c) { c.required<std::string>("name"); },
          "t.yaml:1:7: name: expected a string, got a list"},
      Row{"delay: fast", [](const Cursor& c) { c.required<Time>("delay"); },
          "t.yaml:1:8: delay: invalid duration 'fast': no number (expected a number and a unit: ns, us, ms, s, min, "
          "h; e.g. \"250us\", \"1.5s\")"},
      Row{"delay: -2ms", [](const Cursor& c) { c.optional<Time>("delay", Time::us(50)); },
          "t.yaml:1:8: delay: expected a duration >= 0 (e.g. \"250us\"), got '-2ms'"},
      Row{"delay: 20s",
          [](const Cursor& c) {
            c.required<Time>("delay", Range{Time::ms(1), Time::s(10)});
          },
          "t.yaml:1:8: delay: expected a duration in 1ms..10s, got '20s'"},
      Row{"delay: {ms: 3}", [](const Cursor& c) { c.required<Time>("delay"); },
          "t.yaml:1:8: delay: expected a duration (e.g. \"250us\"), got a map"},
      Row{"rate: 1 Gbit", [](const Cursor& c) { c.required<DataRate>("rate"); },
          "t.yaml:1:7: rate: invalid data rate '1 Gbit': expected a number and a unit: bps, Kbps, Mbps, Gbps, Tbps "
          "(e.g. \"1Gbps\")"},
      Row{"buffer: 10 bytes", [](const Cursor& c) { c.required<ByteSize>("buffer"); },
          "t.yaml:1:9: buffer: invalid byte size '10 bytes': expected a number and a unit: B, KB, MB, GB, TB, KiB, "
          "MiB, GiB, TiB (e.g. \"64KiB\", \"1.5MB\")"},
      Row{"vip: 10.0.0.256", [](const Cursor& c) { c.required<Ipv4Address>("vip"); },
          "t.yaml:1:6: vip: expected an IPv4 address (e.g. 192.168.10.100), got '10.0.0.256'"},
      Row{"subnet: 10.0.0.0/33", [](const Cursor& c) { c.required<Ipv4Prefix>("subnet"); },
          "t.yaml:1:9: subnet: expected an IPv4 prefix (e.g. 192.168.10.0/24), got '10.0.0.0/33'"},
      Row{"mac: 02:00:00:00:00", [](const Cursor& c) { c.required<MacAddress>("mac"); },
          "t.yaml:1:6: mac: expected a MAC address (e.g. 02:00:00:00:00:01), got '02:00:00:00:00'"},
      // An empty value is reported at its key: yaml-cpp places it where the next token starts.
      Row{"vip:\nport: 80", [](const Cursor& c) { c.required<Ipv4Address>("vip"); },
          "t.yaml:1:1: vip: expected an IPv4 address (e.g. 192.168.10.100), got an empty value"},
      Row{"a: 1\nvip: ~", [](const Cursor& c) { c.required<Ipv4Address>("vip"); },
          "t.yaml:2:1: vip: expected an IPv4 address (e.g. 192.168.10.100), got an empty value"},
      Row{"delay:\n", [](const Cursor& c) { c.optional<Time>("delay", Time::us(50)); },
          "t.yaml:1:1: delay: expected a duration (e.g. \"250us\"), got an empty value"});
  CAPTURE(row.yaml);
  CHECK(error_of([&] { row.read(root_of(row.yaml)); }) == row.message);
}

TEST_CASE("a nested bad value names its full key path", "[yaml_reader]") {
  const Document doc = Document::from_string(R"(services:
  - vip: 192.168.10.100
    destinations:
      - address: 10.0.0.1
        weight: 3
      - address: 10.0.0.2
        weight: heavy
)",
                                             "scenarios/nat-basic.yaml");
  const Cursor weight = doc.root().at("services").at(0).at("destinations").at(1).at("weight");
  CHECK(weight.path() == "services[0].destinations[1].weight");
  CHECK(weight.mark() == Position{7, 17});
  CHECK(weight.file() == "scenarios/nat-basic.yaml");
  try {
    weight.as<std::int64_t>(Range<std::int64_t>{0, 65535});
    FAIL("no error");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) ==
          "scenarios/nat-basic.yaml:7:17: services[0].destinations[1].weight: expected an integer in 0..65535, got "
          "'heavy'");
    CHECK(e.file() == "scenarios/nat-basic.yaml");
    CHECK(e.line() == 7);
    CHECK(e.column() == 17);
    CHECK(e.key_path() == "services[0].destinations[1].weight");
    CHECK(e.message() == "expected an integer in 0..65535, got 'heavy'");
    CHECK(e.setting().empty());
  }
}

TEST_CASE("a missing required key is reported at the map that lacks it", "[yaml_reader]") {
  const Cursor root = root_of("services:\n  - protocol: tcp\n    port: 80\n");
  CHECK(error_of([&] { root.at("services").at(0).required<Ipv4Address>("vip"); }) ==
        "t.yaml:2:5: services[0]: missing required key 'vip'");
  CHECK(error_of([&] { root.at("links"); }) == "t.yaml:1:1: missing required key 'links'");
  CHECK(error_of([&] {
          root.at("services").at(0).choice("forward", {"nat", "dr"});
        }) == "t.yaml:2:5: services[0]: missing required key 'forward'");
}

TEST_CASE("an unknown key is reported at the key, with a suggestion or the allowed keys", "[yaml_reader]") {
  const std::vector<std::string> allowed{"protocol", "vip", "port", "weight"};
  CHECK(error_of([&] {
          root_of("services:\n  - protocol: tcp\n    wieght: 3\n").at("services").at(0).allow_keys(allowed);
        }) == "t.yaml:3:5: services[0].wieght: unknown key 'wieght', did you mean 'weight'?");
  CHECK(error_of([&] {
          root_of("services:\n  - protocol: tcp\n    colour: red\n").at("services").at(0).allow_keys(allowed);
        }) == "t.yaml:3:5: services[0].colour: unknown key 'colour', expected one of [protocol, vip, port, weight]");
  CHECK(error_of([&] { root_of("- a\n").allow_keys(allowed); }) == "t.yaml:1:1: expected a map, got a list");
  CHECK(error_of([&] { root_of("vip: 10.0.0.1\nport: 80\n").allow_keys(allowed); }) == "no error");
}

TEST_CASE("choice accepts only the listed values", "[yaml_reader]") {
  const std::vector<std::string> modes{"nat", "dr", "tun", "fullnat"};
  CHECK(root_of("forward: tun").choice("forward", modes) == "tun");
  CHECK(root_of("other: 1").choice("forward", modes, "nat") == "nat");
  CHECK(root_of("- dr\n- nat\n").at(1).one_of(modes) == "nat");
  CHECK(error_of([&] { root_of("forward: natt").choice("forward", modes); }) ==
        "t.yaml:1:10: forward: expected one of [nat, dr, tun, fullnat], got 'natt' (did you mean 'nat'?)");
  CHECK(error_of([&] { root_of("forward: masq").choice("forward", modes, "nat"); }) ==
        "t.yaml:1:10: forward: expected one of [nat, dr, tun, fullnat], got 'masq'");
  CHECK(error_of([&] { root_of("forward: [nat]").choice("forward", modes); }) ==
        "t.yaml:1:10: forward: expected one of [nat, dr, tun, fullnat], got a list");
  CHECK_THROWS_AS(root_of("a: 1").choice("forward", modes, "masq"), std::logic_error);
}

TEST_CASE("maps and lists must be what the reader expects", "[yaml_reader]") {
  const Cursor root = root_of("services:\n  - a\n  - b\nlinks: {x: 1}\nempty:\n");
  CHECK(error_of([&] { root.at("services").at("vip"); }) == "t.yaml:2:3: services: expected a map, got a list");
  CHECK(error_of([&] { root.at("services").has("vip"); }) == "t.yaml:2:3: services: expected a map, got a list");
  CHECK(error_of([&] { root.at("links").items(); }) == "t.yaml:4:8: links: expected a list, got a map");
  CHECK(error_of([&] { root.at("links").at(0); }) == "t.yaml:4:8: links: expected a list, got a map");
  CHECK(error_of([&] { root.at("services").at(5); }) == "t.yaml:2:3: services: expected at least 6 items, got 2");
  CHECK(error_of([&] { root.at("services").entries(); }) == "t.yaml:2:3: services: expected a map, got a list");
  CHECK(error_of([&] { root.at("services").at(0).size(); }) ==
        "t.yaml:2:5: services[0]: expected a list or a map, got 'a'");
  CHECK(error_of([&] { root.at("services").at(1).at("x"); }) == "t.yaml:3:5: services[1]: expected a map, got 'b'");
  CHECK(error_of([&] { root.at("empty").items(); }) == "t.yaml:5:1: empty: expected a list, got an empty value");
  CHECK(root.at("services").is_sequence());
  CHECK(root.at("links").is_map());
  CHECK(root.at("services").at(0).is_scalar());
  CHECK(root.at("empty").is_null());
  CHECK(root.at("services").size() == 2);
  CHECK(root.at("links").size() == 1);
}

TEST_CASE("items and entries carry their key paths, in file order", "[yaml_reader]") {
  const Cursor root = root_of("servers:\n  web2: 10.0.0.2\n  web1: 10.0.0.1\nports: [80, 443]\n");
  const std::vector<MapEntry> servers = root.at("servers").entries();
  REQUIRE(servers.size() == 2);
  CHECK(servers[0].key == "web2");
  CHECK(servers[0].value.path() == "servers.web2");
  CHECK(servers[1].value.as<Ipv4Address>() == Ipv4Address(10, 0, 0, 1));
  CHECK(servers[1].value.mark() == Position{3, 9});
  const std::vector<Cursor> ports = root.at("ports").items();
  REQUIRE(ports.size() == 2);
  CHECK(ports[1].path() == "ports[1]");
  CHECK(ports[1].as<std::int64_t>() == 443);
  CHECK(error_of([&] {
          ports[0].as<std::int64_t>(Range<std::int64_t>{1000, 2000});
        }) == "t.yaml:4:9: ports[0]: expected an integer in 1000..2000, got '80'");
}

TEST_CASE("duplicate and non-scalar keys are refused when the document is loaded", "[yaml_reader]") {
  CHECK(error_of([] {
          Document::from_string("services:\n  - port: 80\n    vip: 10.0.0.1\n    port: 81\n", "t.yaml");
        }) == "t.yaml:4:5: services[0].port: duplicate key 'port', first at line 2");
  CHECK(error_of([] { Document::from_string("? [a, b]\n: 1\n", "t.yaml"); }) ==
        "t.yaml:1:3: a map key must be a name, got a list");
}

TEST_CASE("a YAML syntax error carries yaml-cpp's position", "[yaml_reader]") {
  CHECK(error_of([] { Document::from_string("a: [1\nb: 2", "t.yaml"); }) ==
        "t.yaml:2:2: invalid YAML: end of sequence flow not found");
  CHECK(error_of([] { Document::from_string("a: b: c", "t.yaml"); }) == "t.yaml:1:5: invalid YAML: illegal map value");
  CHECK(error_of([] { Document::from_string("a:\n  b: 1\n c: 2\n", "t.yaml"); }) ==
        "t.yaml:3:2: invalid YAML: end of map not found");
}

TEST_CASE("a scenario file holds one document, empty ones are ignored", "[yaml_reader]") {
  CHECK(error_of([] { Document::from_string("a: 1\n---\nb: 2\n", "t.yaml"); }) ==
        "t.yaml:3:1: a second YAML document; a scenario file holds one");
  CHECK(root_of("a: 1\n---\n").required<int>("a") == 1);
  CHECK(root_of("---\na: 1\n").required<int>("a") == 1);
  CHECK(root_of("---\n---\n~\n---\na: 1\n").required<int>("a") == 1);  // the first non-empty one
  CHECK(error_of([] { Document::from_string("---\n---\na: 1\n---\nb: 2\n", "t.yaml"); }) ==
        "t.yaml:5:1: a second YAML document; a scenario file holds one");
  const Cursor empty = root_of("");
  CHECK(empty.is_null());
  CHECK(empty.path().empty());
  CHECK(error_of([&] { empty.at("services"); }) == "t.yaml:1:1: expected a map, got an empty value");
}

TEST_CASE("input the YAML parser cannot get past ends with an error, not an endless loop", "[yaml_reader]") {
  // yaml-cpp 0.7's LoadAll hands out empty documents for ever here (jbeder/yaml-cpp#1040).
  CHECK(error_of([] { Document::from_string(",", "t.yaml"); }) == "t.yaml:1:1: invalid YAML: unexpected ','");
  CHECK(error_of([] { Document::from_string("a: 1\n---\n,\n", "t.yaml"); }) ==
        "t.yaml:3:1: invalid YAML: unexpected ','");
  CHECK(error_of([] { Document::from_string("a: 1\n...\n, b\n", "t.yaml"); }) ==
        "t.yaml:3:1: invalid YAML: unexpected ','");
  // A second document is refused only once the whole text is read: input it cannot get past comes first.
  CHECK(error_of([] { Document::from_string("a: 1\n---\nb: 2\n---\n,\n", "t.yaml"); }) ==
        "t.yaml:5:1: invalid YAML: unexpected ','");
}

TEST_CASE("load reads a file and names it in every error", "[yaml_reader]") {
  const TempFile file("load.yaml", "services:\n  - port: x\n");
  const Document doc = Document::load(file.path());
  CHECK(doc.name() == file.path());
  CHECK(error_of([&] { doc.root().at("services").at(0).required<std::int64_t>("port"); }) ==
        file.path() + ":2:11: services[0].port: expected an integer (e.g. 42), got 'x'");
  const TempFile broken("broken.yaml", "a: [1\n");
  CHECK(error_of([&] { Document::load(broken.path()); }) ==
        broken.path() + ":2:1: invalid YAML: end of sequence flow not found");
  CHECK(error_of([] { Document::load("/nonexistent/none.yaml"); }) ==
        "/nonexistent/none.yaml: cannot read the file: No such file or directory");
  const std::string dir = std::filesystem::temp_directory_path().string();
  CHECK(error_of([&] { Document::load(dir); }) == dir + ": cannot read the file: Is a directory");
}

TEST_CASE("fail() reports a section's own checks at the node", "[yaml_reader]") {
  const Cursor svc = root_of(kScenario).at("services").at(0);
  CHECK(error_of([&] { svc.at("destinations").fail("destination 10.0.0.1 is listed twice"); }) ==
        "t.yaml:8:7: services[0].destinations: destination 10.0.0.1 is listed twice");
  const ScenarioError e = svc.at("port").error("port 80 is taken");
  CHECK(std::string(e.what()) == "t.yaml:4:11: services[0].port: port 80 is taken");
  CHECK(svc.mark() == Position{2, 5});
  CHECK(root_of(kScenario).mark() == Position{1, 1});
}

TEST_CASE("assigning a cursor rebinds it and never writes to the document", "[yaml_reader]") {
  const Document doc = Document::from_string("a: 1\nb: 2\nc: [x, y, z]\n", "t.yaml");
  Cursor c = doc.root().at("a");
  c = doc.root().at("b");  // YAML::Node's operator= would copy b's value into a
  CHECK(c.path() == "b");
  CHECK(doc.root().required<int>("a") == 1);
  std::vector<Cursor> items = doc.root().at("c").items();
  items.erase(items.begin());  // shifts by assignment
  CHECK(items[0].as<std::string>() == "y");
  CHECK(doc.root().at("c").at(0).as<std::string>() == "x");
}

TEST_CASE("cursors keep their document alive", "[yaml_reader]") {
  std::optional<Cursor> cursor;
  {
    const Document doc = Document::from_string("a: oops\n", "t.yaml");
    cursor.emplace(doc.root().at("a"));
  }
  CHECK(cursor->as<std::string>() == "oops");
  CHECK(error_of([&] { cursor->as<int>(); }) == "t.yaml:1:4: a: expected an integer (e.g. 42), got 'oops'");
}

TEST_CASE("an alias reads its anchor's value", "[yaml_reader]") {
  const Cursor root = root_of("base: &b {weight: 3}\nother: *b\n");
  CHECK(root.at("other").required<int>("weight") == 3);
  CHECK(root.at("other").at("weight").path() == "other.weight");
  // The value is where the anchor is.
  CHECK(error_of([] { root_of("x: &p heavy\ny: *p\n").required<std::int64_t>("y"); }) ==
        "t.yaml:1:4: y: expected an integer (e.g. 42), got 'heavy'");
}

TEST_CASE("a multi-line value is quoted on one line", "[yaml_reader]") {
  CHECK(error_of([] { root_of("a: |\n  line one\n  line two\n").required<int>("a"); }) ==
        "t.yaml:1:4: a: expected an integer (e.g. 42), got 'line one\\nline two\\n'");
}

TEST_CASE("closest_name suggests one near name or none", "[yaml_reader]") {
  CHECK(closest_name("wieght", {"port", "weight"}) == "weight");
  CHECK(closest_name("vpi", {"vip", "port"}) == "vip");
  CHECK(closest_name("Weight", {"weight"}) == "weight");
  CHECK(closest_name("rrr", {"rr", "wrr"}).empty());  // a tie: no guess
  CHECK(closest_name("xx", {"dr"}).empty());          // as far as the whole word
  CHECK(closest_name("colour", {"protocol", "vip"}).empty());
}
