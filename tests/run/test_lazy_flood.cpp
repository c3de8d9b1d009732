// Lazy flooding on a switched segment (docs/arp.md, "Broadcasts on a large segment") gives
// exactly what per-port flooding gives: a DR cluster of 20 real servers run once with lazy
// flooding and once with every copy its own event (Segment::set_lazy_broadcast(false)),
// compared at several instants on every port's queues, every interface's and host's
// counters, every neighbour cache, the hop and event counts and the fingerprint. The run
// holds ARP expiry (70 s, beyond any reachable time), a server crash and recovery (its
// entries fail, the director broadcasts unanswered requests, the host has no carrier), a
// cable pulled and put back, and a LAN slow and shallow enough for its down queues to drop.

#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "net/host.hpp"
#include "run/builder.hpp"
#include "scenario/scenario_spec.hpp"

using namespace lvs;

namespace {

std::string cluster_yaml() {
  std::string y =
      "name: lazy-flood\nduration: 71s\ntopology:\n  segments:\n"
      "    - {name: internet, rate: 10Gbps, delay: 1ms, queue: 4MiB}\n"
      "    - {name: lan, rate: 100Mbps, delay: 5us, queue: 12KB}\n"
      "  hosts:\n"
      "    - name: router\n      kind: router\n      interfaces:\n"
      "        - {name: eth0, segment: internet, address: 10.0.0.1/16}\n"
      "        - {name: eth1, segment: lan, address: 192.168.1.1/24}\n"
      "    - name: director\n      kind: director\n      gateway: 192.168.1.1\n      interfaces:\n"
      "        - {name: eth0, segment: lan, address: 192.168.1.10/24, secondary: [192.168.1.100/24]}\n"
      "    - name: client1\n      kind: client\n      gateway: 10.0.0.1\n      interfaces:\n"
      "        - {name: eth0, segment: internet, address: 10.0.1.1/16, sources: 50}\n";
  for (int r = 1; r <= 20; ++r)
    y += "    - name: rs" + std::to_string(r) +
         "\n      kind: server\n      gateway: 192.168.1.1\n      loopback: [192.168.1.100]\n"
         "      sysctl: {arp_ignore: 1, arp_announce: 2}\n      interfaces:\n"
         "        - {name: eth0, segment: lan, address: 192.168.1." + std::to_string(r + 10) + "/24}\n";
  y += "services:\n  - director: director\n    vip: 192.168.1.100\n    scheduler: rr\n    destinations:\n";
  for (int r = 1; r <= 20; ++r) y += "      - {server: rs" + std::to_string(r) + ", method: dr}\n";
  y += "servers:\n  - hosts: [rs1";
  for (int r = 2; r <= 20; ++r) y += ", rs" + std::to_string(r);
  y += "]\n    workers: 16\n    service_time: {distribution: exponential, mean: 4ms}\n    response_size: 16KB\n"
       "workload:\n  clients:\n    - host: client1\n      target: 192.168.1.100\n      arrivals: {rate: 200}\n"
       "      timeout: 2s\n"
       "timeline:\n  - {at: 20s, crash: rs3}\n  - {at: 25s, link-down: rs5/eth0}\n"
       "  - {at: 31s, recover: rs3}\n  - {at: 36s, link-up: rs5/eth0}\n";
  return y;
}

void dump_queue(std::ostringstream& o, const TxQueue& q) {
  const TxStats& s = q.stats();
  o << ' ' << s.packets << '/' << s.bytes << '/' << s.drops << '/' << s.busy.count() << '@' << q.busy_until().count();
}

// Everything the two ways of flooding must agree on, as text (a difference shows where).
std::string state_of(const run::Model& m) {
  std::ostringstream o;
  const Time now = m.sim.now();
  o << "t " << now.count() << " hops " << m.net.hops() << " events " << m.sim.events_executed() << " drops "
    << m.net.drops() << " fp " << m.sim.fingerprint().hex() << '\n';
  for (const auto& c : m.net.channels())
    if (const auto* seg = dynamic_cast<const Segment*>(c.get()))
      for (int port = 0; port < static_cast<int>(seg->ports()); ++port) {
        o << seg->name() << ':' << port;
        dump_queue(o, seg->uplink(port));
        dump_queue(o, seg->downlink(port));
        o << " util " << seg->downlink(port).utilization(now) << " backlog " << seg->downlink(port).backlog_bytes(now)
          << '\n';
      }
  std::vector<std::pair<const Interface*, Ipv4Address>> addresses;
  for (const auto& n : m.net.nodes())
    for (const auto& i : n->interfaces())
      for (const Ipv4Prefix& a : i->addresses()) addresses.emplace_back(i.get(), a.address());
  for (const auto& n : m.net.nodes()) {
    for (const auto& i : n->interfaces()) {
      const InterfaceStats& s = i->stats();
      o << n->name() << '/' << i->name() << ' ' << s.packets_in << '/' << s.bytes_in << '/' << s.packets_out << '/'
        << s.bytes_out << '\n';
    }
    const auto* h = dynamic_cast<const Host*>(n.get());
    if (h == nullptr) continue;
    const HostCounters& c = h->host_counters();
    o << n->name() << " arp " << c.arp_requests_sent << '/' << c.arp_requests_received << '/' << c.arp_replies_sent
      << '/' << c.arp_replies_received << " rst " << c.rst_sent << '/' << c.rst_received << '\n';
    for (const auto& i : n->interfaces())
      for (const auto& [owner, ip] : addresses) {
        const auto st = h->neighbours().state(*i, ip);
        if (!st) continue;
        const auto mac = h->arp_lookup(*i, ip);
        o << "  " << i->name() << ' ' << ip.str() << ' ' << nud_state_name(*st) << ' ' << (mac ? mac->str() : "-")
          << '\n';
      }
  }
  return o.str();
}

std::uint64_t lazy_deliveries(const run::Model& m) {
  std::uint64_t n = 0;
  for (const auto& c : m.net.channels())
    if (const auto* seg = dynamic_cast<const Segment*>(c.get())) n += seg->lazy_deliveries();
  return n;
}

void set_lazy(run::Model& m, bool on) {
  for (const auto& c : m.net.channels())
    if (auto* seg = dynamic_cast<Segment*>(c.get())) seg->set_lazy_broadcast(on);
}

std::uint64_t down_drops(const run::Model& m) {
  std::uint64_t n = 0;
  for (const auto& c : m.net.channels())
    if (const auto* seg = dynamic_cast<const Segment*>(c.get()); seg != nullptr && seg->name() == "lan")
      for (int port = 0; port < static_cast<int>(seg->ports()); ++port) n += seg->downlink(port).stats().drops;
  return n;
}

}  // namespace

TEST_CASE("lazy flooding leaves every counter, queue, cache, hop count and fingerprint as per-port flooding does",
          "[segment][arp]") {
  const auto spec = scenario::read_scenario_text(cluster_yaml(), "lazy-flood.yaml");
  auto lazy = run::build_model(spec, 7);
  auto each = run::build_model(spec, 7);
  set_lazy(*each, false);
  for (const Time t : {Time::ms(1), Time::ms(30), Time::s(1), Time::s(21), Time::s(26), Time::s(32), Time::s(40),
                       Time::s(70)}) {
    lazy->sim.run_until(t);
    each->sim.run_until(t);
    INFO("at " << to_string(t));
    REQUIRE(state_of(*lazy) == state_of(*each));
  }
  // The run exercised what it is meant to: copies delivered lazily, drops at the down queues,
  // ARP expiry (the director re-probes its entries: more requests than servers).
  CHECK(lazy_deliveries(*lazy) > 100);
  CHECK(lazy_deliveries(*each) == 0);
  CHECK(down_drops(*lazy) > 0);
  const auto* director = dynamic_cast<const Host*>(lazy->net.node("director"));
  REQUIRE(director != nullptr);
  CHECK(director->host_counters().arp_requests_sent > 40);
}
