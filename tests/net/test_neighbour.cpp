// The neighbour cache against Linux's rules (net/core/neighbour.c, net/ipv4/arp.c;
// docs/arp.md): who wins a cache entry when several hosts answer, what a gratuitous ARP and
// a request for the host itself may override, the locktime, and the NUD timers
// (REACHABLE -> STALE/DELAY -> PROBE by unicast -> FAILED). ARP frames are injected by hand
// where the timing must be exact to the nanosecond.

#include <catch2/catch.hpp>

#include "net_fixture.hpp"

using namespace lvs;
using namespace lvs::literals;
using namespace lvs::test;

namespace {

constexpr TxParams kGigabit{1'000'000'000, 5_us, 1'000'000};
const Ipv4Address kVip = ip("10.0.0.100");

// A router, a director holding the VIP, two real servers with the VIP on lo (arp_ignore=1,
// as DR wants them) and a peer host on one LAN; the router's entry for the VIP is what the
// tests watch.
struct Lan {
  Simulation sim{1};
  Network net{sim};
  Recorder rec;
  Segment& seg = net.add_segment("lan", kGigabit);
  ProbeHost& router = host("router", 1, "10.0.0.1/24");
  ProbeHost& director = host("director", 5, "10.0.0.5/24");
  ProbeHost& rs1 = host("rs1", 11, "10.0.0.11/24");
  ProbeHost& rs2 = host("rs2", 12, "10.0.0.12/24");
  ProbeHost& peer = host("peer", 20, "10.0.0.20/24");
  std::vector<NeighbourChange> changes;  // the router's

  Lan() {
    net.set_observer(&rec);
    director.interface("eth0")->add_address(prefix("10.0.0.100/24"));
    for (ProbeHost* rs : {&rs1, &rs2}) {
      rs->add_loopback_address(kVip);
      rs->sysctl().arp_ignore = 1;
    }
    router.neighbours().set_listener([this](const NeighbourChange& c) { changes.push_back(c); });
  }
  ProbeHost& host(const char* name, int n, const char* addr) {
    ProbeHost& h = net.add_node<ProbeHost>(name);
    seg.attach(h.add_ethernet("eth0", MacAddress::local(static_cast<std::uint64_t>(n)), prefix(addr)));
    return h;
  }
  Interface& eth0(Host& h) { return *h.interface("eth0"); }
  std::optional<MacAddress> vip_mac() { return router.arp_lookup(eth0(router), kVip); }
  std::optional<NudState> vip_state() { return router.neighbours().state(eth0(router), kVip); }
  /// An ARP frame from `from`, as it would arrive: `dst` broadcast or unicast.
  void arp_from(Host& from, ArpOp op, Ipv4Address sender, Ipv4Address target, MacAddress dst, MacAddress target_mac = {}) {
    const PacketId p = net.new_packet();
    Packet& a = net.packets()[p];
    a.ethertype = EtherType::Arp;
    a.eth_src = eth0(from).mac();
    a.eth_dst = dst;
    a.arp = ArpBody{op, eth0(from).mac(), sender, target_mac, target};
    net.transmit(eth0(from), p);
  }
  /// Sends a datagram from the router to the VIP now.
  void to_vip() { send_udp(router, kVip, 10); }
};

}  // namespace

TEST_CASE("back-to-back replies: the first one wins, the others are ignored within locktime", "[net][arp][neighbour]") {
  Lan t;
  t.rs1.sysctl().arp_ignore = 0;  // the DR mistake: both real servers answer for the VIP on lo
  t.rs2.sysctl().arp_ignore = 0;
  t.to_vip();
  t.sim.run_until(10_ms);
  // Everyone answers at once (the tests' hosts answer without delay): the director's reply
  // reaches the router first (it is first on the switch), rs1's and rs2's follow within
  // microseconds, inside the 1 s locktime, and are ignored.
  CHECK(t.vip_mac() == MacAddress::local(5));
  CHECK(t.vip_state() == NudState::Reachable);
  std::size_t replies = 0;
  for (const auto& [at, where] : t.rec.transmits) replies += where != "router/eth0";
  CHECK(replies == 3);
  REQUIRE(t.changes.size() == 2);  // NONE -> INCOMPLETE, INCOMPLETE -> REACHABLE: and no more
  CHECK(t.changes[1].to == NudState::Reachable);
  CHECK(t.changes[1].mac == MacAddress::local(5));
  CHECK(t.director.arrivals.size() == 1);  // the queued datagram went to the first answer

  // A different answer after the locktime does replace it (a reply to the router: REACHABLE).
  t.sim.run_until(t.changes[1].t + 1_s + 1_us);
  t.arp_from(t.rs2, ArpOp::Reply, kVip, ip("10.0.0.1"), MacAddress::local(1), MacAddress::local(1));
  t.sim.run_until(t.sim.now() + 1_ms);
  CHECK(t.vip_mac() == MacAddress::local(12));
  CHECK(t.vip_state() == NudState::Reachable);
}

TEST_CASE("a gratuitous ARP overrides an entry within locktime, a plain reply does not", "[net][arp][neighbour]") {
  Lan t;
  t.to_vip();
  t.sim.run_until(1_ms);
  REQUIRE(t.vip_mac() == MacAddress::local(5));
  // About a millisecond later, well inside the locktime: a reply from rs1 claiming the VIP
  // is ignored...
  t.arp_from(t.rs1, ArpOp::Reply, kVip, ip("10.0.0.1"), MacAddress::local(1), MacAddress::local(1));
  t.sim.run_until(t.sim.now() + 100_us);
  CHECK(t.vip_mac() == MacAddress::local(5));
  // ...a gratuitous ARP (sender = target = the VIP, broadcast) is not: is_garp bypasses it.
  t.rs1.send_gratuitous_arp(t.eth0(t.rs1), kVip);
  t.sim.run_until(t.sim.now() + 100_us);
  CHECK(t.vip_mac() == MacAddress::local(11));
  CHECK(t.vip_state() == NudState::Stale);  // a request asserts no reachability
  CHECK(t.changes.back().cause == "gratuitous ARP");
}

TEST_CASE("a VIP-sourced request moves the target's entry at once, and other hosts' only after locktime",
          "[net][arp][neighbour]") {
  // rs1 (arp_announce=0) resolves its gateway, the router, with the VIP as sender address.
  // The router is the request's target: neigh_event_ns overrides its VIP entry at once, a
  // millisecond after it was learned. The peer, which also caches the VIP (from the
  // director) and merely hears the broadcast, applies the locktime: unchanged inside 1 s,
  // replaced after.
  Lan t;
  t.to_vip();
  send_udp(t.peer, kVip, 10);
  t.sim.run_until(1_ms);
  REQUIRE(t.vip_mac() == MacAddress::local(5));
  const Time learned = t.changes.back().t;
  t.arp_from(t.rs1, ArpOp::Request, kVip, ip("10.0.0.1"), MacAddress::broadcast());
  t.sim.run_until(t.sim.now() + 100_us);
  CHECK(t.vip_mac() == MacAddress::local(11));
  CHECK(t.vip_state() == NudState::Stale);
  CHECK(t.changes.back().cause == "ARP request for this host");
  REQUIRE(t.peer.arp_lookup(t.eth0(t.peer), kVip).has_value());
  CHECK(t.peer.arp_lookup(t.eth0(t.peer), kVip) == MacAddress::local(5));  // within locktime: kept

  t.sim.run_until(learned + 1500_ms);
  t.arp_from(t.rs1, ArpOp::Request, kVip, ip("10.0.0.1"), MacAddress::broadcast());
  t.sim.run_until(learned + 1600_ms);
  CHECK(t.peer.arp_lookup(t.eth0(t.peer), kVip) == MacAddress::local(11));  // after locktime: replaced
}

TEST_CASE("received ARP creates no entry unless it is a request for the host (arp_accept=0)", "[net][arp][neighbour]") {
  Lan t;
  t.arp_from(t.rs1, ArpOp::Reply, kVip, ip("10.0.0.1"), MacAddress::local(1), MacAddress::local(1));
  t.rs2.send_gratuitous_arp(t.eth0(t.rs2), ip("10.0.0.12"));
  t.sim.run_until(1_ms);
  CHECK_FALSE(t.vip_state().has_value());
  CHECK_FALSE(t.router.neighbours().state(t.eth0(t.router), ip("10.0.0.12")).has_value());
  // arp_accept=1: a gratuitous ARP creates the entry.
  t.router.neighbours().params().arp_accept = 1;
  t.rs2.send_gratuitous_arp(t.eth0(t.rs2), ip("10.0.0.12"));
  t.sim.run_until(2_ms);
  CHECK(t.router.neighbours().state(t.eth0(t.router), ip("10.0.0.12")) == NudState::Stale);
}

TEST_CASE("an unused REACHABLE entry goes STALE, used again it goes DELAY, then PROBE by unicast to the cached MAC",
          "[net][arp][neighbour]") {
  Lan t;
  t.to_vip();
  t.sim.run_until(1_ms);
  REQUIRE(t.vip_state() == NudState::Reachable);
  const Time reachable = t.router.neighbours().reachable_time();
  CHECK(reachable >= 15_s);
  CHECK(reachable < 45_s);
  const Time confirmed = t.changes.back().t;
  // Unused, it lapses to STALE once reachable_time has passed since the confirmation.
  t.sim.run_until(confirmed + reachable - 1_ms);
  CHECK(t.vip_state() == NudState::Reachable);
  t.sim.run_until(confirmed + reachable + 20_ms);
  CHECK(t.vip_state() == NudState::Stale);
  CHECK(t.vip_mac() == MacAddress::local(5));  // still used as is

  // Used at 100 s: DELAY, the datagram goes to the cached MAC; 5 s unconfirmed (the router's
  // own UDP proves nothing): PROBE, a unicast request to 02:..:05, answered: REACHABLE.
  t.sim.run_until(100_s);
  t.rec.transmits.clear();
  t.to_vip();
  t.sim.run_until(100_s + 1_ms);
  CHECK(t.vip_state() == NudState::Delay);
  CHECK(t.director.arrivals.size() == 2);
  t.sim.run_until(105_s + 1_ms);
  CHECK(t.vip_state() == NudState::Reachable);
  std::vector<std::string> kinds;
  for (const NeighbourChange& c : t.changes)
    if (c.t >= 100_s) kinds.emplace_back(nud_state_name(c.to));
  CHECK(kinds == std::vector<std::string>{"DELAY", "PROBE", "REACHABLE"});
  // The probe was unicast: only the director's port carried it down.
  CHECK(t.rec.actions.back() == "director: ARP reply: 10.0.0.100 is at 02:00:00:00:00:05");
  bool unicast_probe = false;
  for (const std::string& a : t.rec.actions) unicast_probe = unicast_probe || a == "router: ARP probe (unicast): who has 10.0.0.100?";
  CHECK(unicast_probe);
}

TEST_CASE("a PROBE entry nobody answers goes FAILED after three unicast probes, the next packet broadcasts again",
          "[net][arp][neighbour]") {
  // The classic half-fix: rs1 with arp_ignore=1 but arp_announce=0 puts the VIP in the
  // router's cache with its request for the gateway; the router's unicast probes to rs1 go
  // unanswered (arp_ignore=1: the VIP is on lo), so the entry fails, and the broadcast that
  // follows finds the director again.
  Lan t;
  t.rs1.sysctl().arp_announce = 0;
  t.arp_from(t.rs1, ArpOp::Request, kVip, ip("10.0.0.1"), MacAddress::broadcast());
  t.sim.run_until(1_ms);
  REQUIRE(t.vip_mac() == MacAddress::local(11));
  REQUIRE(t.vip_state() == NudState::Stale);
  t.sim.run_until(1_s);
  t.to_vip();  // STALE, used: DELAY; the datagram goes to rs1
  t.sim.run_until(6_s);  // 5 s later: PROBE, unicast probes at 6, 7, 8 s
  CHECK(t.vip_state() == NudState::Probe);
  t.sim.run_until(9_s + 1_ms);
  CHECK(t.vip_state() == NudState::Failed);
  CHECK_FALSE(t.vip_mac().has_value());
  t.to_vip();
  t.sim.run_until(9_s + 2_ms);
  CHECK(t.vip_mac() == MacAddress::local(5));
  CHECK(t.rs1.arrivals.size() == 1);
  CHECK(t.director.arrivals.size() == 1);
  std::vector<std::string> kinds;
  for (const NeighbourChange& c : t.changes) kinds.emplace_back(nud_state_name(c.to));
  CHECK(kinds == std::vector<std::string>{"STALE", "DELAY", "PROBE", "FAILED", "INCOMPLETE", "REACHABLE"});
}

TEST_CASE("each host answers a broadcast request after its own random delay: who answers first is a race",
          "[net][arp][neighbour]") {
  std::map<std::string, int> first;
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    Simulation sim{seed};
    Network net{sim};
    Segment& seg = net.add_segment("lan", kGigabit);
    std::vector<Host*> hosts;
    for (int n = 1; n <= 4; ++n) {
      Host& h = net.add_node<Host>("h" + std::to_string(n));
      seg.attach(h.add_ethernet("eth0", MacAddress::local(static_cast<std::uint64_t>(n)),
                                prefix(("10.0.0." + std::to_string(n) + "/24").c_str())));
      hosts.push_back(&h);
    }
    for (int n = 2; n <= 4; ++n) hosts[n - 1]->interface("eth0")->add_address(prefix("10.0.0.100/24"));
    Host& asker = *hosts[0];
    CHECK(asker.neighbours().params().reply_delay_max == 50_us);
    send_udp(asker, kVip, 10);
    sim.run_until(1_ms);
    const auto mac = asker.arp_lookup(*asker.interface("eth0"), kVip);
    REQUIRE(mac.has_value());
    ++first["h" + std::to_string(mac->octet(5))];
  }
  // Three equal hosts: each wins about a third of 60 races (binomial, p = 1/3: 20 +- 3.7).
  CHECK(first.size() == 3);
  for (const auto& [name, wins] : first) CHECK(wins >= 8);
}
