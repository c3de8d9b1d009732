// serialize_frame: the exact bytes of one frame of each kind, checksums verified the
// receiver's way, and the size of every shape equal to frame_bytes() - 4 (no FCS).

#include <catch2/catch.hpp>

#include "capture/frame_bytes.hpp"
#include "frame_check.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

const MacAddress kMacA = mac("02:00:00:00:00:01");
const MacAddress kMacB = mac("02:00:00:00:00:02");

Bytes serialized(const Packet& p, std::uint32_t whole_payload = 0) {
  Bytes out;
  serialize_frame(p, out, whole_payload);
  return out;
}

Packet ip_packet(IpProto proto, std::uint16_t id) {
  Packet p;
  p.eth_src = kMacA;
  p.eth_dst = kMacB;
  p.ip = Ipv4Header{addr("10.0.0.1"), addr("10.0.0.2"), proto, 64, true, id};
  return p;
}

// 10.0.0.1:40000 > 10.0.0.2:80 SYN seq 1000, MSS 1460 and no other option.
Packet syn() {
  Packet p = ip_packet(IpProto::Tcp, 1);
  p.sport = 40000;
  p.dport = 80;
  p.tcp.seq = 1000;
  p.tcp.flags = tcp_flags::kSyn;
  p.tcp.options = kTcpMssOption;
  p.tcp.kinds = tcp_option::kMss;
  p.tcp.mss = 1460;
  return p;
}

Packet udp(std::uint32_t payload) {
  Packet p = ip_packet(IpProto::Udp, 2);
  p.ip.dont_fragment = false;
  p.sport = 40000;
  p.dport = 53;
  p.payload = payload;
  return p;
}

}  // namespace

