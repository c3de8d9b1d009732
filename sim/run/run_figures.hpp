#pragma once
// The figures `sweep` keeps of one run: a fixed array of numbers, so that a worker keeps
// only these (not the RunResult) and an MPI rank can send them as doubles. Extend
// RunMetric and kRunMetricInfo together to add one.

#include <array>
#include <cstddef>
#include <cstdint>

#include "run/compare.hpp"
#include "run/results.hpp"

namespace lvs::run {

/// What a sweep measures each run by, in the order of RunFigures::values.
enum class RunMetric {
  Throughput, LatencyMean, LatencyP50, LatencyP99, Failed, FailedFraction, Availability, Imbalance, Jain,
  ServerTimeMean
};
/// The number of RunMetric values.
inline constexpr std::size_t kRunMetrics = 10;

/// The names of `m` (key with unit, table heading, decimals), as compare's metrics are named.
const CompareMetricInfo& run_metric_info(RunMetric m);

/// How one run ended.
enum class RunStatus : int {
  NotRun = 0,       ///< never started (stopped before it, or another rank's job)
  Done = 1,         ///< ran to its end: `values` hold its figures
  Interrupted = 2,  ///< stopped by SIGINT: no figures
  Failed = 3,       ///< threw: running it again alone gives the error
};

/// The figures of one run.
struct RunFigures {
  RunStatus status = RunStatus::NotRun;
  /// Indexed by RunMetric: req/s; ms, ms, ms (NaN with no completed request); failed
  /// requests; failed / (completed + failed) (NaN with neither); the fraction of time every
  /// service was up; compare's imbalance and Jain's index, per unit weight (NaN with none); the
  /// mean time a request spent at the real servers, waiting and served, ms (NaN with none).
  std::array<double, kRunMetrics> values{};
  /// The bottleneck attribution's first candidate (run/bottleneck.hpp), as numbers an MPI rank
  /// can send: its index in kBottleneckResources, 1 if it saturated (0: only the busiest), its
  /// utilisation. NaN: the run had nothing to attribute.
  std::array<double, 3> bottleneck{};
};

/// RunFigures::bottleneck's fields.
enum class BottleneckField { Resource, Saturated, Utilization };

/// The figures of a finished run.
RunFigures run_figures(const RunResult& r);

}  // namespace lvs::run
