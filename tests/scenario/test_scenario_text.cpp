#include <catch2/catch.hpp>

#include "support/source_tree.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "scenario/scenario_spec.hpp"
#include "scenario/scenario_text.hpp"
#include "scenario_fixture.hpp"

using namespace lvs;
using namespace lvs::scenario;

namespace {

using lvs::test::bundled_scenario_files;
using lvs::test::read_file;
using lvs::test::scenario_path;

using lvs::test::error_of;

// One edit of a small text and the exact text it must give.
struct Row {
  const char* before;
  std::function<void(ScenarioText&)> edit;
  const char* after;
};

void check_row(const Row& row) {
  CAPTURE(row.before);
  ScenarioText text(row.before, "t.yaml");
  row.edit(text);
  CHECK(text.text() == row.after);
}

std::function<void(ScenarioText&)> set(const char* path, const char* value) {
  return [=](ScenarioText& t) { t.set(path, value); };
}
std::function<void(ScenarioText&)> erase(const char* path) {
  return [=](ScenarioText& t) { t.erase(path); };
}

// The lines of `text` that hold a comment.
std::vector<std::string> comment_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.find('#') != std::string::npos) out.push_back(line);
  return out;
}

std::vector<std::string> errors_of(const ScenarioSpec& spec) {
  std::vector<std::string> out;
  for (const Finding& f : validate(spec))
    if (f.severity == Finding::Severity::Error) out.push_back(f.str(spec.file));
  return out;
}

std::vector<std::string> host_names(const ScenarioSpec& spec) {
  std::vector<std::string> out;
  for (const HostSpec& h : spec.topology.hosts) out.push_back(h.name);
  return out;
}

std::vector<std::string> destination_servers(const ScenarioSpec& spec) {
  std::vector<std::string> out;
  for (const DestinationSpec& d : spec.services[0].destinations) out.push_back(d.server);
  return out;
}

std::vector<std::string> app_hosts(const ScenarioSpec& spec) {
  std::vector<std::string> out;
  for (const ServerAppSpec& a : spec.servers) out.insert(out.end(), a.hosts.begin(), a.hosts.end());
  return out;
}

}  // namespace

TEST_CASE("ScenarioText::set replaces a scalar and nothing else", "[scenario_text]") {
  const Row row = GENERATE(values<Row>({
      {"a: 1   # one\nb: 2\n", set("a", "10"), "a: 10   # one\nb: 2\n"},
      {"d:\n  - {server: rs1, weight: 1}\n", set("d[0].weight", "5"), "d:\n  - {server: rs1, weight: 5}\n"},
      {"d: {a: 1, b: x}  # c\n", set("d.a", "22"), "d: {a: 22, b: x}  # c\n"},
      {"s:\n  - x: 1\n", set("s.0.x", "2"), "s:\n  - x: 2\n"},
      {"name: \"web\"  # q\n", set("name", "shop"), "name: \"shop\"  # q\n"},
      {"name: 'web'\n", set("name", "o'k"), "name: 'o''k'\n"},
      {"d: x\n", set("d", "a: b"), "d: \"a: b\"\n"},
      {"d: {a: x}\n", set("d.a", "p,q"), "d: {a: \"p,q\"}\n"},
      {"a: 1\n", set("a", "null"), "a: \"null\"\n"},
      {"a:\nb: 2\n", set("a", "1"), "a: 1\nb: 2\n"},
      {"a:   # none\n", set("a", "1"), "a: 1   # none\n"},
      {"a: ~\n", set("a", "x"), "a: x\n"},
      {"l: [a, b, c]\n", set("l[1]", "z"), "l: [a, z, c]\n"},
      {"l:\n  - a\n  - b  # bee\n", set("l[1]", "c"), "l:\n  - a\n  - c  # bee\n"},
      {"a: &w 1\nb: *w\n", set("b", "2"), "a: &w 1\nb: 2\n"},     // an alias: this place only
      {"a: &w 1\nb: *w\n", set("a", "3"), "a: &w 3\nb: *w\n"},     // an anchor: shared
      {"m: &m {k: 1}\nn: *m\n", set("n.k", "2"), "m: &m {k: 2}\nn: *m\n"},  // a shared map
  }));
  check_row(row);
}

