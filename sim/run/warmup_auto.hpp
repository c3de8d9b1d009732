#pragma once
// `warmup: auto`: the warm-up chosen by MSER-5 (White 1997; White, Cobb and Spratt 2000;
// docs/statistics.md). A first run with no warm-up gives the observation series, the mean
// latency of each sample interval that completed a request; MSER-5 picks how many of them
// to drop; a second run with the same seed, identical but for what it counts, measures from
// the end of the last dropped interval, so that every figure of the results (throughput,
// exact percentiles, per-server, storage) counts only after the truncation point.

#include <cstddef>
#include <vector>

#include "run/results.hpp"
#include "run/run.hpp"

namespace lvs::run {

/// Observations per batch (the 5 of MSER-5).
inline constexpr std::size_t kMserBatch = 5;

/// MSER-5's choice on one series.
struct MserChoice {
  std::size_t batches = 0;       ///< b = floor(n / 5); the last n mod 5 observations are left out
  std::size_t truncated = 0;     ///< d in batches, 0 <= d <= b / 2: drop the first 5 d observations
  double statistic = 0;          ///< MSER(d) = sum_{j>d} (Z_j - mean_d)^2 / (b - d)^2, units^2
  bool at_limit = false;         ///< d = b / 2 with b >= 2: the series may be too short to settle
};

/// MSER-5 over `series`: the batch means Z_j of 5 consecutive observations, and the d in
/// [0, b/2] with the smallest MSER(d) (the first on ties). Fewer than 2 batches: d = 0.
MserChoice mser5(const std::vector<double>& series);

/// The observation series of `r` for MSER-5: the mean latency (ms) of every sample interval
/// with a completed request, and each one's sample time (s) in `times`.
std::vector<double> interval_latencies(const RunResult& r, std::vector<double>& times);

/// Runs `spec` (warmup_auto) with `run` twice as described above; the result carries the
/// choice in RunResult::auto_warmup. An interrupt in the first run returns that run's result.
RunResult run_with_auto_warmup(const scenario::ScenarioSpec& spec, const RunOptions& options,
                               RunResult (*run)(const scenario::ScenarioSpec&, const RunOptions&));

}  // namespace lvs::run
