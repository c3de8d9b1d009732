#pragma once
// Firewall marks on a director: the iptables mangle rules that mark packets in PREROUTING
// (`iptables -t mangle -A PREROUTING -p tcp -d 10.1.0.0/16 --dport 80 -j MARK --set-mark 1`),
// which a fwmark virtual service (`ipvsadm -A -f 1`) then takes. The packet's mark is
// skb->mark; the model keeps no mark in the packet and evaluates the rules where the kernel
// would read it (the rules are stateless, so evaluating them twice gives one answer).
// docs/fwmark.md has the kernel's service lookup order and the policy route that brings
// marked packets for foreign addresses to IPVS's LOCAL_IN hook.

#include <cstdint>
#include <optional>
#include <vector>

#include "net/address.hpp"
#include "net/packet.hpp"

namespace lvs {

/// One mangle PREROUTING rule: `[-p PROTO] [-d PREFIX] [--dport PORT] -j MARK --set-mark MARK`.
struct MarkRule {
  std::optional<IpProto> proto;               ///< -p; nullopt: every protocol (`-p all`)
  Ipv4Prefix destination{Ipv4Address(), 0};   ///< -d; 0/0 matches every address
  std::optional<std::uint16_t> dport;         ///< --dport; nullopt: any port (needs -p tcp|udp)
  std::uint32_t mark = 0;                     ///< --set-mark, 1..2^32-1
};

/// A director's mangle PREROUTING chain of MARK rules, in the order they were appended.
class MarkTable {
 public:
  /// iptables -A: appends `rule`.
  void add(const MarkRule& rule) { rules_.push_back(rule); }
  bool empty() const { return rules_.empty(); }
  const std::vector<MarkRule>& rules() const { return rules_; }
  /// skb->mark after the chain: the mark of the LAST rule that matches, 0 if none. MARK is a
  /// non-terminating target (iptables-extensions(8), "MARK"; xt_MARK.c returns XT_CONTINUE),
  /// so a later matching rule overwrites an earlier one's mark.
  std::uint32_t mark_of(const Packet& pkt) const;

 private:
  std::vector<MarkRule> rules_;
};

/// Whether `rule` matches `pkt` (its outermost header; a port only in an unfragmented or first
/// fragment's TCP/UDP header, as xt_tcpudp refuses non-first fragments).
bool matches(const MarkRule& rule, const Packet& pkt);

}  // namespace lvs
