#include "net/packet.hpp"

#include <algorithm>

namespace lvs {

std::uint32_t Packet::l4_header_bytes() const {
  switch (ip.proto) {
    case IpProto::Tcp: return kTcpHeader + tcp.options;
    case IpProto::Udp: return kUdpHeader;
    case IpProto::Icmp: return kIcmpHeader + kIpv4Header + 8;  // RFC 792: header + 64 bits quoted
    case IpProto::IpIp: return 0;
  }
  return 0;
}

std::uint32_t Packet::ip_bytes() const {
  return kIpv4Header + l4_header_bytes() + payload + (encapsulated ? kIpv4Header : 0);
}

std::uint32_t Packet::frame_bytes() const {
  const std::uint32_t l3 = ethertype == EtherType::Arp ? kArpBody : ip_bytes();
  return std::max(kEthernetHeader + l3 + kEthernetFcs, kEthernetMinFrame);
}

}  // namespace lvs
