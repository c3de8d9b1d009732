#pragma once
// The service's scheduler flags by the names ipvsadm -b and keepalived take: flag-1, flag-2
// and flag-3 are IP_VS_SVC_F_SCHED1..3; sh-fallback and mh-fallback name SCHED1 for the
// scheduler that reads it, sh-port and mh-port SCHED2 (include/uapi/linux/ip_vs.h;
// ipvsadm.c parse_sched_flags; keepalived's `flag-N`, `sh-port`, ... keywords, which apply
// the sh-/mh- names to their scheduler only).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lvs {

/// Every name, in ipvsadm's order.
const std::vector<std::string>& sched_flag_names();
/// The flag bit `name` sets, or nullopt for an unknown name.
std::optional<std::uint32_t> sched_flag_bit(std::string_view name);
/// The scheduler a named flag is for ("sh" for sh-port, "mh" for mh-fallback), or "" for
/// the generic flag-1..3.
std::string_view sched_flag_owner(std::string_view name);
/// The bits of the service's flags as ipvsadm -Ln names them for `scheduler`:
/// "sh-fallback,sh-port" for sh, "mh-..." for mh, "flag-1,..." otherwise; "" for none.
std::string sched_flags_text(std::uint32_t flags, std::string_view scheduler);

}  // namespace lvs
