#pragma once
// What `ipvsadm ARGS` prints on a director at a moment of the run.

#include <string>

#include "lvs/director.hpp"
#include "lvs/ipvsadm_args.hpp"

namespace lvs {

/// The text of `ipvsadm c.args` on `d` at `now` (the current simulated time): runs the
/// rate estimator's ticks due by then (--rate) and formats the view.
std::string ipvsadm_view(Director& d, const IpvsadmCommand& c, Time now);

}  // namespace lvs
