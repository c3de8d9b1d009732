#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "scenario/scenario_spec.hpp"
#include "scenario_fixture.hpp"

using namespace lvs;
using namespace lvs::scenario;

namespace {

// One service with a destination of each forwarding method, every one configured right:
//
//   c1 --wan-- r1 --lan-- d1 (VIP 192.168.1.100) --private-- s1 (nat), s4 (fullnat)
//               |          `--lan-- s2 (dr)
//               `--link r1-s3-- s3 (tun)
const char* const kValid = R"(topology:
  segments:
    - name: wan
    - name: lan
    - name: private
  links:
    - name: r1-s3
  hosts:
    - name: c1
      kind: client
      interfaces:
        - {name: eth0, segment: wan, address: 172.16.0.10/24, sources: 10}
      gateway: 172.16.0.1
    - name: r1
      kind: router
      interfaces:
        - {name: eth0, segment: wan, address: 172.16.0.1/24}
        - {name: eth1, segment: lan, address: 192.168.1.254/24, mac: "02:00:00:00:01:01"}
        - {name: eth2, link: r1-s3, address: 10.2.0.1/24}
      routes:
        - {to: 10.3.0.0/16, via: 10.2.0.13}
    - name: d1
      kind: director
      interfaces:
        - {name: eth0, segment: lan, address: 192.168.1.1/24, secondary: [192.168.1.100]}
        - {name: eth1, segment: private, address: 10.1.0.1/24, secondary: [10.1.0.100]}
      routes:
        - {to: 10.2.0.0/24, via: 192.168.1.254}
      gateway: 192.168.1.254
      sysctl: {ip_forward: true}
    - name: s1
      kind: server
      interfaces:
        - {name: eth0, segment: private, address: 10.1.0.11/24}
      gateway: 10.1.0.1
    - name: s2
      kind: server
      interfaces:
        - {name: eth0, segment: lan, address: 192.168.1.12/24}
      gateway: 192.168.1.254
      loopback: [192.168.1.100]
      sysctl: {arp_ignore: 1, arp_announce: 2}
    - name: s3
      kind: server
      interfaces:
        - {name: eth0, link: r1-s3, address: 10.2.0.13/24}
      gateway: 10.2.0.1
      tunnel: [192.168.1.100]
    - name: s4
      kind: server
      interfaces:
        - {name: eth0, segment: private, address: 10.1.0.14/24}
services:
  - director: d1
    vip: 192.168.1.100
    scheduler: wrr
    local_addresses: [10.1.0.100]
    destinations:
      - {server: s1, method: nat}
      - {server: s2, method: dr}
      - {server: s3, method: tun}
      - {server: s4, method: fullnat}
servers:
  - hosts: [s1, s2, s3, s4]
workload:
  clients:
    - host: c1
      target: 192.168.1.100
      arrivals: {rate: 50}
)";

using Strings = std::vector<std::string>;

// The findings of `text` with `overrides`, as Finding::str gives them.
Strings findings_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
  const ScenarioSpec spec = read_scenario_text(text, "v.yaml", overrides);
  Strings out;
  for (const Finding& f : validate(spec)) out.push_back(f.str(spec.file));
  return out;
}

Strings findings_with(const std::vector<std::string>& overrides) { return findings_of(kValid, overrides); }

// kValid with `anchor` (which must occur once) replaced by `replacement`.
std::string edited(const std::string& anchor, const std::string& replacement) {
  std::string text = kValid;
  const std::size_t at = text.find(anchor);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(anchor, at + 1) == std::string::npos);
  return text.replace(at, anchor.size(), replacement);
}

// kValid with one more host at the end of topology.hosts (it becomes topology.hosts[7], line 53).
std::string with_host(const std::string& host) { return edited("services:\n", host + "services:\n"); }

}  // namespace

TEST_CASE("a valid scenario with every forwarding method has no findings", "[validate]") {
  CHECK(findings_of(kValid) == Strings{});
}

TEST_CASE("Finding::str names file, position, key path and severity", "[validate]") {
  Finding f{Finding::Severity::Error, Origin{"services[0].vip", Position{3, 10}}, "bad"};
  CHECK(f.str("a.yaml") == "a.yaml:3:10: services[0].vip: error: bad");
  f.severity = Finding::Severity::Warning;
  f.origin.at = Position{};
  CHECK(f.str("a.yaml") == "a.yaml: services[0].vip: warning: bad");
  f.origin.path.clear();
  CHECK(f.str("a.yaml") == "a.yaml: warning: bad");
}

