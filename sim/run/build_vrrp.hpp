#pragma once
// The scenario's VRRP (vrrp_instance, vrrp_script, vrrp_sync_group) made into one
// control::VrrpDaemon per director that runs a member, started at time 0.

#include <functional>

#include "control/vrrp_daemon.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs {
class Director;
}

namespace lvs::run {

struct Model;

/// What a vrrp_script checks on `director` (true: it would exit 0).
using VrrpCheckFactory = std::function<std::function<bool()>(Director& director, const scenario::VrrpScriptSpec& script)>;

/// The default checks: "service PORT" is true while the director's IPVS service on PORT has
/// a destination of weight > 0; "interface IFACE" is true while IFACE has carrier and its
/// link is up (link-down on the timeline); anything else is true.
std::function<bool()> default_vrrp_check(Director& director, const scenario::VrrpScriptSpec& script);

/// Builds a daemon per director in spec.vrrp into m.vrrp, with instances, tracked scripts
/// and sync groups, and starts them. Throws std::runtime_error for a name that resolves to
/// nothing (a director, interface or script).
void build_vrrp(Model& m, const scenario::ScenarioSpec& spec, const VrrpCheckFactory& check = default_vrrp_check);

/// The instance settings of `member` of `instance` (defaults resolved as keepalived does).
control::VrrpConfig vrrp_config(const scenario::VrrpInstanceSpec& instance, const scenario::VrrpMemberSpec& member);

}  // namespace lvs::run
