#pragma once
// The user's scenario turned into another forwarding mode, for `lvslab trace --modes`: every
// destination's method switched, and the least configuration each mode needs on the same
// topology, so that the same request is compared (docs: README, "Tracing one request").
//
//   nat      the real servers' gateway is the director's address on their segment; ip_forward on
//   dr       the VIP on each real server's lo, arp_ignore=1 arp_announce=2; their gateway moved
//            off the director to a router of their segment when there is one (else the
//            director stays their gateway and forwards the replies: ip_forward on)
//   tun      the VIP on tunl0, rp_filter 0 where it was strict; arp_ignore/arp_announce as DR
//            for a server on the VIP's segment; the gateway as DR
//   fullnat  a local address on the director's interface on the real servers' segment, from
//            their subnet, when the service has none
//
// What cannot be derived is said, not guessed: DR needs a segment or link shared with the
// director, NAT and FULLNAT a director address on the real servers' segment.

#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario_spec.hpp"

namespace lvs::run {

/// A scenario derived for another mode, or why there is none.
struct ModeVariant {
  std::optional<scenario::ScenarioSpec> spec;  ///< nullopt when the mode cannot be derived
  std::vector<std::string> changes;            ///< "VIP 192.168.74.129 on lo of rs1, rs2", ...
  std::string reason;                          ///< why not, when `spec` is empty
};

/// `spec` with every destination switched to `mode` and the changes that mode needs.
ModeVariant derive_mode_variant(const scenario::ScenarioSpec& spec, scenario::Method mode);

}  // namespace lvs::run
