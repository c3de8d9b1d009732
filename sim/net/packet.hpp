#pragma once
// A frame as it crosses the model: real header fields and real sizes, no payload bytes.
//
// Sizes (bytes): Ethernet header 14 + FCS 4, padded to the 64-byte minimum frame;
// IPv4 20 (an IPIP outer header another 20); TCP 20 + options; UDP 8; ICMP 8 plus the
// offending packet's IP header and first 8 bytes (RFC 792); ARP 28; VRRP (protocol 112) 8 + 4
// per address, plus 8 bytes of authentication data in version 2 (RFC 3768 5.1, RFC 5798
// 5.1). On the wire each
// frame also takes 8 bytes of preamble and a 12-byte inter-frame gap (IEEE 802.3).
//
// Fragments (RFC 791). The header that is fragmented is the outermost one: `outer` of an
// IPIP packet, else `ip`; its IP payload is everything after it (for IPIP: the inner IP
// header, the L4 header and the data). A fragment is a Packet whose fragmented header
// has `more_fragments` or a non-zero `frag_offset`, and its IP payload is one slice of
// the original's:
// - the first fragment (offset 0) carries the headers that follow the fragmented one
//   (inner IP header, L4 header) and `payload` data bytes after them;
// - a later fragment (offset != 0) carries no header but its own: its whole IP payload
//   is `payload` bytes. Its L4 fields (ports, TCP, ICMP) and the inner header of IPIP
//   are still set, copied from the original, but are not on the wire and not counted.
// So ip_bytes() = 20 [+ 20 inner, if IPIP and first] [+ L4 header, if first] + payload,
// and the reassembled datagram is the first fragment with payload = IP payload length
// - header bytes. The first fragment must hold the headers after the fragmented one
// (true for any MTU >= 20 + 20 + 60 + 8 bytes; Host drops below that, a model limit).

#include <array>
#include <cstdint>
#include <string>

#include "net/address.hpp"

namespace lvs {

enum class EtherType : std::uint16_t { Ipv4 = 0x0800, Arp = 0x0806 };
enum class IpProto : std::uint8_t { Icmp = 1, IpIp = 4, Tcp = 6, Udp = 17, Vrrp = 112 };

/// TCP flag bits as in the header.
namespace tcp_flags {
inline constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10;
}

inline constexpr std::uint32_t kEthernetHeader = 14;
inline constexpr std::uint32_t kEthernetFcs = 4;
inline constexpr std::uint32_t kEthernetMinFrame = 64;     ///< including FCS
inline constexpr std::uint32_t kEthernetPreambleGap = 20;  ///< preamble + SFD 8, inter-frame gap 12
inline constexpr std::uint32_t kIpv4Header = 20;
inline constexpr std::uint32_t kTcpHeader = 20;
inline constexpr std::uint32_t kTcpMssOption = 4;          ///< kind 2, on SYN and SYN-ACK
inline constexpr std::uint32_t kTcpTimestampOption = 10;   ///< kind 8: TSval, TSecr (RFC 7323)
/// Linux's TCP_MIN_MSS (include/net/tcp.h): TCP never uses a smaller MSS, so an interface
/// that carries TCP needs an MTU of at least kTcpMinMss + kIpv4Header + kTcpHeader = 128.
inline constexpr std::uint32_t kTcpMinMss = 88;
inline constexpr std::uint32_t kTcpToaOption = 8;          ///< kind 254: client port and IPv4 address (FULLNAT)
inline constexpr std::uint32_t kUdpHeader = 8;
inline constexpr std::uint32_t kIcmpHeader = 8;
inline constexpr std::uint32_t kArpBody = 28;
inline constexpr std::uint32_t kVrrpHeader = 8;       ///< RFC 3768 5.1 / RFC 5798 5.1: before the addresses
inline constexpr std::uint32_t kVrrpAuthData = 8;     ///< version 2 only: Authentication Data after the addresses
inline constexpr std::uint32_t kVrrpMaxAddresses = 8; ///< IPv4 addresses an advert carries inline (model limit)
/// 224.0.0.18, the IANA group of VRRP (RFC 3768 5.2.2, RFC 5798 5.1.1.2): link-local, never routed.
inline constexpr Ipv4Address kVrrpGroup{224, 0, 0, 18};

struct Ipv4Header {
  Ipv4Address src;
  Ipv4Address dst;
  IpProto proto = IpProto::Tcp;
  std::uint8_t ttl = 64;
  bool dont_fragment = true;
  std::uint16_t id = 0;
  std::uint16_t frag_offset = 0;  ///< in 8-byte units
  bool more_fragments = false;    ///< MF: more fragments follow this one

