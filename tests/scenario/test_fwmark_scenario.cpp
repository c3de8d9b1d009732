// Firewall-mark services in scenario files: `fwmark:` and `mark:` of a service, prefixes on
// lo, the reading errors and the validation findings, exact (docs/fwmark.md).

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scenario/scenario_spec.hpp"
#include "scenario_fixture.hpp"

using namespace lvs;
using namespace lvs::scenario;
using lvs::test::error_of;

namespace {

std::string cache_scenario() {
  std::ifstream in(std::string(LVSLAB_SOURCE_DIR) + "/scenarios/fwmark-cache.yaml");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The scenario with the first `from` replaced by `to` (which must be there).
std::string edited(const std::string& from, const std::string& to) {
  std::string text = cache_scenario();
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::vector<std::string> findings(const std::string& text) {
  const ScenarioSpec spec = read_scenario_text(text, "c.yaml");
  std::vector<std::string> out;
  for (const Finding& f : validate(spec)) out.push_back(f.str(spec.file));
  return out;
}

const std::string kMark = "    mark: {destination: 10.1.0.0/16, port: 80, protocol: tcp}\n";

}  // namespace

TEST_CASE("fwmark-cache.yaml reads a fwmark service with its rule and caches with a prefix on lo",
          "[scenario][fwmark]") {
  const ScenarioSpec spec = read_scenario_text(cache_scenario(), "c.yaml");
  REQUIRE(spec.services.size() == 1);
  const ServiceSpec& s = spec.services[0];
  CHECK(s.fwmark == 1U);
  CHECK(s.name == "fwmark/1");
  CHECK(s.vip == Ipv4Address());
  CHECK(s.port == 0);
  REQUIRE(s.marks.size() == 1);
  CHECK(s.marks[0].protocol == Protocol::Tcp);
  CHECK(s.marks[0].destination == *Ipv4Prefix::parse("10.1.0.0/16"));
  CHECK(s.marks[0].port == std::uint16_t{80});
  CHECK(s.marks[0].origin.path == "services[0].mark");
  const HostSpec& cache1 = spec.topology.hosts[4];
  CHECK(cache1.name == "cache1");
  CHECK(cache1.loopback.empty());
  CHECK(cache1.loopback_prefixes == std::vector<Ipv4Prefix>{*Ipv4Prefix::parse("10.1.0.0/16")});
  CHECK(findings(cache_scenario()).empty());
}

TEST_CASE("mark: a list of rules, protocol all and the defaults", "[scenario][fwmark]") {
  const ScenarioSpec spec = read_scenario_text(
      edited(kMark, "    mark:\n      - {destination: 10.1.0.0/16, port: 80}\n      - {protocol: all, destination: "
                    "10.1.7.7}\n      - {}\n"),
      "c.yaml");
  const std::vector<MarkRuleSpec>& m = spec.services[0].marks;
  REQUIRE(m.size() == 3);
  CHECK(m[0].protocol == Protocol::Tcp);  // the service's protocol
  CHECK_FALSE(m[1].protocol);
  CHECK(m[1].destination == Ipv4Prefix(Ipv4Address(10, 1, 7, 7), 32));
  CHECK_FALSE(m[1].port);
  CHECK(m[2].destination == Ipv4Prefix(Ipv4Address(), 0));
  CHECK(m[2].origin.path == "services[0].mark[2]");
}

TEST_CASE("loopback: a bare address or /32 stays an address, a wider prefix is a prefix", "[scenario][fwmark]") {
  const ScenarioSpec spec = read_scenario_text(
      edited("loopback: [10.1.0.0/16]      # every", "loopback: [10.1.0.0/16, 192.168.1.100, 10.9.9.9/32]  # every"),
      "c.yaml");
  const HostSpec& cache1 = spec.topology.hosts[4];
  CHECK(cache1.loopback == std::vector<Ipv4Address>{Ipv4Address(192, 168, 1, 100), Ipv4Address(10, 9, 9, 9)});
  CHECK(cache1.loopback_prefixes.size() == 1);
}

TEST_CASE("fwmark reading errors name the file, line and key", "[scenario][fwmark]") {
  const auto error = [](const std::string& text) { return error_of([&] { read_scenario_text(text, "c.yaml"); }); };
  CHECK(error(edited("    fwmark: 1\n", "    fwmark: 1\n    vip: 10.0.0.1\n")) ==
        "c.yaml:69:10: services[0].vip: a fwmark service has no vip: its packets are those the mark rules select "
        "(ipvsadm -f MARK instead of -t VIP:port)");
  CHECK(error(edited("    fwmark: 1\n", "    fwmark: 0\n")) ==
        "c.yaml:68:13: services[0].fwmark: expected an integer in 1..4294967295, got '0'");
  CHECK(error(edited("    fwmark: 1\n", "    fwmark: 4294967296\n")) ==
        "c.yaml:68:13: services[0].fwmark: expected an integer in 1..4294967295, got '4294967296'");
  CHECK(error(edited("    fwmark: 1\n", "    vip: 10.0.0.1\n")) ==
        "c.yaml:69:11: services[0].mark: mark rules set the mark of a fwmark service; add `fwmark: N` too");
  CHECK(error(edited(kMark, "    mark: {destination: 10.1.0.0/16, port: 80, protocol: all}\n")) ==
        "c.yaml:69:44: services[0].mark.port: a port needs protocol tcp or udp (iptables: --dport is an option of "
        "-p tcp and -p udp)");
  CHECK(error(edited(kMark, "    mark: {dest: 10.1.0.0/16}\n")).find("services[0].mark.dest: unknown key") !=
        std::string::npos);
  CHECK(error(edited("loopback: [10.1.0.0/16]", "loopback: [0.0.0.0/0]")) ==
        "c.yaml:47:18: topology.hosts[4].loopback[0]: 0.0.0.0/0 on lo makes no address local (Linux adds no route "
        "for a prefix in 0.0.0.0/8); give the prefix the clients' destinations are in, e.g. 10.1.0.0/16");
}

TEST_CASE("fwmark validation: a rule, a cache that accepts the rule's prefix, one service per mark",
          "[scenario][fwmark]") {
  // Without a rule the clients' targets are taken by nothing either.
  CHECK(findings(edited(kMark, "")) ==
        std::vector<std::string>{
            "c.yaml:68:13: services[0].fwmark: error: fwmark 1 has no mark rule: no packet would carry the mark; add "
            "mark: {destination: PREFIX, port: PORT} (iptables -t mangle -A PREROUTING ... -j MARK --set-mark 1)",
            "c.yaml:84:15: workload.clients[0].target: error: target 10.1.3.7 is neither the VIP of a service nor an "
            "address of a host",
            "c.yaml:88:15: workload.clients[1].target: error: target 10.1.9.1 is neither the VIP of a service nor an "
            "address of a host",
            "c.yaml:92:15: workload.clients[2].target: error: target 10.1.200.5 is neither the VIP of a service nor an "
            "address of a host"});
  CHECK(findings(edited("loopback: [10.1.0.0/16]      # every", "loopback: [10.1.0.0/24]      # every")) ==
        std::vector<std::string>{
            "c.yaml:72:18: services[0].destinations[0].server: error: real server cache1 does not accept 10.1.0.0/16 "
            "as local: dr to it keeps the destination address of fwmark 1's packets (10.1.0.0/16 port 80); add it to "
            "the server's lo (loopback: [10.1.0.0/16], i.e. ip addr add 10.1.0.0/16 dev lo)"});
  CHECK(findings(edited(kMark, "    mark: {port: 80}\n")).size() == 3);  // 0/0 can never be local on lo
  const std::string second = "  - director: director\n    fwmark: 1\n" + kMark +
                             "    destinations:\n      - {server: cache1, method: dr}\n\nservers:\n";
  CHECK(findings(edited("\nservers:\n", "\n" + second)) ==
        std::vector<std::string>{"c.yaml:76:5: services[1]: error: service fwmark 1 is already defined by services[0]: "
                                 "ipvsadm refuses it"});
  CHECK(findings(edited("{server: cache3, method: dr}", "{server: cache3, method: tun}")) ==
        std::vector<std::string>{"c.yaml:74:34: services[0].destinations[2].method: error: real server cache3 has no "
                                 "tunl0 to decapsulate tun packets of fwmark 1: give it a `tunnel` address (modprobe "
                                 "ipip; ip addr add ADDRESS dev tunl0)"});
  std::string tun = edited("{server: cache3, method: dr}", "{server: cache3, method: tun}");
  tun.insert(tun.find("loopback:", tun.find("name: cache3")), "tunnel: [10.9.9.9]\n      ");
  CHECK(findings(tun).empty());  // tunl0 up, 10.1.0.0/16 local through lo
  CHECK(findings(edited("{server: cache3, method: dr}", "{server: cache3, method: fullnat}")) ==
        std::vector<std::string>{"c.yaml:67:5: services[0]: error: service fwmark/1 has fullnat destinations but no "
                                 "local_addresses: FULLNAT needs director addresses to use as the source of the "
                                 "packets it sends to the real servers",
                                 "c.yaml:74:34: services[0].destinations[2].method: error: fwmark 1: FULLNAT is "
                                 "modelled for VIP:port services only"});
}
