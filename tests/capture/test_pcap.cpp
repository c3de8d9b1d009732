// PcapWriter: capture points, timestamps, fragments (held until their datagram's length is
// known), errors, the observer fanout; every file decoded by tshark when it is installed.

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "capture/frame_bytes.hpp"
#include "capture/observer_fanout.hpp"
#include "capture/pcap_writer.hpp"
#include "frame_check.hpp"
#include "net/host.hpp"
#include "net/network.hpp"
#include "support/allocation_counter.hpp"
#include "support/instant_arp.hpp"
#include "transport/end_host.hpp"
#include "tshark.hpp"

using namespace lvs;
using namespace lvs::literals;
using namespace lvs::test;
namespace fs = std::filesystem;

namespace {

constexpr TxParams kGigabit{1'000'000'000, 5_us, 1'000'000};

// a 10.0.1.1 - [eth0 10.0.1.254] r [eth1 10.0.2.254] - b 10.0.2.1 (an end host: a UDP
// datagram to it is answered with ICMP port unreachable); r-b has MTU `far_mtu`.
struct Path {
  Simulation sim{1};
  Network net{sim};
  Host& a = net.add_node<Host>("a");
  Host& r = net.add_node<Host>("r");
  EndHost& b = net.add_node<EndHost>("b");
  explicit Path(std::uint32_t far_mtu) {
    answer_arp_at_once_everywhere(net);
    Interface& a0 = a.add_ethernet("eth0", MacAddress::local(1), *Ipv4Prefix::parse("10.0.1.1/24"));
    Interface& r0 = r.add_ethernet("eth0", MacAddress::local(2), *Ipv4Prefix::parse("10.0.1.254/24"));
    Interface& r1 = r.add_ethernet("eth1", MacAddress::local(3), *Ipv4Prefix::parse("10.0.2.254/24"), far_mtu);
    Interface& b0 = b.add_ethernet("eth0", MacAddress::local(4), *Ipv4Prefix::parse("10.0.2.1/24"), far_mtu);
    net.connect("a-r", a0, r0, kGigabit);
    net.connect("r-b", r1, b0, kGigabit);
    a.set_default_gateway(addr("10.0.1.254"));
    b.set_default_gateway(addr("10.0.2.254"));
    r.sysctl().ip_forward = true;
  }
  std::vector<const Interface*> everywhere() const {
    std::vector<const Interface*> points;
    for (const Node* n : {static_cast<const Node*>(&a), static_cast<const Node*>(&r), static_cast<const Node*>(&b)})
      add_ethernet_interfaces(*n, points);
    return points;
  }
  void send_udp(std::uint32_t payload, bool df, std::uint16_t dport = 9) {
    const PacketId p = net.new_packet();
    Packet& pkt = net.packets()[p];
    pkt.ip.dst = addr("10.0.2.1");
    pkt.ip.proto = IpProto::Udp;
    pkt.ip.dont_fragment = df;
    pkt.sport = 40000;
    pkt.dport = dport;
    pkt.payload = payload;
    a.ip_send(p);
  }
};

Packet tcp_syn() {
  Packet p;
  p.eth_src = MacAddress::local(1);
  p.eth_dst = MacAddress::local(2);
  p.ip = Ipv4Header{addr("10.0.1.1"), addr("10.0.2.1"), IpProto::Tcp, 64, true, 1};
  p.sport = 40000;
  p.dport = 80;
  p.tcp.flags = tcp_flags::kSyn;
  p.tcp.options = kTcpMssOption;
  p.tcp.kinds = tcp_option::kMss;
  p.tcp.mss = 1460;
  return p;
}

void require_clean(const fs::path& file) {
  if (!tshark_or_warn()) return;
  const std::vector<std::string> problems = decode_problems(file);
  INFO(file.string());
  for (const std::string& p : problems) UNSCOPED_INFO(p);
  CHECK(problems.empty());
}

Bytes file_bytes(const fs::path& f) {
  std::ifstream in(f, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("the writer captures at its capture points only, with nanosecond simulated timestamps", "[capture][pcap]") {
  Path t(1500);
  const fs::path file = capture_dir() / "points.pcap";
  const Interface& a0 = *t.a.interfaces().front();
  const Interface& r0 = *t.r.interfaces().front();
  {
    PcapWriter w(file.string(), {&a0});
    CHECK(w.captures(a0));
    CHECK_FALSE(w.captures(r0));
    w.on_transmit(Time::ns(1'000'000'123), a0, tcp_syn());
    w.on_receive(Time::ns(2'500'000'000), a0, tcp_syn());
    w.on_transmit(Time::ns(3'000'000'000), r0, tcp_syn());  // not a capture point
    CHECK(w.frames() == 2);
  }
  require_clean(file);
  const Bytes f = file_bytes(file);
  REQUIRE(f.size() == 24 + 2 * (16 + 60));
  CHECK(hex(Bytes(f.begin(), f.begin() + 4)) == "4d3cb2a1");  // nanosecond pcap magic (little-endian)
  CHECK(f[20] == 1);                                            // link type 1: Ethernet
  if (!tshark_or_warn()) return;
  CHECK(tshark_fields(file, "tcp", {"frame.time_epoch", "tcp.options.mss_val"}) ==
        std::vector<std::string>{"1.000000123|1460", "2.500000000|1460"});
}

TEST_CASE("one frame of each kind decodes without a warning", "[capture][pcap][tshark]") {
  Path t(1500);
  const fs::path file = capture_dir() / "kinds.pcap";
  const Interface& a0 = *t.a.interfaces().front();
  {
    PcapWriter w(file.string(), {&a0});
    Packet p = tcp_syn();
    w.on_transmit(Time(), a0, p);
    p.tcp.flags = tcp_flags::kAck | tcp_flags::kPsh;
    p.tcp.options = 0;
    p.tcp.seq = 1;
    p.tcp.ack = 1;
    p.payload = 1460;
    w.on_transmit(Time::us(1), a0, p);
    p.ip.proto = IpProto::Udp;
    p.payload = 0;  // an empty datagram: its computed checksum is not 0
    w.on_transmit(Time::us(2), a0, p);
    p.ip.proto = IpProto::Icmp;
    p.icmp = IcmpBody{IcmpType::DestUnreachable, icmp_code::kFragNeeded, 1480, tcp_syn().ip, 40000, 80};
    w.on_transmit(Time::us(3), a0, p);
    p.icmp.type = IcmpType::TimeExceeded;
    p.icmp.code = icmp_code::kTtlExceeded;
    p.icmp.quoted_ip.proto = IpProto::Udp;
    w.on_transmit(Time::us(4), a0, p);
    p.icmp.type = IcmpType::EchoRequest;
    p.icmp.code = 0;
    w.on_transmit(Time::us(5), a0, p);
    p.ethertype = EtherType::Arp;
    p.arp = ArpBody{ArpOp::Reply, MacAddress::local(2), addr("10.0.1.254"), MacAddress::local(1), addr("10.0.1.1")};
    w.on_transmit(Time::us(6), a0, p);
  }
  require_clean(file);
  if (!tshark_available()) return;
  CHECK(tshark_fields(file, "", {"_ws.col.Protocol", "ip.checksum.status", "tcp.checksum.status",
                                 "udp.checksum.status", "icmp.checksum.status"}) ==
        std::vector<std::string>{"TCP|1|1||", "TCP|1|1||", "UDP|1||1|", "ICMP|1,1|||1", "ICMP|1,1||3|1",
                                 "ICMP|1|||1", "ARP||||"});  // a quoted UDP checksum: 3, none
}

TEST_CASE("fragments, cut again on the way, are held until their datagram's length is known", "[capture][pcap][fragment]") {
  // 4000 UDP bytes, DF clear: a cuts the 4028-byte datagram for MTU 1500 into 3 fragments,
  // r each of them again for MTU 576 (8 in all); b reassembles it and answers ICMP port
  // unreachable. Then 1000 bytes with DF set: r answers ICMP fragmentation needed (MTU 576).
  Path t(576);
  const fs::path everywhere = capture_dir() / "fragments.pcap";
  const fs::path at_b = capture_dir() / "fragments-b.pcap";
  PcapWriter all(everywhere.string(), t.everywhere());
  PcapWriter b(at_b.string(), {t.b.interfaces().front().get()});
  ObserverFanout fan;
  fan.add(all);
  fan.add(b);
  t.net.set_observer(&fan);
  t.send_udp(4000, false);
  t.sim.run();
  t.send_udp(1000, true);
  t.sim.run();
  all.close();
  b.close();
  // ARP 4 x 2 frames (each sent and received); the datagram 3 x 2 on a-r, 8 x 2 on r-b;
  // port unreachable 2 x 2; the DF datagram 1 x 2 (a-r); fragmentation needed 1 x 2.
  // And Linux's neighbour reconfirmation: b and r learned each other's and a's MAC from
  // a request (STALE); sending the port unreachable takes those entries to DELAY and,
  // unconfirmed by UDP, 5 s later to PROBE: a unicast request and its reply, 2 x 2 frames
  // each for b's entry of r and r's of a. sim.run() then idles until every entry is STALE,
  // so the DF datagram and its ICMP answer probe a's entry of r and r's of a again.
  CHECK(all.frames() == 8 + 6 + 16 + 4 + 2 + 2 + 2 * 4 + 2 * 4);
  CHECK(b.frames() == 2 + 8 + 1 + 2);  // ARP request and reply, 8 fragments, port unreachable, b's probe of r
  require_clean(everywhere);
  require_clean(at_b);
  if (!tshark_available()) return;
  // At b the 8 fragments reassemble into the 4008-byte UDP datagram with a good checksum.
  CHECK(tshark_fields(at_b, "udp && !icmp", {"ip.src", "ip.frag_offset", "udp.length", "udp.checksum.status"}) ==
        std::vector<std::string>{"10.0.1.1|439|4008|1"});
  for (const std::string& row : tshark_fields(everywhere, "udp && !icmp", {"udp.length", "udp.checksum.status"}))
    CHECK((row == "4008|1" || row == "1008|1"));
  CHECK(tshark_fields(everywhere, "icmp", {"icmp.type", "icmp.code", "icmp.mtu", "icmp.checksum.status"}) ==
        std::vector<std::string>{"3|3||1", "3|3||1", "3|3||1", "3|3||1", "3|4|576|1", "3|4|576|1"});
}

TEST_CASE("an IPIP datagram cut on its outer header: the first fragment describes the whole inner one",
          "[capture][pcap][fragment][tun]") {
  Simulation sim{1};
  Network net{sim};
  Host& director = net.add_node<Host>("director");
  Host& rs = net.add_node<Host>("rs");
  Segment& lan = net.add_segment("lan", kGigabit);
  lan.attach(director.add_ethernet("eth0", MacAddress::local(1), *Ipv4Prefix::parse("10.0.0.1/24")));
  lan.attach(rs.add_ethernet("eth0", MacAddress::local(2), *Ipv4Prefix::parse("10.0.0.2/24")));
  rs.add_tunnel_address(addr("10.0.0.100"));
  const fs::path file = capture_dir() / "ipip-fragments.pcap";
  std::vector<const Interface*> points;
  add_ethernet_interfaces(director, points);
  add_ethernet_interfaces(rs, points);
  PcapWriter w(file.string(), points);
  net.set_observer(&w);
  const PacketId p = net.new_packet();
  Packet& pkt = net.packets()[p];
  pkt.ip = Ipv4Header{addr("192.0.2.7"), addr("10.0.0.100"), IpProto::Udp, 64, false, 77};
  pkt.sport = 40000;
  pkt.dport = 9;
  pkt.payload = 2000;
  pkt.encapsulated = true;
  pkt.outer = Ipv4Header{addr("10.0.0.1"), addr("10.0.0.2"), IpProto::IpIp, 64, false};
  director.ip_send(p);
  sim.run();
  w.close();
  CHECK(w.frames() == 4 + 4);  // ARP request and reply, two fragments; each sent and received
  require_clean(file);
  if (!tshark_available()) return;
  CHECK(tshark_fields(file, "udp", {"ip.proto", "ip.len", "udp.length", "udp.checksum.status"}) ==
        std::vector<std::string>(2, "4,17|568,2028|2008|1"));  // the outer header of the last fragment
}

TEST_CASE("tshark reports a corrupted checksum: the decoding check is not blind", "[capture][pcap][tshark]") {
  if (!tshark_or_warn()) return;
  Path t(1500);
  const fs::path good = capture_dir() / "syn.pcap";
  {
    PcapWriter w(good.string(), {t.a.interfaces().front().get()});
    w.on_transmit(Time(), *t.a.interfaces().front(), tcp_syn());
  }
  require_clean(good);
  const Bytes f = file_bytes(good);
  constexpr std::size_t kFrame = 24 + 16;  // file header, record header
  for (const std::size_t at : {kFrame + 14 + 10, kFrame + 34 + 16}) {  // IP, then TCP checksum
    Bytes bad = f;
    bad.at(at) ^= 0x5a;
    const fs::path file = capture_dir() / "corrupt.pcap";
    std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(bad.data()), static_cast<std::streamsize>(bad.size()));
    CAPTURE(at);
    CHECK_FALSE(decode_problems(file).empty());
  }
}

TEST_CASE("a file that cannot be opened is an error naming it", "[capture][pcap]") {
  const std::string path = (capture_dir() / "no-such-dir" / "x.pcap").string();
  CHECK_THROWS_WITH(PcapWriter(path, {}),
                    Catch::Contains("cannot write pcap file " + path) && Catch::Contains("No such file or directory"));
}

TEST_CASE("the fanout forwards every event to each observer in order", "[capture][observer]") {
  struct Log : PacketObserver {
    std::vector<std::string>& out;
    std::string name;
    Log(std::vector<std::string>& o, std::string n) : out(o), name(std::move(n)) {}
    void on_transmit(Time, const Interface&, const Packet&) override { out.push_back(name + " transmit"); }
    void on_receive(Time, const Interface&, const Packet&) override { out.push_back(name + " receive"); }
    void on_action(Time, const Node&, const Packet&, std::string_view w) override { out.push_back(name + " " + std::string(w)); }
    void on_drop(Time, const Node&, const Packet&, std::string_view w) override { out.push_back(name + " drop " + std::string(w)); }
  };
  Path t(1500);
  std::vector<std::string> events;
  Log one(events, "1"), two(events, "2");
  ObserverFanout fan;
  fan.add(one);
  fan.add(two);
  const Interface& i = *t.a.interfaces().front();
  fan.on_transmit(Time(), i, Packet());
  fan.on_receive(Time(), i, Packet());
  fan.on_action(Time(), t.a, Packet(), "DNAT");
  fan.on_drop(Time(), t.a, Packet(), "rp_filter");
  CHECK(events == std::vector<std::string>{"1 transmit", "2 transmit", "1 receive", "2 receive", "1 DNAT", "2 DNAT",
                                           "1 drop rp_filter", "2 drop rp_filter"});
}

TEST_CASE("writing a frame allocates nothing once warm", "[capture][pcap][allocation]") {
  Path t(1500);
  const Interface& a0 = *t.a.interfaces().front();
  const fs::path file = capture_dir() / "allocation.pcap";
  PcapWriter w(file.string(), {&a0});
  Packet p = tcp_syn();
  p.tcp.flags = tcp_flags::kAck;
  p.tcp.options = 0;
  p.payload = 1460;
  w.on_transmit(Time(), a0, p);  // warm: the stdio buffer
  const long before = allocations();
  for (int k = 1; k <= 200; ++k) {
    p.tcp.seq += 1460;
    w.on_transmit(Time::us(k), a0, p);
  }
  if (counting_allocations()) CHECK(allocations() == before);
  w.close();
  CHECK(w.frames() == 201);
  require_clean(file);
}

TEST_CASE("tshark reads Linux's handshake options: MSS, SACK-permitted, timestamps echoed, window scale 7",
          "[capture][pcap][tshark][options]") {
  Simulation sim{1};
  Network net{sim};
  EndHost& c = net.add_node<EndHost>("c");
  EndHost& s = net.add_node<EndHost>("s");
  Interface& c0 = c.add_ethernet("eth0", MacAddress::local(1), *Ipv4Prefix::parse("10.0.0.1/24"));
  Interface& s0 = s.add_ethernet("eth0", MacAddress::local(2), *Ipv4Prefix::parse("10.0.0.2/24"));
  net.connect("c-s", c0, s0, kGigabit);
  struct Quiet : TcpApp {} app;
  s.tcp_listen(80, app, 16);
  const fs::path file = capture_dir() / "options.pcap";
  {
    PcapWriter w(file.string(), {&c0});
    net.set_observer(&w);
    c.tcp_connect(Ipv4Address(), 0, addr("10.0.0.2"), 80, app, 1);
    sim.run_until(10_ms);
    net.set_observer(nullptr);
  }
  require_clean(file);
  if (!tshark_or_warn()) return;
  // One line per TCP frame leaving c: SYN, then the handshake's ACK (received frames too:
  // the SYN-ACK). Fields: length, MSS, SACK-permitted, window shift, TSval, TSecr.
  const auto rows = tshark_fields(file, "tcp", {"frame.len", "tcp.flags.str", "tcp.options.mss_val",
                                                "tcp.options.sack_perm", "tcp.options.wscale.shift",
                                                "tcp.options.timestamp.tsval", "tcp.options.timestamp.tsecr"});
  REQUIRE(rows.size() == 3);
  const auto field = [&](std::size_t row, std::size_t col) {
    std::string line = rows[row];
    for (std::size_t i = 0; i < col; ++i) line = line.substr(line.find('|') + 1);
    return line.substr(0, line.find('|'));
  };
  CHECK(field(0, 0) == "74");  // captured without the FCS
  CHECK(field(0, 2) == "1460");
  CHECK_FALSE(field(0, 3).empty());
  CHECK(field(0, 4) == "7");
  CHECK(field(0, 6) == "0");
  CHECK(field(1, 0) == "74");
  CHECK(field(1, 6) == field(0, 5));  // the SYN-ACK echoes the SYN's TSval
  CHECK(field(2, 0) == "66");         // the ACK: 20 + 20 + 12 + 14
  CHECK(field(2, 6) == field(1, 5));
}
