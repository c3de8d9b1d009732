#pragma once
// `lvslab sweep --slo "p99<200ms" --find max:KEY`: the highest (or with min:KEY the lowest)
// value of one --param that meets a service-level objective, by bisection over the param's
// values (its FROM:TO:STEP range or its list, in the order given), assuming the SLO holds
// below the answer and fails above it (max), or the reverse (min).
//
// Each probe runs R replications (seeds base .. base + R - 1, the same at every probe:
// common random numbers) and takes the Student-t 95% interval of the SLO's metric. The SLO
// holds when the interval's upper end is below the bound and fails when its lower end is
// above it. When the interval straddles the bound, R more replications are added (seeds
// base + R ..), up to max_replications in all; still undecided, the mean decides and the
// probe says so. This is a sequential procedure in the sense of Law, Simulation Modeling
// and Analysis, 5th ed., section 9.4.1 ("obtaining a specified precision": replications
// are added until the interval is narrow enough); here "narrow enough" means "clear of the
// bound". The rule, its assumptions and its error rate: docs/statistics.md.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "metrics/confidence.hpp"
#include "run/run_batch.hpp"
#include "run/sweep.hpp"
#include "run/sweep_grid.hpp"

namespace lvs::run {

/// A service-level objective: `metric` < `bound`.
struct Slo {
  RunMetric metric = RunMetric::LatencyP99;
  double bound = 0;  ///< in the metric's unit: ms for latencies, a fraction for failed
  std::string text;  ///< as given: "p99<200ms"
};

/// Parses "p99<200ms", "p50<20ms", "mean<50ms" (any duration parse_time() reads) or
/// "failed<1%" / "failed<0.01" (the failed fraction). Throws std::invalid_argument
/// ("--slo: ...") listing what is accepted otherwise.
Slo parse_slo(std::string_view text);

/// Which end of the param's values the search wants.
enum class Seek { Max, Min };

/// --find max:KEY or min:KEY.
struct FindTarget {
  Seek seek = Seek::Max;
  std::string key;
};
/// Parses "max:KEY.PATH" or "min:KEY.PATH"; throws std::invalid_argument ("--find: ...").
FindTarget parse_find(std::string_view text);

struct SloOptions {
  Slo slo;
  Seek seek = Seek::Max;
  SweepParam param;                       ///< the candidate values, in order
  int replications = 5;                   ///< R per round
  int max_replications = 25;              ///< the cap per probe (default 5R)
  std::optional<std::uint64_t> base_seed; ///< default: the scenario's seed
  std::optional<Time> until;              ///< default: the scenario's duration
};

/// One probe of the bisection.
struct SloProbe {
  std::size_t index = 0;      ///< into the candidate values
  std::string value;
  ConfidenceInterval ci{};    ///< of the SLO's metric over `replications` runs
  std::size_t replications = 0;
  bool holds = false;
  bool by_mean = false;       ///< the interval still straddled the bound at the cap
  PointBottleneck bottleneck; ///< what saturated in the probe's runs (sweep.hpp)
  /// Not empty: the probe's scenario has no steady state (scenario_theory.hpp:
  /// no_steady_state), so the SLO fails without a run; says why.
  std::string no_steady_state;
};

struct SloSearchResult {
  std::string scenario, file;
  double sim_time_s = 0, warmup_s = 0;  ///< warmup_s NaN with `warmup: auto`
  Slo slo;
  Seek seek = Seek::Max;
  std::string key;
  std::vector<std::string> candidates;
  std::size_t replications = 0, max_replications = 0;
  std::uint64_t base_seed = 0;            ///< probes use base_seed, base_seed + 1, ...
  std::vector<SloProbe> probes;           ///< in the order run
  std::optional<std::size_t> last_passing;  ///< the answer: the best value that meets the SLO
  std::optional<std::size_t> first_failing; ///< its neighbour on the other side that fails
  bool interrupted = false;               ///< stopped by SIGINT: the probes so far
};

/// Searches `specs` (one per candidate value, from read_points()) for the answer.
SloSearchResult find_slo(const std::vector<scenario::ScenarioSpec>& specs, const SloOptions& o, BatchRunner& runner);

/// The probes, one line each, then the answer and the bracket.
void print_slo_search(std::ostream& os, const SloSearchResult& r);
/// The same as JSON (README: the schema).
std::string slo_search_json(const SloSearchResult& r);
/// One row per probe.
std::string slo_search_csv(const SloSearchResult& r);

}  // namespace lvs::run
