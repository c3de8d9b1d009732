// ipvsadm-save (with and without -n) and ldirectord.cf import; the exact YAML of a small
// input; import -> export -> import as a fixed point.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "import/ipvsadm_save_reader.hpp"
#include "import/keepalived_reader.hpp"
#include "import/keepalived_writer.hpp"
#include "import/ldirectord_reader.hpp"
#include "import/scenario_yaml_writer.hpp"
#include "import/service_names.hpp"
#include "import/to_scenario.hpp"
#include "import_configs.hpp"

namespace fs = std::filesystem;
using namespace lvs;
using namespace lvs::import;

using namespace lvs::test::imports;

namespace {

// The YAML after the comment block (which names the source files).
std::string body(const std::string& yaml) { return yaml.substr(yaml.find("\nname:") + 1); }

}  // namespace

TEST_CASE("import: ipvsadm-save -n and without -n read the same table", "[import]") {
  Diagnostics d1, d2;
  const auto a = read_ipvsadm_save_text(kIpvsadmNumeric, "n.rules", d1, "");
  const auto b = read_ipvsadm_save_text(kIpvsadmNamed, "s.rules", d2, "");
  CHECK(warnings(d1).empty());
  CHECK(warnings(d2).empty());
  CHECK(d2.port_names == "built-in table");
  REQUIRE(a.size() == 1);
  REQUIRE(b.size() == 1);
  CHECK(b[0].port == 80);
  CHECK(b[0].persistent == Time::s(300));
  CHECK(b[0].netmask == *Ipv4Address::parse("255.255.255.0"));
  REQUIRE(b[0].reals.size() == 2);
  CHECK(b[0].reals[1].u_threshold == 100);
  CHECK(b[0].reals[1].l_threshold == 50);
  CHECK(b[0].reals[1].method == scenario::Method::Nat);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(a[0].reals[i].address == b[0].reals[i].address);
    CHECK(a[0].reals[i].weight == b[0].reals[i].weight);
  }
}

TEST_CASE("import: ipvsadm-save lines it cannot use are reported", "[import]") {
  Diagnostics d;
  const auto s = read_ipvsadm_save_text(kIpvsadmBadLines, "r", d, "");
  CHECK(warnings(d) == std::vector<std::string>{
                           "r:1: warning: -f: firewall-mark services are not modelled: line skipped",
                           "r:2: warning: 'www.example.com' is not an IPv4 address (a host name needs DNS; save with -n): "
                           "line skipped",
                           "r:3: warning: -a for service 10.0.0.9:80, which no -A line before it adds: line skipped",
                           "r:4: warning: port 'gopherx' is not a number or a known service name: line skipped",
                           "r:6: warning: '-Z' is not -A or -a: line skipped"});
  REQUIRE(s.size() == 1);
  CHECK(s[0].persistent == Time::s(360));  // a bare -p
  CHECK(s[0].protocol == scenario::Protocol::Udp);
}

TEST_CASE("import: service names come from a services(5) file when it has them", "[import]") {
  const fs::path f = fs::temp_directory_path() / "lvslab-import-services";
  std::ofstream(f) << "# local\nwebalt\t\t8081/tcp\tweb-alt  # ours\nhttp 80/tcp www\n";
  CHECK(resolve_port("webalt", "tcp", f.string())->port == 8081);
  CHECK(resolve_port("web-alt", "tcp", f.string())->source == f.string());
  CHECK(resolve_port("https", "tcp", f.string())->source == "built-in table");
  CHECK_FALSE(resolve_port("webalt", "udp", f.string()));
}

TEST_CASE("import: ldirectord.cf with globals, a virtual block and a fallback", "[import]") {
  Diagnostics d;
  const auto s = read_ldirectord_text(kLdirectord, "ld.cf", d, "");
  CHECK(warnings(d) == std::vector<std::string>{
                           "ld.cf:4: warning: 'autoreload' is not modelled (skipped)",
                           "ld.cf:11: warning: receive=\"Test Page\": the reply's content is not modelled; a 200 reply "
                           "passes"});
  REQUIRE(s.size() == 1);
  CHECK(s[0].scheduler == "rr");
  CHECK(s[0].health_check->flavour == scenario::CheckFlavour::Ldirectord);
  CHECK(s[0].health_check->delay_loop == Time::s(5));
  CHECK_FALSE(s[0].health_check->inhibit_on_failure);
  REQUIRE(s[0].reals.size() == 2);
  CHECK(s[0].reals[1].weight == 2);
  CHECK(s[0].reals[0].method == scenario::Method::Dr);
  const scenario::CheckSpec& c = s[0].reals[0].checks.at(0);
  CHECK(c.kind == scenario::CheckKind::Http);
  CHECK(c.url_path == "/index.html");
  CHECK(c.connect_timeout == Time::s(4));
  CHECK(c.retry == 2);
  CHECK(s[0].sorry_server->first == *Ipv4Address::parse("192.168.6.9"));
}

