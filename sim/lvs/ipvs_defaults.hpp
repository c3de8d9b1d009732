#pragma once
// IPVS defaults that the scenario reader, the director and the GUI share.

#include "core/time.hpp"

namespace lvs {

/// ipvsadm -p with no value: 360 s (IPVS_SVC_PERSISTENT_TIMEOUT, include/uapi/linux/ip_vs.h).
inline constexpr Time kDefaultPersistentTimeout = Time::s(360);

}  // namespace lvs
