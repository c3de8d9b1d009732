#pragma once
// Runs a scenario: build the model, run it to the end (sampling the time series every
// sample_interval), collect the results.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lvs/ipvsadm_args.hpp"
#include "net/interface.hpp"
#include "run/results.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs::run {

/// One --ipvsadm view: what `ipvsadm ARGS` prints on a director.
struct IpvsadmRequest {
  std::string director;                ///< "": the scenario's first director
  IpvsadmCommand command;
};

struct RunOptions {
  std::optional<std::uint64_t> seed;   ///< default: the scenario's seed
  std::optional<Time> until;           ///< default: the scenario's duration
  /// Called after every sample with (simulated now, end); for progress display.
  std::function<void(Time, Time)> progress;
  /// Called once before the run starts with the names behind each Sample's vectors.
  std::function<void(const SeriesLayout&)> started;
  /// Called with every sample as soon as it is taken (before progress); for live charts.
  std::function<void(const Sample&)> sample;
  /// Write the frames crossing default_capture_points() to this pcap file.
  std::optional<std::string> pcap;
  /// Views to take: every one at every time of ipvsadm_at, in time order (default: the end).
  std::vector<IpvsadmRequest> ipvsadm;
  std::vector<Time> ipvsadm_at;
};

struct Model;

/// Where `--pcap` captures by default in `m` (built from `spec`): every Ethernet interface
/// of every director and of every host of kind server, in the scenario's host order.
std::vector<const Interface*> default_capture_points(const Model& m, const scenario::ScenarioSpec& spec);

/// Checks the --ipvsadm requests against `spec` before a run: the directors exist and every
/// --at time is in (0, end]. Throws std::invalid_argument naming the option.
void check_ipvsadm(const scenario::ScenarioSpec& spec, const RunOptions& options);

/// Runs the scenario (check_ipvsadm first) and collects the results.
RunResult run_scenario(const scenario::ScenarioSpec& spec, const RunOptions& options);

}  // namespace lvs::run
