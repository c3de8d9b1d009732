#pragma once
// ldirectord.cf (ldirectord(8), "CONFIGURATION"): global KEY=VALUE lines, then one block per
// virtual service, `virtual=VIP:PORT` followed by indented lines:
//   real=RIP:PORT gate|masq|ipip [WEIGHT] ["REQUEST", "RECEIVE"]
//   checktype, service, request, receive, scheduler, persistent, netmask, protocol,
//   checkport, checkinterval, checktimeout, connecttimeout, negotiatetimeout, quiescent,
//   failurecount, fallback
// A per-virtual value overrides the global one. Defaults are ldirectord's: checkinterval 10 s,
// checktimeout 5 s, negotiatetimeout 30 s, failurecount 1, quiescent yes, checktype negotiate.

#include <string>
#include <vector>

#include "import/imported_config.hpp"

namespace lvs::import {

std::vector<ImportedService> read_ldirectord_text(const std::string& text, const std::string& file,
                                                  Diagnostics& diagnostics,
                                                  const std::string& services_file = "/etc/services");
/// Reads the file; throws ImportError when it cannot be read.
std::vector<ImportedService> read_ldirectord(const std::string& file, Diagnostics& diagnostics);

}  // namespace lvs::import
