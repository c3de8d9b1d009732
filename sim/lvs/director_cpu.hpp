#pragma once
// The director's packet-processing CPU: each IPVS packet costs a fixed time by forwarding
// method on the earliest free of `cores` cores (softirq work spread by RSS), FIFO, with a
// per-core backlog limit (netdev_max_backlog). NAT costs more than DR: it rewrites and
// checksums both directions; TUN adds an encapsulation; FULLNAT rewrites both addresses.

#include <cstdint>
#include <optional>
#include <vector>

#include "core/time.hpp"

namespace lvs {

struct DirectorCpuConfig {
  int cores = 1;
  Time masquerade = Time::ns(2000);     ///< per packet, either direction
  Time direct_routing = Time::ns(800);
  Time tunnel = Time::ns(1200);
  Time full_nat = Time::ns(2500);
  std::size_t backlog_packets = 1000;   ///< per core
};

class DirectorCpu {
 public:
  explicit DirectorCpu(DirectorCpuConfig cfg);
  /// Takes a packet costing `cost` at `now`: when its processing ends, or nothing if the backlog is full.
  std::optional<Time> admit(Time now, Time cost);
  /// Busy fraction of all cores over [0, now] (work committed beyond now not counted).
  double utilization(Time now) const;
  const DirectorCpuConfig& config() const { return cfg_; }
  std::uint64_t packets() const { return packets_; }

 private:
  DirectorCpuConfig cfg_;
  std::vector<Time> free_at_;  // per core
  Time busy_;
  std::uint64_t packets_ = 0;
};

}  // namespace lvs