TEST_CASE("ScenarioText::set inserts a missing key at the map's first key", "[scenario_text]") {
  const Row row = GENERATE(values<Row>({
      {"s:\n  port: 80\n  vip: x\n", set("s.scheduler", "rr"), "s:\n  scheduler: rr\n  port: 80\n  vip: x\n"},
      {"d:\n  - name: x\n    port: 1\n", set("d[0].weight", "3"), "d:\n  - weight: 3\n    name: x\n    port: 1\n"},
      {"d: [{server: rs1}]\n", set("d[0].weight", "3"), "d: [{weight: 3, server: rs1}]\n"},
      {"d:\n  - {server: rs1, method: nat}\n", set("d[0].weight", "3"),
       "d:\n  - {weight: 3, server: rs1, method: nat}\n"},
      {"d: {}\n", set("d.weight", "3"), "d: {weight: 3}\n"},
      {"# c\nname: x\n", set("seed", "2"), "# c\nseed: 2\nname: x\n"},
  }));
  check_row(row);
}

TEST_CASE("ScenarioText::erase removes a block or flow map entry", "[scenario_text]") {
  const Row row = GENERATE(values<Row>({
      {"a: 1\nb:\n  c: 2\n  d: [3]\ne: 4\n", erase("b"), "a: 1\ne: 4\n"},
      {"a: 1\nb: 2  # two\n# end\n", erase("b"), "a: 1\n# end\n"},
      {"a:\n- 1\n- 2\nb: 3\n", erase("a"), "b: 3\n"},
      {"l:\n  - name: x\n    port: 1\n", erase("l[0].name"), "l:\n  - port: 1\n"},
      {"l:\n  - name: x\nz: 1\n", erase("l[0].name"), "l:\n  - {}\nz: 1\n"},
      {"m: {a: 1, b: 2, c: 3}\n", erase("m.a"), "m: {b: 2, c: 3}\n"},
      {"m: {a: 1, b: 2, c: 3}\n", erase("m.b"), "m: {a: 1, c: 3}\n"},
      {"m: {a: 1, b: 2, c: 3}\n", erase("m.c"), "m: {a: 1, b: 2}\n"},
      {"m: {a: 1}\n", erase("m.a"), "m: {}\n"},
      {"m: {a: 1}\n", erase("m.z"), "m: {a: 1}\n"},
      {"m: {a: 1}\n", erase("x.y.z"), "m: {a: 1}\n"},
  }));
  check_row(row);
}

TEST_CASE("ScenarioText copies, appends and removes list items", "[scenario_text]") {
  const auto duplicate = [](const char* path, std::size_t i) { return [=](ScenarioText& t) { t.duplicate(path, i); }; };
  const auto remove = [](const char* path, std::size_t i) { return [=](ScenarioText& t) { t.remove(path, i); }; };
  const auto append = [](const char* path, const char* v) { return [=](ScenarioText& t) { t.append(path, v); }; };
  const char* block = "l:\n  - name: a\n    port: 1\n  # b next\n  - name: b\nz: 1\n";
  const Row row = GENERATE_COPY(values<Row>({
      {block, duplicate("l", 0), "l:\n  - name: a\n    port: 1\n  - name: a\n    port: 1\n  # b next\n  - name: b\nz: 1\n"},
      {block, duplicate("l", 1), "l:\n  - name: a\n    port: 1\n  # b next\n  - name: b\n  - name: b\nz: 1\n"},
      {block, remove("l", 0), "l:\n  # b next\n  - name: b\nz: 1\n"},
      {block, remove("l", 1), "l:\n  - name: a\n    port: 1\n  # b next\nz: 1\n"},
      {"l:\n  - a\nz: 1\n", remove("l", 0), "l:\n  []\nz: 1\n"},
      {"l:\n  - a\nz: 1\n", append("l", "b c"), "l:\n  - a\n  - b c\nz: 1\n"},
      {"l: [a, {b: 1}]\n", duplicate("l", 1), "l: [a, {b: 1}, {b: 1}]\n"},
      {"l: [a, b, c]\n", remove("l", 0), "l: [b, c]\n"},
      {"l: [a, b, c]\n", remove("l", 1), "l: [a, c]\n"},
      {"l: [a, b, c]\n", remove("l", 2), "l: [a, b]\n"},
      {"l: [a]\n", remove("l", 0), "l: []\n"},
      {"l: [a, b]  # ab\n", append("l", "c"), "l: [a, b, c]  # ab\n"},
      {"l: []\n", append("l", "x,y"), "l: [\"x,y\"]\n"},
      {"l:\n  - {n: &x 1, m: *x}\n", duplicate("l", 0), "l:\n  - {n: &x 1, m: *x}\n  - {n: 1, m: *x}\n"},
      {"l:\n  - s: &m\n      k: 1\n", duplicate("l", 0), "l:\n  - s: &m\n      k: 1\n  - s:\n      k: 1\n"},
  }));
  check_row(row);
}

