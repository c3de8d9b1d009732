// IPv4 fragmentation and reassembly (RFC 791), with numbers worked out by hand.

#include <catch2/catch.hpp>

#include <ostream>
#include <tuple>

#include "net_fixture.hpp"
#include "support/allocation_counter.hpp"

using namespace lvs;
using namespace lvs::literals;
using namespace lvs::test;

namespace {

constexpr TxParams kGigabit{1'000'000'000, 5_us, 1'000'000};

/// One frame as the tables below write it.
struct Frag {
  std::uint32_t ip_bytes;
  std::uint16_t offset;  // 8-byte units
  bool mf;
  std::uint32_t frame_bytes;
  bool operator==(const Frag&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Frag& f) {
  return os << "{" << f.ip_bytes << ", " << f.offset << ", " << f.mf << ", " << f.frame_bytes << "}";
}

/// Records transmitted IPv4 frames per interface, and drops with their times.
class FrameLog : public Recorder {
 public:
  std::vector<std::pair<std::string, Packet>> frames;  // "node/iface", packet
  std::vector<std::pair<Time, std::string>> timed_drops;
  void on_transmit(Time t, const Interface& out, const Packet& p) override {
    Recorder::on_transmit(t, out, p);
    if (p.ethertype == EtherType::Ipv4) frames.emplace_back(out.node().name() + "/" + out.name(), p);
  }
  void on_drop(Time t, const Node& n, const Packet& p, std::string_view why) override {
    Recorder::on_drop(t, n, p, why);
    timed_drops.emplace_back(t, n.name() + ": " + std::string(why));
  }
  std::vector<Frag> sent_by(const std::string& iface) const {
    std::vector<Frag> out;
    for (const auto& [where, p] : frames)
      if (where == iface) out.push_back({p.ip_bytes(), p.outermost().frag_offset, p.outermost().more_fragments, p.frame_bytes()});
    return out;
  }
};

/// A host that shows what IPVS's LOCAL_IN hook would see, and can filter frames on arrival
/// (as iptables -t raw PREROUTING would): the fragment at `filter_offset` is dropped.
class Receiver : public ProbeHost {
 public:
  using ProbeHost::ProbeHost;
  std::vector<Packet> local_in;
  int filter_offset = -1;
  void receive(Interface& in, PacketId p) override {
    const Packet& pkt = network().packets()[p];
    if (pkt.ethertype == EtherType::Ipv4 && pkt.outermost().is_fragment() && pkt.outermost().frag_offset == filter_offset) {
      network().drop(*this, p, "filtered");
      return;
    }
    Host::receive(in, p);
  }

 protected:
  bool on_local_in(Interface&, PacketId p) override {
    local_in.push_back(network().packets()[p]);
    return false;
  }
};

// a 10.0.1.1 - [eth0 10.0.1.254] r [eth1 10.0.2.254] - b 10.0.2.1, point-to-point links;
// a-r with MTU `near_mtu`, r-b with MTU `far_mtu`.
struct Path {
  Simulation sim{1};
  Network net{sim};
  FrameLog log;
  ProbeHost& a = net.add_node<ProbeHost>("a");
  ProbeHost& r = net.add_node<ProbeHost>("r");
  Receiver& b = net.add_node<Receiver>("b");
  Path(std::uint32_t near_mtu, std::uint32_t far_mtu, TxParams far = kGigabit) {
    net.set_observer(&log);
    Interface& a0 = a.add_ethernet("eth0", MacAddress::local(1), prefix("10.0.1.1/24"), near_mtu);
    Interface& r0 = r.add_ethernet("eth0", MacAddress::local(2), prefix("10.0.1.254/24"), near_mtu);
    Interface& r1 = r.add_ethernet("eth1", MacAddress::local(3), prefix("10.0.2.254/24"), far_mtu);
    Interface& b0 = b.add_ethernet("eth0", MacAddress::local(4), prefix("10.0.2.1/24"), far_mtu);
    net.connect("a-r", a0, r0, kGigabit);
    net.connect("r-b", r1, b0, far);
    a.set_default_gateway(ip("10.0.1.254"));
    b.set_default_gateway(ip("10.0.2.254"));
    r.sysctl().ip_forward = true;
  }
};

}  // namespace

TEST_CASE("a fragment counts its own bytes: only the first carries the headers", "[net][packet][fragment]") {
  Packet first;
  first.ip.proto = IpProto::Udp;
  first.ip.more_fragments = true;
  first.payload = 1472;
  CHECK(first.ip.is_fragment());
  CHECK(first.l4_header_bytes() == 8);
  CHECK(first.ip_bytes() == 1500);  // 20 + 8 + 1472

  Packet later = first;
  later.ip.frag_offset = 185;
  later.payload = 1480;
  CHECK(later.is_later_fragment());
  CHECK(later.l4_header_bytes() == 0);
  CHECK(later.ip_bytes() == 1500);  // 20 + 1480
  later.ip.more_fragments = false;
  later.payload = 1048;
  CHECK(later.ip_bytes() == 1068);
  CHECK(later.frame_bytes() == 1086);

  // IPIP: the outer header is the fragmented one; its payload starts with the inner header.
  Packet outer_first;
  outer_first.ip.proto = IpProto::Udp;
  outer_first.encapsulated = true;
  outer_first.outer.proto = IpProto::IpIp;
  outer_first.outer.more_fragments = true;
  outer_first.payload = 1452;
  CHECK(outer_first.ip_bytes() == 1500);  // 20 outer + 20 inner + 8 UDP + 1452
  Packet outer_later = outer_first;
  outer_later.outer.more_fragments = false;
  outer_later.outer.frag_offset = 185;
  outer_later.payload = 548;
  CHECK(outer_later.is_later_fragment());
  CHECK(outer_later.ip_bytes() == 568);   // 20 outer + 548, no inner header
}

TEST_CASE("a router fragments 4000 UDP bytes for an MTU of 1500, the receiver gets one datagram", "[net][fragment]") {
  Path t(9000, 1500);
  send_udp(t.a, ip("10.0.2.1"), 4000, /*df=*/false);
  t.sim.run();
  // One 4028-byte datagram from a; r cuts its 4008-byte IP payload (8 UDP + 4000) into
  // 1480 + 1480 + 1048 bytes: offsets 0, 1480/8 = 185, 2960/8 = 370.
  CHECK(t.log.sent_by("a/eth0") == std::vector<Frag>{{4028, 0, false, 4046}});
  CHECK(t.log.sent_by("r/eth1") == std::vector<Frag>{{1500, 0, true, 1518}, {1500, 185, true, 1518}, {1068, 370, false, 1086}});
  std::vector<std::uint16_t> ids;
  for (const auto& [where, p] : t.log.frames)
    if (where == "r/eth1") ids.push_back(p.ip.id);
  CHECK(ids == std::vector<std::uint16_t>{1, 1, 1});
  REQUIRE(t.b.arrivals.size() == 1);
  const Packet& got = t.b.arrivals[0].pkt;
  CHECK(got.payload == 4000);
  CHECK(got.ip_bytes() == 4028);
  CHECK_FALSE(got.ip.is_fragment());
  CHECK(got.dport == 53);
  CHECK(got.ip.ttl == 63);
  // The IPVS hook sees the reassembled datagram, never a fragment.
  REQUIRE(t.b.local_in.size() == 1);
  CHECK(t.b.local_in[0].payload == 4000);
  CHECK(t.log.actions == std::vector<std::string>{"a: ARP request: who has 10.0.1.254?",
                                                  "r: ARP reply: 10.0.1.254 is at 02:00:00:00:00:02",
                                                  "r: forward",
                                                  "r: fragment 1/3",
                                                  "r: ARP request: who has 10.0.2.1?",
                                                  "r: fragment 2/3",
                                                  "r: fragment 3/3",
                                                  "b: ARP reply: 10.0.2.1 is at 02:00:00:00:00:04",
                                                  "b: reassemble 3 fragments"});
  CHECK(t.log.drops.empty());
  CHECK(t.net.packets().live() == 0);
}

TEST_CASE("fragments are cut again at a router in the middle (MTU 1500, then 576)", "[net][fragment]") {
  Path t(1500, 576);
  send_udp(t.a, ip("10.0.2.1"), 4000, false);
  t.sim.run();
  // The source cuts 4008 bytes for 1500 as above; r cuts each fragment for 576:
  // (576 - 20) rounded down to 8 is 552 bytes a piece, offsets counted from the original.
  //   0..1480:    552, 552, 376 at 0, 69, 138        (all MF: more follow)
  //   1480..2960: 552, 552, 376 at 185, 254, 323
  //   2960..4008: 552, 496 at 370, 439               (the last keeps MF clear)
  CHECK(t.log.sent_by("a/eth0") == std::vector<Frag>{{1500, 0, true, 1518}, {1500, 185, true, 1518}, {1068, 370, false, 1086}});
  CHECK(t.log.sent_by("r/eth1") == std::vector<Frag>{{572, 0, true, 590},
                                                     {572, 69, true, 590},
                                                     {396, 138, true, 414},
                                                     {572, 185, true, 590},
                                                     {572, 254, true, 590},
                                                     {396, 323, true, 414},
                                                     {572, 370, true, 590},
                                                     {516, 439, false, 534}});
  REQUIRE(t.b.arrivals.size() == 1);
  CHECK(t.b.arrivals[0].pkt.payload == 4000);
  CHECK(t.log.actions.back() == "b: reassemble 8 fragments");
  CHECK(t.net.packets().live() == 0);
}

TEST_CASE("an IPIP packet is fragmented on its outer header, reassembled at the tunnel end, then decapsulated",
          "[net][fragment][tun]") {
  Simulation sim{1};
  Network net{sim};
  FrameLog log;
  net.set_observer(&log);
  Segment& lan = net.add_segment("lan", kGigabit);
  ProbeHost& director = net.add_node<ProbeHost>("director");
  Receiver& rs = net.add_node<Receiver>("rs");
  lan.attach(director.add_ethernet("eth0", MacAddress::local(1), prefix("10.0.0.1/24")));
  lan.attach(rs.add_ethernet("eth0", MacAddress::local(2), prefix("10.0.0.2/24")));
  rs.add_tunnel_address(ip("10.0.0.100"));
  rs.set_default_gateway(ip("10.0.0.1"));
  const PacketId p = net.new_packet();
  Packet& pkt = net.packets()[p];
  pkt.ip = Ipv4Header{ip("192.0.2.7"), ip("10.0.0.100"), IpProto::Udp};
  pkt.ip.dont_fragment = false;
  pkt.sport = 40000;
  pkt.dport = 53;
  pkt.payload = 2000;
  pkt.encapsulated = true;
  pkt.outer = Ipv4Header{ip("10.0.0.1"), ip("10.0.0.2"), IpProto::IpIp};
  pkt.outer.dont_fragment = false;
  director.ip_send(p);
  sim.run();
  // Outer datagram 20 + 20 + 8 + 2000 = 2048 bytes; its payload of 2028 is cut into
  // 1480 (inner header, UDP header and 1452 data bytes) and 548 at offset 185.
  CHECK(log.sent_by("director/eth0") == std::vector<Frag>{{1500, 0, true, 1518}, {568, 185, false, 586}});
  REQUIRE(rs.arrivals.size() == 1);
  const Packet& got = rs.arrivals[0].pkt;
  CHECK(rs.arrivals[0].in == "tunl0");
  CHECK_FALSE(got.encapsulated);
  CHECK(got.ip.dst == ip("10.0.0.100"));
  CHECK(got.payload == 2000);
  CHECK(got.ip_bytes() == 2028);
  CHECK(rs.local_in.size() == 1);  // the inner datagram, after decapsulation
  CHECK(log.actions == std::vector<std::string>{"director: fragment 1/2",
                                                "director: ARP request: who has 10.0.0.2?",
                                                "director: fragment 2/2",
                                                "rs: ARP reply: 10.0.0.2 is at 02:00:00:00:00:02",
                                                "rs: reassemble 2 fragments",
                                                "rs: decapsulate IPIP on tunl0"});
  CHECK(net.packets().live() == 0);
}

TEST_CASE("a lost fragment: nothing is delivered, the rest is dropped after ipfrag_time", "[net][fragment]") {
  // Fragments reach b at 77 520, 89 824 and 98 672 ns (see below); the lost one is
  // filtered at b, and the reassembly timer starts with the first one kept.
  const auto [lost_offset, lost_ns, created_ns, held_bytes, icmp] =
      GENERATE(table<int, std::int64_t, std::int64_t, std::uint32_t, bool>({
          {0, 77'520, 89'824, 2528, false},  // no first fragment: nothing to quote, no ICMP
          {185, 89'824, 77'520, 2528, true},
          {370, 98'672, 77'520, 2960, true},
      }));
  CAPTURE(lost_offset);
  Path t(9000, 1500);
  t.b.filter_offset = lost_offset;
  send_udp(t.a, ip("10.0.2.1"), 4000, false);
  // a-r: ARP request and reply 2 x 5672 ns; the 4046-byte frame (4066 on the wire,
  // 32 528 ns) + 5 us: at r at 48 872. r-b: ARP 2 x 5672: fragments leave at 60 216,
  // 12 304 ns each for 1518-byte frames (1538 on the wire), 8848 for the last (1106).
  t.sim.run_until(30_s);
  CHECK(t.b.arrivals.empty());
  CHECK(t.log.drops == std::vector<std::string>{"b: filtered"});
  t.sim.run();
  const std::string why = "b: fragment reassembly time exceeded (ipfrag_time 30s): " + std::to_string(held_bytes) + " bytes held";
  const Time expiry = 30_s + Time::ns(created_ns);
  REQUIRE(t.log.timed_drops.size() == 3);
  CHECK(t.log.timed_drops[0] == std::pair<Time, std::string>{Time::ns(lost_ns), "b: filtered"});
  CHECK(t.log.timed_drops[1] == std::pair<Time, std::string>{expiry, why});
  CHECK(t.log.timed_drops[2] == std::pair<Time, std::string>{expiry, why});
  CHECK(t.b.arrivals.empty());
  if (icmp) {
    REQUIRE(t.a.arrivals.size() == 1);
    const Packet& err = t.a.arrivals[0].pkt;
    CHECK(err.icmp.type == IcmpType::TimeExceeded);
    CHECK(err.icmp.code == icmp_code::kReassemblyTimeExceeded);
    CHECK(err.ip.src == ip("10.0.2.1"));
    CHECK(err.icmp.quoted_ip.id == 1);
    CHECK(err.icmp.quoted_dport == 53);
  } else {
    CHECK(t.a.arrivals.empty());
  }
  CHECK(t.net.packets().live() == 0);
}

TEST_CASE("a fragment lost to a full queue leaves the datagram to time out", "[net][fragment]") {
  // r-b holds two 1538-byte frames on the wire: the third fragment (1106) finds it full.
  Path t(9000, 1500, TxParams{1'000'000'000, 5_us, 3076});
  send_udp(t.a, ip("10.0.2.1"), 4000, false);
  t.sim.run();
  CHECK(t.log.drops == std::vector<std::string>{"r: queue full on link r-b",
                                                "b: fragment reassembly time exceeded (ipfrag_time 30s): 2960 bytes held",
                                                "b: fragment reassembly time exceeded (ipfrag_time 30s): 2960 bytes held"});
  CHECK(t.b.arrivals.empty());
  REQUIRE(t.a.arrivals.size() == 1);
  CHECK(t.a.arrivals[0].pkt.icmp.type == IcmpType::TimeExceeded);
  CHECK(t.net.packets().live() == 0);
}

namespace {

// The three fragments of a 4000-byte UDP datagram from 10.0.1.1 to b, id `id`, as r sends them.
PacketId make_fragment(Network& net, int index, std::uint16_t id) {
  static constexpr std::uint32_t kPayload[] = {1472, 1480, 1048};
  const PacketId p = net.new_packet();
  Packet& pkt = net.packets()[p];
  pkt.eth_src = MacAddress::local(3);
  pkt.eth_dst = MacAddress::local(4);
  pkt.ip = Ipv4Header{ip("10.0.1.1"), ip("10.0.2.1"), IpProto::Udp, 63, false, id};
  pkt.ip.frag_offset = static_cast<std::uint16_t>(185 * index);
  pkt.ip.more_fragments = index < 2;
  pkt.sport = 40000;
  pkt.dport = 53;
  pkt.payload = kPayload[index];
  return p;
}

}  // namespace

TEST_CASE("fragments reassemble in any order, a duplicate is dropped alone", "[net][fragment]") {
  using Order = std::vector<int>;
  const auto [order, drops] = GENERATE(table<Order, std::vector<std::string>>({
      {{0, 1, 2}, {}},
      {{2, 1, 0}, {}},
      {{1, 2, 0}, {}},
      {{2, 0, 1}, {}},
      {{1, 0, 1, 2}, {"b: duplicate fragment"}},
  }));
  Path t(1500, 1500);
  Interface& in = *t.b.interface("eth0");
  for (const int index : order) t.net.deliver(in, make_fragment(t.net, index, 7));
  REQUIRE(t.b.arrivals.size() == 1);
  CHECK(t.b.arrivals[0].pkt.payload == 4000);
  CHECK(t.b.arrivals[0].pkt.ip.id == 7);
  CHECK(t.log.drops == drops);
  t.sim.run();  // the reassembly timer was cancelled: nothing more happens
  CHECK(t.log.drops == drops);
  CHECK(t.net.packets().live() == 0);
}

TEST_CASE("overlapping fragments discard the datagram, the number of datagrams in reassembly is bounded",
          "[net][fragment]") {
  Path t(1500, 1500);
  Interface& in = *t.b.interface("eth0");
  t.net.deliver(in, make_fragment(t.net, 0, 7));
  const PacketId overlap = make_fragment(t.net, 1, 7);
  t.net.packets()[overlap].ip.frag_offset = 184;  // starts 8 bytes inside the first
  t.net.deliver(in, overlap);
  CHECK(t.log.drops == std::vector<std::string>{"b: overlapping fragment", "b: fragment of a datagram with overlapping fragments"});

  t.b.sysctl().ipfrag_max_datagrams = 2;
  for (std::uint16_t id : {8, 9, 10}) t.net.deliver(in, make_fragment(t.net, 0, id));
  CHECK(t.log.drops.back() == "b: fragment reassembly: 2 datagrams already in progress (ipfrag_max_datagrams)");
  t.net.deliver(in, make_fragment(t.net, 1, 9));
  t.net.deliver(in, make_fragment(t.net, 2, 9));  // the datagrams under way still complete
  REQUIRE(t.b.arrivals.size() == 1);
  CHECK(t.b.arrivals[0].pkt.ip.id == 9);
  t.sim.run();
  CHECK(t.log.drops.size() == 3 + 1);  // id 8's first fragment, timed out
  CHECK(t.net.packets().live() == 0);
}

TEST_CASE("DF set: no fragmentation, ICMP fragmentation needed as before", "[net][fragment][mtu]") {
  Path t(9000, 1500);
  send_udp(t.a, ip("10.0.2.1"), 4000, /*df=*/true);
  t.sim.run();
  CHECK(t.b.arrivals.empty());
  CHECK(t.log.sent_by("r/eth1").empty());
  CHECK(t.log.drops == std::vector<std::string>{"r: fragmentation needed and DF set: 4028 > MTU 1500 of eth1"});
  REQUIRE(t.a.arrivals.size() == 1);
  CHECK(t.a.arrivals[0].pkt.icmp.type == IcmpType::DestUnreachable);
  CHECK(t.a.arrivals[0].pkt.icmp.code == icmp_code::kFragNeeded);
  CHECK(t.a.arrivals[0].pkt.icmp.next_hop_mtu == 1500);
}

TEST_CASE("fragmenting and reassembling do not allocate per packet once warm", "[net][fragment][allocation]") {
  Path t(9000, 1500);
  t.net.set_observer(nullptr);
  auto exchange = [&](int n) {
    for (int i = 0; i < n; ++i) {
      send_udp(t.a, ip("10.0.2.1"), 4000, false);
      t.sim.run_until(t.sim.now() + 1_ms);
    }
  };
  exchange(100);  // warm-up: ARP, pools, queue slots, event slots
  t.b.arrivals.reserve(t.b.arrivals.size() + 1000);
  t.b.local_in.reserve(t.b.local_in.size() + 1000);
  const long before = allocations();
  exchange(1000);
  const long during = allocations() - before;
  CHECK(t.b.arrivals.size() == 1100);
  if (counting_allocations()) CHECK(during < 20);
  CHECK(t.net.packets().live() == 0);
}