// --- names ---

TEST_CASE("validate: a host name used twice", "[validate]") {
  CHECK(findings_of(
            with_host("    - {name: s1, interfaces: [{name: eth0, segment: lan, address: 192.168.1.50/24}]}\n")) ==
        Strings{"v.yaml:53:14: topology.hosts[7].name: error: host name s1 is already used by "
                "topology.hosts[3]"});
}

TEST_CASE("validate: a segment and a link share one namespace", "[validate]") {
  CHECK(findings_of(edited("  links:\n", "  links:\n    - name: lan\n")) ==
        Strings{"v.yaml:7:7: topology.links[0]: error: link lan has 0 ends; a link joins exactly two "
                "interfaces",
                "v.yaml:7:13: topology.links[0].name: error: segment or link name lan is already used by "
                "topology.segments[1] (segments and links share one namespace)"});
}

TEST_CASE("validate: an interface name used twice on one host", "[validate]") {
  CHECK(findings_with({"topology.hosts[1].interfaces[1].name=eth0"}) ==
        Strings{"v.yaml: topology.hosts[1].interfaces[1].name: error: interface name eth0 is already used "
                "by topology.hosts[1].interfaces[0]"});
}

// --- attachments ---

TEST_CASE("validate: an interface on an unknown segment", "[validate]") {
  CHECK(findings_with({"topology.hosts[4].interfaces[0].segment=lna"}) ==
        Strings{"v.yaml: topology.hosts[4].interfaces[0].segment: error: unknown segment lna (did you mean "
                "'lan'?)",
                "v.yaml:60:18: services[0].destinations[1].server: error: director d1 and real server s2 "
                "are not connected: no path of segments and links",
                "v.yaml:60:30: services[0].destinations[1].method: error: dr to real server s2 needs a "
                "segment or link shared with director d1: DR rewrites only the MAC address"});
}

TEST_CASE("validate: an interface naming a link as its segment", "[validate]") {
  CHECK(findings_with({"topology.hosts[6].interfaces[0].segment=r1-s3"}) ==
        Strings{"v.yaml: topology.hosts[6].interfaces[0].segment: error: r1-s3 is a link, not a segment: "
                "write 'link: r1-s3'",
                "v.yaml:62:18: services[0].destinations[3].server: error: director d1 and real server s4 "
                "are not connected: no path of segments and links"});
}

TEST_CASE("validate: an interface on an unknown link", "[validate]") {
  CHECK(findings_with({"topology.hosts[5].interfaces[0].link=uplink"}) ==
        Strings{"v.yaml:7:7: topology.links[0]: error: link r1-s3 has 1 end (r1.eth2); a link joins exactly "
                "two interfaces",
                "v.yaml: topology.hosts[5].interfaces[0].link: error: unknown link uplink; links: r1-s3",
                "v.yaml:61:18: services[0].destinations[2].server: error: director d1 and real server s3 "
                "are not connected: no path of segments and links"});
}

TEST_CASE("validate: a link with three ends", "[validate]") {
  CHECK(findings_of(with_host("    - {name: h1, interfaces: [{name: eth0, link: r1-s3, address: 10.2.0.50/24}]}\n")) ==
        Strings{"v.yaml:7:7: topology.links[0]: error: link r1-s3 has 3 ends (r1.eth2, s3.eth0, h1.eth0); a "
                "link joins exactly two interfaces"});
}

// --- MTU ---

TEST_CASE("validate: an MTU too small for TCP on a client or a real server", "[validate]") {
  // 68 (RFC 791's minimum) passes the reader; TCP needs 128: Linux's TCP_MIN_MSS of 88 + 40.
  CHECK(findings_of(edited("address: 172.16.0.10/24, sources: 10}", "address: 172.16.0.10/24, sources: 10, mtu: 127}")) ==
        Strings{"v.yaml:12:81: topology.hosts[0].interfaces[0].mtu: error: MTU 127 is too small for TCP, which c1 runs "
                "(a TCP client population): at least 128 (Linux's smallest MSS, 88 bytes, TCP_MIN_MSS, + 20 IPv4 + "
                "20 TCP header bytes)"});
  CHECK(findings_with({"topology.hosts[3].interfaces[0].mtu=68"}) ==
        Strings{"v.yaml: topology.hosts[3].interfaces[0].mtu: error: MTU 68 is too small for TCP, which s1 runs (a "
                "TCP server application): at least 128 (Linux's smallest MSS, 88 bytes, TCP_MIN_MSS, + 20 IPv4 + 20 "
                "TCP header bytes)"});
  CHECK(findings_with({"topology.hosts[0].interfaces[0].mtu=128"}) == Strings{});
  // A router runs no TCP of its own: 68 is its business (it fragments).
  CHECK(findings_with({"topology.hosts[1].interfaces[0].mtu=68"}) == Strings{});
}