  /// True for a fragment of a larger datagram (MF set or a non-zero offset).
  bool is_fragment() const { return more_fragments || frag_offset != 0; }
};

/// The TCP options a segment carries (RFC 793 MSS, RFC 2018 SACK-permitted, RFC 7323
/// window scale and timestamps, and the TOA option FULLNAT directors insert), as bits of
/// TcpHeader::kinds. How they are laid out on the wire is tcp_options.hpp's business.
namespace tcp_option {
inline constexpr std::uint8_t kMss = 0x01, kSackPermitted = 0x02, kTimestamps = 0x04, kWindowScale = 0x08,
                              kToa = 0x10;
/// The timestamp option was overwritten with NOPs in place (a FULLNAT director strips it
/// from the client's SYN): its 10 bytes stay, as NOPs.
inline constexpr std::uint8_t kTimestampsStripped = 0x20;
}  // namespace tcp_option

struct TcpHeader {
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint8_t flags = 0;
  std::uint8_t options = 0;   ///< option bytes on the wire (a multiple of 4, at most 40)
  std::uint16_t window = 65535;  ///< the window field as sent (scaled on non-SYN segments)
  std::uint8_t kinds = 0;     ///< tcp_option bits: which options the `options` bytes hold
  std::uint8_t wscale = 0;    ///< window scale shift, with kWindowScale
  std::uint16_t mss = 0;      ///< MSS value, with kMss
  std::uint32_t tsval = 0;    ///< timestamp value, with kTimestamps
  std::uint32_t tsecr = 0;    ///< timestamp echo reply, with kTimestamps
  std::uint32_t toa_addr = 0; ///< the client's IPv4 address, with kToa
  std::uint16_t toa_port = 0; ///< the client's port, with kToa
  bool has_option(std::uint8_t kind) const { return (kinds & kind) != 0; }
};

enum class IcmpType : std::uint8_t { EchoReply = 0, DestUnreachable = 3, EchoRequest = 8, TimeExceeded = 11 };
/// ICMP codes used in the model: destination unreachable, and time exceeded (RFC 792).
namespace icmp_code {
inline constexpr std::uint8_t kNetUnreachable = 0, kHostUnreachable = 1, kPortUnreachable = 3, kFragNeeded = 4;
inline constexpr std::uint8_t kTtlExceeded = 0, kReassemblyTimeExceeded = 1;
}

struct IcmpBody {
  IcmpType type = IcmpType::DestUnreachable;
  std::uint8_t code = 0;
  std::uint16_t next_hop_mtu = 0;  ///< for "fragmentation needed"
  Ipv4Header quoted_ip;            ///< the offending packet's IP header
  std::uint16_t quoted_sport = 0;  ///< and its first 8 bytes: the ports
  std::uint16_t quoted_dport = 0;
};

enum class ArpOp : std::uint16_t { Request = 1, Reply = 2 };

struct ArpBody {
  ArpOp op = ArpOp::Request;
  MacAddress sender_mac;
  Ipv4Address sender_ip;
  MacAddress target_mac;
  Ipv4Address target_ip;
};

/// A VRRP advertisement (type 1), version 2 (RFC 3768 5.3) or 3 (RFC 5798 5.2). The
/// addresses are inline: an advert allocates nothing.
struct VrrpBody {
  std::uint8_t version = 2;
  std::uint8_t type = 1;            ///< 1: ADVERTISEMENT, the only type
  std::uint8_t vrid = 0;            ///< Virtual Rtr ID, 1..255
  std::uint8_t priority = 100;      ///< 255: the address owner; 0: the master is resigning
  std::uint8_t count = 0;           ///< Count IP Addrs (IPvX Addr) the advert carries
  std::uint8_t auth_type = 0;       ///< version 2: 0 none, 1 simple text password
  std::uint16_t advert_int = 1;     ///< version 2: whole seconds (8 bits); version 3: centiseconds (12 bits)
  std::array<Ipv4Address, kVrrpMaxAddresses> addresses{};
  std::array<std::uint8_t, kVrrpAuthData> auth_data{};  ///< version 2: the password, zero-padded
  /// The VRRP message's length, bytes.
  std::uint32_t bytes() const { return kVrrpHeader + 4 * std::uint32_t{count} + (version == 2 ? kVrrpAuthData : 0); }
};

/// One frame. `id` follows a packet through rewrites and encapsulation, for tracing.
///
/// Layout (docs/hot-path.md): the fields every hop reads (Ethernet, the IP header, ports,
/// TCP, payload: all that frame_bytes() needs) come first and fill the first two cache
/// lines of the 64-byte-aligned packet; the outer header and the ICMP, ARP and VRRP bodies,
/// which most frames never touch, follow. The order of members changes no behaviour:
/// nothing initialises a Packet positionally or reads it as bytes.
struct alignas(64) Packet {
  std::uint64_t id = 0;
  MacAddress eth_src;
  MacAddress eth_dst;
  EtherType ethertype = EtherType::Ipv4;
  bool encapsulated = false;  ///< an IPIP outer header wraps `ip`
  /// Not on the wire: the sender's TCP made progress since its last segment, which
  /// confirms the next hop's neighbour entry as it leaves (Linux sock_confirm_neigh).
  bool confirm_neighbour = false;
  std::uint32_t payload = 0;  ///< bytes after the headers this frame carries (a later fragment: its whole IP payload)
  Ipv4Header ip;              ///< the (inner) IP header
  std::uint16_t sport = 0;    ///< TCP/UDP ports
  std::uint16_t dport = 0;
  std::uint32_t message_bytes = 0;  ///< not on the wire: total bytes of the app message (UDP reassembly, TCP message length)
  TcpHeader tcp;
  std::uint64_t app = 0;      ///< not on the wire: the sender's tag (request id), for the model only
  /// Not on the wire: the sending TCP socket's index in its host's socket slab, and the
  /// receiving socket's index as the sender last learnt it from the peer's segments
  /// (~0: unknown). A demultiplexing hint the receiver checks against the four-tuple
  /// before trusting it (docs/conn-tables.md, "Demultiplexing hints"); never behaviour.
  std::uint32_t tcp_from_socket = ~std::uint32_t{0};
  std::uint32_t tcp_to_socket = ~std::uint32_t{0};
  Ipv4Header outer;           ///< the outer header when encapsulated
  IcmpBody icmp;
  ArpBody arp;
  VrrpBody vrrp;

