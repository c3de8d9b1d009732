#pragma once
// The director's packet-processing CPU: each IPVS packet costs a fixed time by forwarding
// method on the earliest free of `cores` cores (softirq work spread by RSS), FIFO, with a
// per-core backlog limit (netdev_max_backlog); the packet that makes IPVS create a
// connection costs that much more. The figures come from a named profile
// (director_profiles.hpp), each with its source, and whatever a scenario overrides.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace lvs {

struct DirectorCpuConfig {
  std::string profile;                  ///< the named profile the figures come from
  int cores = 1;
  /// Per packet, either direction, by forwarding method; none: the profile's implementation
  /// has no such method (a scenario using it is refused by validate).
  std::optional<Time> masquerade, direct_routing, tunnel, full_nat;
  Time connection;                      ///< added once, to the packet for which IPVS creates a connection
  std::size_t backlog_packets = 1000;   ///< per core (net.core.netdev_max_backlog, default 1000)
};

class DirectorCpu {
 public:
  explicit DirectorCpu(DirectorCpuConfig cfg);
  /// Takes a packet costing `cost` at `now`: when its processing ends, or nothing if the backlog is full.
  std::optional<Time> admit(Time now, Time cost);
  /// Busy fraction of all cores over [0, now] (work committed beyond now not counted).
  double utilization(Time now) const;
  /// Core-time spent busy over [0, now], summed over the cores (exact: the difference over an
  /// idle interval is zero).
  Time busy_time(Time now) const;
  const DirectorCpuConfig& config() const { return cfg_; }
  std::uint64_t packets() const { return packets_; }

 private:
  DirectorCpuConfig cfg_;
  std::vector<Time> free_at_;  // per core
  Time busy_;
  std::uint64_t packets_ = 0;
};

}  // namespace lvs