// --- addresses ---

TEST_CASE("validate: an address inside a client's sources range", "[validate]") {
  CHECK(
      findings_of(with_host("    - {name: h1, interfaces: [{name: eth0, segment: wan, address: 172.16.0.12/24}]}\n")) ==
      Strings{"v.yaml:53:67: topology.hosts[7].interfaces[0].address: error: address 172.16.0.12 is also "
              "on client c1 (topology.hosts[0].interfaces[0].address): an address must belong to one "
              "interface"});
}

TEST_CASE("validate: a VIP on a real server's interface instead of lo", "[validate]") {
  CHECK(findings_of(edited("address: 192.168.1.12/24}", "address: 192.168.1.12/24, secondary: [192.168.1.100]}")) ==
        Strings{"v.yaml:39:76: topology.hosts[4].interfaces[0].secondary[0]: error: address 192.168.1.100 "
                "is also on director d1 (topology.hosts[2].interfaces[0].secondary[0]): an address must "
                "belong to one interface"});
}

TEST_CASE("validate: the same MAC on two interfaces", "[validate]") {
  CHECK(findings_with({"topology.hosts[2].interfaces[0].mac=02:00:00:00:01:01"}) ==
        Strings{"v.yaml: topology.hosts[2].interfaces[0].mac: error: MAC 02:00:00:00:01:01 is also on "
                "topology.hosts[1].interfaces[1]: the segment's switch could not tell the two apart"});
}

TEST_CASE("validate: sources on a host that is not a client", "[validate]") {
  CHECK(findings_with({"topology.hosts[3].interfaces[0].sources=2"}) ==
        Strings{"v.yaml: topology.hosts[3].interfaces[0].sources: error: sources is for client hosts only; "
                "real server s1 is not a client"});
}

TEST_CASE("validate: sources running past the client's subnet", "[validate]") {
  CHECK(findings_with({"topology.hosts[0].interfaces[0].sources=300"}) ==
        Strings{"v.yaml: topology.hosts[0].interfaces[0].sources: error: 300 sources from 172.16.0.10/24 "
                "run past the subnet's last host address 172.16.0.254"});
}

TEST_CASE("validate: a gateway outside the host's subnets", "[validate]") {
  CHECK(findings_with({"topology.hosts[0].gateway=172.16.1.1"}) ==
        Strings{"v.yaml: topology.hosts[0].gateway: error: gateway 172.16.1.1 is not in a connected subnet "
                "of client c1 (172.16.0.0/24): packets for other networks cannot leave it",
                "v.yaml:68:15: workload.clients[0].target: error: client c1 cannot reach 192.168.1.100: the "
                "next hop 172.16.1.1 of client c1 is not on a connected subnet"});
}

TEST_CASE("validate: a gateway only in the subnet of a secondary address, which the run refuses", "[validate]") {
  const std::string text = edited("secondary: [192.168.1.100]}", "secondary: [192.168.1.100/24]}");
  CHECK(findings_of(text).empty());
  const Strings found = findings_of(text, {"topology.hosts[2].interfaces[0].address=10.9.9.9/24"});
  REQUIRE_FALSE(found.empty());
  CHECK(found[0] == "v.yaml:29:16: topology.hosts[2].gateway: error: gateway 192.168.1.254 is only in the subnet of "
                    "a secondary address of director d1: a default gateway must be in the subnet of an interface's "
                    "own address (10.9.9.0/24, 10.1.0.0/24)");
}

TEST_CASE("validate: a route via an address outside the host's subnets", "[validate]") {
  CHECK(findings_with({"topology.hosts[2].routes[0].via=192.168.9.9"}) ==
        Strings{"v.yaml: topology.hosts[2].routes[0].via: error: via 192.168.9.9 is not in a connected "
                "subnet of director d1 (192.168.1.0/24, 192.168.1.100/32, 10.1.0.0/24, 10.1.0.100/32): the "
                "route to 10.2.0.0/24 cannot be used",
                "v.yaml:61:18: services[0].destinations[2].server: error: director d1 cannot reach real "
                "server s3 at 10.2.0.13: the next hop 192.168.9.9 of director d1 is not on a connected "
                "subnet"});
}

