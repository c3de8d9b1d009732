// VRRP takeover as the LAN sees it: gratuitous ARPs (count, times) and the router's ARP
// entry for the VIP; split brain when adverts cannot cross; the TTL 255 rule; sync groups;
// track_script weights and FAULT.

#include <catch2/catch.hpp>

#include <algorithm>

#include "vrrp_fixture.hpp"

using namespace lvs;
using namespace lvs::control;
using namespace lvs::test;

namespace {

Time us(std::int64_t v) { return Time::us(v); }

// The router sends one UDP datagram to the VIP: it resolves it by ARP (its entry is created).
void router_sends_to_vip(Host& router) {
  const PacketId p = router.network().new_packet();
  Packet& pkt = router.network().packets()[p];
  pkt.ip.dst = kVip.address();
  pkt.ip.proto = IpProto::Udp;
  pkt.sport = 40000;
  pkt.dport = 9;
  router.ip_send(p);
}

struct ArpChange {
  Time at;
  MacAddress mac;
  std::string cause;
};

}  // namespace

TEST_CASE("vrrp: the new master sends 5 GARPs at takeover and 5 more 5 s later, and the router follows the first",
          "[control][vrrp][arp]") {
  VrrpLan lan(2);
  lan.add(0, vi_1(255, 2, Time::s(1), true));
  lan.add(1, vi_1(100));
  std::vector<ArpChange> changes;
  lan.router.neighbours().set_listener([&](const NeighbourChange& c) {
    if (c.ip == kVip.address()) changes.push_back(ArpChange{c.t, c.mac, std::string(c.cause)});
  });
  lan.daemon(0).start();
  lan.daemon(1).start();
  lan.at(Time::ms(500), [&] { router_sends_to_vip(lan.router); });
  lan.at(Time::ms(10'250), [&] { lan.daemon(0).stop(); });
  lan.sim.run_until(Time::s(30));

  const Interface& r0 = *lan.router.interface("eth0");
  const auto learnt = std::find_if(changes.begin(), changes.end(), [](const ArpChange& c) { return !c.mac.is_zero(); });
  REQUIRE(learnt != changes.end());
  CHECK(learnt->mac == MacAddress::local(1));  // from lvs1's reply to the router's request at 0.5 s
  CHECK(learnt->cause == "ARP reply");
  const Time takeover = entered(lan.log, "VI_1@lvs2", "BACKUP->MASTER");
  REQUIRE(takeover < Time::s(30));
  CHECK(lan.watch.garps("lvs1", Time::zero(), Time::ns(1)) == 5);   // the owner's own takeover at 0
  CHECK(lan.watch.garps("lvs1", Time::s(5), Time::s(5) + Time::ns(1)) == 5);
  CHECK(lan.watch.garps("lvs2", takeover, takeover + Time::ns(1)) == 5);  // garp_master_repeat, back to back
  CHECK(lan.watch.garps("lvs2", takeover + Time::s(5), takeover + Time::s(5) + Time::ns(1)) == 5);  // garp_master_delay
  CHECK(lan.watch.garps("lvs2", Time::zero(), Time::s(30)) == 10);  // garp_master_refresh 0: no more
  // The advert leaves before the GARPs (vrrp_state_master_tx).
  CHECK(lan.watch.sent("lvs2", takeover, takeover + Time::ns(1)) == 1);

  // The router's entry existed (arp_accept=0 updates only existing ones) and the first GARP
  // moves it at once: a GARP bypasses locktime.
  Time first_garp_at_router = Time::max();
  for (const Seen& g : lan.watch.garps_received)
    if (g.node == "router" && g.at >= takeover) {
      first_garp_at_router = g.at;
      break;
    }
  REQUIRE(first_garp_at_router < takeover + Time::ms(1));
  const auto moved = std::find_if(changes.begin(), changes.end(), [&](const ArpChange& c) { return c.at >= takeover; });
  REQUIRE(moved != changes.end());
  CHECK(moved->at == first_garp_at_router);
  CHECK(moved->mac == MacAddress::local(2));
  CHECK(moved->cause == "gratuitous ARP");
  CHECK(lan.router.arp_lookup(r0, kVip.address()) == MacAddress::local(2));
  // keepalived's log lines
  bool logged = false;
  for (const LogRecord& r : lan.log.records())
    logged |= r.at == takeover && r.component == "VI_1@lvs2" && r.event == "garp" &&
              r.line == "VRRP_Instance(VI_1) Sending/queueing gratuitous ARPs on eth0 for 10.0.0.100";
  CHECK(logged);
}

TEST_CASE("vrrp: garp_master_refresh repeats a GARP at the first advert after each refresh interval",
          "[control][vrrp][arp]") {
  VrrpLan lan(1);
  VrrpConfig cfg = vi_1(255, 2, Time::s(1), true);
  cfg.garp_master_refresh = Time::s(10);
  cfg.garp_master_delay = Time::zero();
  VrrpInstance& a = lan.add(0, cfg);
  lan.daemon(0).start();
  lan.sim.run_until(Time::ms(35'500));
  // 5 at 0 s; then 1 at the first advert strictly after each deadline (timercmp >): 11 s
  // (deadline 10 s), 22 s (deadline 21 s), 33 s
  CHECK(lan.watch.garps("lvs1", Time::zero(), Time::ns(1)) == 5);
  CHECK(lan.watch.garps("lvs1", Time::s(11), Time::s(11) + Time::ns(1)) == 1);
  CHECK(lan.watch.garps("lvs1", Time::s(22), Time::s(22) + Time::ns(1)) == 1);
  CHECK(lan.watch.garps("lvs1", Time::s(33), Time::s(33) + Time::ns(1)) == 1);
  CHECK(a.garps_sent() == 8);
}

TEST_CASE("vrrp: split brain when adverts cannot cross a router, both MASTER with the VIP", "[control][vrrp]") {
  // lvs1 - lan1 - [router] - lan2 - lvs2: 224.0.0.18 is link-local, never forwarded.
  Simulation sim(1);
  Network net(sim);
  EventLog log;
  VrrpWatch watch;
  net.set_observer(&watch);
  Segment& lan1 = net.add_segment("lan1", kLan);
  Segment& lan2 = net.add_segment("lan2", kLan);
  Director& lvs1 = net.add_node<Director>("lvs1");
  Director& lvs2 = net.add_node<Director>("lvs2");
  Host& router = net.add_node<Host>("router");
  router.sysctl().ip_forward = true;
  lan1.attach(lvs1.add_ethernet("eth0", MacAddress::local(1), *Ipv4Prefix::parse("10.0.0.1/24")));
  lan2.attach(lvs2.add_ethernet("eth0", MacAddress::local(2), *Ipv4Prefix::parse("10.0.1.2/24")));
  lan1.attach(router.add_ethernet("eth0", MacAddress::local(253), *Ipv4Prefix::parse("10.0.0.254/24")));
  lan2.attach(router.add_ethernet("eth1", MacAddress::local(254), *Ipv4Prefix::parse("10.0.1.254/24")));
  VrrpDaemon d1(lvs1, log);
  VrrpDaemon d2(lvs2, log);
  d1.add_instance(*lvs1.interface("eth0"), vi_1(255, 2, Time::s(1), true));
  d2.add_instance(*lvs2.interface("eth0"), vi_1(100));
  d1.start();
  d2.start();
  sim.run_until(Time::s(10));
  CHECK(d1.instances()[0]->state() == VrrpState::Master);
  CHECK(d2.instances()[0]->state() == VrrpState::Master);
  CHECK(entered(log, "VI_1@lvs2", "BACKUP->MASTER") == us(3'609'375));  // never heard lvs1
  CHECK(lvs1.interface("eth0")->has_address(kVip.address()));
  CHECK(lvs2.interface("eth0")->has_address(kVip.address()));
  CHECK(watch.garps("lvs1", Time::zero(), Time::s(10)) == 10);
  CHECK(watch.garps("lvs2", Time::zero(), Time::s(10)) == 10);
  CHECK(watch.last_received("lvs2", Time::s(10)).at == Time::max());  // no advert crossed
  CHECK(watch.last_received("lvs1", Time::s(10)).at == Time::max());
}

TEST_CASE("vrrp: an advert whose TTL is not 255 is dropped (RFC 3768 7.1)", "[control][vrrp]") {
  VrrpLan lan(1);
  lan.add(0, vi_1(100));
  lan.daemon(0).start();
  // The router forges priority-255 adverts for VRID 51 with TTL 254 every 0.5 s.
  for (int k = 0; k < 8; ++k)
    lan.at(Time::ms(500) * k, [&] {
      const PacketId p = lan.net.new_packet();
      Packet& pkt = lan.net.packets()[p];
      pkt.ip.dst = kVrrpGroup;
      pkt.ip.proto = IpProto::Vrrp;
      pkt.ip.ttl = 254;
      pkt.vrrp.vrid = 51;
      pkt.vrrp.priority = 255;
      lan.router.send_link_multicast(*lan.router.interface("eth0"), p);
    });
  lan.sim.run_until(Time::s(5));
  std::size_t forged = 0;
  for (const Seen& s : lan.watch.adverts_received) forged += s.node == "lvs1";
  CHECK(forged == 8);
  CHECK(entered(lan.log, "VI_1@lvs1", "BACKUP->MASTER") == us(3'609'375));
  CHECK(lan.net.drops() >= 8);
}

TEST_CASE("vrrp: a sync group moves its instances together", "[control][vrrp][sync]") {
  // Two instances per director (VRID 51, 52); lvs1's VI_1 tracks a script (weight -150) that
  // fails at 20 s. Alone, VI_1 there drops from 200 to 50 and lvs2's VI_1 (100) preempts, VI_2
  // stays. In a sync group the weight is ignored: the failure is a FAULT, the group follows
  // into FAULT (priority 0 adverts), and lvs2's two instances go MASTER together.
  const bool grouped = GENERATE(true, false);
  VrrpLan lan(2);
  bool healthy = true;
  std::vector<VrrpInstance*> vi(4);
  for (int d = 0; d < 2; ++d) {
    VrrpConfig one = vi_1(d == 0 ? 200 : 100);
    VrrpConfig two = one;
    two.name = "VI_2";
    two.vrid = 52;
    two.virtual_ipaddress = {*Ipv4Prefix::parse("10.0.0.101/24")};
    vi[d * 2] = &lan.add(d, one);
    vi[d * 2 + 1] = &lan.add(d, two);
    if (grouped) lan.daemon(d).add_sync_group("VG_1", {vi[d * 2], vi[d * 2 + 1]});
  }
  VrrpScript& chk = lan.daemon(0).add_script(VrrpScriptConfig{"chk", Time::s(1), 1, 1, -150}, [&] { return healthy; });
  vi[0]->track(chk, chk.config().weight);
  lan.daemon(0).start();
  lan.daemon(1).start();
  lan.at(Time::ms(19'500), [&] { healthy = false; });
  lan.sim.run_until(Time::s(40));
  CHECK(vi[0]->priority() == (grouped ? 200 : 50));
  CHECK(vi[0]->state() == (grouped ? VrrpState::Fault : VrrpState::Backup));
  CHECK(vi[2]->state() == VrrpState::Master);
  CHECK(vi[1]->state() == (grouped ? VrrpState::Fault : VrrpState::Master));
  CHECK(vi[3]->state() == (grouped ? VrrpState::Master : VrrpState::Backup));
  const Time vi1 = entered(lan.log, "VI_1@lvs2", "BACKUP->MASTER");
  const Time vi2 = entered(lan.log, "VI_2@lvs2", "BACKUP->MASTER", Time::s(10));
  if (grouped) {
    CHECK(vi2 == vi1);  // the same event: the second to run out takes both
    CHECK(entered(lan.log, "VI_2@lvs1", "MASTER->FAULT") == Time::s(20));
    const Seen zero = lan.watch.last_received("lvs2", Time::ms(20'500));
    CHECK(zero.priority == 0);
    CHECK(vi1 - zero.at == us(609'375));
    bool synced = false;
    for (const LogRecord& r : lan.log.records())
      synced |= r.at == vi1 && r.line == "VRRP_Group(VG_1) Syncing instances to MASTER state";
    CHECK(synced);
  } else {
    CHECK(vi2 == Time::max());
  }
}

TEST_CASE("vrrp: track_script weight moves the mastership after fall checks", "[control][vrrp][script]") {
  // lvs1 150, lvs2 100. The script runs every 2 s (2, 4, ...) with fall 2; it starts failing
  // at 19.5 s, so it is FAILED at the check of 22 s.
  const int weight = GENERATE(-60, 0);
  VrrpLan lan(2);
  bool healthy = true;
  VrrpInstance& a = lan.add(0, vi_1(150, 2, Time::s(1), true));
  VrrpInstance& b = lan.add(1, vi_1(100));
  VrrpScript& chk = lan.daemon(0).add_script(VrrpScriptConfig{"chk_ipvs", Time::s(2), 2, 2, weight}, [&] { return healthy; });
  a.track(chk, weight);
  lan.daemon(0).start();
  lan.daemon(1).start();
  lan.at(Time::ms(19'500), [&] { healthy = false; });
  lan.sim.run_until(Time::ms(29'500));
  CHECK(chk.checks() == 14);
  CHECK_FALSE(chk.ok());
  CHECK(b.state() == VrrpState::Master);
  const Time takeover = entered(lan.log, "VI_1@lvs2", "BACKUP->MASTER");
  if (weight < 0) {
    // lvs1 advertises 90 from 22.003906 s on; lvs2 ignores it, and takes over 3.609375 s after
    // the last advert of priority 150 (sent 21.003906 s).
    CHECK(a.priority() == 90);
    const Seen last150 = lan.watch.last_received("lvs2", Time::ms(21'500));
    CHECK(last150.priority == 150);
    CHECK(takeover - last150.at == us(3'609'375));
    CHECK(a.state() == VrrpState::Backup);
  } else {
    // weight 0: FAULT at 22 s; lvs1 resigns with priority 0 and lvs2 is master after its skew
    CHECK(entered(lan.log, "VI_1@lvs1", "MASTER->FAULT") == Time::s(22));
    const Seen zero = lan.watch.last_received("lvs2", Time::ms(22'500));
    CHECK(zero.priority == 0);
    CHECK(takeover - zero.at == us(609'375));
    CHECK(a.state() == VrrpState::Fault);
    CHECK_FALSE(lan.directors[0]->interface("eth0")->has_address(kVip.address()));
  }
}

TEST_CASE("vrrp: a rebooted director starts over as at start-up and preempts again", "[control][vrrp]") {
  VrrpLan lan(2);
  VrrpInstance& a = lan.add(0, vi_1(255, 2, Time::s(1), true));
  VrrpInstance& b = lan.add(1, vi_1(100));
  lan.daemon(0).start();
  lan.daemon(1).start();
  lan.at(Time::ms(10'250), [&] { lan.daemon(0).stop(); });
  lan.at(Time::s(20), [&] { lan.daemon(0).start(); });
  lan.sim.run_until(Time::s(25));
  CHECK(entered(lan.log, "VI_1@lvs1", "INIT->MASTER", Time::s(20)) == Time::s(20));  // the owner at once
  CHECK(a.state() == VrrpState::Master);
  CHECK(b.state() == VrrpState::Backup);
  const Time back = entered(lan.log, "VI_1@lvs2", "MASTER->BACKUP");
  CHECK(back > Time::s(20));
  CHECK(back - Time::s(20) < Time::us(20));  // at the owner's first advert
}