TEST_CASE("import: the exact YAML of a one-service ipvsadm-save", "[import]") {
  Diagnostics d;
  ImportInput in;
  in.tables.push_back({"director", "rules", read_ipvsadm_save_text(kIpvsadmOneService, "rules", d, "")});
  const std::string yaml = scenario_yaml(to_scenario(in, d));
  CHECK(yaml == R"(# Imported by lvslab import from: rules
# Filled in (not in the sources; change them to match the site):
#   - segments: one per subnet seen (/24 where the source gives no prefix), the scenario's default port rate and delay: 10.0.0.0/24
#   - director addresses (the sources do not give them): director/eth0 10.0.0.1
#   - router 'router': on every segment and on 'internet' 198.18.0.1/16; real servers route through it (NAT ones through the director)
#   - clients: one population per service on 'internet', 100 addresses, Poisson arrivals at 100 sessions/s
#   - application on the real servers: exponential service time, mean 5ms, the scenario's defaults otherwise
#   - run: duration 10s, warmup 1s, seed 1
name: rules
description: imported by lvslab import
seed: 1
duration: 10s
warmup: 1s

topology:
  segments:
    - {name: internet}
    - {name: net-10-0-0-0}
  hosts:
    - name: client1
      kind: client
      gateway: 198.18.0.1
      interfaces:
        - {name: eth0, segment: internet, address: 198.18.1.10/16, sources: 100}
    - name: router
      kind: router
      interfaces:
        - {name: eth0, segment: internet, address: 198.18.0.1/16}
        - {name: eth1, segment: net-10-0-0-0, address: 10.0.0.254/24}
    - name: director
      kind: director
      gateway: 10.0.0.254
      interfaces:
        - {name: eth0, segment: net-10-0-0-0, address: 10.0.0.1/24, secondary: [10.0.0.100/24]}
    - name: rs1
      kind: server
      gateway: 10.0.0.254
      loopback: [10.0.0.100]
      sysctl: {arp_ignore: 1, arp_announce: 2}
      interfaces:
        - {name: eth0, segment: net-10-0-0-0, address: 10.0.0.11/24}

services:
  - director: director
    protocol: tcp
    vip: 10.0.0.100
    port: 80
    scheduler: rr
    destinations:
      - server: rs1
        method: dr
        weight: 1

servers:
  - hosts: [rs1]
    protocol: tcp
    port: 80
    service_time: {distribution: exponential, mean: 5ms}

workload:
  clients:
    - {host: client1, protocol: tcp, target: 10.0.0.100, port: 80, arrivals: {process: poisson, rate: 100}}
)");
}

TEST_CASE("import -> export -> import is a fixed point", "[import]") {
  const fs::path dir = fs::temp_directory_path() / "lvslab-import-fixed";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "lvs1.conf") << kFixedPointLvs1;
  std::ofstream(dir / "lvs2.conf") << fixed_point_lvs2();

  const auto import_files = [](const std::vector<std::string>& files) {
    Diagnostics d;
    ImportInput in;
    for (const std::string& f : files) in.keepalived.push_back(read_keepalived(f, d));
    return to_scenario(in, d);
  };
  const ImportResult first = import_files({(dir / "lvs1.conf").string(), (dir / "lvs2.conf").string()});
  const std::vector<std::string> directors = exported_directors(first.spec);
  REQUIRE(directors == std::vector<std::string>{"lvs1", "lvs2"});
  std::vector<std::string> exported, files;
  fs::create_directories(dir / "out");
  for (const std::string& d : directors) {
    exported.push_back(keepalived_conf(first.spec, d));
    files.push_back((dir / "out" / (d + ".conf")).string());
    std::ofstream(files.back()) << exported.back();
  }
  const ImportResult second = import_files(files);
  REQUIRE(second.spec.services.at(0).health_check);
  CHECK(second.spec.services[0].health_check->quorum == 2);
  CHECK(second.spec.services[0].health_check->hysteresis == 1);
  CHECK(body(scenario_yaml(second)) == body(scenario_yaml(first)));
  for (std::size_t i = 0; i < directors.size(); ++i) CHECK(keepalived_conf(second.spec, directors[i]) == exported[i]);
  CHECK(ipvsadm_save_n(second.spec, "lvs1") == ipvsadm_save_n(first.spec, "lvs1"));
  CHECK(ipvsadm_save_n(first.spec, "lvs1") ==
        "-A -t 192.168.1.100:80 -s rr -p 360\n"
        "-a -t 192.168.1.100:80 -r 192.168.2.11:80 -m -w 3\n"
        "-a -t 192.168.1.100:80 -r 192.168.2.12:80 -m -w 1\n"
        "-A -u 192.168.1.100:53 -s wlc\n"
        "-a -u 192.168.1.100:53 -r 10.3.0.11:53 -i -w 1\n");
  // NAT real servers route through the VRRP address on their subnet.
  for (const scenario::HostSpec& h : first.spec.topology.hosts)
    if (h.name == "rs1") CHECK(h.gateway == Ipv4Address::parse("192.168.2.1"));
}