// --- services ---

TEST_CASE("validate: a service on a host that is not a director", "[validate]") {
  CHECK(findings_with({"services[0].director=r1"}) ==
        Strings{"v.yaml: services[0].director: error: router r1 is not of kind director; a virtual service "
                "runs on a director"});
}

TEST_CASE("validate: a service on an unknown host", "[validate]") {
  CHECK(findings_with({"services[0].director=d9"}) ==
        Strings{"v.yaml: services[0].director: error: unknown host d9 (did you mean 'd1'?)"});
}

TEST_CASE("validate: a VIP that is not on the director", "[validate]") {
  CHECK(findings_with({"services[0].vip=192.168.1.200"}) ==
        Strings{"v.yaml: services[0].vip: error: VIP 192.168.1.200 is not an address of director d1 (add it "
                "to the secondary addresses of one of its interfaces): clients' packets never reach it",
                "v.yaml:60:9: services[0].destinations[1]: warning: real server s2 does not have the VIP "
                "192.168.1.200 on lo: it drops the frames DR sends it for the VIP",
                "v.yaml:61:9: services[0].destinations[2]: warning: real server s3 does not have the VIP "
                "192.168.1.200 on tunl0: it drops the IPIP packets TUN sends it for the VIP"});
}

TEST_CASE("validate: the default scheduler is wlc, ipvsadm's", "[validate]") {
  const ScenarioSpec spec = read_scenario_text(edited("    scheduler: wrr\n", ""), "v.yaml");
  CHECK(spec.services[0].scheduler == "wlc");
  CHECK(findings_of(edited("    scheduler: wrr\n", "")).empty());
}

TEST_CASE("validate: the same service twice", "[validate]") {
  CHECK(findings_of(edited(
            "servers:\n",
            "  - {director: d1, vip: 192.168.1.100, scheduler: rr, destinations: [{server: s2}]}\nservers:\n")) ==
        Strings{"v.yaml:63:5: services[1]: error: service tcp/192.168.1.100:80 is already defined by "
                "services[0]: ipvsadm refuses it"});
}

TEST_CASE("validate: a destination that is not a real server", "[validate]") {
  CHECK(findings_with({"services[0].destinations[0].server=c1"}) ==
        Strings{"v.yaml: services[0].destinations[0].server: error: client c1 is not of kind server; "
                "destinations are real servers"});
}

TEST_CASE("validate: a destination address that is not on its server", "[validate]") {
  CHECK(findings_with({"services[0].destinations[1].address=192.168.1.13"}) ==
        Strings{"v.yaml: services[0].destinations[1].address: error: 192.168.1.13 is not an address of real "
                "server s2 (192.168.1.0/24)"});
}

TEST_CASE("validate: the same destination twice in a service", "[validate]") {
  CHECK(findings_with({"services[0].destinations[1].server=s1"}) ==
        Strings{"v.yaml:60:9: services[0].destinations[1]: error: destination 10.1.0.11:80 is already in "
                "this service (services[0].destinations[0]): ipvsadm refuses it",
                "v.yaml:60:9: services[0].destinations[1]: warning: real server s1 does not have the VIP "
                "192.168.1.100 on lo: it drops the frames DR sends it for the VIP"});
}

TEST_CASE("validate: a DR destination on no segment of the director", "[validate]") {
  CHECK(findings_with({"services[0].destinations[2].method=dr"}) ==
        Strings{"v.yaml: services[0].destinations[2].method: error: dr to real server s3 needs a segment or "
                "link shared with director d1: DR rewrites only the MAC address",
                "v.yaml:61:9: services[0].destinations[2]: warning: real server s3 does not have the VIP "
                "192.168.1.100 on lo: it drops the frames DR sends it for the VIP"});
}

TEST_CASE("validate: a FULLNAT service without local addresses", "[validate]") {
  CHECK(findings_of(edited("    local_addresses: [10.1.0.100]\n", "")) ==
        Strings{"v.yaml:54:5: services[0]: error: service tcp/192.168.1.100:80 has fullnat destinations but "
                "no local_addresses: FULLNAT needs director addresses to use as the source of the packets "
                "it sends to the real servers"});
}