  /// The header that is on the wire first, and the one fragmentation applies to.
  Ipv4Header& outermost() { return encapsulated ? outer : ip; }
  const Ipv4Header& outermost() const { return encapsulated ? outer : ip; }
  /// True for a fragment that is not the first: it carries no header after the outermost.
  bool is_later_fragment() const { return ip.frag_offset != 0 || (encapsulated && outer.frag_offset != 0); }
  /// Bytes of the L4 header (TCP with options, UDP, ICMP with its quote); 0 in a later fragment.
  std::uint32_t l4_header_bytes() const;
  /// The IP datagram's total length, outer header included when encapsulated.
  std::uint32_t ip_bytes() const;
  /// The Ethernet frame including FCS, at least 64 bytes.
  std::uint32_t frame_bytes() const;
  /// What the frame occupies on the wire: frame + preamble + inter-frame gap.
  std::uint32_t wire_bytes() const { return frame_bytes() + kEthernetPreambleGap; }
  bool is_tcp() const { return ethertype == EtherType::Ipv4 && ip.proto == IpProto::Tcp; }
  bool has_flag(std::uint8_t f) const { return (tcp.flags & f) != 0; }
};

// Inline: every hop asks a frame's size several times (sender, switch ports, receiver);
// inlined, the repeated calls on an unchanged packet fold into one (docs/hot-path.md).
inline std::uint32_t Packet::l4_header_bytes() const {
  if (is_later_fragment()) return 0;
  switch (ip.proto) {
    case IpProto::Tcp: return kTcpHeader + tcp.options;
    case IpProto::Udp: return kUdpHeader;
    case IpProto::Icmp: return kIcmpHeader + kIpv4Header + 8;  // RFC 792: header + 64 bits quoted
    case IpProto::IpIp: return 0;
    case IpProto::Vrrp: return vrrp.bytes();
  }
  return 0;
}

inline std::uint32_t Packet::ip_bytes() const {
  const bool inner_header = encapsulated && outer.frag_offset == 0;
  return kIpv4Header + (inner_header ? kIpv4Header : 0) + l4_header_bytes() + payload;
}

inline std::uint32_t Packet::frame_bytes() const {
  const std::uint32_t l3 = ethertype == EtherType::Arp ? kArpBody : ip_bytes();
  const std::uint32_t frame = kEthernetHeader + l3 + kEthernetFcs;
  return frame > kEthernetMinFrame ? frame : kEthernetMinFrame;
}

/// TCP flags as tcpdump writes them: "S", "S.", "P.", "F.", "R" ("." is ACK).
std::string tcp_flags_text(const Packet& p);

}  // namespace lvs
