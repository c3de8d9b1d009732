#pragma once
// One frame as a row of a golden hop table:
// "node/iface  eth-src > eth-dst  [outer-src > outer-dst] src:port > dst:port FLAGS  BYTESB"
// (ARP frames as "ARP who-has IP tell IP" / "ARP reply IP is-at MAC").

#include <sstream>
#include <string>

#include "net/interface.hpp"
#include "net/node.hpp"
#include "net/packet.hpp"

namespace lvs::test {

inline std::string hop_row(const Interface& at, const Packet& p) {
  std::ostringstream row;
  row << at.node().name() << '/' << at.name() << "  " << p.eth_src.str() << " > " << p.eth_dst.str() << "  ";
  if (p.ethertype == EtherType::Arp) {
    if (p.arp.op == ArpOp::Request)
      row << "ARP who-has " << p.arp.target_ip.str() << " tell " << p.arp.sender_ip.str();
    else
      row << "ARP reply " << p.arp.sender_ip.str() << " is-at " << p.arp.sender_mac.str();
  } else {
    if (p.encapsulated) row << '[' << p.outer.src.str() << " > " << p.outer.dst.str() << "] ";
    row << p.ip.src.str() << ':' << p.sport << " > " << p.ip.dst.str() << ':' << p.dport << ' ' << tcp_flags_text(p);
  }
  row << "  " << p.frame_bytes() << 'B';
  return row.str();
}

}  // namespace lvs::test