TEST_CASE("validate: a FULLNAT local address that is not on the director", "[validate]") {
  CHECK(findings_with({"services[0].local_addresses[0]=10.1.0.200"}) ==
        Strings{"v.yaml: services[0].local_addresses[0]: error: local address 10.1.0.200 is not an address "
                "of director d1: the real servers' replies to it would never reach the director"});
}

// --- director profiles ---

// d1 on a profile that lacks methods its destinations use; one error per method, at the first
// destination that uses it (kValid with one line more: the destinations are on lines 60..63).
TEST_CASE("validate: a director profile without a method its destinations use", "[validate]") {
  const auto on = [](const std::string& cpu) {
    return findings_of(edited("      sysctl: {ip_forward: true}\n", "      sysctl: {ip_forward: true}\n" + cpu));
  };
  CHECK(on("      cpu: {profile: katran}\n") ==
        Strings{"v.yaml:60:30: services[0].destinations[0].method: error: nat has no cost on director d1: its "
                "director profile katran forwards by tun only; choose another profile (lvslab profiles) or set "
                "cpu.cost.nat",
                "v.yaml:61:30: services[0].destinations[1].method: error: dr has no cost on director d1: its "
                "director profile katran forwards by tun only; choose another profile (lvslab profiles) or set "
                "cpu.cost.dr",
                "v.yaml:63:30: services[0].destinations[3].method: error: fullnat has no cost on director d1: its "
                "director profile katran forwards by tun only; choose another profile (lvslab profiles) or set "
                "cpu.cost.fullnat"});
  CHECK(on("      cpu: {profile: lvs-nat-pentium}\n") ==
        Strings{"v.yaml:63:30: services[0].destinations[3].method: error: fullnat has no cost on director d1: its "
                "director profile lvs-nat-pentium forwards by nat, dr, tun only; choose another profile (lvslab "
                "profiles) or set cpu.cost.fullnat"});
  // The scenario's own costs fill the gaps.
  CHECK(on("      cpu: {profile: katran, cost: {nat: 1us, dr: 1us, fullnat: 1us}}\n").empty());
}

TEST_CASE("validate: a FULLNAT local address listed twice adds no ports", "[validate][fullnat]") {
  CHECK(findings_of(edited("[10.1.0.100]\n", "[10.1.0.100, 10.1.0.100]\n")) ==
        Strings{"v.yaml:57:35: services[0].local_addresses[1]: warning: local address 10.1.0.100 is listed twice: "
                "the director refuses the second (EEXIST), so it adds no ports"});
}

TEST_CASE("validate: one director runs one FULLNAT implementation", "[validate][fullnat]") {
  const std::string second = "  - director: d1\n    vip: 192.168.1.100\n    port: 443\n    flavour: dpvs\n"
                             "    local_addresses: [10.1.0.100]\n    destinations:\n"
                             "      - {server: s4, method: fullnat}\nservers:\n  - hosts";
  CHECK(findings_of(edited("servers:\n  - hosts", second)) ==
        Strings{"v.yaml:66:14: services[1].flavour: error: director d1 already runs alibaba FULLNAT (services[0]); "
                "one director runs one implementation, not dpvs as well",
                "v.yaml:69:9: services[1].destinations[0]: warning: no server app listens on tcp port 443 of real "
                "server s4: connections are refused"});
}

TEST_CASE("validate: Alibaba's local port sysctls on a DPVS director", "[validate][fullnat]") {
  const std::string text =
      edited("      sysctl: {ip_forward: true}\n", "      sysctl: {ip_forward: true, fullnat_lport_min: 1025}\n");
  CHECK(findings_of(text).empty());
  CHECK(findings_of(text, {"services[0].flavour=dpvs"}) ==
        Strings{"v.yaml:30:53: topology.hosts[2].sysctl.fullnat_lport_min: error: fullnat_lport_min is a sysctl of "
                "Alibaba's LVS kernel, but director d1 runs DPVS (services[0]), whose local ports are fixed at "
                "1025..65535"});
}

// --- server apps and clients ---

TEST_CASE("validate: a server app on a host that is not a real server", "[validate]") {
  CHECK(findings_with({"servers[0].hosts[0]=r1"}) ==
        Strings{"v.yaml: servers[0].hosts[0]: error: router r1 is not of kind server; server apps run on "
                "real servers",
                "v.yaml:59:9: services[0].destinations[0]: warning: no server app listens on tcp port 80 of "
                "real server s1: connections are refused"});
}

