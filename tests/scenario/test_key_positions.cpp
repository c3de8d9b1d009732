// ScenarioSpec::positions is looked up in the document when asked for (yaml_positions.cpp).
// The reference is what the reader used to record up front: every key and list item, walked
// with entries() and items(), by its path; the lookups must give exactly that.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "../support/big_scenario.hpp"
#include "scenario/scenario_spec.hpp"
#include "scenario/yaml_reader.hpp"

using namespace lvs::scenario;

namespace {

// Every key and list item below `c` (at most 64 steps down) by its path; a path spelt twice
// keeps the later one. What the reader recorded before positions were looked up.
void record(const Cursor& c, std::map<std::string, Position>& out, int depth = 0) {
  if (depth > 64) return;
  out[c.path()] = c.mark();
  if (c.is_map())
    for (const MapEntry& entry : c.entries()) record(entry.value, out, depth + 1);
  else if (c.is_sequence())
    for (const Cursor& item : c.items()) record(item, out, depth + 1);
}

std::map<std::string, Position> recorded(const Cursor& root) {
  std::map<std::string, Position> out;
  record(root, out);
  return out;
}

std::vector<std::string> bundled_scenarios() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(std::string(LVSLAB_SOURCE_DIR) + "/scenarios"))
    if (e.path().extension() == ".yaml") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> findings_of(const ScenarioSpec& spec) {
  std::vector<std::string> out;
  for (const Finding& f : validate(spec)) out.push_back(f.str(spec.file));
  return out;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("positions: every bundled scenario's keys and items where the recording has them", "[key_positions]") {
  const std::vector<std::string> files = bundled_scenarios();
  REQUIRE(files.size() > 20);
  for (const std::string& file : files) {
    INFO(file);
    const ScenarioSpec spec = read_scenario(file);
    const std::map<std::string, Position> reference = recorded(Document::load(file).root());
    REQUIRE(reference.size() > 50);
    for (const auto& [path, at] : reference) {
      INFO(path);
      REQUIRE(spec.positions.find(path) == std::optional<Position>(at));
    }
  }
}

TEST_CASE("positions: a path not spelt as the reader spells it finds nothing", "[key_positions]") {
  const ScenarioSpec spec = read_scenario(std::string(LVSLAB_SOURCE_DIR) + "/scenarios/nat-basic.yaml");
  REQUIRE(spec.positions.contains("services[0].vip"));
  REQUIRE(spec.positions.contains("topology.hosts[1].interfaces[0]"));
  for (const char* path : {"services.0.vip", "services[00].vip", "services[0].vip.", "services[0]vip", ".services",
                           "services..vip", "[0]", "services[0", "services[-1]", "services[0].nosuch",
                           "services[99].vip", "topology.hosts[1].interfaces[0][0]", "services[0].vip[0]",
                           "services[18446744073709551616]"}) {
    INFO(path);
    CHECK_FALSE(spec.positions.contains(path));
  }
  CHECK_THROWS_AS(spec.positions.at("services.0.vip"), std::out_of_range);
}

TEST_CASE("positions: values set with --set have none, also a map --set makes", "[key_positions]") {
  const std::string file = std::string(LVSLAB_SOURCE_DIR) + "/scenarios/nat-basic.yaml";
  const ScenarioSpec spec = read_scenario(file, {"services[0].port=8080", "topology.hosts[0].sysctl.rp_filter=0"});
  CHECK(spec.positions.at("services[0].port") == Position{});
  CHECK(spec.positions.at("topology.hosts[0].sysctl") == Position{});
  CHECK(spec.positions.at("topology.hosts[0].sysctl.rp_filter") == Position{});
  CHECK(spec.positions.at("services[0].vip") == read_scenario(file).positions.at("services[0].vip"));
}

TEST_CASE("positions: a key a path cannot spell gets the recording, where the later one wins", "[key_positions]") {
  // "a.b" is both the key b under a and the key "a.b": the recording kept the later one.
  const Document doc = Document::from_string("a: {b: 2}\na.b: 1\n", "odd.yaml");
  const KeyPositions positions = key_positions(doc.root());
  CHECK(positions.at("a.b") == Position{2, 6});
  CHECK(positions.at("a") == Position{1, 4});
  for (const char* text : {"x[0]: 1\n", "\"\": 1\n", "a]: 1\n"}) {
    INFO(text);
    const Document d = Document::from_string(text, "odd.yaml");
    CHECK_FALSE(d.root().keys_spell_paths());
    const KeyPositions found = key_positions(d.root());
    for (const auto& [path, at] : recorded(d.root())) CHECK(found.find(path) == std::optional<Position>(at));
  }
  CHECK(Document::from_string("a: {b: [1, {c: 2}]}\n", "plain.yaml").root().keys_spell_paths());
}

TEST_CASE("positions: 64 steps down at most, as recorded", "[key_positions]") {
  std::string text;
  for (int k = 0; k < 70; ++k) text += "{a: ";
  text += "1" + std::string(70, '}') + "\n";
  const Document doc = Document::from_string(text, "deep.yaml");
  const KeyPositions positions = key_positions(doc.root());
  std::string path = "a";
  for (int k = 1; k < 64; ++k) path += ".a";
  CHECK(positions.at(path) == Position{1, 4 * 64 + 1});
  CHECK_FALSE(positions.contains(path + ".a"));
  CHECK(recorded(doc.root()).count(path + ".a") == 0);
}

TEST_CASE("positions: a duplicate host name and address far apart in 20 000 servers, at their lines",
          "[key_positions][validate][large]") {
  constexpr int n = 20'000;
  // rs17001 (topology.hosts[17002], line 18 + 17001) renamed rs5; rs19001 (hosts[19002]) given
  // rs3's address. Destinations start at line 20025: rs17001's is destinations[17000].
  std::string text = replaced(lvs::test::big_scenario_yaml(n), "{name: rs17001, ", "{name: rs5, ");
  text = replaced(text, "address: " + lvs::test::big_server_address(19000) + "/8",
                  "address: " + lvs::test::big_server_address(2) + "/8");
  const std::string line_19019 =
      "    - {name: rs19001, kind: server, gateway: 10.0.0.1, interfaces: [{name: eth0, segment: inside, address: ";
  const std::vector<std::string> f = findings_of(read_scenario_text(text, "big.yaml"));
  REQUIRE(f.size() >= 3);
  CHECK(f[0] == "big.yaml:17019:14: topology.hosts[17002].name: error: host name rs5 is already used by "
                "topology.hosts[6]");
  CHECK(f[1] == "big.yaml:19019:" + std::to_string(line_19019.size() + 1) +
                    ": topology.hosts[19002].interfaces[0].address: error: address 10.0.0.4 is also on real server "
                    "rs3 (topology.hosts[4].interfaces[0].address): an address must belong to one interface");
  CHECK(f[2] == "big.yaml:37025:18: services[0].destinations[17000].server: error: unknown host rs17001");
}
