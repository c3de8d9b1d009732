#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "scenario/scenario_spec.hpp"
#include "scenario_fixture.hpp"

using namespace lvs;
using namespace lvs::scenario;

namespace {

using lvs::test::error_of;

// A NAT scenario that sets every key somewhere, and leaves some out to get their defaults.
const char* const kNat = R"(name: nat-basic
description: Two web servers behind a NAT director
seed: 7
duration: 60s
warmup: 5s
sample_interval: 250ms
topology:
  segments:
    - name: lan
      rate: 100Mbps
      delay: 50us
      queue: 64KiB
    - name: private
  links:
    - name: uplink
      rate: 10Mbps
      delay: 2ms
      queue: 1518B
  hosts:
    - name: c1
      kind: client
      interfaces:
        - name: eth0
          link: uplink
          address: 172.16.0.10/24
          sources: 50
      gateway: 172.16.0.1
    - name: r1
      kind: router
      interfaces:
        - {name: eth0, link: uplink, address: 172.16.0.1/24}
        - {name: eth1, segment: lan, address: 192.168.1.254/24, mac: "02:00:00:00:00:0a", mtu: 9000}
      routes:
        - {to: 10.1.0.0/24, via: 192.168.1.1}
      sysctl: {rp_filter: 2}
    - name: d1
      kind: director
      interfaces:
        - {name: eth0, segment: lan, address: 192.168.1.1/24, secondary: [192.168.1.100, 192.168.1.101/24]}
        - {name: eth1, segment: private, address: 10.1.0.1/24}
      gateway: 192.168.1.254
      sysctl: {ip_forward: true, arp_ignore: 1, arp_announce: 2}
      cpu:
        profile: dpvs
        cores: 4
        backlog: 500
        cost: {nat: 2us, fullnat: 3500ns, connection: 1us}
    - name: s1
      kind: server
      interfaces:
        - {name: eth0, segment: private, address: 10.1.0.11/24}
      gateway: 10.1.0.1
      loopback: [192.168.1.100]
      tunnel: [192.168.1.100]
    - name: s2
      kind: server
      interfaces:
        - {name: eth0, segment: private, address: 10.1.0.12/24}
services:
  - director: d1
    vip: 192.168.1.100
    scheduler: wrr
    destinations:
      - {server: s1, method: nat, weight: 3, u_threshold: 100, l_threshold: 50}
      - {server: s2, method: nat, address: 10.1.0.12, port: 8080}
  - name: dns
    director: d1
    protocol: udp
    vip: 192.168.1.100
    port: 53
    scheduler: rr
    local_addresses: [10.1.0.100]
    destinations:
      - {server: s1}
servers:
  - host: s1
    workers: 4
    backlog: 128
    max_connections: 1000
    service_time: {distribution: exponential, mean: 10ms}
    response_size: 10KB
  - hosts: [s1, s2]
    protocol: udp
    port: 53
workload:
  clients:
    - name: browsers
      host: c1
      target: 192.168.1.100
      arrivals:
        process: constant
        rate:
          - {at: 0s, rate: 10}
          - {at: 10s, rate: 50.5}
      requests_per_connection: 3
      request_size: 300B
      timeout: 2s
      start: 1s
      stop: 50s
    - host: c1
      protocol: udp
      target: 192.168.1.100
      port: 53
      users: 20
      think_time: {distribution: uniform, min: 1s, max: 2s}
)";

// The smallest scenario the reader accepts: everything else is a default.
const char* const kMinimal = R"(topology:
  segments:
    - name: lan
  hosts:
    - name: c1
      kind: client
      interfaces:
        - {name: eth0, segment: lan, address: 10.0.0.10/24}
    - name: d1
      kind: director
      interfaces:
        - {name: eth0, segment: lan, address: 10.0.0.1/24, secondary: [10.0.0.100]}
    - name: s1
      kind: server
      interfaces:
        - {name: eth0, segment: lan, address: 10.0.0.11/24}
services:
  - director: d1
    vip: 10.0.0.100
    scheduler: rr
    destinations:
      - {server: s1}
workload:
  clients:
    - host: c1
      target: 10.0.0.100
      arrivals: {rate: 10}
)";

ScenarioSpec read(const std::string& text, const std::vector<std::string>& overrides = {}) {
  return read_scenario_text(text, "scenarios/t.yaml", overrides);
}

// kMinimal with `anchor` (which must occur once) replaced by `replacement`.
std::string minimal_with(const std::string& anchor, const std::string& replacement) {
  std::string text = kMinimal;
  const std::size_t at = text.find(anchor);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(anchor, at + 1) == std::string::npos);
  return text.replace(at, anchor.size(), replacement);
}

Ipv4Address ip(const char* text) { return *Ipv4Address::parse(text); }
Ipv4Prefix prefix(const char* text) { return *Ipv4Prefix::parse(text); }

}  // namespace

TEST_CASE("a NAT scenario is read into exact values: run settings and segments", "[scenario_reader]") {
  const ScenarioSpec spec = read(kNat);
  CHECK(spec.file == "scenarios/t.yaml");
  CHECK(spec.name == "nat-basic");
  CHECK(spec.description == "Two web servers behind a NAT director");
  CHECK(spec.seed == 7);
  CHECK(spec.duration == Time::s(60));
  CHECK(spec.warmup == Time::s(5));
  CHECK(spec.sample_interval == Time::ms(250));
  const TopologySpec& t = spec.topology;
  REQUIRE(t.segments.size() == 2);
  CHECK(t.segments[0].name == "lan");
  CHECK(t.segments[0].origin.path == "topology.segments[0]");
  CHECK(t.segments[0].origin.at == Position{9, 7});
  CHECK(t.segments[0].port.rate == DataRate::mbps(100));
  CHECK(t.segments[0].port.delay == Time::us(50));
  CHECK(t.segments[0].port.queue == ByteSize::kib(64));
  CHECK(t.segments[1].port.rate == DataRate::gbps(1));  // defaults
  CHECK(t.segments[1].port.delay == Time::us(5));
  CHECK(t.segments[1].port.queue == ByteSize::kib(256));
  REQUIRE(t.links.size() == 1);
  CHECK(t.links[0].name == "uplink");
  CHECK(t.links[0].tx.rate == DataRate::mbps(10));
  CHECK(t.links[0].tx.delay == Time::ms(2));
  CHECK(t.links[0].tx.queue == ByteSize::bytes(1518));
}