TEST_CASE("validate: two server apps on one port", "[validate]") {
  CHECK(findings_of(edited("workload:\n", "  - {host: s2, port: 80}\nworkload:\n")) ==
        Strings{"v.yaml:65:12: servers[1].host: error: real server s2 already has a server app on tcp port "
                "80 (servers[0]); a real server runs one server app"});
}

// The builder runs one application per real server: a second on another port would be
// dropped without a word, so validate refuses it.
TEST_CASE("validate: two server apps on one host on different ports", "[validate]") {
  CHECK(findings_of(edited("workload:\n", "  - {host: s2, port: 81}\nworkload:\n")) ==
        Strings{"v.yaml:65:12: servers[1].host: error: real server s2 already has a server app on tcp port "
                "80 (servers[0]); a real server runs one server app"});
}

TEST_CASE("validate: a client on a host that is not a client", "[validate]") {
  CHECK(findings_with({"workload.clients[0].host=s1"}) ==
        Strings{"v.yaml: workload.clients[0].host: error: real server s1 is not of kind client; a client "
                "population runs on a client host"});
}

TEST_CASE("validate: a client target that is neither a VIP nor a host address", "[validate]") {
  CHECK(findings_with({"workload.clients[0].target=10.9.9.9"}) ==
        Strings{"v.yaml: workload.clients[0].target: error: target 10.9.9.9 is neither the VIP of a service "
                "nor an address of a host"});
}

TEST_CASE("validate: a client target VIP without a service on that port", "[validate]") {
  CHECK(findings_with({"workload.clients[0].port=8080"}) ==
        Strings{"v.yaml: workload.clients[0].port: error: no service tcp/192.168.1.100:8080; the services "
                "on this VIP: tcp/192.168.1.100:80"});
}

TEST_CASE("validate: two clients with one name", "[validate]") {
  CHECK(findings_of(kValid + std::string("    - {host: c1, target: 192.168.1.100, users: 5}\n")) ==
        Strings{"v.yaml:70:7: workload.clients[1]: error: client name c1 is already used by "
                "workload.clients[0]",
                "v.yaml:70:14: workload.clients[1].host: error: host c1 already runs the client population "
                "workload.clients[0]; give each its own host"});
}

TEST_CASE("validate: two client populations on one host, which the run refuses", "[validate]") {
  CHECK(findings_of(kValid + std::string("    - {host: c1, name: c2, target: 192.168.1.100, users: 5}\n")) ==
        Strings{"v.yaml:70:14: workload.clients[1].host: error: host c1 already runs the client population "
                "workload.clients[0]; give each its own host"});
}

TEST_CASE("validate: more closed-loop users than a run holds", "[validate]") {
  const std::string c2 = "    - {name: c2, kind: client, gateway: 172.16.0.1, interfaces: [{name: eth0, segment: wan, "
                         "address: 172.16.0.50/24}]}\n";
  std::string text = with_host(c2) + "    - {host: c2, target: 192.168.1.100, users: 600000, max_open: 1000000}\n";
  text.replace(text.find("arrivals: {rate: 50}"), 20, "users: 400000\n      max_open: 100000");
  const auto errors_of = [&text](const std::vector<std::string>& overrides) {
    Strings errors;  // the warnings (FULLNAT ports, ephemeral ports) do not matter here
    for (const std::string& f : findings_of(text, overrides))
      if (f.find(": error: ") != std::string::npos) errors.push_back(f);
    return errors;
  };
  CHECK(errors_of({}).empty());
  // Closed-loop users need a session each: more than max_open x sources could never open one.
  CHECK(errors_of({"workload.clients[1].max_open=599999"}) ==
        Strings{"v.yaml:72:48: workload.clients[1].users: error: 600000 users are more than the 599999 sessions the "
                "population may hold open (max_open 599999 x 1 source address): raise max_open or add sources"});
  CHECK(errors_of({"workload.clients[0].users=400001"}) ==
        Strings{"v.yaml:72:48: workload.clients[1].users: error: 1000001 users in all are more than the 1000000 a "
                "run holds (each keeps events pending; the event queue holds 2^26)"});
  CHECK_THROWS_WITH(findings_of(text, {"workload.clients[1].users=1000001"}),
                    "--set workload.clients[1].users: expected an integer in 1..1000000, got '1000001'");
}

// --- reachability ---

TEST_CASE("validate: a client with no path of segments and links to the director", "[validate]") {
  CHECK(findings_of(edited("    - name: private\n", "    - name: private\n    - name: island\n"),
                    {"topology.hosts[0].interfaces[0].segment=island"}) ==
        Strings{"v.yaml:69:15: workload.clients[0].target: error: client c1 and director d1 are not "
                "connected: no path of segments and links"});
}