TEST_CASE("ScenarioText renames keys, writes flow values and reads values", "[scenario_text]") {
  ScenarioText text("servers:\n  - host: rs1   # one\n    port: 80\nl:\n  - name: vpc\n    rate: 1Gbps\n", "t.yaml");
  text.rename("servers[0].host", "hosts");
  text.set_flow("servers[0].hosts", "[rs1, rs2]");
  CHECK(text.text() == "servers:\n  - hosts: [rs1, rs2]   # one\n    port: 80\nl:\n  - name: vpc\n    rate: 1Gbps\n");
  text.set_flow("servers[0].hosts", "[rs3]");
  CHECK(text.value("servers[0].hosts[0]") == "rs3");
  CHECK(text.count("servers[0].hosts") == 1);
  CHECK(text.count("servers[0].nothing") == 0);
  CHECK(text.value("servers[0].port") == "80");
  CHECK(text.value("servers[0]") == std::nullopt);
  CHECK(text.value("nothing.at.all") == std::nullopt);
  CHECK(text.flow_text("l[0]") == "{name: vpc, rate: 1Gbps}");
  CHECK(text.flow_text("servers[0].hosts") == "[rs3]");
}

TEST_CASE("ScenarioText refuses a bad path or target with the reader's kind of message", "[scenario_text]") {
  const char* yaml = "services:\n  - vip: 10.0.0.1\n    destinations:\n      - {server: rs1}\n";
  ScenarioText text(yaml, "t.yaml");
  using Call = std::function<void()>;
  const auto row = GENERATE_REF(values<std::pair<Call, std::string>>({
      {[&] { text.set("services[0].foo.bar", "1"); }, "t.yaml:2:5: services[0].foo.bar: services[0] has no key 'foo'"},
      {[&] { text.set("services[3].vip", "1"); }, "t.yaml:2:3: services[3].vip: services has 1 item (0)"},
      {[&] { text.set("services[0].destinations[0].server[2]", "1"); },
       "t.yaml:4:18: services[0].destinations[0].server[2]: services[0].destinations[0].server is 'rs1', not a map or a list"},
      {[&] { text.set("services[0]", "1"); }, "t.yaml:2:5: services[0]: expected a single value, got a map"},
      {[&] { text.set("services[0].destinations", "1"); },
       "t.yaml:4:7: services[0].destinations: expected a single value, got a list"},
      {[&] { text.set("services.vip", "1"); }, "t.yaml:2:3: services.vip: services is a list, 'vip' is not an index"},
      {[&] { text.set("services[0][1]", "1"); }, "t.yaml:2:5: services[0][1]: services[0] is a map, not a list"},
      {[&] { text.set("services..vip", "1"); }, "t.yaml: services..vip: not a key path (expected e.g. services[0].scheduler)"},
      {[&] { text.count("services[0]"); }, "t.yaml:2:5: services[0]: expected a list, got a map"},
      {[&] { text.rename("services[0].port", "p"); }, "t.yaml:2:5: services[0].port: services[0] has no key 'port'"},
      {[&] { text.remove("services", 4); }, "t.yaml:2:3: services: the list has 1 item (0)"},
  }));
  CHECK(error_of(row.first) == row.second);
  CHECK(text.text() == yaml);
}

TEST_CASE("ScenarioText refuses an edit that would not read back and keeps its text", "[scenario_text]") {
  const char* yaml = "a: one\n  two\nb: 1\n";  // a plain scalar on two lines
  ScenarioText text(yaml, "t.yaml");
  CHECK(error_of([&] { text.set("a", "x"); }) ==
        "t.yaml:1:4: a: cannot write 'x' in place here (a multi-line value?); edit the text");
  CHECK(text.text() == yaml);
  CHECK(error_of([] { ScenarioText("a: [1\n", "t.yaml"); }).rfind("t.yaml:", 0) == 0);
}

