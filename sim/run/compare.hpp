#pragma once
// `lvslab compare`: one scenario run with each of several schedulers, R replications each.
//
// Streams. By default replication r uses seed base + r under every scheduler (common
// random numbers), so the schedulers see the same arrivals, service times and sizes and
// their differences are paired replication by replication, which cancels the noise they
// share: the paired-t interval (Law, Simulation Modeling and Analysis, 5th ed., sections
// 10.2.1 and 11.2). With Streams::Independent scheduler s uses seeds base + sR ..
// base + sR + R - 1 instead, so no two runs share a stream (a scheduler named twice is an
// A/A comparison); the pairing by replication number then means nothing, and the
// difference gets Welch's two-sample interval (Law, section 10.2.2), which does not depend
// on how the runs are lined up and uses both samples' degrees of freedom.
//
// No spread. When every replication gives the same difference (or, with independent
// streams, both schedulers give the same value every time), the sample variance is 0 and
// so is the t interval's half width. That is not evidence of a difference: it says the
// replications cannot tell how uncertain the difference is (an integer count that is 0
// in every run, a figure that cannot vary in this scenario). Such a difference is never
// starred (excludes_zero() is false) and is printed with " (no spread)", e.g.
// "+1.0 ± 0.0 (no spread)"; its JSON entry has "no_spread": true.
// Runs are independent and go on a pool of threads; each result is stored at its
// (scheduler, replication) index, so nothing printed depends on the thread count or timing.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "metrics/confidence.hpp"
#include "run/results.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs {
class Simulation;
}