TEST_CASE("validate: a real server with no path of segments and links to the director", "[validate]") {
  CHECK(findings_of(edited("    - name: private\n", "    - name: private\n    - name: island\n"),
                    {"topology.hosts[6].interfaces[0].segment=island"}) ==
        Strings{"v.yaml:63:18: services[0].destinations[3].server: error: director d1 and real server s4 "
                "are not connected: no path of segments and links"});
}

TEST_CASE("validate: a router with no route to the VIP", "[validate]") {
  CHECK(findings_with({"topology.hosts[1].interfaces[1].address=192.168.2.254/24"}) ==
        Strings{"v.yaml:61:18: services[0].destinations[2].server: error: director d1 cannot reach real "
                "server s3 at 10.2.0.13: no host on segment lan has 192.168.1.254, the next hop of director "
                "d1",
                "v.yaml:68:15: workload.clients[0].target: error: client c1 cannot reach 192.168.1.100: "
                "router r1 has no route"});
}

TEST_CASE("validate: a route to a host that does not forward", "[validate]") {
  CHECK(findings_with({"topology.hosts[1].routes[0].to=192.168.1.100/32"}) ==
        Strings{"v.yaml:68:15: workload.clients[0].target: error: client c1 cannot reach 192.168.1.100: "
                "real server s3 receives the packets but does not forward them (ip_forward off)"});
}

TEST_CASE("validate: a routing loop", "[validate]") {
  const std::string forwarding_s3 =
      edited("      tunnel: [192.168.1.100]\n", "      tunnel: [192.168.1.100]\n      sysctl: {ip_forward: true}\n");
  CHECK(findings_of(forwarding_s3, {"topology.hosts[1].routes[0].to=192.168.1.100/32"}) ==
        Strings{"v.yaml:69:15: workload.clients[0].target: error: client c1 cannot reach 192.168.1.100: "
                "routing loop client c1 -> router r1 -> real server s3 -> router r1"});
}

TEST_CASE("validate: a next hop that no host on the segment has", "[validate]") {
  CHECK(findings_with({"topology.hosts[2].gateway=192.168.1.253"}) ==
        Strings{"v.yaml:68:15: workload.clients[0].target: error: replies from director d1 cannot reach "
                "client c1 at 172.16.0.10: no host on segment lan has 192.168.1.253, the next hop of "
                "director d1"});
}

// --- warnings ---

TEST_CASE("validate warns: a NAT real server whose replies bypass the director", "[validate]") {
  CHECK(findings_with({"topology.hosts[3].gateway=10.1.0.14"}) ==
        Strings{"v.yaml:59:9: services[0].destinations[0]: warning: replies from real server s1 to client "
                "c1 go via 10.1.0.14, not an address of director d1: NAT replies bypass the director and "
                "the client drops them"});
}

TEST_CASE("validate warns: a NAT real server without a gateway when no client uses the service", "[validate]") {
  CHECK(findings_of(edited("      gateway: 10.1.0.1\n", ""), {"workload.clients[0].target=192.168.1.1"}) ==
        Strings{"v.yaml:58:9: services[0].destinations[0]: warning: real server s1 has no gateway: NAT "
                "replies bypass the director and the client drops them"});
}

TEST_CASE("validate warns: a NAT director that does not forward", "[validate]") {
  CHECK(findings_with({"topology.hosts[2].sysctl.ip_forward=false"}) ==
        Strings{"v.yaml: topology.hosts[2].sysctl.ip_forward: warning: ip_forward is off on director d1: "
                "replies from the real servers are not forwarded (set sysctl ip_forward: true)"});
}

TEST_CASE("validate warns: a DR real server without the VIP on lo", "[validate]") {
  CHECK(findings_with({"topology.hosts[4].loopback[0]=192.168.1.99"}) ==
        Strings{"v.yaml:60:9: services[0].destinations[1]: warning: real server s2 does not have the VIP "
                "192.168.1.100 on lo: it drops the frames DR sends it for the VIP"});
}

TEST_CASE("validate warns: a TUN real server without the VIP on tunl0", "[validate]") {
  CHECK(findings_with({"topology.hosts[5].tunnel[0]=192.168.1.99"}) ==
        Strings{"v.yaml:61:9: services[0].destinations[2]: warning: real server s3 does not have the VIP "
                "192.168.1.100 on tunl0: it drops the IPIP packets TUN sends it for the VIP"});
}

