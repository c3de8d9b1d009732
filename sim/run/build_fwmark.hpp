#pragma once
// A fwmark service of the scenario built on one director: `ipvsadm -A -f MARK -s SCHED` and
// the mangle PREROUTING MARK rules that set the mark (docs/fwmark.md).

#include "lvs/director.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs::run {

/// Adds fwmark service `s` (s.fwmark set) to `d` and appends its mark rules to d's chain.
VirtualService& add_fwmark_service(Director& d, const scenario::ServiceSpec& s);

}  // namespace lvs::run
