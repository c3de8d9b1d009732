// A server group runs exactly as the hand-written cluster it stands for: the same hosts in
// the same order (so the same MACs), the same destination list, the same application, hence
// the same trajectory fingerprint and summary. And --set ...count=12 runs 12 servers.

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "run/run.hpp"
#include "support/source_tree.hpp"

using namespace lvs;

namespace {

const std::vector<std::string> kShort = {"duration=1500ms", "warmup=500ms", "workload.clients[0].arrivals.rate=3000"};

// scenarios/capacity-groups.yaml with its group of `count` written out by hand: the hosts
// after the topology's, the destinations, and one `servers` entry.
std::string hand_written(int count) {
  std::string text = test::read_file(test::kSource / "scenarios" / "capacity-groups.yaml");
  std::string hosts, destinations = "    destinations:\n", names;
  for (int k = 1; k <= count; ++k) {
    const std::string n = std::to_string(k);
    hosts += "    - name: web" + n + "\n      kind: server\n      gateway: 192.168.1.1\n"
             "      loopback: [192.168.1.100]\n      sysctl: {arp_ignore: 1, arp_announce: 2}\n"
             "      interfaces:\n        - {name: eth0, segment: lan, address: 192.168.1." + std::to_string(10 + k) +
             "/24}\n";
    destinations += "      - {server: web" + n + ", method: dr}\n";
    names += (k == 1 ? "web" : ", web") + n;
  }
  const std::size_t services = text.find("\nservices:");
  const std::size_t groups = text.find("    groups:\n");
  const std::size_t workload = text.find("\nworkload:");
  REQUIRE(services != std::string::npos);
  REQUIRE(groups != std::string::npos);
  REQUIRE(workload != std::string::npos);
  const std::string servers = "\nservers:\n  - hosts: [" + names +
                              "]\n    workers: 8\n    service_time: {distribution: exponential, mean: 2ms}\n"
                              "    response_size: {distribution: lognormal, mean: 4KB, stddev: 2KB}\n";
  return text.substr(0, services + 1) + hosts + text.substr(services + 1, groups - services - 1) + destinations +
         servers + text.substr(workload);
}

std::string summary(const scenario::ScenarioSpec& spec) {
  for (const scenario::Finding& f : scenario::validate(spec)) {
    INFO(f.str(spec.file));
    CHECK(f.severity != scenario::Finding::Severity::Error);
  }
  run::RunResult r = run::run_scenario(spec, {});
  r.file = "same.yaml";
  std::ostringstream out;
  run::print_summary(out, r, false);
  return out.str();
}

}  // namespace

TEST_CASE("a group of 3 runs exactly as the same 3 servers written by hand", "[groups][run]") {
  const std::string file = test::scenario_path("capacity-groups.yaml");
  const scenario::ScenarioSpec grouped =
      scenario::read_scenario(file, {kShort[0], kShort[1], kShort[2], "services[0].groups[0].count=3"});
  const scenario::ScenarioSpec by_hand = scenario::read_scenario_text(hand_written(3), file, kShort);
  REQUIRE(by_hand.services[0].groups.empty());
  REQUIRE(by_hand.services[0].destinations.size() == 3);
  const std::string a = summary(grouped);
  CHECK(a == summary(by_hand));
  CHECK(a.find("web3") != std::string::npos);
}

TEST_CASE("a group count of 12 set on the command line runs 12 servers at .11 to .22", "[groups][run]") {
  const scenario::ScenarioSpec spec = scenario::read_scenario(
      test::scenario_path("capacity-groups.yaml"), {kShort[0], kShort[1], kShort[2], "services[0].groups[0].count=12"});
  const run::RunResult r = run::run_scenario(spec, {});
  REQUIRE(r.servers.size() == 12);
  std::uint64_t requests = 0;
  double utilization = 0;
  for (std::size_t k = 0; k < 12; ++k) {
    CHECK(r.servers[k].name == "web" + std::to_string(k + 1));
    CHECK(r.servers[k].requests > 0);  // wlc spreads 3000/s over all twelve
    requests += r.servers[k].requests;
    utilization += r.servers[k].utilization / 12;
  }
  CHECK(requests >= r.requests.completed);
  // Offered load over capacity: 3000/s x 2 ms / (12 servers x 8 workers) = 6.25 %.
  CHECK(utilization == Approx(0.0625).epsilon(0.15));
  std::vector<std::string> addresses;
  for (const scenario::HostSpec& h : spec.topology.hosts)
    if (h.kind == scenario::HostKind::Server) addresses.push_back(h.interfaces[0].address.address().str());
  REQUIRE(addresses.size() == 12);
  CHECK(addresses.front() == "192.168.1.11");
  CHECK(addresses.back() == "192.168.1.22");
}