TEST_CASE("validate warns: a DR real server that answers ARP for the VIP", "[validate]") {
  struct Row {
    const char* setting;
    const char* finding;
  };
  const Row row =
      GENERATE(Row{"topology.hosts[4].sysctl.arp_ignore=0",
                   "v.yaml:42:15: topology.hosts[4].sysctl: warning: real server s2 has the VIP 192.168.1.100 "
                   "on lo but arp_ignore=0, arp_announce=2 (need 1 and 2): it answers ARP for the VIP, and the "
                   "router keeps whichever answer comes first, the director's or a real server's: the router may "
                   "send client traffic straight to it"},
               Row{"topology.hosts[4].sysctl.arp_announce=1",
                   "v.yaml:42:15: topology.hosts[4].sysctl: warning: real server s2 has the VIP 192.168.1.100 "
                   "on lo but arp_ignore=1, arp_announce=1 (need 1 and 2): it gives the VIP as the sender of its own "
                   "ARP requests, so resolving its gateway moves the gateway's entry for the VIP to it at once: the "
                   "router may send client traffic straight to it"});
  CAPTURE(row.setting);
  CHECK(findings_with({row.setting}) == Strings{row.finding});
}

TEST_CASE("validate warns: a destination port nobody listens on", "[validate]") {
  CHECK(findings_with({"services[0].destinations[1].port=8080"}) ==
        Strings{"v.yaml:60:9: services[0].destinations[1]: warning: no server app listens on tcp port 8080 "
                "of real server s2: connections are refused"});
}

TEST_CASE("validate: errors come before warnings, each in file order", "[validate]") {
  CHECK(findings_with({"topology.hosts[4].loopback[0]=192.168.1.99", "services[0].destinations[0].server=c1",
                       "topology.hosts[0].gateway=172.16.1.1", "topology.hosts[2].sysctl.ip_forward=false"}) ==
        Strings{"v.yaml: topology.hosts[0].gateway: error: gateway 172.16.1.1 is not in a connected subnet "
                "of client c1 (172.16.0.0/24): packets for other networks cannot leave it",
                "v.yaml: services[0].destinations[0].server: error: client c1 is not of kind server; "
                "destinations are real servers",
                "v.yaml:68:15: workload.clients[0].target: error: client c1 cannot reach 192.168.1.100: the "
                "next hop 172.16.1.1 of client c1 is not on a connected subnet",
                "v.yaml:60:9: services[0].destinations[1]: warning: real server s2 does not have the VIP "
                "192.168.1.100 on lo: it drops the frames DR sends it for the VIP"});
}

TEST_CASE("validate names the key of a spec built in code, which has no positions", "[validate]") {
  ScenarioSpec spec = read_scenario_text(kValid, "v.yaml");
  spec.positions.clear();
  spec.services[0].scheduler = "fastest";
  spec.topology.hosts[0].interfaces[0].sources = 1;
  spec.topology.hosts[3].interfaces[0].sources = 2;
  Strings found;
  for (const Finding& f : validate(spec)) found.push_back(f.str(spec.file));
  CHECK(found == Strings{"v.yaml:34:11: topology.hosts[3].interfaces[0].sources: error: sources is for client hosts "
                         "only; real server s1 is not a client",
                         "v.yaml:54:5: services[0].scheduler: error: scheduler fastest is not available; registered: "
                         "dh, fo, jiq, lblc, lblcr, lc, lrt, mh, nq, ovf, p2c, peak-ewma, random, ring, rr, sed, sh, twos, "
                         "wlc, wrr"});
}

// ipvsadm sets an sh-/mh- flag's bit whatever the scheduler (keepalived ignores the keyword):
// a flag named for another scheduler is worth a warning, its own or a generic one is not.
TEST_CASE("validate: a scheduler flag named for another scheduler is warned about", "[validate][flags]") {
  CHECK(findings_with({"services[0].scheduler=sh", "services[0].sched_flags=sh-port,flag-3"}).empty());
  CHECK(findings_with({"services[0].sched_flags=flag-1"}).empty());
  CHECK(findings_of(edited("    scheduler: wrr\n", "    scheduler: sh\n    sched_flags: mh-port\n")) ==
        Strings{"v.yaml:57:18: services[0].sched_flags: warning: scheduler flag mh-port is for mh, not sh: ipvsadm "
                "sets flag-2 all the same, keepalived ignores it"});
}
