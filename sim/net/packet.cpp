#include "net/packet.hpp"

#include <algorithm>

namespace lvs {

std::uint32_t Packet::l4_header_bytes() const {
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

std::uint32_t Packet::ip_bytes() const {
  const bool inner_header = encapsulated && outer.frag_offset == 0;
  return kIpv4Header + (inner_header ? kIpv4Header : 0) + l4_header_bytes() + payload;
}

std::uint32_t Packet::frame_bytes() const {
  const std::uint32_t l3 = ethertype == EtherType::Arp ? kArpBody : ip_bytes();
  return std::max(kEthernetHeader + l3 + kEthernetFcs, kEthernetMinFrame);
}

std::string tcp_flags_text(const Packet& p) {
  std::string f;
  if (p.has_flag(tcp_flags::kSyn)) f += 'S';
  if (p.has_flag(tcp_flags::kFin)) f += 'F';
  if (p.has_flag(tcp_flags::kRst)) f += 'R';
  if (p.has_flag(tcp_flags::kPsh)) f += 'P';
  if (p.has_flag(tcp_flags::kAck)) f += '.';
  return f;
}

}  // namespace lvs
