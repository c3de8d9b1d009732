#include "capture/frame_bytes.hpp"

#include "net/byte_order.hpp"
#include "net/tcp_options.hpp"

namespace lvs {

namespace {

constexpr std::uint32_t kIcmpQuotedL4 = 8;  // RFC 792: the first 64 bits of the datagram's data

void put_mac(std::uint8_t* at, MacAddress m) {
  for (int i = 0; i < 6; ++i) at[i] = m.octet(i);
}

void put_ip(std::uint8_t* at, Ipv4Address a) { put32(at, a.value()); }

// A 20-byte IPv4 header (no options) of `total` bytes, with its header checksum.
void write_ipv4(std::uint8_t* at, const Ipv4Header& h, std::uint32_t total) {
  at[0] = 0x45;  // version 4, IHL 5 words
  at[1] = 0;     // DSCP, ECN
  put16(at + 2, total);
  put16(at + 4, h.id);
  put16(at + 6, (h.dont_fragment ? 0x4000U : 0U) | (h.more_fragments ? 0x2000U : 0U) | (h.frag_offset & 0x1fffU));
  at[8] = h.ttl;
  at[9] = static_cast<std::uint8_t>(h.proto);
  put16(at + 10, 0);
  put_ip(at + 12, h.src);
  put_ip(at + 16, h.dst);
  put16(at + 10, internet_checksum({at, kIpv4Header}));
}

// The TCP/UDP pseudo-header (RFC 793 3.1, RFC 768): source, destination, protocol, length.
std::uint32_t pseudo_header_sum(const Ipv4Header& ip, std::uint32_t l4_length) {
  std::uint8_t b[12] = {};
  put_ip(b, ip.src);
  put_ip(b + 4, ip.dst);
  b[9] = static_cast<std::uint8_t>(ip.proto);
  put16(b + 10, l4_length);
  return ones_complement_sum(b);
}

// TCP header of `l4_length` bytes of segment (header + data), options as Linux lays them out.
void write_tcp(std::uint8_t* at, const Packet& p, std::uint32_t l4_length) {
  const std::uint32_t header = kTcpHeader + p.tcp.options;
  put16(at, p.sport);
  put16(at + 2, p.dport);
  put32(at + 4, p.tcp.seq);
  put32(at + 8, p.tcp.ack);
  at[12] = static_cast<std::uint8_t>((header / 4) << 4);
  at[13] = p.tcp.flags;
  put16(at + 14, p.tcp.window);
  write_tcp_options(at + kTcpHeader, p.tcp, p.tcp.options);
  put16(at + 16, internet_checksum({at, header}, pseudo_header_sum(p.ip, l4_length)));
}

// UDP header for a datagram of `l4_length` bytes; a computed checksum of 0 is sent as 0xffff.
void write_udp(std::uint8_t* at, const Packet& p, std::uint32_t l4_length) {
  put16(at, p.sport);
  put16(at + 2, p.dport);
  put16(at + 4, l4_length);
  const std::uint16_t sum = internet_checksum({at, kUdpHeader}, pseudo_header_sum(p.ip, l4_length));
  put16(at + 6, sum == 0 ? 0xffff : sum);
}

// The offending datagram's IP header and its first 8 bytes, as an ICMP error quotes them.
void write_quote(std::uint8_t* at, const IcmpBody& icmp) {
  const Ipv4Header& q = icmp.quoted_ip;
  const std::uint32_t l4 = q.proto == IpProto::Tcp ? kTcpHeader : kIcmpQuotedL4;
  write_ipv4(at, q, kIpv4Header + l4);
  put16(at + kIpv4Header, icmp.quoted_sport);
  put16(at + kIpv4Header + 2, icmp.quoted_dport);
  if (q.proto == IpProto::Udp) put16(at + kIpv4Header + 4, l4);  // length; checksum 0: none
}

// ICMP: type, code, checksum, 4 bytes that depend on the type, then 28 bytes: the quote
// of an error, zeros (echo data) otherwise.
void write_icmp(std::uint8_t* at, const Packet& p) {
  const IcmpBody& icmp = p.icmp;
  at[0] = static_cast<std::uint8_t>(icmp.type);
  at[1] = icmp.code;
  const bool error = icmp.type == IcmpType::DestUnreachable || icmp.type == IcmpType::TimeExceeded;
  if (icmp.type == IcmpType::DestUnreachable && icmp.code == icmp_code::kFragNeeded) put16(at + 6, icmp.next_hop_mtu);
  if (error) write_quote(at + kIcmpHeader, icmp);
  const std::uint32_t length = kIcmpHeader + kIpv4Header + kIcmpQuotedL4;
  put16(at + 2, internet_checksum({at, length}));
}

// A VRRP advert. Version 2 (RFC 3768 5.3): auth type and the interval in seconds in bytes
// 4-5, 8 bytes of authentication data after the addresses, the checksum over the VRRP
// message alone (5.3.8). Version 3 (RFC 5798 5.2): 4 reserved bits and a 12-bit interval in
// centiseconds, no authentication data, the checksum over the message and the IPv4
// pseudo-header, as TCP and UDP compute it (5.2.8).
void write_vrrp(std::uint8_t* at, const Packet& p) {
  const VrrpBody& v = p.vrrp;
  at[0] = static_cast<std::uint8_t>(v.version << 4 | (v.type & 0x0f));
  at[1] = v.vrid;
  at[2] = v.priority;
  at[3] = v.count;
  if (v.version == 2) {
    at[4] = v.auth_type;
    at[5] = static_cast<std::uint8_t>(v.advert_int);
  } else {
    put16(at + 4, v.advert_int & 0x0fffU);
  }
  for (std::uint32_t i = 0; i < v.count; ++i) put_ip(at + kVrrpHeader + 4 * i, v.addresses[i]);
  if (v.version == 2)
    for (std::uint32_t i = 0; i < kVrrpAuthData; ++i) at[kVrrpHeader + 4 * v.count + i] = v.auth_data[i];
  const std::uint32_t length = v.bytes();
  const std::uint32_t pseudo = v.version == 2 ? 0 : pseudo_header_sum(p.ip, length);
  put16(at + 6, internet_checksum({at, length}, pseudo));
}

void write_arp(std::uint8_t* at, const ArpBody& a) {
  put16(at, 1);       // hardware: Ethernet
  put16(at + 2, static_cast<std::uint16_t>(EtherType::Ipv4));
  at[4] = 6;          // hardware address length
  at[5] = 4;          // protocol address length
  put16(at + 6, static_cast<std::uint16_t>(a.op));
  put_mac(at + 8, a.sender_mac);
  put_ip(at + 14, a.sender_ip);
  put_mac(at + 18, a.target_mac);
  put_ip(at + 24, a.target_ip);
}

/// The total length of the `ip` header's datagram and the L4 length (header + data) this
/// frame's headers describe: its own, or those of the whole datagram when it is known.
struct Lengths {
  std::uint32_t ip_total;
  std::uint32_t l4;
};

Lengths lengths(const Packet& p, std::uint32_t whole_payload) {
  const std::uint32_t own = p.ip_bytes() - (p.encapsulated ? kIpv4Header : 0);
  Lengths l{own, own - kIpv4Header};
  if (whole_payload == 0) return l;
  if (p.encapsulated && p.outer.is_fragment()) {
    l.ip_total = whole_payload;  // the inner datagram is the outer one's payload
    if (!p.ip.is_fragment()) l.l4 = whole_payload - kIpv4Header;
  } else if (p.ip.is_fragment()) {
    l.l4 = whole_payload;
  }
  return l;
}

void write_l4(std::uint8_t* at, const Packet& p, std::uint32_t l4_length) {
  switch (p.ip.proto) {
    case IpProto::Tcp: write_tcp(at, p, l4_length); break;
    case IpProto::Udp: write_udp(at, p, l4_length); break;
    case IpProto::Icmp: write_icmp(at, p); break;
    case IpProto::IpIp: break;  // no L4 header of its own
    case IpProto::Vrrp: write_vrrp(at, p); break;
  }
}

void write_ip_datagram(std::uint8_t* at, const Packet& p, std::uint32_t whole_payload) {
  if (p.encapsulated) {
    write_ipv4(at, p.outer, p.ip_bytes());
    if (p.outer.frag_offset != 0) return;  // a later fragment of the outer datagram: data only
    at += kIpv4Header;
  }
  const Lengths len = lengths(p, whole_payload);
  write_ipv4(at, p.ip, len.ip_total);
  if (!p.is_later_fragment()) write_l4(at + kIpv4Header, p, len.l4);
}

}  // namespace

std::uint32_t ones_complement_sum(std::span<const std::uint8_t> bytes, std::uint32_t sum) {
  std::size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) sum += static_cast<std::uint32_t>(bytes[i] << 8 | bytes[i + 1]);
  if (i < bytes.size()) sum += static_cast<std::uint32_t>(bytes[i] << 8);  // an odd byte, padded with zero
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

std::uint16_t internet_checksum(std::span<const std::uint8_t> bytes, std::uint32_t sum) {
  return static_cast<std::uint16_t>(~ones_complement_sum(bytes, sum));
}

const Ipv4Header* fragmented_header(const Packet& p) {
  if (p.ethertype != EtherType::Ipv4) return nullptr;
  if (p.encapsulated && p.outer.is_fragment()) return &p.outer;
  return p.ip.is_fragment() ? &p.ip : nullptr;
}

void serialize_frame(const Packet& p, std::vector<std::uint8_t>& out, std::uint32_t whole_payload) {
  out.assign(p.frame_bytes() - kEthernetFcs, 0);
  std::uint8_t* at = out.data();
  put_mac(at, p.eth_dst);
  put_mac(at + 6, p.eth_src);
  put16(at + 12, static_cast<std::uint16_t>(p.ethertype));
  if (p.ethertype == EtherType::Arp)
    write_arp(at + kEthernetHeader, p.arp);
  else
    write_ip_datagram(at + kEthernetHeader, p, whole_payload);
}

}  // namespace lvs