TEST_CASE("a NAT scenario is read into exact values: hosts", "[scenario_reader]") {
  const ScenarioSpec spec = read(kNat);
  const std::vector<HostSpec>& hosts = spec.topology.hosts;
  REQUIRE(hosts.size() == 5);
  const HostSpec& c1 = hosts[0];
  CHECK(c1.kind == HostKind::Client);
  REQUIRE(c1.interfaces.size() == 1);
  CHECK(c1.interfaces[0].origin.path == "topology.hosts[0].interfaces[0]");
  CHECK(c1.interfaces[0].name == "eth0");
  CHECK(c1.interfaces[0].link == "uplink");
  CHECK(c1.interfaces[0].segment.empty());
  CHECK(c1.interfaces[0].address == prefix("172.16.0.10/24"));
  CHECK(c1.interfaces[0].sources == 50);
  CHECK(c1.gateway == ip("172.16.0.1"));
  CHECK(c1.gateway_origin.path == "topology.hosts[0].gateway");
  CHECK(c1.gateway_origin.at == Position{27, 16});
  const HostSpec& r1 = hosts[1];
  CHECK(r1.kind == HostKind::Router);
  CHECK(r1.interfaces[1].mac == MacAddress(0x02'00'00'00'00'0a));
  CHECK(r1.interfaces[1].mtu == 9000);
  CHECK(r1.interfaces[0].mtu == 1500);
  CHECK_FALSE(r1.interfaces[0].mac);
  REQUIRE(r1.routes.size() == 1);
  CHECK(r1.routes[0].to == prefix("10.1.0.0/24"));
  CHECK(r1.routes[0].via == ip("192.168.1.1"));
  CHECK(r1.sysctl.rp_filter == 2);
  CHECK_FALSE(r1.sysctl.ip_forward);
  CHECK_FALSE(r1.gateway);
  const HostSpec& d1 = hosts[2];
  CHECK(d1.interfaces[0].secondary == std::vector<Ipv4Prefix>{prefix("192.168.1.100/32"), prefix("192.168.1.101/24")});
  CHECK(d1.sysctl.ip_forward == true);
  CHECK(d1.sysctl.arp_ignore == 1);
  CHECK(d1.sysctl.arp_announce == 2);
  CHECK(d1.cpu.profile == "dpvs");
  CHECK(d1.cpu.cores == 4u);
  CHECK(d1.cpu.backlog == 500);
  CHECK(d1.cpu.cost_nat == Time::us(2));
  CHECK(d1.cpu.cost_fullnat == Time::ns(3500));
  CHECK(d1.cpu.cost_connection == Time::us(1));
  CHECK_FALSE(d1.cpu.cost_dr);
  CHECK_FALSE(d1.cpu.cost_tun);
  CHECK(hosts[3].loopback == std::vector<Ipv4Address>{ip("192.168.1.100")});
  CHECK(hosts[3].tunnel == std::vector<Ipv4Address>{ip("192.168.1.100")});
  CHECK(hosts[4].cpu.profile == "kernel-ipvs");  // defaults, unused on a server
  CHECK_FALSE(hosts[4].cpu.cores);                // the profile's
  CHECK(hosts[4].cpu.backlog == 1000);
}

TEST_CASE("a NAT scenario is read into exact values: services and destinations", "[scenario_reader]") {
  const ScenarioSpec spec = read(kNat);
  REQUIRE(spec.services.size() == 2);
  const ServiceSpec& web = spec.services[0];
  CHECK(web.origin.path == "services[0]");
  CHECK(web.origin.at == Position{60, 5});
  CHECK(web.name == "tcp/192.168.1.100:80");
  CHECK(web.director == "d1");
  CHECK(web.protocol == Protocol::Tcp);
  CHECK(web.vip == ip("192.168.1.100"));
  CHECK(web.port == 80);
  CHECK(web.scheduler == "wrr");
  CHECK(web.local_addresses.empty());
  REQUIRE(web.destinations.size() == 2);
  const DestinationSpec& a = web.destinations[0];
  CHECK(a.server == "s1");
  CHECK_FALSE(a.address);
  CHECK_FALSE(a.port);
  CHECK(a.method == Method::Nat);
  CHECK(a.weight == 3);
  CHECK(a.u_threshold == 100);
  CHECK(a.l_threshold == 50);
  const DestinationSpec& b = web.destinations[1];
  CHECK(b.address == ip("10.1.0.12"));
  CHECK(b.port == 8080);
  CHECK(b.weight == 1);
  CHECK(b.u_threshold == 0);
  CHECK(b.l_threshold == 0);
  const ServiceSpec& dns = spec.services[1];
  CHECK(dns.name == "dns");
  CHECK(dns.protocol == Protocol::Udp);
  CHECK(dns.port == 53);
  CHECK(dns.scheduler == "rr");
  CHECK(dns.local_addresses == std::vector<Ipv4Address>{ip("10.1.0.100")});
  CHECK(dns.destinations[0].method == Method::Dr);  // the default method
}

TEST_CASE("a NAT scenario is read into exact values: server apps", "[scenario_reader]") {
  const ScenarioSpec spec = read(kNat);
  REQUIRE(spec.servers.size() == 2);
  const ServerAppSpec& web = spec.servers[0];
  CHECK(web.hosts == std::vector<std::string>{"s1"});
  CHECK(web.protocol == Protocol::Tcp);
  CHECK(web.port == 80);
  CHECK(web.workers == 4);
  CHECK(web.backlog == 128);
  CHECK(web.max_connections == 1000);
  CHECK(web.service_time.describe() == Distribution::exponential(0.01).describe());
  CHECK(web.response_size.describe() == Distribution::constant(10000).describe());
  const ServerAppSpec& dns = spec.servers[1];
  CHECK(dns.hosts == std::vector<std::string>{"s1", "s2"});
  CHECK(dns.protocol == Protocol::Udp);
  CHECK(dns.port == 53);
  CHECK(dns.workers == 8);
  CHECK(dns.backlog == 511);
  CHECK(dns.max_connections == 10000);
  CHECK(dns.service_time.describe() == Distribution::constant(0.001).describe());
  CHECK(dns.response_size.describe() == Distribution::constant(1000).describe());
}

TEST_CASE("a NAT scenario is read into exact values: clients", "[scenario_reader]") {
  const ScenarioSpec spec = read(kNat);
  REQUIRE(spec.workload.clients.size() == 2);
  const ClientSpec& open = spec.workload.clients[0];
  CHECK(open.name == "browsers");
  CHECK(open.host == "c1");
  CHECK(open.protocol == Protocol::Tcp);
  CHECK(open.target == ip("192.168.1.100"));
  CHECK(open.port == 80);
  CHECK(open.process == ArrivalProcess::Constant);
  REQUIRE(open.rate.size() == 2);
  CHECK(open.rate[0].at == Time::zero());
  CHECK(open.rate[0].rate == 10);
  CHECK(open.rate[1].at == Time::s(10));
  CHECK(open.rate[1].rate == 50.5);
  CHECK(open.users == 0);
  CHECK(open.requests_per_connection == 3);
  CHECK(open.request_size.describe() == Distribution::constant(300).describe());
  CHECK(open.timeout == Time::s(2));
  CHECK(open.start == Time::s(1));
  CHECK(open.stop == Time::s(50));
  const ClientSpec& closed = spec.workload.clients[1];
  CHECK(closed.name == "c1");  // the host's name
  CHECK(closed.protocol == Protocol::Udp);
  CHECK(closed.port == 53);
  CHECK_FALSE(closed.process);
  CHECK(closed.rate.empty());
  CHECK(closed.users == 20);
  CHECK(closed.think_time.describe() == Distribution::uniform(1, 2).describe());
  CHECK(closed.requests_per_connection == 1);
  CHECK(closed.request_size.describe() == Distribution::constant(200).describe());
  CHECK(closed.timeout == Time::s(10));
  CHECK(closed.start == Time::zero());
  CHECK_FALSE(closed.stop);
}

TEST_CASE("a minimal scenario gets every default", "[scenario_reader]") {
  const ScenarioSpec spec = read(kMinimal);
  CHECK(spec.name == "t");  // the file's stem
  CHECK(spec.description.empty());
  CHECK(spec.seed == 1);
  CHECK(spec.duration == Time::s(10));
  CHECK(spec.warmup == Time::zero());
  CHECK(spec.sample_interval == Time::s(1));
  CHECK(spec.topology.links.empty());
  CHECK(spec.topology.hosts[0].kind == HostKind::Client);
  CHECK(spec.topology.hosts[0].interfaces[0].sources == 1);
  CHECK(spec.servers.empty());
  const ClientSpec& c = spec.workload.clients[0];
  CHECK(c.process == ArrivalProcess::Poisson);
  REQUIRE(c.rate.size() == 1);
  CHECK(c.rate[0].at == Time::zero());
  CHECK(c.rate[0].rate == 10);
  CHECK(c.think_time.describe() == Distribution::constant(0).describe());
}

TEST_CASE("a scenario without a scheduler gets wlc, registered or not", "[scenario_reader]") {
  CHECK(read(minimal_with("    scheduler: rr\n", "")).services[0].scheduler == "wlc");
}

TEST_CASE("the host kind defaults to host", "[scenario_reader]") {
  CHECK(read(minimal_with("      kind: server\n", "")).topology.hosts[2].kind == HostKind::Host);
}

TEST_CASE("every key's position is recorded for validate", "[scenario_reader]") {
  const ScenarioSpec spec = read(kMinimal, {"services[0].port=8080"});
  CHECK(spec.positions.at("") == Position{1, 1});
  CHECK(spec.positions.at("topology.hosts[1].interfaces[0].secondary[0]") == Position{12, 72});
  CHECK(spec.positions.at("services[0].vip") == Position{19, 10});
  CHECK(spec.positions.at("services[0].port") == Position{});  // set with --set
  CHECK_FALSE(spec.positions.contains("services[0].name"));
}

// --- distributions ---

TEST_CASE("a distribution is a scalar constant or a map naming its family", "[scenario_reader]") {
  struct Row {
    const char* yaml;
    Distribution expected;
  };
  const Row row = GENERATE(
      Row{"2ms", Distribution::constant(0.002)},
      Row{"{distribution: constant, value: 3ms}", Distribution::constant(0.003)},
      Row{"{distribution: exponential, mean: 10ms}", Distribution::exponential(0.01)},
      Row{"{distribution: uniform, min: 1ms, max: 3ms}", Distribution::uniform(0.001, 0.003)},
      Row{"{distribution: normal, mean: 10ms, stddev: 2ms}", Distribution::normal(0.01, 0.002)},
      Row{"{distribution: lognormal, mean: 10ms, stddev: 5ms}", Distribution::lognormal_from_mean_stddev(0.01, 0.005)},
      Row{"{distribution: pareto, scale: 1ms, shape: 1.5}", Distribution::pareto(0.001, 1.5)},
      Row{"{distribution: empirical, samples: [1ms, 2ms, 4ms]}",
          Distribution::empirical_samples({0.001, 0.002, 0.004})});
  CAPTURE(row.yaml);
  const ScenarioSpec spec = read(minimal_with(
      "workload:\n", std::string("servers:\n  - host: s1\n    service_time: ") + row.yaml + "\nworkload:\n"));
  CHECK(spec.servers[0].service_time.describe() == row.expected.describe());
  CHECK(spec.servers[0].service_time.mean() == row.expected.mean());
}

TEST_CASE("a size distribution takes sizes in bytes with the same syntax", "[scenario_reader]") {
  struct Row {
    const char* yaml;
    Distribution expected;
  };
  const Row row =
      GENERATE(Row{"1.5KB", Distribution::constant(1500)},
               Row{"{distribution: pareto, scale: 1KiB, shape: 1.2}", Distribution::pareto(1024, 1.2)},
               Row{"{distribution: uniform, min: 100B, max: 1MB}", Distribution::uniform(100, 1e6)},
               Row{"{distribution: empirical, samples: [200B, 1KB]}", Distribution::empirical_samples({200, 1000})});
  CAPTURE(row.yaml);
  const ScenarioSpec spec = read(minimal_with(
      "workload:\n", std::string("servers:\n  - host: s1\n    response_size: ") + row.yaml + "\nworkload:\n"));
  CHECK(spec.servers[0].response_size.describe() == row.expected.describe());
}

// --- overrides ---

TEST_CASE("a --set override changes a value before it is read", "[scenario_reader]") {
  const ScenarioSpec spec = read(kNat, {"services[0].destinations[1].weight=3", "duration=2min", "seed=99",
                                        "workload.clients[1].users=5", "topology.hosts[0].interfaces[0].sources=7"});
  CHECK(spec.services[0].destinations[1].weight == 3);
  CHECK(spec.duration == Time::s(120));
  CHECK(spec.seed == 99);
  CHECK(spec.workload.clients[1].users == 5);
  CHECK(spec.topology.hosts[0].interfaces[0].sources == 7);
  CHECK(read(kMinimal, {"services.0.scheduler=wrr"}).services[0].scheduler == "wrr");
}

TEST_CASE("a bad value given with --set is an error naming the --set", "[scenario_reader]") {
  struct Row {
    const char* setting;
    const char* message;
  };
  const Row row = GENERATE(Row{"services[0].destinations[0].weight=heavy",
                               "--set services[0].destinations[0].weight: expected an integer in 0..65535, got "
                               "'heavy'"},
                           Row{"services[0].scheduler=fastest",
                               "--set services[0].scheduler: scheduler 'fastest' is not available; registered: "
                               "dh, fo, jiq, lblc, lblcr, lc, lrt, mh, nq, ovf, p2c, peak-ewma, random, ring, rr, sed, sh, twos, wlc, wrr"},
                           Row{"services[0].destinations[0].method=direct",
                               "--set services[0].destinations[0].method: expected one of [nat, dr, tun, "
                               "fullnat], got 'direct'"},
                           Row{"duration=0s", "--set duration: expected a duration > 0, got '0s'"},
                           Row{"sample_interval=1ns",
                               "--set sample_interval: sample_interval 1ns over 10s makes 10000000000 samples of "
                               "the time series; at most 1000000 are kept (each holds a figure per server, link "
                               "and director): use a sample_interval of at least 10us"},
                           Row{"services[0].colour=red",
                               "--set services[0].colour: unknown key 'colour', expected one of [name, director, "
                               "protocol, vip, port, fwmark, mark, scheduler, sched_flags, persistent, netmask, "
                               "local_addresses, flavour, destinations, groups, health_check]"},
                           Row{"services[3].port=80", "--set services[3].port=80: services has 1 item (0)"});
  CAPTURE(row.setting);
  CHECK(error_of([&] { read(kMinimal, {row.setting}); }) == row.message);
}

TEST_CASE("read_scenario reads a file, applies overrides, and names the scenario after it", "[scenario_reader]") {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("lvslab-" + std::to_string(::getpid()) + "-dr-basic.yaml");
  std::ofstream(path) << kMinimal;
  const ScenarioSpec spec = read_scenario(path.string(), {"seed=5"});
  std::filesystem::remove(path);
  CHECK(spec.file == path.string());
  CHECK(spec.name == "lvslab-" + std::to_string(::getpid()) + "-dr-basic");
  CHECK(spec.seed == 5);
  CHECK(error_of([] { read_scenario("/nonexistent/x.yaml"); }) ==
        "/nonexistent/x.yaml: cannot read the file: No such file or directory");
}

// --- bad input: one row per kind, each with its exact message ---

TEST_CASE("bad input is reported at its key with what was expected", "[scenario_reader]") {
  struct Row {
    const char* anchor;
    const char* replacement;
    const char* message;
  };
  const Row row = GENERATE(
      // missing, unknown and empty
      Row{"    vip: 10.0.0.100\n", "", "scenarios/t.yaml:18:5: services[0]: missing required key 'vip'"},
      Row{"workload:\n  clients:\n    - host: c1\n      target: 10.0.0.100\n      arrivals: {rate: 10}\n", "",
          "scenarios/t.yaml:1:1: missing required key 'workload'"},
      Row{"    vip: 10.0.0.100\n", "    vipp: 10.0.0.100\n",
          "scenarios/t.yaml:19:5: services[0].vipp: unknown key 'vipp', did you mean 'vip'?"},
      Row{"services:\n", "colour: red\nservices:\n",
          "scenarios/t.yaml:17:1: colour: unknown key 'colour', expected one of [name, "
          "description, seed, duration, warmup, sample_interval, topology, services, "
          "servers, workload, events, timeline, vrrp, sync_daemon, failures, storage]"},
      Row{"    destinations:\n      - {server: s1}\n", "    destinations: []\n",
          "scenarios/t.yaml:21:19: services[0].destinations: expected at least one "
          "destination, got an empty list"},
      Row{"    - name: lan\n", "    - name: \"\"\n",
          "scenarios/t.yaml:3:13: topology.segments[0].name: expected a name, got ''"},
      // scalars of the wrong form
      Row{"vip: 10.0.0.100", "vip: 10.0.0.300",
          "scenarios/t.yaml:19:10: services[0].vip: expected an IPv4 address (e.g. "
          "192.168.10.100), got '10.0.0.300'"},
      Row{"10.0.0.10/24", "10.0.0.10/33",
          "scenarios/t.yaml:8:47: topology.hosts[0].interfaces[0].address: expected an IPv4 "
          "prefix (e.g. 192.168.10.0/24), got '10.0.0.10/33'"},
      Row{"10.0.0.10/24", "10.0.0.10",
          "scenarios/t.yaml:8:47: topology.hosts[0].interfaces[0].address: expected an "
          "address with its prefix length (e.g. 192.168.10.101/24), got '10.0.0.10'"},
      Row{"services:\n", "duration: 10 parsecs\nservices:\n",
          "scenarios/t.yaml:17:11: duration: invalid duration '10 parsecs': unknown unit "
          "'parsecs' (expected a number and a unit: ns, us, ms, s, min, h; e.g. \"250us\", "
          "\"1.5s\")"},
      Row{"services:\n", "duration: 0s\nservices:\n",
          "scenarios/t.yaml:17:11: duration: expected a duration > 0, got '0s'"},
      Row{"services:\n", "duration: 10s\nwarmup: 10s\nservices:\n",
          "scenarios/t.yaml:18:9: warmup: warmup 10s is not shorter than the duration 10s: "
          "no request would be measured"},
      Row{"services:\n", "duration: 2s\nsample_interval: 1ns\nservices:\n",
          "scenarios/t.yaml:18:18: sample_interval: sample_interval 1ns over 2s makes 2000000000 samples of the "
          "time series; at most 1000000 are kept (each holds a figure per server, link and director): use a "
          "sample_interval of at least 2us"},
      Row{"services:\n", "duration: 8760h\nservices:\n",
          "scenarios/t.yaml:17:11: duration: sample_interval 1s over 31536000s makes 31536000 samples of the time "
          "series; at most 1000000 are kept (each holds a figure per server, link and director): use a "
          "sample_interval of at least 31.536s"},
      Row{"    - name: lan\n", "    - name: lan\n      rate: 1 Gbit\n",
          "scenarios/t.yaml:4:13: topology.segments[0].rate: invalid data rate '1 Gbit': "
          "expected a number and a unit: bps, Kbps, Mbps, Gbps, Tbps (e.g. \"1Gbps\")"},
      Row{"    - name: lan\n", "    - name: lan\n      rate: 0Gbps\n",
          "scenarios/t.yaml:4:13: topology.segments[0].rate: expected a data rate > 0, got "
          "'0Gbps'"},
      Row{"    - name: lan\n", "    - name: lan\n      queue: 10 bytes\n",
          "scenarios/t.yaml:4:14: topology.segments[0].queue: invalid byte size '10 bytes': "
          "expected a number and a unit: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB (e.g. "
          "\"64KiB\", \"1.5MB\")"},
      Row{"    - name: lan\n", "    - name: lan\n      queue: 1000B\n",
          "scenarios/t.yaml:4:14: topology.segments[0].queue: expected a byte size >= 1518B "
          "(one full Ethernet frame), got '1000B'"},
      Row{"services:\n", "seed: -1\nservices:\n", "scenarios/t.yaml:17:7: seed: expected an integer >= 0, got '-1'"},
      // choices
      Row{"{server: s1}", "{server: s1, method: direct}",
          "scenarios/t.yaml:22:30: services[0].destinations[0].method: expected one of "
          "[nat, dr, tun, fullnat], got 'direct'"},
      Row{"kind: server", "kind: switch",
          "scenarios/t.yaml:14:13: topology.hosts[2].kind: expected one of [host, router, "
          "client, server, director], got 'switch'"},
      Row{"scheduler: rr", "scheduler: fastest",
          "scenarios/t.yaml:20:16: services[0].scheduler: scheduler 'fastest' is not available; "
          "registered: dh, fo, jiq, lblc, lblcr, lc, lrt, mh, nq, ovf, p2c, peak-ewma, random, ring, rr, sed, sh, twos, wlc, wrr"},
      Row{"scheduler: rr", "scheduler: wrrr",
          "scenarios/t.yaml:20:16: services[0].scheduler: scheduler 'wrrr' is not available "
          "(did you mean 'wrr'?); registered: dh, fo, jiq, lblc, lblcr, lc, lrt, mh, nq, ovf, p2c, peak-ewma, random, ring, rr, sed, sh, twos, wlc, wrr"},
      Row{"{rate: 10}", "{rate: 10, process: bursty}",
          "scenarios/t.yaml:27:37: workload.clients[0].arrivals.process: expected one of "
          "[poisson, constant], got 'bursty'"},
      // ranges
      Row{"    scheduler: rr\n", "    scheduler: rr\n    port: 70000\n",
          "scenarios/t.yaml:21:11: services[0].port: expected an integer in 1..65535, got "
          "'70000'"},
      Row{"{server: s1}", "{server: s1, weight: 65536}",
          "scenarios/t.yaml:22:30: services[0].destinations[0].weight: expected an integer "
          "in 0..65535, got '65536'"},
      Row{"{server: s1}", "{server: s1, u_threshold: -1}",
          "scenarios/t.yaml:22:35: services[0].destinations[0].u_threshold: expected an "
          "integer in 0..2147483647, got '-1'"},
      Row{"{server: s1}", "{server: s1, u_threshold: 5, l_threshold: 10}",
          "scenarios/t.yaml:22:51: services[0].destinations[0].l_threshold: l_threshold 10 "
          "is above u_threshold 5 (ipvsadm refuses it: ERANGE)"},
      Row{"address: 10.0.0.11/24}", "address: 10.0.0.11/24, mtu: 67}",
          "scenarios/t.yaml:16:66: topology.hosts[2].interfaces[0].mtu: expected an integer "
          "in 68..65535, got '67'"},
      Row{"address: 10.0.0.10/24}", "address: 10.0.0.10/24, sources: 0}",
          "scenarios/t.yaml:8:70: topology.hosts[0].interfaces[0].sources: expected an "
          "integer in 1..16777216, got '0'"},
      Row{"      kind: server\n", "      kind: server\n      sysctl: {arp_ignore: 9}\n",
          "scenarios/t.yaml:15:28: topology.hosts[2].sysctl.arp_ignore: expected an integer "
          "in 0..8, got '9'"},
      Row{"      kind: server\n", "      kind: server\n      sysctl: {tcp_timestamps: 3}\n",
          "scenarios/t.yaml:15:32: topology.hosts[2].sysctl.tcp_timestamps: expected an integer "
          "in 0..2, got '3'"},
      Row{"      kind: server\n", "      kind: server\n      sysctl: {tcp_sack: true}\n",
          "scenarios/t.yaml:15:26: topology.hosts[2].sysctl.tcp_sack: expected an integer "
          "in 0..1, got 'true'"},
      Row{"      kind: director\n", "      kind: director\n      sysctl: {tcp_window_scaling: 0}\n",
          "scenarios/t.yaml:11:36: topology.hosts[1].sysctl.tcp_window_scaling: a TCP sysctl is for "
          "hosts that run TCP (kind client or server); d1 is of kind director"},
      Row{"      kind: server\n", "      kind: server\n      sysctl: {ip_local_port_range: \"60999 32768\"}\n",
          "scenarios/t.yaml:15:37: topology.hosts[2].sysctl.ip_local_port_range: the first port 60999 is above the "
          "last 32768 (Linux refuses it: EINVAL)"},
      Row{"      kind: server\n", "      kind: server\n      sysctl: {ip_local_port_range: 1024-2048}\n",
          "scenarios/t.yaml:15:37: topology.hosts[2].sysctl.ip_local_port_range: expected two ports in 1..65535, "
          "first and last (as in \"32768 60999\"), got '1024-2048'"},
      Row{"      kind: server\n", "      kind: server\n      sysctl: {ip_local_port_range: [1024]}\n",
          "scenarios/t.yaml:15:37: topology.hosts[2].sysctl.ip_local_port_range: expected two ports, first and last "
          "(as in \"32768 60999\" or [32768, 60999])"},
      Row{"      kind: server\n", "      kind: server\n      sysctl: {tcp_tw_reuse: 3}\n",
          "scenarios/t.yaml:15:30: topology.hosts[2].sysctl.tcp_tw_reuse: expected an integer in 0..2, got '3'"},
      Row{"      kind: director\n", "      kind: director\n      sysctl: {conn_reuse_mode: 4}\n",
          "scenarios/t.yaml:11:33: topology.hosts[1].sysctl.conn_reuse_mode: expected an integer in 0..3, got '4'"},
      Row{"      kind: server\n", "      kind: server\n      sysctl: {conntrack: true}\n",
          "scenarios/t.yaml:15:27: topology.hosts[2].sysctl.conntrack: an IPVS sysctl (net.ipv4.vs.*) is for "
          "directors only; s1 is not of kind director"},
      Row{"      kind: director\n", "      kind: director\n      sysctl: {tcp_fin_timeout: 30}\n",
          "scenarios/t.yaml:11:33: topology.hosts[1].sysctl.tcp_fin_timeout: a TCP sysctl is for hosts that run TCP "
          "(kind client or server); d1 is of kind director"},
      Row{"      kind: server\n", "      kind: server\n      sysctl: {ip_forward: yes}\n",
          "scenarios/t.yaml:15:28: topology.hosts[2].sysctl.ip_forward: expected true or "
          "false, got 'yes'"},
      // structure
      Row{"      kind: server\n", "      kind: server\n      cpu: {cores: 2}\n",
          "scenarios/t.yaml:15:12: topology.hosts[2].cpu: cpu is for directors only; s1 is "
          "not of kind director"},
      Row{"      kind: director\n", "      kind: director\n      cpu: {cores: 2000}\n",
          "scenarios/t.yaml:11:20: topology.hosts[1].cpu.cores: expected an integer in "
          "1..1024, got '2000'"},
      Row{"      kind: director\n", "      kind: director\n      cpu: {cost: {natt: 1us}}\n",
          "scenarios/t.yaml:11:20: topology.hosts[1].cpu.cost.natt: unknown key 'natt', did "
          "you mean 'nat'?"},
      Row{"      kind: director\n", "      kind: director\n      cpu: {cost: {connection: 2s}}\n",
          "scenarios/t.yaml:11:32: topology.hosts[1].cpu.cost.connection: expected a duration "
          "in 0ns..1s, got '2s'"},
      Row{"      kind: director\n", "      kind: director\n      cpu: {profile: kernel-ipv}\n",
          "scenarios/t.yaml:11:22: topology.hosts[1].cpu.profile: director profile 'kernel-ipv' is "
          "not available (did you mean 'kernel-ipvs'?); registered: dpvs, katran, kernel-ipvs, "
          "lvs-nat-pentium"},
      Row{"segment: lan, address: 10.0.0.11/24}", "segment: lan, link: l1, address: 10.0.0.11/24}",
          "scenarios/t.yaml:16:11: topology.hosts[2].interfaces[0]: both 'segment' and "
          "'link' are set; an interface plugs into a segment or is one end of a link"},
      Row{"segment: lan, address: 10.0.0.11/24}", "address: 10.0.0.11/24}",
          "scenarios/t.yaml:16:11: topology.hosts[2].interfaces[0]: missing 'segment' or "
          "'link'; an interface plugs into a segment or is one end of a link"},
      Row{"        - {name: eth0, segment: lan, address: 10.0.0.11/24}\n", "        []\n",
          "scenarios/t.yaml:16:9: topology.hosts[2].interfaces: expected at least one "
          "interface, got an empty list"},
      // workload
      Row{"{rate: 10}", "{rate: 10}\n      users: 5",
          "scenarios/t.yaml:25:7: workload.clients[0]: both 'arrivals' and 'users' are set; "
          "a client is open loop (arrivals) or closed loop (users)"},
      Row{"      arrivals: {rate: 10}\n", "",
          "scenarios/t.yaml:25:7: workload.clients[0]: missing 'arrivals' or 'users'; a "
          "client is open loop (arrivals) or closed loop (users)"},
      Row{"{rate: 10}", "{rate: 0}",
          "scenarios/t.yaml:27:24: workload.clients[0].arrivals.rate: expected a number > 0 "
          "(sessions per second), got '0'"},
      Row{"{rate: 10}", "{rate: [{at: 1s, rate: 10}]}",
          "scenarios/t.yaml:27:30: workload.clients[0].arrivals.rate[0].at: the first step "
          "must be at 0s, got '1s'"},
      Row{"{rate: 10}", "{rate: [{at: 0s, rate: 10}, {at: 5s, rate: 20}, {at: 5s, rate: 30}]}",
          "scenarios/t.yaml:27:70: workload.clients[0].arrivals.rate[2].at: steps must be "
          "in increasing time: 5s is not after 5s"},
      Row{"{rate: 10}", "{rate: [{at: 0s, rate: -1}]}",
          "scenarios/t.yaml:27:40: workload.clients[0].arrivals.rate[0].rate: expected a "
          "number >= 0, got '-1'"},
      Row{"{rate: 10}", "{rate: []}",
          "scenarios/t.yaml:27:24: workload.clients[0].arrivals.rate: expected a rate or at "
          "least one step {at, rate}, got an empty list"},
      Row{"target: 10.0.0.100", "target: 10.0.0.100:80",
          "scenarios/t.yaml:26:15: workload.clients[0].target: expected an IPv4 address "
          "(e.g. 192.168.10.100), got '10.0.0.100:80'; give the port as 'port: 80'"},
      Row{"{rate: 10}", "{rate: 10}\n      start: 5s\n      stop: 5s",
          "scenarios/t.yaml:29:13: workload.clients[0].stop: stop 5s is not after start 5s"},
      Row{"{rate: 10}", "{rate: 10}\n      timeout: 0s",
          "scenarios/t.yaml:28:16: workload.clients[0].timeout: expected a duration > 0, "
          "got '0s'"},
      // server apps and distributions
      Row{"workload:\n", "servers:\n  - {host: s1, hosts: [s1]}\nworkload:\n",
          "scenarios/t.yaml:24:5: servers[0]: both 'host' and 'hosts' are set; give one "
          "host or a list of hosts"},
      Row{"workload:\n", "servers:\n  - {port: 80}\nworkload:\n",
          "scenarios/t.yaml:24:5: servers[0]: missing 'host' or 'hosts'; give one host or a "
          "list of hosts"},
      Row{"workload:\n", "servers:\n  - {host: s1, service_time: {distribution: gamma, mean: 1ms}}\nworkload:\n",
          "scenarios/t.yaml:24:45: servers[0].service_time.distribution: expected one of "
          "[constant, exponential, uniform, normal, lognormal, pareto, empirical], got "
          "'gamma'"},
      Row{"workload:\n",
          "servers:\n  - {host: s1, service_time: {distribution: normal, mean: 1ms, stdev: 1ms}}\nworkload:\n",
          "scenarios/t.yaml:24:64: servers[0].service_time.stdev: unknown key 'stdev', did "
          "you mean 'stddev'?"},
      Row{"workload:\n", "servers:\n  - {host: s1, service_time: {distribution: exponential}}\nworkload:\n",
          "scenarios/t.yaml:24:30: servers[0].service_time: missing required key 'mean'"},
      Row{"workload:\n",
          "servers:\n  - {host: s1, service_time: {distribution: uniform, min: 3ms, max: 1ms}}\nworkload:\n",
          "scenarios/t.yaml:24:30: servers[0].service_time: uniform: high must be > low "
          "(got low=0.003, high=0.001)"},
      Row{"workload:\n",
          "servers:\n  - {host: s1, service_time: {distribution: pareto, scale: 1ms, shape: 0}}\nworkload:\n",
          "scenarios/t.yaml:24:30: servers[0].service_time: pareto: shape must be > 0 (got "
          "0)"},
      Row{"workload:\n", "servers:\n  - {host: s1, service_time: {distribution: exponential, mean: 10KB}}\nworkload:\n",
          "scenarios/t.yaml:24:64: servers[0].service_time.mean: invalid duration '10KB': "
          "unknown unit 'KB' (expected a number and a unit: ns, us, ms, s, min, h; e.g. "
          "\"250us\", \"1.5s\")"},
      Row{"workload:\n", "servers:\n  - {host: s1, response_size: {distribution: empirical, samples: []}}\nworkload:\n",
          "scenarios/t.yaml:24:66: servers[0].response_size.samples: expected at least one "
          "sample, got an empty list"},
      Row{"workload:\n", "servers:\n  - {host: s1, response_size: [1KB]}\nworkload:\n",
          "scenarios/t.yaml:24:31: servers[0].response_size: expected a byte size (e.g. "
          "\"64KiB\"), got a list"},
      // FULLNAT: the flavour, and Alibaba's local port sysctls (directors only)
      Row{"    scheduler: rr\n", "    scheduler: rr\n    flavour: kernel\n",
          "scenarios/t.yaml:21:14: services[0].flavour: expected one of [alibaba, dpvs], got 'kernel'"},
      Row{"    scheduler: rr\n", "    scheduler: rr\n    flavour: dpv\n",
          "scenarios/t.yaml:21:14: services[0].flavour: expected one of [alibaba, dpvs], got 'dpv' (did you mean "
          "'dpvs'?)"},
      Row{"      kind: director\n", "      kind: director\n      sysctl: {fullnat_lport_min: 1024}\n",
          "scenarios/t.yaml:11:35: topology.hosts[1].sysctl.fullnat_lport_min: expected an integer in 1025..65535, "
          "got '1024'"},
      Row{"      kind: director\n", "      kind: director\n      sysctl: {fullnat_lport_max: 65536}\n",
          "scenarios/t.yaml:11:35: topology.hosts[1].sysctl.fullnat_lport_max: expected an integer in 1025..65535, "
          "got '65536'"},
      Row{"      kind: director\n", "      kind: director\n      sysctl: {fullnat_lport_tries: 9}\n",
          "scenarios/t.yaml:11:37: topology.hosts[1].sysctl.fullnat_lport_tries: expected an integer in 10..60000, "
          "got '9'"},
      Row{"      kind: director\n", "      kind: director\n      sysctl: {fullnat_lport_max: 4000}\n",
          "scenarios/t.yaml:11:35: topology.hosts[1].sysctl.fullnat_lport_max: fullnat_lport_min 5000 is above "
          "fullnat_lport_max 4000: no local port would be left"},
      Row{"      kind: director\n", "      kind: director\n      sysctl: {fullnat_lport_min: 2000, fullnat_lport_max: 1999}\n",
          "scenarios/t.yaml:11:60: topology.hosts[1].sysctl.fullnat_lport_max: fullnat_lport_min 2000 is above "
          "fullnat_lport_max 1999: no local port would be left"},
      Row{"      kind: client\n", "      kind: client\n      sysctl: {fullnat_lport_min: 2000}\n",
          "scenarios/t.yaml:7:35: topology.hosts[0].sysctl.fullnat_lport_min: an IPVS sysctl (net.ipv4.vs.*) is for "
          "directors only; c1 is not of kind director"});
  CAPTURE(row.anchor, row.replacement);
  CHECK(error_of([&] { read(minimal_with(row.anchor, row.replacement)); }) == row.message);
}

// --- persistence and events ---

TEST_CASE("persistence, an IPVS sysctl and events are read into exact values", "[scenario_reader][events]") {
  std::string text =
      minimal_with("    scheduler: rr\n", "    scheduler: rr\n    persistent: 10min\n    netmask: 255.255.255.0\n");
  text = text.replace(text.find("      kind: director\n"), 21, "      kind: director\n      sysctl: {expire_quiescent_template: true}\n");
  const ScenarioSpec spec = read(text +
      "events:\n"
      "  - {at: 2s, edit: s1, weight: 0}\n"
      "  - {at: 3s, remove: s1}\n"
      "  - {at: 4s, add: s1, weight: 5}\n"
      "  - {at: 4s, scheduler: wrr}\n");
  REQUIRE(spec.services[0].persistent.has_value());
  CHECK(*spec.services[0].persistent == Time::s(600));
  CHECK(spec.services[0].netmask == ip("255.255.255.0"));
  CHECK(spec.topology.hosts[1].sysctl.expire_quiescent_template == true);
  REQUIRE(spec.events.size() == 4);
  using Action = EventSpec::Action;
  CHECK(spec.events[0].action == Action::Edit);
  CHECK(spec.events[0].at == Time::s(2));
  CHECK(spec.events[0].weight == 0U);
  CHECK_FALSE(spec.events[0].u_threshold.has_value());
  CHECK(spec.events[1].action == Action::Remove);
  CHECK(spec.events[2].action == Action::Add);
  CHECK(spec.events[2].weight == 5U);
  CHECK(spec.events[3].action == Action::Scheduler);
  CHECK(spec.events[3].scheduler == "wrr");
  CHECK(spec.events[3].service == 0);
}

// ipvsadm -b: a list of names, or one comma-joined string as ipvsadm takes it.
TEST_CASE("sched_flags are read as a list or as ipvsadm's comma-joined string", "[scenario_reader][flags]") {
  CHECK(read(minimal_with("    scheduler: rr\n", "    scheduler: sh\n    sched_flags: [sh-port, sh-fallback]\n"))
            .services[0]
            .sched_flags == std::vector<std::string>{"sh-port", "sh-fallback"});
  CHECK(read(minimal_with("    scheduler: rr\n", "    scheduler: sh\n    sched_flags: sh-fallback,sh-port\n"))
            .services[0]
            .sched_flags == std::vector<std::string>{"sh-fallback", "sh-port"});
  CHECK(read(kMinimal).services[0].sched_flags.empty());
  CHECK(error_of([] { read(minimal_with("    scheduler: rr\n", "    scheduler: sh\n    sched_flags: [sh-fast]\n")); }) ==
        "scenarios/t.yaml:21:19: services[0].sched_flags[0]: unknown scheduler flag 'sh-fast'; valid: flag-1, flag-2, "
        "flag-3, sh-fallback, sh-port, mh-fallback, mh-port");
}

TEST_CASE("bad persistence and events are reported at their key", "[scenario_reader][events]") {
  struct Row {
    const char* service_keys;  // after `scheduler: rr`
    const char* events;        // appended
    const char* message;
  };
  const Row row = GENERATE(
      Row{"    netmask: 255.255.0.255\n", "", 
          "scenarios/t.yaml:21:14: services[0].netmask: netmask 255.255.0.255 is not a run of leading ones (e.g. 255.255.255.0)"},
      Row{"    netmask: 255.255.255.0\n", "", 
          "scenarios/t.yaml:21:14: services[0].netmask: netmask only matters with persistence; set `persistent` (ipvsadm -p) too"},
      Row{"    persistent: 0s\n", "", 
          "scenarios/t.yaml:21:17: services[0].persistent: expected a duration > 0, got '0s'"},
      Row{"", "events:\n  - {at: 1s, edit: s2, weight: 0}\n", 
          "scenarios/t.yaml:29:20: events[0].edit: service tcp/10.0.0.100:80 has no destination on server 's2' (declare it under the service's destinations, with `initially: absent` if it joins later)"},
      Row{"", "events:\n  - {at: 1s, service: web, edit: s1, weight: 0}\n", 
          "scenarios/t.yaml:29:23: events[0].service: no service called 'web'; the services are: tcp/10.0.0.100:80"},
      Row{"", "events:\n  - {at: 1s, edit: s1}\n", 
          "scenarios/t.yaml:29:5: events[0]: an edit needs 'weight', 'u_threshold' or 'l_threshold'"},
      Row{"", "events:\n  - {at: 1s, edit: s1, weight: 1, remove: s1}\n", 
          "scenarios/t.yaml:29:5: events[0]: expected exactly one of 'edit', 'remove', 'add' (each with a server), 'scheduler', 'crash', 'recover', 'stop', 'start' (each with a host), 'link-down' or 'link-up' (with a link or HOST/IFACE)"},
      Row{"", "events:\n  - {at: 1s, add: s1}\n", 
          "scenarios/t.yaml:29:5: events[0]: destination s1 of service tcp/10.0.0.100:80 is already in the service at 1s"},
      Row{"", "events:\n  - {at: 2s, remove: s1}\n  - {at: 1s, add: s1}\n", 
          "scenarios/t.yaml:30:10: events[1].at: events must be in time order; 1s is before the previous event's 2s"},
      Row{"", "events:\n  - {at: 2s, remove: s1}\n  - {at: 3s, edit: s1, weight: 2}\n", 
          "scenarios/t.yaml:30:5: events[1]: destination s1 of service tcp/10.0.0.100:80 is not in the service at 3s"},
      Row{"", "events:\n  - {at: 1s, remove: s1, weight: 2}\n", 
          "scenarios/t.yaml:29:26: events[0].weight: unknown key 'weight', expected one of [at, service, remove, port]"},
      Row{"", "events:\n  - {at: 1s, edit: s1, u_threshold: 2, l_threshold: 3}\n", 
          "scenarios/t.yaml:29:5: events[0]: l_threshold 3 is above u_threshold 2 (ipvsadm refuses it: ERANGE)"},
      Row{"", "events:\n  - {at: 1s, scheduler: fastest}\n", 
          "scenarios/t.yaml:29:25: events[0].scheduler: scheduler 'fastest' is not available; registered: "});
  CAPTURE(row.service_keys, row.events);
  const std::string error = error_of([&] {
    read(minimal_with("    scheduler: rr\n", std::string("    scheduler: rr\n") + row.service_keys) + row.events);
  });
  CHECK(error.substr(0, std::string(row.message).size()) == row.message);  // the last row ends with the registry
}

TEST_CASE("TCP sysctls reach the host's TCP settings", "[scenario_reader]") {
  const ScenarioSpec spec = read(minimal_with(
      "      kind: client\n", "      kind: client\n      sysctl: {tcp_timestamps: 0, tcp_sack: 0, tcp_window_scaling: 0}\n"));
  CHECK(spec.topology.hosts[0].sysctl.tcp_timestamps == 0);
  CHECK(spec.topology.hosts[0].sysctl.tcp_sack == 0);
  CHECK(spec.topology.hosts[0].sysctl.tcp_window_scaling == 0);
  CHECK_FALSE(spec.topology.hosts[2].sysctl.tcp_timestamps.has_value());  // Linux's default (1) applies
}

TEST_CASE("ip_local_port_range as Linux writes it or as a pair, the port sysctls reach the spec", "[scenario_reader]") {
  const auto range_of = [](const std::string& value) {
    const ScenarioSpec spec =
        read(minimal_with("      kind: client\n", "      kind: client\n      sysctl: {ip_local_port_range: " + value +
                                                      ", tcp_tw_reuse: 1, tcp_fin_timeout: 30}\n"));
    CHECK(spec.topology.hosts[0].sysctl.tcp_tw_reuse == 1);
    CHECK(spec.topology.hosts[0].sysctl.tcp_fin_timeout == 30);
    return spec.topology.hosts[0].sysctl.ip_local_port_range;
  };
  CHECK(range_of("\"40000 40999\"") == std::pair{40000, 40999});
  CHECK(range_of("[40000, 40999]") == std::pair{40000, 40999});
  CHECK(range_of("\"1024\t65535\"") == std::pair{1024, 65535});  // /proc/sys prints a tab
}

TEST_CASE("an IPVS sysctl on a host that is not a director is an error", "[scenario_reader][events]") {
  CHECK(error_of([&] {
          read(minimal_with("      kind: client\n", "      kind: client\n      sysctl: {expire_quiescent_template: true}\n"));
        }) == "scenarios/t.yaml:7:43: topology.hosts[0].sysctl.expire_quiescent_template: an IPVS sysctl "
              "(net.ipv4.vs.*) is for directors only; c1 is not of kind director");
}

// --- FULLNAT: flavour and Alibaba's local port sysctls ---

TEST_CASE("a service's FULLNAT flavour and the director's fullnat_lport sysctls are read", "[scenario_reader][fullnat]") {
  CHECK(read(kMinimal).services[0].flavour == FullNatFlavour::Alibaba);  // the default
  CHECK(read(kMinimal, {"services[0].flavour=dpvs"}).services[0].flavour == FullNatFlavour::Dpvs);
  const ScenarioSpec spec = read(minimal_with(
      "      kind: director\n",
      "      kind: director\n      sysctl: {fullnat_lport_min: 1025, fullnat_lport_max: 30000, fullnat_lport_tries: 60000}\n"));
  const SysctlSpec& s = spec.topology.hosts[1].sysctl;
  CHECK(s.fullnat_lport_min == 1025);
  CHECK(s.fullnat_lport_max == 30000);
  CHECK(s.fullnat_lport_tries == 60000);
  CHECK_FALSE(read(kMinimal).topology.hosts[1].sysctl.fullnat_lport_min.has_value());  // 5000 applies
}

