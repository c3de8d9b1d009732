#pragma once
// Runs a scenario: build the model, run it to the end (sampling the time series every
// sample_interval), collect the results.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lvs/ipvsadm_args.hpp"
#include "net/interface.hpp"
#include "run/results.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs {
class Simulation;
}

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
  /// Write the frames crossing default_capture_points() to this pcap file: each frame once,
  /// when it is sent (CaptureAt::Sender), or with pcap_both_ends as tcpdump on every capture
  /// interface would write it, when it leaves one and again when it arrives at one.
  std::optional<std::string> pcap;
  bool pcap_both_ends = false;
  /// Views to take: every one at every time of ipvsadm_at, in time order (default: the end).
  std::vector<IpvsadmRequest> ipvsadm;
  std::vector<Time> ipvsadm_at;
  /// When it becomes true (a SIGINT handler sets it), the run stops after the executing
  /// event and returns what it has, marked RunResult::interrupted.
  const std::atomic<bool>* interrupt = nullptr;
  /// Called once with the built model's simulation before it runs: instrumentation and tests
  /// (an event that raises SIGINT at a given simulated time). Its events count in the fingerprint.
  std::function<void(Simulation&)> on_start;
};

struct Model;

/// Where `--pcap` captures by default in `m` (built from `spec`): every Ethernet interface
/// of every director and of every host of kind server, in the scenario's host order.
std::vector<const Interface*> default_capture_points(const Model& m, const scenario::ScenarioSpec& spec);

/// Checks the options against `spec` before a run: --until is longer than the warm-up and
/// leaves at most scenario::kMaxSamples samples; the --ipvsadm directors exist and every
/// --at time is in (0, end]. Throws std::invalid_argument naming the option.
void check_run_options(const scenario::ScenarioSpec& spec, const RunOptions& options);

/// Runs the scenario (check_run_options first) and collects the results; with `warmup: auto`
/// twice, the second time with the warm-up MSER-5 chose from the first (run/warmup_auto.hpp).
RunResult run_scenario(const scenario::ScenarioSpec& spec, const RunOptions& options);
/// One run with the scenario's `warmup` as it is (0 with `warmup: auto`).
RunResult run_fixed_warmup(const scenario::ScenarioSpec& spec, const RunOptions& options);

}  // namespace lvs::run
