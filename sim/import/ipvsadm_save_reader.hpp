#pragma once
// ipvsadm -S / ipvsadm-save output, with or without -n (lvs-models-reference.md §7.4):
//   -A -t|-u|-f SERVICE [-s SCHED] [-p [TIMEOUT]] [-M NETMASK] [-b FLAGS]
//   -a -t|-u|-f SERVICE -r SERVER[:PORT] [-g|-m|-i] [-w WEIGHT] [-x UPPER] [-y LOWER]
// and the long spellings. Without -n a port is a name (":http"), resolved as
// service_names.hpp says; a host name cannot be resolved (no DNS) and its line is skipped.

#include <string>
#include <vector>

#include "import/imported_config.hpp"

namespace lvs::import {

/// The services of `text` (`file` names it in warnings), in file order.
std::vector<ImportedService> read_ipvsadm_save_text(const std::string& text, const std::string& file,
                                                    Diagnostics& diagnostics,
                                                    const std::string& services_file = "/etc/services");
/// Reads the file; throws ImportError when it cannot be read.
std::vector<ImportedService> read_ipvsadm_save(const std::string& file, Diagnostics& diagnostics);

}  // namespace lvs::import