namespace lvs::run {

/// What one compared run is measured by, in the order of CompareMetrics::values.
enum class CompareMetric { Throughput, LatencyMean, LatencyP99, Failed, Imbalance, Jain };
/// The number of CompareMetric values.
inline constexpr std::size_t kCompareMetrics = 6;

/// How a metric is named: its JSON/CSV key ("latency_p99_ms") and table heading ("p99 ms").
struct CompareMetricInfo {
  const char* key;      ///< JSON and CSV key, with its unit: "throughput_rps"
  const char* heading;  ///< table column heading: "throughput req/s"
  int decimals;         ///< digits after the point in the table
};

/// The names of `m`.
const CompareMetricInfo& metric_info(CompareMetric m);

/// The figures of one run.
struct CompareMetrics {
  std::uint64_t seed = 0;
  /// Indexed by CompareMetric: req/s, ms, ms, failed requests (count), imbalance() and
  /// jain_index() of the requests per unit of ServerResult::weight. The latencies are NaN
  /// when no request completed; the last two when no server with a weight got one.
  std::array<double, kCompareMetrics> values{};
  std::vector<std::uint64_t> server_requests;  ///< per server, in RunResult::servers order
  std::vector<double> shares;                  ///< requests / total per server (NaN if total is 0)
};

/// Jain's fairness index of per-server requests per unit weight, x_i = requests_i / weight_i:
/// (Σx)² / (n Σx²) over the n servers whose weight is above 0. 1 when every server got
/// requests in proportion to its weight, 1/n when one server got them all (Jain, Chiu and
/// Hawe, DEC-TR-301, 1984, section 4: x_i = T_i / O_i with O_i the fair share). `weights`
/// empty: all 1. NaN when those servers got no request or there are none; throws
/// std::invalid_argument if `weights` is neither empty nor as long as `requests`.
double jain_index(std::span<const std::uint64_t> requests, std::span<const std::uint64_t> weights = {});
/// The most loaded server's requests per unit weight over the cluster's:
/// max_i(requests_i / weight_i) / (Σ requests / Σ weight), over the servers whose weight is
/// above 0. 1 when every server got requests in proportion to its weight; Σw / w_i when
/// server i got them all (n with equal weights). `weights`, NaN and errors as jain_index().
double imbalance(std::span<const std::uint64_t> requests, std::span<const std::uint64_t> weights = {});
/// The figures of `r` (a run whose seed is r.seed).
CompareMetrics compare_metrics(const RunResult& r);

/// How the runs of different schedulers draw their random numbers (see above).
enum class Streams {
  Common,       ///< replication r: seed base + r under every scheduler; paired-t differences
  Independent,  ///< scheduler s, replication r: seed base + sR + r; Welch differences
};

/// The mean ± 95% interval of the paired differences b[i] - a[i] (a, b of the same length:
/// the same replications). Throws std::invalid_argument if the lengths differ.
ConfidenceInterval paired_difference(std::span<const double> a, std::span<const double> b);
/// The mean ± 95% interval of mean(b) - mean(a) for the way the runs were seeded: paired
/// (paired_difference()) with common random numbers, Welch's two-sample interval with
/// independent streams. Values that differ by rounding only (16 units of roundoff of the
/// largest |value|: equal in exact arithmetic) count as equal, so that such a difference
/// has half width exactly 0 (no_spread()). Throws std::invalid_argument if common and the
/// lengths differ.
ConfidenceInterval difference(std::span<const double> a, std::span<const double> b, Streams streams);
/// True when the interval rests on at least two replications that are all the same
/// (sample variance 0, half width exactly 0): it has no spread to measure uncertainty by.
bool no_spread(const ConfidenceInterval& ci);
/// True when the interval is defined, has a spread (not no_spread()) and does not contain 0.
bool excludes_zero(const ConfidenceInterval& ci);
/// "mean ± half-width" with `digits` decimals ("+" before a positive mean if `sign`), "n/a"
/// for an undefined number, never "-0.000".
std::string interval_text(const ConfidenceInterval& ci, int digits, bool sign = false);
/// A difference as the tables show it: interval_text() with its sign, then " *" when
/// excludes_zero() or " (no spread)" when no_spread().
std::string difference_text(const ConfidenceInterval& d, int digits);

struct CompareOptions {
  std::vector<std::string> schedulers;      ///< registry names; the first is the baseline
  int replications = 5;                     ///< R >= 1
  int jobs = 1;                             ///< runs at once, on this many threads (>= 1)
  std::optional<std::uint64_t> base_seed;   ///< default: the scenario's seed
  Streams streams = Streams::Common;        ///< common random numbers, or a stream per run
  std::optional<Time> until;                ///< default: the scenario's duration
  /// Called after each run with (runs done, runs in all), one call at a time, possibly
  /// from a worker thread.
  std::function<void(int done, int total)> progress;
  /// When it becomes true, runs stop at their next sample and the result is `cancelled`.
  const std::atomic<bool>* cancel = nullptr;
  /// When it becomes true (SIGINT), every run stops after its executing event; the result
  /// keeps the replications every scheduler completed and is marked `interrupted`.
  const std::atomic<bool>* interrupt = nullptr;
  /// Given to every run (RunOptions::on_start): tests raise SIGINT from an event with it.
  std::function<void(Simulation&)> on_start;
};

/// One scheduler's replications and statistics.
struct SchedulerComparison {
  std::string scheduler;
  std::vector<CompareMetrics> runs;                          ///< per replication
  std::array<ConfidenceInterval, kCompareMetrics> metrics;   ///< mean ± 95% CI per metric
  std::vector<ConfidenceInterval> shares;                    ///< per server
  /// This scheduler minus the first (difference(): paired by replication with common
  /// random numbers, Welch's interval with independent streams); absent for the first.
  std::optional<std::array<ConfidenceInterval, kCompareMetrics>> paired;
};

struct CompareResult {
  std::string scenario;               ///< the scenario's name
  std::string file;
  double sim_time_s = 0;
  double warmup_s = 0;
  Streams streams = Streams::Common;
  std::size_t replications = 0;       ///< R, per scheduler
  /// Every seed run, in order. Common: one per replication, the same for every scheduler.
  /// Independent: R per scheduler, scheduler s's at [sR, sR + R).
  std::vector<std::uint64_t> seeds;
  std::vector<std::string> servers;   ///< real server names, in RunResult::servers order
  std::vector<std::uint64_t> weights; ///< their configured weights (ServerResult::weight)
  std::vector<SchedulerComparison> schedulers;  ///< in CompareOptions::schedulers order
  bool cancelled = false;             ///< stopped by CompareOptions::cancel: no schedulers
  /// Stopped by CompareOptions::interrupt: `replications` counts the first replications every
  /// scheduler completed (0: no schedulers), out of `planned_replications`.
  bool interrupted = false;
  std::size_t planned_replications = 0;
};

/// Statistics of finished runs: `runs` must hold one entry per replication (with common
/// streams, the same seeds as `base`'s runs when `base` is given, which is then the first
/// scheduler); the differences against `base` are difference(..., streams).
SchedulerComparison summarize(std::string scheduler, std::vector<CompareMetrics> runs,
                              const SchedulerComparison* base, Streams streams = Streams::Common);

/// Checks a list of scheduler names: not empty, each registered (std::invalid_argument
/// listing the valid ones otherwise), none given twice (naming it) unless the streams are
/// independent (an A/A comparison: the same scheduler on two sets of streams).
void check_schedulers(const std::vector<std::string>& names, Streams streams = Streams::Common);

/// Runs `spec` with each scheduler (set on every service of a copy) for each replication.
/// A name given twice is run twice: with common random numbers its differences are exactly
/// 0 (a check of determinism, shown as no spread); with independent streams it is an A/A
/// comparison. Throws std::invalid_argument for no or an unknown scheduler (listing the
/// valid ones) or replications / jobs < 1, before running anything; rethrows the error of
/// the lowest-numbered run that failed.
CompareResult compare_schedulers(const scenario::ScenarioSpec& spec, const CompareOptions& options);

/// The tables: means ± 95% CI per scheduler, shares per server, paired differences.
void print_comparison(std::ostream& os, const CompareResult& r);
/// Everything as JSON, including each replication's figures and seed.
std::string comparison_json(const CompareResult& r);
/// One row per (scheduler, replication) with a header row; empty fields for NaN.
std::string comparison_csv(const CompareResult& r);

}  // namespace lvs::run
