#pragma once
// Runs a scenario: build the model, run it to the end (sampling the time series every
// sample_interval), collect the results.

#include <cstdint>
#include <functional>
#include <optional>

#include "run/results.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs::run {

struct RunOptions {
  std::optional<std::uint64_t> seed;   ///< default: the scenario's seed
  std::optional<Time> until;           ///< default: the scenario's duration
  /// Called after every sample with (simulated now, end); for progress display.
  std::function<void(Time, Time)> progress;
};

RunResult run_scenario(const scenario::ScenarioSpec& spec, const RunOptions& options);

}  // namespace lvs::run
