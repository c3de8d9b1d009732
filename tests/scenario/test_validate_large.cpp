// validate() on a cluster of 20 000 real servers (issue 13: 100 000 took over 30 s when every
// destination's lookups walked every host). Not timed: it checks the findings at that size;
// the text is tests/support/big_scenario.hpp's; BM_Validate (tests/bench) times reading and
// validating it, tests/bench/make_big_scenario.py writes it for timing `lvslab validate`.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "../support/big_scenario.hpp"
#include "scenario/scenario_spec.hpp"

using namespace lvs::scenario;

namespace {

std::vector<std::string> findings_of(const ScenarioSpec& spec) {
  std::vector<std::string> out;
  for (const Finding& f : validate(spec)) out.push_back(f.str(spec.file));
  return out;
}

}  // namespace

TEST_CASE("validate: 20 000 real servers behind one service", "[validate][large]") {
  constexpr int n = 20'000;
  const std::string text = lvs::test::big_scenario_yaml(n);
  SECTION("valid: no finding") {
    const ScenarioSpec spec = read_scenario_text(text, "big.yaml");
    CHECK(spec.topology.hosts.size() == n + 2);
    CHECK(spec.services.at(0).destinations.size() == n);
    CHECK(findings_of(spec) == std::vector<std::string>{});
  }
  SECTION("the last server with the first one's address: found at the last, and its destination") {
    const ScenarioSpec spec =
        read_scenario_text(text, "big.yaml", {"topology.hosts[20001].interfaces[0].address=10.0.0.2/8"});
    CHECK(findings_of(spec) ==
          std::vector<std::string>{"big.yaml: topology.hosts[20001].interfaces[0].address: error: address 10.0.0.2 is "
                                   "also on real server rs1 (topology.hosts[2].interfaces[0].address): an address "
                                   "must belong to one interface",
                                   "big.yaml:40024:9: services[0].destinations[19999]: error: destination 10.0.0.2:80 "
                                   "is already in this service (services[0].destinations[0]): ipvsadm refuses it"});
  }
  SECTION("a destination that names no host, in the middle") {
    const ScenarioSpec spec = read_scenario_text(text, "big.yaml", {"services[0].destinations[9999].server=rs0"});
    const std::vector<std::string> f = findings_of(spec);
    REQUIRE(!f.empty());
    CHECK(f.front().find("services[0].destinations[9999].server: error: ") != std::string::npos);
  }
}

TEST_CASE("validate: 20 000 real servers as one group, the same cluster as written by hand", "[validate][large][groups]") {
  constexpr int n = 20'000;
  const ScenarioSpec group = read_scenario_text(lvs::test::big_group_scenario_yaml(n), "group.yaml");
  const ScenarioSpec by_hand = read_scenario_text(lvs::test::big_scenario_yaml(n), "big.yaml");
  REQUIRE(group.topology.hosts.size() == by_hand.topology.hosts.size());
  for (std::size_t k = 0; k < by_hand.topology.hosts.size(); k += 997) {
    CHECK(group.topology.hosts[k].name == by_hand.topology.hosts[k].name);
    CHECK(group.topology.hosts[k].interfaces[0].address == by_hand.topology.hosts[k].interfaces[0].address);
  }
  CHECK(group.topology.hosts.back().interfaces[0].address.str() == "10.0.78.33/8");  // 10.0.0.2 + 19 999
  REQUIRE(group.services[0].destinations.size() == n);
  CHECK(group.services[0].destinations.back().server == "rs20000");
  CHECK(findings_of(group) == std::vector<std::string>{});
}