TEST_CASE("ScenarioText: scheduler and weight edits of every bundled scenario read back", "[scenario_text][bundled]") {
  const std::string file = GENERATE(from_range(bundled_scenario_files()));
  CAPTURE(file);
  const std::string original = read_file(file);
  const ScenarioSpec before = read_scenario_text(original, file);
  const std::size_t last = before.services[0].destinations.size() - 1;
  ScenarioText text(original, file);
  text.set("services[0].scheduler", "sed");
  // The path the GUI edits: a destination's own, or its group's (one weight for the group).
  const std::string& written = before.services[0].destinations[last].origin.path;
  text.set(written + ".weight", "7");
  const ScenarioSpec after = read_scenario_text(text.text(), file);
  CHECK(after.services[0].scheduler == "sed");
  CHECK(after.services[0].destinations[last].weight == 7);
  for (std::size_t d = 0; d < last; ++d)
    CHECK(after.services[0].destinations[d].weight ==
          (before.services[0].destinations[d].origin.path == written ? 7 : before.services[0].destinations[d].weight));
  CHECK(comment_lines(text.text()) == comment_lines(original));
  text.set("services[0].scheduler", before.services[0].scheduler);
  CHECK(read_scenario_text(text.text(), file).services[0].scheduler == before.services[0].scheduler);
}

TEST_CASE("set_server_count: every bundled scenario gets two more servers and back", "[scenario_text][bundled]") {
  const std::string file = GENERATE(from_range(bundled_scenario_files()));
  CAPTURE(file);
  const std::string original = read_file(file);
  const ScenarioSpec before = read_scenario_text(original, file);
  const std::size_t n = before.services[0].destinations.size();
  ScenarioText text(original, file);
  set_server_count(text, 0, n + 2);
  const ScenarioSpec more = read_scenario_text(text.text(), file);
  CHECK(errors_of(more) == std::vector<std::string>{});
  REQUIRE(more.services[0].destinations.size() == n + 2);
  CHECK(more.topology.hosts.size() == before.topology.hosts.size() + 2);
  std::set<std::uint32_t> addresses;
  std::size_t interfaces = 0;
  for (const HostSpec& h : more.topology.hosts)
    for (const InterfaceSpec& i : h.interfaces) addresses.insert(i.address.address().value()), ++interfaces;
  CHECK(addresses.size() == interfaces);
  for (std::size_t d = n; d < n + 2; ++d) {
    const std::string& server = more.services[0].destinations[d].server;
    const std::vector<std::string> apps = app_hosts(more);
    CHECK(std::count(apps.begin(), apps.end(), server) == 1);
  }
  for (const std::string& line : comment_lines(original))
    CHECK(text.text().find(line) != std::string::npos);

  set_server_count(text, 0, n);
  const ScenarioSpec back = read_scenario_text(text.text(), file);
  const std::string& last = before.services[0].destinations.back().server;
  const auto host = std::find_if(before.topology.hosts.begin(), before.topology.hosts.end(),
                                 [&last](const HostSpec& h) { return h.name == last; });
  REQUIRE(host != before.topology.hosts.end());
  if (host->interfaces[0].link.empty()) CHECK(text.text() == original);  // else the link stays a segment
  CHECK(host_names(back) == host_names(before));
  CHECK(destination_servers(back) == destination_servers(before));
  CHECK(app_hosts(back) == app_hosts(before));
  CHECK(errors_of(back) == errors_of(before));
}

