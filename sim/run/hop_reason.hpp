#pragma once
// Why a node acted as it did at one hop of a packet walk, as one sentence: "director: DR —
// destination MAC rewritten to rs3, IP untouched, VIP 192.168.1.100 kept". Derived from the
// node's role in the scenario (a director, a real server and its destination's forwarding
// method) and from what the hop changed (TraceRow::changed), so `lvslab trace` and the GUI's
// packet walk say the same thing. The rules each sentence states are in docs/gui.md
// ("The packet walk as a lesson").

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "net/address.hpp"
#include "run/trace.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs::run {

/// Who is who in a walk, from its scenario.
struct HopRoles {
  std::set<std::string> directors;                  ///< every host of kind director
  std::map<std::string, scenario::Method> servers;  ///< real server host -> its first destination's method
  std::map<std::uint32_t, std::string> hosts;       ///< interface address -> host name
};

/// The roles of `spec`'s hosts.
HopRoles hop_roles(const scenario::ScenarioSpec& spec);

/// The row TraceRow::changed of row `i` compares against: the same packet's previous frame.
std::optional<std::size_t> previous_frame(const Trace& t, std::size_t i);

/// Sets TraceRow::reason on each row where a director or a real server acted on a packet of
/// the traced flow: a director's frame out; a real server taking the request in (DR: the VIP
/// on lo; TUN: the IPIP header removed; NAT, FULLNAT: its own address) and sending a reply.
void explain_hops(Trace& t, const HopRoles& roles);

}  // namespace lvs::run