TEST_CASE("RFC 1071's example sums to 0xddf2", "[capture][checksum]") {
  const std::vector<std::uint8_t> b{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  CHECK(ones_complement_sum(b) == 0xddf2);
  CHECK(internet_checksum(b) == 0x220d);
}

TEST_CASE("a SYN with the MSS option, byte for byte", "[capture][frame]") {
  const Bytes f = serialized(syn());
  // IP header checksum by hand: 4500 + 002c + 0001 + 4000 + 4006 + 0000 + 0a00 + 0001
  // + 0a00 + 0002 = d936 (no carry); its complement is 26c9.
  CHECK(hex(f) ==
        "020000000002" "020000000001" "0800"                                // Ethernet: dst, src, IPv4
        "4500002c" "00014000" "400626c9" "0a000001" "0a000002"            // IPv4: 44 bytes, id 1, DF, TTL 64, TCP
        "9c400050" "000003e8" "00000000" "6002ffff" "e3ab0000" "020405b4"  // TCP: 24-byte header, SYN, MSS 1460
        "0000");                                                          // padding to 60
  CHECK(f.size() == syn().frame_bytes() - 4);
  CHECK(get16(f, 24) == 0x26c9);
  CHECK(ipv4_checksum_ok(f, 14));
  CHECK(l4_checksum_ok(f, 14, 24, 24));
}

// A client's SYN as a FULLNAT director sends it on (fullnat_tcp.hpp): TOA right after the
// basic header (kind 254, length 8, port 32768 = 8000, address 203.0.113.150 = cb007196),
// then Linux's options with the timestamp option overwritten by ten NOPs in place.
TEST_CASE("a FULLNAT SYN: TOA first, the stripped timestamps as ten NOPs, byte for byte", "[capture][frame][fullnat]") {
  Packet p = syn();
  p.tcp.kinds = tcp_option::kToa | tcp_option::kMss | tcp_option::kSackPermitted | tcp_option::kTimestampsStripped |
                tcp_option::kWindowScale;
  p.tcp.options = 28;
  p.tcp.wscale = 7;
  p.tcp.toa_port = 32768;
  p.tcp.toa_addr = addr("203.0.113.150").value();
  const Bytes f = serialized(p);
  CHECK(f.size() == 14 + 20 + 48);
  CHECK(hex(f).substr(2 * (14 + 20 + 12), 4) == "c002");  // data offset 12 words, SYN
  CHECK(hex(f).substr(2 * (14 + 20 + 20)) ==
        "fe088000cb007196"            // TOA
        "020405b4" "0402"             // MSS 1460, SACK-permitted
        "01010101010101010101"        // the timestamp option, stripped
        "01030307");                  // NOP, window scale 7
  CHECK(ipv4_checksum_ok(f, 14));
  CHECK(l4_checksum_ok(f, 14, 48, 48));
}

TEST_CASE("an ARP request, byte for byte", "[capture][frame]") {
  Packet p;
  p.eth_src = kMacA;
  p.eth_dst = MacAddress::broadcast();
  p.ethertype = EtherType::Arp;
  p.arp = ArpBody{ArpOp::Request, kMacA, addr("10.0.0.1"), MacAddress(), addr("10.0.0.2")};
  CHECK(hex(serialized(p)) ==
        "ffffffffffff" "020000000001" "0806"
        "0001" "0800" "06" "04" "0001"              // Ethernet, IPv4, 6, 4, request
        "020000000001" "0a000001" "000000000000" "0a000002"
        "000000000000000000000000000000000000");    // padding to 60
}

TEST_CASE("a UDP datagram with its checksum computed, byte for byte", "[capture][frame]") {
  const Bytes f = serialized(udp(4));
  CHECK(hex(f) ==
        "020000000002" "020000000001" "0800"
        "45000020" "00020000" "401166c9" "0a000001" "0a000002"  // 32 bytes, id 2, no DF, UDP
        "9c400035" "000c4f5e"                                  // 40000 > 53, length 12, checksum
        "00000000"                                             // 4 data bytes
        "0000000000000000000000000000");                       // padding
  CHECK(ipv4_checksum_ok(f, 14));
  CHECK(l4_checksum_ok(f, 14, 12, 12));
}

TEST_CASE("an ICMP fragmentation-needed with its quote, byte for byte", "[capture][frame]") {
  Packet p;
  p.eth_src = kMacB;
  p.eth_dst = kMacA;
  p.ip = Ipv4Header{addr("10.0.0.254"), addr("10.0.0.1"), IpProto::Icmp, 64, false, 7};
  p.icmp.type = IcmpType::DestUnreachable;
  p.icmp.code = icmp_code::kFragNeeded;
  p.icmp.next_hop_mtu = 1480;
  p.icmp.quoted_ip = Ipv4Header{addr("10.0.0.1"), addr("10.0.0.2"), IpProto::Tcp, 63, true, 1};
  p.icmp.quoted_sport = 40000;
  p.icmp.quoted_dport = 80;
  const Bytes f = serialized(p);
  CHECK(hex(f) ==
        "020000000001" "020000000002" "0800"
        "45000038" "00070000" "400165c0" "0a0000fe" "0a000001"  // 56 bytes, ICMP
        "0304" "5aa3" "0000" "05c8"                            // type 3 code 4, checksum, MTU 1480
        "45000028" "00014000" "3f0627cd" "0a000001" "0a000002"  // the quoted header (total 40)
        "9c400050" "00000000");                                // its first 8 bytes: ports, seq
  CHECK(f.size() == 70);
  CHECK(ipv4_checksum_ok(f, 14));
  CHECK(ipv4_checksum_ok(f, 42));  // the quoted header
  CHECK(icmp_checksum_ok(f, 14, 36));
}

TEST_CASE("an IPIP-encapsulated SYN: outer header, then the inner one, byte for byte", "[capture][frame]") {
  Packet p;
  p.eth_src = mac("02:00:00:00:00:03");
  p.eth_dst = mac("02:00:00:00:00:05");
  p.encapsulated = true;
  p.outer = Ipv4Header{addr("192.168.1.10"), addr("10.3.0.11"), IpProto::IpIp, 64, true, 9};
  p.ip = Ipv4Header{addr("10.0.0.10"), addr("192.168.1.100"), IpProto::Tcp, 64, true, 3};
  p.sport = 32768;
  p.dport = 80;
  p.tcp.flags = tcp_flags::kSyn;
  p.tcp.options = kTcpMssOption;
  p.tcp.kinds = tcp_option::kMss;
  p.tcp.mss = 1460;
  const Bytes f = serialized(p);
  CHECK(hex(f) ==
        "020000000005" "020000000003" "0800"
        "45000040" "00094000" "40046ef1" "c0a8010a" "0a03000b"  // outer: 64 bytes, protocol 4
        "4500002c" "00034000" "40066eb3" "0a00000a" "c0a80164"  // inner: 44 bytes, TCP
        "80000050" "00000000" "00000000" "6002ffff" "4bc00000" "020405b4");
  CHECK(f.size() == p.frame_bytes() - 4);
  CHECK(ipv4_checksum_ok(f, 14));
  CHECK(ipv4_checksum_ok(f, 34));
  CHECK(l4_checksum_ok(f, 34, 24, 24));
}

TEST_CASE("TCP with data: the checksum covers the zero data through the length", "[capture][frame]") {
  Packet p = syn();
  p.tcp.flags = tcp_flags::kAck | tcp_flags::kPsh;
  p.tcp.options = 0;
  p.tcp.ack = 77;
  p.payload = 1460;
  const Bytes f = serialized(p);
  REQUIRE(f.size() == 1514);
  CHECK(get16(f, 16) == 1500);
  CHECK(f[46] == 0x50);  // data offset 5 words
  CHECK(ipv4_checksum_ok(f, 14));
  CHECK(l4_checksum_ok(f, 14, 1480, 1480));
}

TEST_CASE("a first fragment's L4 header describes the whole datagram once its length is known",
          "[capture][frame][fragment]") {
  // 4000 UDP bytes cut for MTU 1500: the first fragment has the UDP header and 1472 bytes.
  Packet first = udp(1472);
  first.ip.more_fragments = true;
  REQUIRE(fragmented_header(first) == &first.ip);
  const Bytes whole = serialized(first, 4008);
  CHECK(get16(whole, 16) == 1500);          // the fragment's own IP length
  CHECK(get16(whole, 38) == 4008);          // the UDP length: the whole datagram's
  CHECK(l4_checksum_ok(whole, 14, 4008, 8));
  const Bytes alone = serialized(first);    // not known: the fragment's own length
  CHECK(get16(alone, 38) == 1480);
  CHECK(l4_checksum_ok(alone, 14, 1480, 8));

  // IPIP cut on its outer header: the inner header's total length is the outer payload.
  Packet outer_first = syn();
  outer_first.tcp.options = 0;
  outer_first.tcp.flags = tcp_flags::kAck;
  outer_first.encapsulated = true;
  outer_first.outer = Ipv4Header{addr("10.0.0.1"), addr("10.0.0.9"), IpProto::IpIp, 64, false, 5, 0, true};
  outer_first.payload = 1440;
  REQUIRE(fragmented_header(outer_first) == &outer_first.outer);
  const Bytes f = serialized(outer_first, 2040);
  CHECK(get16(f, 16) == 1500);  // outer: this fragment
  CHECK(get16(f, 36) == 2040);  // inner: the whole inner datagram
  CHECK(ipv4_checksum_ok(f, 14));
  CHECK(ipv4_checksum_ok(f, 34));
  CHECK(l4_checksum_ok(f, 34, 2020, 20));
}

TEST_CASE("a later fragment carries its header and zeros only", "[capture][frame][fragment]") {
  Packet later = udp(1048);
  later.ip.frag_offset = 370;
  const Bytes f = serialized(later);
  REQUIRE(f.size() == 14 + 20 + 1048);
  CHECK(get16(f, 20) == 370);  // no MF, offset 370
  CHECK(ipv4_checksum_ok(f, 14));
  for (std::size_t i = 34; i < f.size(); ++i) REQUIRE(f[i] == 0);
}

TEST_CASE("every shape serializes to frame_bytes() - 4 bytes", "[capture][frame]") {
  const std::uint32_t payload = GENERATE(0U, 1U, 5U, 6U, 7U, 8U, 26U, 27U, 100U, 1459U, 1460U, 8960U);
  const int shape = GENERATE(range(0, 11));
  Packet p = syn();
  p.payload = payload;
  switch (shape) {
    case 0: break;                                                   // SYN
    case 1: p.tcp.options = 0; p.tcp.flags = tcp_flags::kAck; break;  // ACK / data
    case 2: p = udp(payload); break;
    case 3: p.ip.proto = IpProto::Icmp; p.payload = 0; break;
    case 4: p.ethertype = EtherType::Arp; break;
    case 5: p.encapsulated = true; p.outer.proto = IpProto::IpIp; break;
    case 6: p = udp(payload); p.ip.more_fragments = true; break;            // first fragment
    case 7: p = udp(payload); p.ip.frag_offset = 185; break;                 // later fragment
    case 8: p.encapsulated = true; p.outer.more_fragments = true; break;     // first outer fragment
    case 9: p.encapsulated = true; p.outer.frag_offset = 185; break;         // later outer fragment
    case 10: p.encapsulated = true; p.ip.frag_offset = 185; break;           // later inner fragment in IPIP
    default: break;
  }
  CAPTURE(shape, payload);
  CHECK(serialized(p).size() == p.frame_bytes() - kEthernetFcs);
  CHECK(serialized(p, payload + 100).size() == p.frame_bytes() - kEthernetFcs);
}