TEST_CASE("set_server_count copies the last server's host, destination and application", "[scenario_text]") {
  const std::string original = read_file(scenario_path("nat-basic.yaml"));
  ScenarioText text(original, "nat-basic.yaml");
  set_server_count(text, 0, 3);
  std::string expected = original;
  const auto insert_after = [&expected](const std::string& anchor, const std::string& lines) {
    REQUIRE(expected.find(anchor) != std::string::npos);
    expected.insert(expected.find(anchor) + anchor.size(), lines);
  };
  insert_after("          address: 192.168.10.103/24\n",
               "    - name: rs3\n      kind: server\n      gateway: 192.168.10.101\n      interfaces:\n"
               "        - name: eth0\n          segment: inside\n          address: 192.168.10.104/24\n");
  insert_after("      - {server: rs2, method: nat, weight: 1}\n", "      - {server: rs3, method: nat, weight: 1}\n");
  insert_after("  - hosts: [rs1, rs2", ", rs3");
  CHECK(text.text() == expected);
  set_server_count(text, 0, 2);
  CHECK(text.text() == original);
  set_server_count(text, 0, 1);
  const ScenarioSpec one = read_scenario_text(text.text(), "nat-basic.yaml");
  CHECK(host_names(one) == std::vector<std::string>{"client", "director", "rs1"});
  CHECK(app_hosts(one) == std::vector<std::string>{"rs1"});
}

TEST_CASE("set_server_count makes a point-to-point link a segment and `host` a list", "[scenario_text]") {
  const std::string original = read_file(scenario_path("fullnat-port-exhaustion.yaml"));
  ScenarioText text(original, "fullnat-port-exhaustion.yaml");
  set_server_count(text, 0, 2);
  std::string expected = original;
  const auto replace = [&expected](const std::string& from, const std::string& to) {
    REQUIRE(expected.find(from) != std::string::npos);
    expected.replace(expected.find(from), from.size(), to);
  };
  replace("topology:\n  links:", "topology:\n  segments: [{name: vpc, rate: 10Gbps, delay: 20us}]\n  links:");
  replace("    - {name: vpc, rate: 10Gbps, delay: 20us}\n", "");
  replace("{name: eth1, link: vpc,", "{name: eth1, segment: vpc,");
  replace("    - {name: rs1, kind: server, interfaces: [{name: eth0, link: vpc, address: 10.1.0.11/24}]}\n",
          "    - {name: rs1, kind: server, interfaces: [{name: eth0, segment: vpc, address: 10.1.0.11/24}]}\n"
          "    - {name: rs2, kind: server, interfaces: [{name: eth0, segment: vpc, address: 10.1.0.12/24}]}\n");
  replace("      - {server: rs1, method: fullnat}\n",
          "      - {server: rs1, method: fullnat}\n      - {server: rs2, method: fullnat}\n");
  replace("  - host: rs1\n", "  - hosts: [rs1, rs2]\n");
  CHECK(text.text() == expected);
}

TEST_CASE("set_server_count keeps a host another service uses", "[scenario_text]") {
  std::string yaml = read_file(scenario_path("nat-basic.yaml"));
  const std::string second = "  - name: alt\n    director: director\n    vip: 192.168.74.129\n    port: 8080\n"
                             "    destinations:\n      - {server: rs2, method: nat}\n";
  yaml.insert(yaml.find("\nservers:"), second);
  ScenarioText text(yaml, "t.yaml");
  set_server_count(text, 0, 1);
  const ScenarioSpec spec = read_scenario_text(text.text(), "t.yaml");
  CHECK(destination_servers(spec) == std::vector<std::string>{"rs1"});
  CHECK(host_names(spec) == std::vector<std::string>{"client", "director", "rs1", "rs2"});
  CHECK(app_hosts(spec) == std::vector<std::string>{"rs1", "rs2"});
}

TEST_CASE("set_server_count refuses what it cannot do, leaving the text as it was", "[scenario_text]") {
  std::string yaml = read_file(scenario_path("persistence-drain.yaml"));
  yaml.replace(yaml.find("edit: rs1"), 9, "edit: rs2");
  ScenarioText text(yaml, "p.yaml");
  CHECK(error_of([&] { set_server_count(text, 0, 1); }) ==
        "p.yaml:74:5: events[0]: cannot reduce service web to 1 server: this event names rs2, the destination "
        "that would go; change the event first");
  CHECK(error_of([&] { set_server_count(text, 1, 3); }) == "p.yaml: services[1]: the scenario has 1 service");
  CHECK(error_of([&] { set_server_count(text, 0, 0); }) ==
        "p.yaml: services[0].destinations: a service needs at least one destination");
  CHECK(text.text() == yaml);
  ScenarioText broken("name: x\n", "b.yaml");
  CHECK(error_of([&] { set_server_count(broken, 0, 2); }) == "b.yaml:1:1: missing required key 'topology'");
}
