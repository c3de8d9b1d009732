#pragma once
// Named director profiles: one forwarding implementation on one measured machine, with
// what a packet costs a core in each forwarding method, what creating a connection costs,
// and where each figure comes from. A scenario's director runs on one of them
// (`cpu: {profile: NAME}`, default kernel-ipvs) and may override any figure. The facts and
// their sources are in docs/director-profiles.md; `lvslab profiles` lists them.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "lvs/director_cpu.hpp"

namespace lvs {

/// CPU time on one core, and whether a measurement gives it or an assumption fills a gap.
struct ProfileCost {
  Time time;
  bool assumed = false;  ///< true: not measured; the profile's `derivation` says what fills the gap
};

struct DirectorProfile {
  std::string_view name;         ///< what a scenario writes: "kernel-ipvs"
  std::string_view description;  ///< one line
  std::string_view hardware;     ///< the machine the figures were measured on
  int cores = 1;                 ///< cores (DPVS: workers) a director gets unless the scenario sets cpu.cores
  /// Per packet, either direction; none: the implementation has no such forwarding method.
  std::optional<ProfileCost> masquerade, direct_routing, tunnel, full_nat;
  ProfileCost connection;        ///< once per connection IPVS creates (on top of its packets)
  std::string_view source;       ///< where the measurement is published
  std::string_view derivation;   ///< which measurement, which arithmetic, which assumption fills which gap
};

/// The profile a director runs on when its scenario names none.
inline constexpr std::string_view kDefaultDirectorProfile = "kernel-ipvs";

/// Every profile, sorted by name.
const std::vector<DirectorProfile>& director_profiles();

/// The profile called `name`, or nullptr.
const DirectorProfile* find_director_profile(std::string_view name);

/// The profile called `name`; throws std::invalid_argument listing the valid names if there is none.
const DirectorProfile& director_profile(std::string_view name);

/// The profile names, sorted.
std::vector<std::string> director_profile_names();

/// A director CPU with the profile's cores and costs (backlog: DirectorCpuConfig's default).
DirectorCpuConfig cpu_config(const DirectorProfile& p);

/// What `cfg` changes from its named profile, one item per figure: "cores 1", "nat 25us",
/// "connection 0ns". Empty when it runs the profile as published.
std::vector<std::string> profile_overrides(const DirectorCpuConfig& cfg);

}  // namespace lvs
