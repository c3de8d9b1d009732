#pragma once
// Which resource of a run saturates first (docs/bottleneck.md): director CPU, a director's
// NIC, a link, the real servers' workers, their listen backlogs, NFS threads, NFS disks,
// FULLNAT local ports, client local ports. A function of the RunResult alone, so that a
// sweep can ask it of every point.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "run/results.hpp"

namespace lvs::run {

/// Utilisation at or above which a resource counts as saturated (docs/bottleneck.md: an
/// M/M/1 queue at rho = 0.95 holds 19 requests on average, and its wait is 20 service times).
inline constexpr double kSaturatedUtilization = 0.95;
/// A rising load: the fewest samples, and the least share of the measured window, over which
/// a utilisation that reached kSaturatedUtilization must stay there on average to the end.
inline constexpr std::size_t kSustainedSamples = 3;
inline constexpr double kSustainedShare = 0.25;
/// The least utilisation at which a real server's growing queue counts as saturation.
inline constexpr double kGrowingUtilization = 0.9;

/// Every resource the attribution knows, in a fixed order: a sweep sends a run's bottleneck
/// as its index here (run/run_figures.hpp).
inline constexpr std::array<std::string_view, 9> kBottleneckResources{
    "director cpu", "director nic", "link", "rs workers", "backlog", "nfs threads", "nfs disk", "fullnat ports",
    "client ports"};
/// The index of `resource` in kBottleneckResources; throws std::logic_error for another name.
std::size_t bottleneck_resource_index(std::string_view resource);

/// One resource as the attribution sees it.
struct BottleneckCandidate {
  /// "director cpu", "director nic", "link", "rs workers", "backlog", "nfs threads",
  /// "nfs disk", "fullnat ports", "client ports".
  std::string resource;
  std::string component;           ///< "lvs1", "lan", "rs1..rs4", "nfs1", "TCP 203.0.113.100:443", "clients"
  double utilization = 0;          ///< fraction over the measured window (or the saturated stretch)
  bool saturated = false;
  std::string why;                 ///< "utilization", "sustained", "refused", "queue growing"; "" unsaturated
  std::optional<double> first_saturated_s;  ///< the sample (end of interval) it first saturated in
  std::string detail;              ///< "NAT, lvs-nat-pentium profile"
};

/// The attribution: every candidate, the saturated first (earliest first, then busiest),
/// then the others, busiest first.
struct Bottleneck {
  std::vector<BottleneckCandidate> candidates;
  /// candidates.front() saturated: it is the bottleneck; otherwise none is, and the front is
  /// the busiest. Empty candidates: the run had nothing to attribute.
  bool saturated() const { return !candidates.empty() && candidates.front().saturated; }
};

/// The attribution of `r`, from its figures over the measured window (after the warm-up).
Bottleneck find_bottleneck(const RunResult& r);

/// One line: "director cpu 97% (lvs1, NAT, lvs-nat-pentium profile, from 2.0 s)" or
/// "none, busiest: rs workers 62% (rs1)".
std::string bottleneck_text(const Bottleneck& b);

}  // namespace lvs::run
