// validate() on a cluster of 20 000 real servers (issue 13: 100 000 took over 30 s when every
// destination's lookups walked every host). Not timed: it checks the findings at that size;
// tests/bench/make_big_scenario.py writes the same text for timing `lvslab validate`.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "scenario/scenario_spec.hpp"

using namespace lvs::scenario;

namespace {

std::string server_address(int k) {
  const std::uint32_t v = (10U << 24) + 2U + static_cast<std::uint32_t>(k);
  return std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 255) + "." + std::to_string((v >> 8) & 255) +
         "." + std::to_string(v & 255);
}

// One NAT director, `n` real servers on one segment, one service with `n` destinations.
std::string big_scenario(int n) {
  std::string t = R"(name: big
duration: 2s
warmup: 1s
topology:
  segments:
    - {name: outside, rate: 10Gbps, delay: 50us}
    - {name: inside, rate: 10Gbps, delay: 5us}
  hosts:
    - name: client
      kind: client
      interfaces:
        - {name: eth0, segment: outside, address: 192.168.74.10/24, sources: 50}
    - name: director
      kind: director
      sysctl: {ip_forward: true}
      interfaces:
        - {name: eth0, segment: outside, address: 192.168.74.128/24, secondary: [192.168.74.129/24]}
        - {name: eth1, segment: inside, address: 10.0.0.1/8}
)";
  for (int k = 0; k < n; ++k)
    t += "    - {name: rs" + std::to_string(k + 1) + ", kind: server, gateway: 10.0.0.1, interfaces: [{name: eth0, "
         "segment: inside, address: " + server_address(k) + "/8}]}\n";
  t += "services:\n  - director: director\n    vip: 192.168.74.129\n    port: 80\n    scheduler: wlc\n"
       "    destinations:\n";
  for (int k = 0; k < n; ++k) t += "      - {server: rs" + std::to_string(k + 1) + ", method: nat}\n";
  t += "servers:\n  - hosts: [";
  for (int k = 0; k < n; ++k) t += (k == 0 ? "rs" : ", rs") + std::to_string(k + 1);
  t += "]\n    service_time: 5ms\nworkload:\n  clients:\n    - host: client\n      target: 192.168.74.129\n"
       "      port: 80\n      arrivals: {process: poisson, rate: 100}\n";
  return t;
}

std::vector<std::string> findings_of(const ScenarioSpec& spec) {
  std::vector<std::string> out;
  for (const Finding& f : validate(spec)) out.push_back(f.str(spec.file));
  return out;
}

}  // namespace

TEST_CASE("validate: 20 000 real servers behind one service", "[validate][large]") {
  constexpr int n = 20'000;
  const std::string text = big_scenario(n);
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
