#pragma once
// `lvslab sweep`: a scenario run at every point of a grid of --param values, R replications
// per point. Replication r uses seed base + r at every point (common random numbers, Law,
// Simulation Modeling and Analysis, 5th ed., section 11.2): two points differ by what the
// grid changes, not by their draws. Each metric gets the mean and the Student-t 95% interval
// over the replications (metrics/confidence.hpp). Job j is replication j % R of point j / R;
// its figures land at index j, so the output is the same for any number of threads or ranks.

#include <array>
#include <cstdint>
#include <iosfwd>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "metrics/confidence.hpp"
#include "run/run_batch.hpp"
#include "run/sweep_grid.hpp"
#include "run/theory_comparison.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs::run {

/// What to sweep and how often.
struct SweepOptions {
  std::vector<SweepParam> params;         ///< the grid (the first varies slowest)
  int replications = 5;                   ///< R >= 1 per point
  std::optional<std::uint64_t> base_seed; ///< default: the scenario's seed
  std::optional<Time> until;              ///< default: the scenario's duration
};

/// The bottleneck of a point: the one its replications name most often (run/bottleneck.hpp).
struct PointBottleneck {
  std::string resource;       ///< a kBottleneckResources name; "" when no run had one
  bool saturated = false;     ///< false: no resource saturated in most runs, `resource` was the busiest
  double utilization = 0;     ///< the mean over the runs that name it
  std::size_t runs = 0;       ///< how many replications name it
};

/// One point of the grid and its statistics.
struct SweepPoint {
  std::vector<std::string> values;                    ///< one per param, as given to --set
  std::vector<RunFigures> runs;                       ///< per replication, in seed order
  std::array<ConfidenceInterval, kRunMetrics> metrics{};  ///< mean ± 95% CI over `runs`
  bool complete = false;                              ///< all R replications ran (false after SIGINT)
  PointBottleneck bottleneck;                         ///< from `runs`
  /// The time at the real servers a queueing model predicts for the point's scenario, when one
  /// applies (run/scenario_theory.hpp: theory_for); the measured side is ServerTimeMean.
  std::optional<TheoryComparison> theory;
};

/// A whole sweep.
struct SweepResult {
  std::string scenario;                   ///< the scenario's name
  std::string file;
  double sim_time_s = 0;                  ///< each run's length; NaN when the points' durations differ
  double warmup_s = 0;                    ///< NaN with `warmup: auto` (each run picks its own)
  std::size_t replications = 0;           ///< R per point
  std::vector<std::uint64_t> seeds;       ///< base .. base + R - 1, the same at every point
  std::vector<std::string> keys;          ///< the params' key paths
  std::vector<SweepPoint> points;         ///< in grid order
  bool interrupted = false;               ///< stopped by SIGINT: incomplete points have complete = false
};

/// Reads the scenario at each of `values`' points (`overrides` first, then the point's
/// assignments) and checks it as `run` would (validate() and the --until checks); throws
/// std::invalid_argument naming the point and the key of the first error, before any run.
std::vector<scenario::ScenarioSpec> read_points(const std::string& file, const std::vector<std::string>& overrides,
                                                const std::vector<SweepParam>& params, std::optional<Time> until);
/// As read_points(), from the scenario's text (the GUI's editor, saved or not); `name` stands
/// for the file in errors and in the result. The same as read_points() on a file holding `text`.
std::vector<scenario::ScenarioSpec> read_points_text(std::string_view text, const std::string& name,
                                                     const std::vector<std::string>& overrides,
                                                     const std::vector<SweepParam>& params, std::optional<Time> until);

/// The points validate() warns about, in one line naming the first: "2 of 5 points have
/// warnings; the first: point 4 (KEY=VALUE): FILE:LINE:COL: ..."; "" when none does.
/// `lvslab validate` with that point's --set lists them all.
std::string points_warnings(const std::vector<scenario::ScenarioSpec>& specs, const std::vector<SweepParam>& params);

/// The scenario's warm-up in seconds; NaN with `warmup: auto`, where each run picks its own.
double warmup_seconds(const scenario::ScenarioSpec& spec);

/// The statistics of one point's finished replications, and its bottleneck.
void summarize_point(SweepPoint& p);
/// The bottleneck most of `runs` name: the saturated resource named most often if at least
/// half the runs saturate (ties to the first in kBottleneckResources), else the busiest named
/// most often, marked unsaturated.
PointBottleneck point_bottleneck(const std::vector<RunFigures>& runs);
/// "director cpu 97% (5 of 5 runs)" or "none, busiest: rs workers 62%"; "-" when there is none.
std::string point_bottleneck_text(const PointBottleneck& b, std::size_t replications);
/// {"resource", "saturated", "utilization", "runs"}, or null when there is none.
nlohmann::ordered_json point_bottleneck_json(const PointBottleneck& b);

/// Runs every point (specs from read_points(), in grid order) R times through `runner`.
SweepResult run_sweep(const std::vector<scenario::ScenarioSpec>& specs, const SweepOptions& o, BatchRunner& runner);

/// The table: one row per point, mean ± 95% CI of each metric.
void print_sweep(std::ostream& os, const SweepResult& r);
/// Everything as JSON, each replication's figures too (README: the schema).
std::string sweep_json(const SweepResult& r);
/// One row per point: the param values, then METRIC_mean and METRIC_ci (half width) per metric.
std::string sweep_csv(const SweepResult& r);

}  // namespace lvs::run
