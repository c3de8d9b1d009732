#include "lvs/fwmark.hpp"

namespace lvs {

bool matches(const MarkRule& rule, const Packet& pkt) {
  const Ipv4Header& h = pkt.outermost();
  if (rule.proto && h.proto != *rule.proto) return false;
  if (!rule.destination.contains(h.dst)) return false;
  if (!rule.dport) return true;
  // xt_tcpudp's tcp_mt/udp_mt: a fragment with a non-zero offset never matches a port.
  if (pkt.encapsulated || h.frag_offset != 0) return false;
  return pkt.dport == *rule.dport;
}

std::uint32_t MarkTable::mark_of(const Packet& pkt) const {
  std::uint32_t mark = 0;
  for (const MarkRule& r : rules_)
    if (matches(r, pkt)) mark = r.mark;
  return mark;
}

}  // namespace lvs
