#include <catch2/catch.hpp>

#include "net_fixture.hpp"

using namespace lvs;
using namespace lvs::literals;
using namespace lvs::test;

namespace {

constexpr TxParams kGigabit{1'000'000'000, 5_us, 1'000'000};

struct Lan {
  Simulation sim{1};
  Network net{sim};
  Recorder rec;
  Segment& seg = net.add_segment("lan", kGigabit);
  Lan() { net.set_observer(&rec); }
  ProbeHost& host(const char* name, int n, const char* addr) {
    ProbeHost& h = net.add_node<ProbeHost>(name);
    seg.attach(h.add_ethernet("eth0", MacAddress::local(static_cast<std::uint64_t>(n)), prefix(addr)));
    return h;
  }
};

// a 10.0.1.1 - [eth0 10.0.1.254] r [eth1 10.0.2.254] - b 10.0.2.1, point-to-point links.
struct Routed {
  Simulation sim{1};
  Network net{sim};
  Recorder rec;
  ProbeHost& a = net.add_node<ProbeHost>("a");
  ProbeHost& r = net.add_node<ProbeHost>("r");
  ProbeHost& b = net.add_node<ProbeHost>("b");
  explicit Routed(std::uint32_t r_eth1_mtu = 1500) {
    net.set_observer(&rec);
    Interface& a0 = a.add_ethernet("eth0", MacAddress::local(1), prefix("10.0.1.1/24"));
    Interface& r0 = r.add_ethernet("eth0", MacAddress::local(2), prefix("10.0.1.254/24"));
    Interface& r1 = r.add_ethernet("eth1", MacAddress::local(3), prefix("10.0.2.254/24"), r_eth1_mtu);
    Interface& b0 = b.add_ethernet("eth0", MacAddress::local(4), prefix("10.0.2.1/24"));
    net.connect("a-r", a0, r0, kGigabit);
    net.connect("r-b", r1, b0, kGigabit);
    a.set_default_gateway(ip("10.0.1.254"));
    b.set_default_gateway(ip("10.0.2.254"));
  }
};

}  // namespace

TEST_CASE("ARP resolves, then the frame crosses the switch, times exact", "[net][arp]") {
  Lan lan;
  ProbeHost& a = lan.host("a", 1, "10.0.0.1/24");
  ProbeHost& b = lan.host("b", 2, "10.0.0.2/24");
  send_udp(a, ip("10.0.0.2"), 100);
  lan.sim.run();
  // The segment's 5 us is host to host: 2.5 us per cable. The ARP request (84 wire bytes,
  // 672 ns at 1 Gb/s) up and down: 2 x (672 + 2500); the reply back the same; then the
  // datagram (166 wire bytes, 1328 ns) up and down: 2 x (1328 + 2500).
  REQUIRE(b.arrivals.size() == 1);
  CHECK(b.arrivals[0].t == Time::ns(4 * 3172 + 2 * 3828));
  CHECK(b.arrivals[0].pkt.ip.src == ip("10.0.0.1"));
  CHECK(b.arrivals[0].pkt.eth_src == MacAddress::local(1));
  CHECK(b.arrivals[0].pkt.eth_dst == MacAddress::local(2));
  CHECK(a.arp_lookup(*a.interface("eth0"), ip("10.0.0.2")) == MacAddress::local(2));
  CHECK(b.arp_lookup(*b.interface("eth0"), ip("10.0.0.1")) == MacAddress::local(1));  // learned from the request
  CHECK(lan.rec.actions == std::vector<std::string>{"a: ARP request: who has 10.0.0.2?",
                                                    "b: ARP reply: 10.0.0.2 is at 02:00:00:00:00:02"});
  CHECK(lan.net.hops() == 3);  // request, reply, datagram: one switch crossing each
  CHECK(lan.net.packets().live() == 0);
}

TEST_CASE("an unanswered ARP gives up after three requests, one second apart", "[net][arp]") {
  Lan lan;
  ProbeHost& a = lan.host("a", 1, "10.0.0.1/24");
  lan.host("b", 2, "10.0.0.2/24");
  send_udp(a, ip("10.0.0.77"), 10);
  lan.sim.run();
  CHECK(lan.rec.actions.size() == 3);
  CHECK(lan.rec.drops == std::vector<std::string>{"a: ARP: no reply from 10.0.0.77 (host unreachable)"});
  CHECK(lan.sim.now() >= 3_s);
}

TEST_CASE("a router forwards only with ip_forward, decrementing TTL", "[net][routing]") {
  Routed t;
  auto& [sim, net, rec, a, r, b] = t;

  send_udp(a, ip("10.0.2.1"), 10);
  sim.run();
  CHECK(b.arrivals.empty());
  CHECK(rec.drops == std::vector<std::string>{"r: not for this host and ip_forward is off"});

  r.sysctl().ip_forward = true;
  send_udp(a, ip("10.0.2.1"), 10);
  sim.run();
  REQUIRE(b.arrivals.size() == 1);
  CHECK(b.arrivals[0].pkt.ip.ttl == 63);
  CHECK(b.arrivals[0].pkt.eth_src == MacAddress::local(3));  // rewritten by the router
}

TEST_CASE("arp_ignore=0 answers ARP for a VIP on lo, arp_ignore=1 does not", "[net][arp][dr]") {
  for (int arp_ignore : {0, 1}) {
    Lan lan;
    ProbeHost& client = lan.host("client", 9, "10.0.0.9/24");
    ProbeHost& rs = lan.host("rs", 2, "10.0.0.2/24");
    rs.add_loopback_address(ip("10.0.0.100"));
    rs.sysctl().arp_ignore = arp_ignore;
    send_udp(client, ip("10.0.0.100"), 10);
    lan.sim.run();
    CAPTURE(arp_ignore);
    if (arp_ignore == 0) {
      REQUIRE(rs.arrivals.size() == 1);
      CHECK(rs.arrivals[0].in == "eth0");
      CHECK(client.arp_lookup(*client.interface("eth0"), ip("10.0.0.100")) == MacAddress::local(2));
    } else {
      CHECK(rs.arrivals.empty());
      CHECK(lan.rec.drops == std::vector<std::string>{"client: ARP: no reply from 10.0.0.100 (host unreachable)"});
    }
  }
}

TEST_CASE("arp_announce=0 lets a real server's VIP-sourced ARP request poison the gateway", "[net][arp][dr]") {
  for (int arp_announce : {0, 2}) {
    Lan lan;
    ProbeHost& gw = lan.host("gw", 1, "10.0.0.1/24");
    ProbeHost& director = lan.host("director", 5, "10.0.0.5/24");
    director.interface("eth0")->add_address(prefix("10.0.0.100/24"));  // the VIP
    ProbeHost& rs = lan.host("rs", 2, "10.0.0.2/24");
    rs.add_loopback_address(ip("10.0.0.100"));
    rs.sysctl().arp_ignore = 1;
    rs.sysctl().arp_announce = arp_announce;
    rs.set_default_gateway(ip("10.0.0.1"));
    send_udp(gw, ip("10.0.0.100"), 10);  // the gateway learns VIP -> director
    lan.sim.run();
    REQUIRE(gw.arp_lookup(*gw.interface("eth0"), ip("10.0.0.100")) == MacAddress::local(5));
    // The real server answers a client from the VIP, through the gateway.
    const PacketId p = lan.net.new_packet();
    lan.net.packets()[p].ip = Ipv4Header{ip("10.0.0.100"), ip("192.0.2.7"), IpProto::Udp};
    rs.ip_send(p);
    lan.sim.run();
    CAPTURE(arp_announce);
    const MacAddress expected = arp_announce == 0 ? MacAddress::local(2) : MacAddress::local(5);
    CHECK(gw.arp_lookup(*gw.interface("eth0"), ip("10.0.0.100")) == expected);
  }
}

TEST_CASE("gratuitous ARP moves an address to a new MAC in existing caches", "[net][arp][vrrp]") {
  Lan lan;
  ProbeHost& gw = lan.host("gw", 1, "10.0.0.1/24");
  ProbeHost& d1 = lan.host("d1", 5, "10.0.0.5/24");
  ProbeHost& d2 = lan.host("d2", 6, "10.0.0.6/24");
  d1.interface("eth0")->add_address(prefix("10.0.0.100/24"));
  send_udp(gw, ip("10.0.0.100"), 10);
  lan.sim.run();
  REQUIRE(gw.arp_lookup(*gw.interface("eth0"), ip("10.0.0.100")) == MacAddress::local(5));
  d2.send_gratuitous_arp(*d2.interface("eth0"), ip("10.0.0.100"));
  lan.sim.run();
  CHECK(gw.arp_lookup(*gw.interface("eth0"), ip("10.0.0.100")) == MacAddress::local(6));
  CHECK_FALSE(d1.arp_lookup(*d1.interface("eth0"), ip("10.0.0.100")).has_value());  // not created where absent
}

TEST_CASE("IPIP is decapsulated on tunl0, strict rp_filter drops it", "[net][tun]") {
  for (int rp_filter : {0, 1}) {
    Lan lan;
    ProbeHost& director = lan.host("director", 1, "10.0.0.1/24");
    ProbeHost& rs = lan.host("rs", 2, "10.0.0.2/24");
    rs.add_tunnel_address(ip("10.0.0.100"));
    rs.set_default_gateway(ip("10.0.0.1"));
    rs.sysctl().rp_filter = rp_filter;
    const PacketId p = lan.net.new_packet();
    Packet& pkt = lan.net.packets()[p];
    pkt.ip = Ipv4Header{ip("192.0.2.7"), ip("10.0.0.100"), IpProto::Udp};
    pkt.encapsulated = true;
    pkt.outer = Ipv4Header{ip("10.0.0.1"), ip("10.0.0.2"), IpProto::IpIp};
    director.ip_send(p);
    lan.sim.run();
    CAPTURE(rp_filter);
    if (rp_filter == 0) {
      REQUIRE(rs.arrivals.size() == 1);
      CHECK(rs.arrivals[0].in == "tunl0");
      CHECK_FALSE(rs.arrivals[0].pkt.encapsulated);
      CHECK(rs.arrivals[0].pkt.ip.dst == ip("10.0.0.100"));
    } else {
      CHECK(rs.arrivals.empty());
      CHECK(lan.rec.drops ==
            std::vector<std::string>{"rs: rp_filter: the route back to the source leaves by another interface than tunl0"});
    }
  }
}

TEST_CASE("a DF datagram over the next hop's MTU is dropped with ICMP fragmentation needed", "[net][mtu]") {
  Routed t(1400);
  auto& [sim, net, rec, a, r, b] = t;
  r.sysctl().ip_forward = true;
  send_udp(a, ip("10.0.2.1"), 1472);  // a 1500-byte datagram
  sim.run();
  CHECK(b.arrivals.empty());
  CHECK(rec.drops == std::vector<std::string>{"r: fragmentation needed and DF set: 1500 > MTU 1400 of eth1"});
  REQUIRE(a.arrivals.size() == 1);
  const Packet& icmp = a.arrivals[0].pkt;
  CHECK(icmp.ip.proto == IpProto::Icmp);
  CHECK(icmp.ip.src == ip("10.0.1.254"));
  CHECK(icmp.icmp.code == icmp_code::kFragNeeded);
  CHECK(icmp.icmp.next_hop_mtu == 1400);
  CHECK(icmp.icmp.quoted_ip.dst == ip("10.0.2.1"));
  CHECK(icmp.icmp.quoted_dport == 53);
}

TEST_CASE("drop counts: by node and reason, most first, ties by node then reason", "[net][drops]") {
  DropCounts d;
  for (int k = 0; k < 3; ++k) d.count("director", "not for this host and ip_forward is off");
  d.count("rs1", "martian source");
  d.count("client", "TCP segment for no connection (RST sent)");
  const std::string temporary = std::string("martian ") + "source";  // a reason built at run time
  d.count("rs1", temporary);
  const std::vector<DropCounts::Entry> e = d.sorted();
  REQUIRE(e.size() == 3);
  CHECK(e[0].node == "director");
  CHECK(e[0].count == 3);
  CHECK(e[1].node == "rs1");
  CHECK(e[1].reason == "martian source");
  CHECK(e[1].count == 2);
  CHECK(e[2].node == "client");
  CHECK(e[2].count == 1);
}

TEST_CASE("drop counts: the network counts every drop by its node and reason", "[net][drops]") {
  Routed r;
  r.r.sysctl().ip_forward = false;  // the router will not forward a's datagram
  send_udp(r.a, ip("10.0.2.1"), 100);
  r.sim.run();
  const std::vector<DropCounts::Entry> e = r.net.drop_counts().sorted();
  REQUIRE(e.size() == 1);
  CHECK(e[0].node == "r");
  CHECK(e[0].count == 1);
  CHECK(r.net.drops() == 1);
}

// One broadcast request reaches every host of the segment; only the owner of the address
// answers, and only a's NIC takes the reply (unicast to a's MAC).
TEST_CASE("host counters: one ARP request on a switch, every host receives it, the owner alone replies",
          "[net][arp][counters]") {
  Lan lan;
  ProbeHost& a = lan.host("a", 1, "10.0.0.1/24");
  ProbeHost& b = lan.host("b", 2, "10.0.0.2/24");
  ProbeHost& c = lan.host("c", 3, "10.0.0.3/24");
  send_udp(a, ip("10.0.0.2"), 100);
  lan.sim.run();
  REQUIRE(b.arrivals.size() == 1);
  CHECK(a.host_counters().arp_requests_sent == 1);
  CHECK(b.host_counters().arp_requests_received == 1);
  CHECK(c.host_counters().arp_requests_received == 1);
  CHECK(b.host_counters().arp_replies_sent == 1);
  CHECK(c.host_counters().arp_replies_sent == 0);
  CHECK(a.host_counters().arp_replies_received == 1);
  CHECK(c.host_counters().arp_replies_received == 0);
  CHECK(b.host_counters().arp_requests_sent + c.host_counters().arp_requests_sent == 0);
  CHECK(a.host_counters().arp_gratuitous_sent == 0);
}

TEST_CASE("host counters: a gratuitous ARP is a request on the wire, counted as both", "[net][arp][counters]") {
  Lan lan;
  ProbeHost& a = lan.host("a", 1, "10.0.0.1/24");
  ProbeHost& b = lan.host("b", 2, "10.0.0.2/24");
  a.send_gratuitous_arp(*a.interface("eth0"), ip("10.0.0.1"));
  lan.sim.run();
  CHECK(a.host_counters().arp_requests_sent == 1);
  CHECK(a.host_counters().arp_gratuitous_sent == 1);
  CHECK(b.host_counters().arp_requests_received == 1);
  CHECK(b.host_counters().arp_replies_sent == 0);  // it asks about a's own address: nothing to answer
}

// The router makes the ICMP and a receives it; the datagram r refused is r's to drop, not
// a packet r received for itself, and b sees nothing.
TEST_CASE("host counters: ICMP fragmentation needed, sent by the router, received by the sender", "[net][mtu][counters]") {
  Routed t(1400);
  t.r.sysctl().ip_forward = true;
  send_udp(t.a, ip("10.0.2.1"), 1472);
  t.sim.run();
  CHECK(t.r.host_counters().icmp_sent[IcmpKind::FragNeeded] == 1);
  CHECK(t.r.host_counters().icmp_sent.total() == 1);
  CHECK(t.a.host_counters().icmp_received[IcmpKind::FragNeeded] == 1);
  CHECK(t.a.host_counters().icmp_received.total() == 1);
  CHECK(t.r.host_counters().icmp_received.total() == 0);
  CHECK(t.b.host_counters().icmp_received.total() == 0);
  CHECK(t.a.host_counters().icmp_sent.total() == 0);
}

TEST_CASE("host counters: ICMP kinds as netstat groups them", "[net][counters]") {
  CHECK(icmp_kind(IcmpType::DestUnreachable, icmp_code::kFragNeeded) == IcmpKind::FragNeeded);
  CHECK(icmp_kind(IcmpType::DestUnreachable, icmp_code::kPortUnreachable) == IcmpKind::PortUnreachable);
  CHECK(icmp_kind(IcmpType::DestUnreachable, icmp_code::kNetUnreachable) == IcmpKind::NetUnreachable);
  CHECK(icmp_kind(IcmpType::DestUnreachable, icmp_code::kHostUnreachable) == IcmpKind::Other);
  CHECK(icmp_kind(IcmpType::TimeExceeded, icmp_code::kReassemblyTimeExceeded) == IcmpKind::TimeExceeded);
  CHECK(icmp_kind(IcmpType::EchoReply, 0) == IcmpKind::Other);
  CHECK(icmp_kind_name(IcmpKind::FragNeeded) == "frag_needed");
  CHECK(icmp_kind_name(IcmpKind::Other) == "other");
}
