#pragma once
// What one host sent and received of the packets the lessons are about: TCP RSTs and
// retransmitted SYNs (nat-wrong-gateway, nat-no-ip-forward), ICMP errors by kind
// (fragmentation needed in tun-mtu, port unreachable from IPVS or a closed UDP port), ARP
// requests and replies (dr-arp-problem: who answers for the VIP).
//
// Counted where the host builds a packet (its TCP, its ICMP errors, its ARP) and where
// its own stack takes one in: a packet the host only passes on (a router forwarding,
// IPVS rewriting, a tunnel) is neither sent nor received by it, so one RST is counted
// once at each end, however many hops lie between. Plain integers, one increment each.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "net/packet.hpp"

namespace lvs {

/// The ICMP messages the model sends, as netstat -s groups them (the rest: Other).
enum class IcmpKind : std::uint8_t { FragNeeded, PortUnreachable, NetUnreachable, TimeExceeded, Other };
inline constexpr std::size_t kIcmpKinds = 5;

/// The kind of an ICMP message of `type` and `code`.
IcmpKind icmp_kind(IcmpType type, std::uint8_t code);
/// "frag_needed", "port_unreachable", "net_unreachable", "time_exceeded", "other".
std::string_view icmp_kind_name(IcmpKind kind);

/// ICMP messages by kind.
class IcmpCounts {
 public:
  void count(const IcmpBody& icmp) { ++n_[static_cast<std::size_t>(icmp_kind(icmp.type, icmp.code))]; }
  std::uint64_t operator[](IcmpKind kind) const { return n_[static_cast<std::size_t>(kind)]; }
  std::uint64_t total() const;

 private:
  std::array<std::uint64_t, kIcmpKinds> n_{};
};

struct HostCounters {
  std::uint64_t rst_sent = 0;              ///< TCP RSTs this host's TCP sent (to a stray segment, a closed port, an abort)
  std::uint64_t rst_received = 0;          ///< TCP RSTs that reached its TCP (for no connection too)
  std::uint64_t syn_retransmits = 0;       ///< SYNs and SYN-ACKs sent again (timer, or the peer's SYN again)
  std::uint64_t retransmits = 0;           ///< TCP segments sent again, SYNs and SYN-ACKs included
  IcmpCounts icmp_sent;                    ///< ICMP errors this host generated (IPVS's included)
  IcmpCounts icmp_received;                ///< ICMP messages addressed to this host
  std::uint64_t arp_requests_sent = 0;     ///< broadcast, unicast probes and gratuitous ones
  std::uint64_t arp_gratuitous_sent = 0;   ///< of those, gratuitous (VRRP takeover)
  std::uint64_t arp_replies_sent = 0;
  std::uint64_t arp_requests_received = 0; ///< every broadcast request on its segments, for it or not
  std::uint64_t arp_replies_received = 0;

  /// True if any counter is non-zero.
  bool any() const;
};

}  // namespace lvs
