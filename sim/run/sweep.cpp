#include "run/sweep.hpp"

#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>

#include "run/bottleneck.hpp"
#include "run/run.hpp"
#include "run/scenario_theory.hpp"
#include "scenario/scenario_error.hpp"

namespace lvs::run {

namespace {

// Reads the scenario with the given --set list: from a file or from text.
using Reader = std::function<scenario::ScenarioSpec(const std::vector<std::string>& overrides)>;

scenario::ScenarioSpec read_point(const Reader& read, std::vector<std::string> overrides,
                                  const std::vector<SweepParam>& params, std::size_t index, std::optional<Time> until) {
  for (std::string& a : point_assignments(params, index)) overrides.push_back(std::move(a));
  scenario::ScenarioSpec spec = read(overrides);
  for (const scenario::Finding& f : scenario::validate(spec))
    if (f.severity == scenario::Finding::Severity::Error) throw std::invalid_argument(f.str(spec.file));
  RunOptions ro;
  ro.until = until;
  check_run_options(spec, ro);
  return spec;
}

}  // namespace

double warmup_seconds(const scenario::ScenarioSpec& spec) {
  // `warmup: auto`: each run picks its own (run/warmup_auto.hpp).
  return spec.warmup_auto ? std::numeric_limits<double>::quiet_NaN() : spec.warmup.seconds();
}

namespace {

std::vector<double> column(const std::vector<RunFigures>& runs, std::size_t m) {
  std::vector<double> v;
  for (const RunFigures& f : runs) v.push_back(f.values[m]);
  return v;
}

}  // namespace

namespace {

std::vector<scenario::ScenarioSpec> read_all(const Reader& read, const std::vector<std::string>& overrides,
                                             const std::vector<SweepParam>& params, std::optional<Time> until) {
  const std::size_t n = grid_points(params);
  std::vector<scenario::ScenarioSpec> specs;
  specs.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    try {
      specs.push_back(read_point(read, overrides, params, i, until));
    } catch (const std::exception& e) {
      throw std::invalid_argument(point_name(params, i) + ": " + e.what());
    }
  }
  return specs;
}

}  // namespace

std::vector<scenario::ScenarioSpec> read_points(const std::string& file, const std::vector<std::string>& overrides,
                                                const std::vector<SweepParam>& params, std::optional<Time> until) {
  return read_all([&file](const auto& o) { return scenario::read_scenario(file, o); }, overrides, params, until);
}

std::vector<scenario::ScenarioSpec> read_points_text(std::string_view text, const std::string& name,
                                                     const std::vector<std::string>& overrides,
                                                     const std::vector<SweepParam>& params, std::optional<Time> until) {
  return read_all([text, &name](const auto& o) { return scenario::read_scenario_text(text, name, o); }, overrides,
                  params, until);
}

std::string points_warnings(const std::vector<scenario::ScenarioSpec>& specs, const std::vector<SweepParam>& params) {
  std::size_t warned = 0;
  std::string first;
  for (std::size_t i = 0; i < specs.size(); ++i)
    for (const scenario::Finding& f : scenario::validate(specs[i])) {
      if (f.severity != scenario::Finding::Severity::Warning) continue;
      if (warned++ == 0) first = point_name(params, i) + ": " + f.str(specs[i].file);
      break;
    }
  if (warned == 0) return {};
  return std::to_string(warned) + " of " + std::to_string(specs.size()) + " points have warnings; the first: " + first;
}

void summarize_point(SweepPoint& p) {
  for (std::size_t m = 0; m < kRunMetrics; ++m) p.metrics[m] = confidence_interval(column(p.runs, m));
  p.bottleneck = point_bottleneck(p.runs);
}

namespace {

// How many of `runs` name each resource, saturated or not, and their utilisations' sum.
struct Tally {
  std::array<std::size_t, kBottleneckResources.size()> runs{};
  std::array<double, kBottleneckResources.size()> utilization{};
  std::size_t total = 0;

  PointBottleneck most_named(bool saturated) const {
    std::size_t best = 0;
    for (std::size_t i = 1; i < runs.size(); ++i)
      if (runs[i] > runs[best]) best = i;
    return {std::string(kBottleneckResources[best]), saturated, utilization[best] / static_cast<double>(runs[best]),
            runs[best]};
  }
};

}  // namespace

PointBottleneck point_bottleneck(const std::vector<RunFigures>& runs) {
  Tally saturated, busiest;
  for (const RunFigures& f : runs) {
    const auto& [resource, is_saturated, utilization] = f.bottleneck;
    if (std::isnan(resource)) continue;
    Tally& t = is_saturated == 1.0 ? saturated : busiest;
    const auto i = static_cast<std::size_t>(resource);
    ++t.runs.at(i);
    t.utilization.at(i) += utilization;
    ++t.total;
  }
  if (saturated.total > 0 && 2 * saturated.total >= runs.size()) return saturated.most_named(true);
  if (busiest.total > 0) return busiest.most_named(false);
  if (saturated.total > 0) return saturated.most_named(false);
  return {};
}

std::string point_bottleneck_text(const PointBottleneck& b, std::size_t replications) {
  if (b.resource.empty()) return "-";
  const std::string percent = std::to_string(static_cast<int>(std::lround(b.utilization * 100))) + "%";
  if (!b.saturated) return "none, busiest: " + b.resource + " " + percent;
  return b.resource + " " + percent + " (" + std::to_string(b.runs) + " of " + std::to_string(replications) + " runs)";
}

SweepResult run_sweep(const std::vector<scenario::ScenarioSpec>& specs, const SweepOptions& o, BatchRunner& runner) {
  if (o.replications < 1) throw std::invalid_argument("replications must be at least 1");
  if (specs.size() != grid_points(o.params)) throw std::invalid_argument("run_sweep: one spec per grid point");
  const scenario::ScenarioSpec& first = specs.front();
  const std::uint64_t base = o.base_seed.value_or(first.seed);
  const auto reps = static_cast<std::size_t>(o.replications);
  SweepResult out{first.name, first.file, o.until.value_or(first.duration).seconds(), warmup_seconds(first),
                  reps, {}, {}, {}, false};
  for (const scenario::ScenarioSpec& spec : specs)  // a grid over `duration`: each point runs its own
    if (!o.until && spec.duration != first.duration) out.sim_time_s = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t r = 0; r < reps; ++r) out.seeds.push_back(base + r);
  for (const SweepParam& p : o.params) out.keys.push_back(p.key);
  std::vector<RunJob> jobs;
  for (const scenario::ScenarioSpec& spec : specs)
    for (std::size_t r = 0; r < reps; ++r) jobs.push_back({&spec, base + r});
  const std::vector<RunFigures> figures = runner.run(jobs);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    SweepPoint p{point_values(o.params, i), {}, {}, true, {}, std::nullopt};
    for (std::size_t r = 0; r < reps; ++r) {
      const RunFigures& f = figures[i * reps + r];
      if (f.status == RunStatus::Done) p.runs.push_back(f);
      else p.complete = false;
    }
    if (!p.complete) p.runs.clear();  // an incomplete point: which of its runs finished depends on timing
    out.interrupted = out.interrupted || !p.complete;
    summarize_point(p);
    p.theory = theory_for(specs[i]);
    out.points.push_back(std::move(p));
  }
  return out;
}

}  // namespace lvs::run
