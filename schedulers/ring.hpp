#pragma once
// The ring scheduler (ring.cpp: consistent hashing, Karger et al., STOC 1997) with a chosen
// number of virtual nodes, for the disruption explorer (docs/hash-disruption.md). Not an
// IPVS scheduler: the kernel has none like it.

#include <cstdint>
#include <memory>

#include "schedulers/scheduler.hpp"

namespace lvs {

/// A fresh ring whose heaviest destination places `vnodes` (>= 1) virtual nodes and every
/// other ceil(vnodes * w / w_max); `make_scheduler("ring")` gives 1024.
std::unique_ptr<Scheduler> make_hash_ring(std::int64_t vnodes);

}  // namespace lvs
