#include "net/host_counters.hpp"

#include <numeric>

namespace lvs {

IcmpKind icmp_kind(IcmpType type, std::uint8_t code) {
  if (type == IcmpType::TimeExceeded) return IcmpKind::TimeExceeded;
  if (type != IcmpType::DestUnreachable) return IcmpKind::Other;
  switch (code) {
    case icmp_code::kFragNeeded: return IcmpKind::FragNeeded;
    case icmp_code::kPortUnreachable: return IcmpKind::PortUnreachable;
    case icmp_code::kNetUnreachable: return IcmpKind::NetUnreachable;
    default: return IcmpKind::Other;
  }
}

std::string_view icmp_kind_name(IcmpKind kind) {
  switch (kind) {
    case IcmpKind::FragNeeded: return "frag_needed";
    case IcmpKind::PortUnreachable: return "port_unreachable";
    case IcmpKind::NetUnreachable: return "net_unreachable";
    case IcmpKind::TimeExceeded: return "time_exceeded";
    case IcmpKind::Other: break;
  }
  return "other";
}

std::uint64_t IcmpCounts::total() const { return std::accumulate(n_.begin(), n_.end(), std::uint64_t{0}); }

bool HostCounters::any() const {
  return rst_sent + rst_received + syn_retransmits + retransmits + icmp_sent.total() + icmp_received.total() +
             arp_requests_sent + arp_replies_sent + arp_requests_received + arp_replies_received >
         0;
}

}  // namespace lvs
