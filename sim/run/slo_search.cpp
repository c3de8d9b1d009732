#include "run/slo_search.hpp"

#include <cmath>
#include <stdexcept>

#include "run/scenario_theory.hpp"
#include "run/sweep.hpp"
#include "scenario/units.hpp"

namespace lvs::run {

namespace {

std::invalid_argument slo_error(std::string_view text, const std::string& why) {
  return std::invalid_argument("--slo " + std::string(text) + ": " + why +
                               "; expected p50<DURATION, p99<DURATION, mean<DURATION or failed<PERCENT%, e.g. p99<200ms");
}

// The failed fraction's bound: "1%" or "0.01".
double fraction_bound(std::string_view text, std::string_view value) {
  const bool percent = !value.empty() && value.back() == '%';
  const std::optional<double> v = scenario::parse_number(percent ? value.substr(0, value.size() - 1) : value);
  if (!v) throw slo_error(text, "'" + std::string(value) + "' is not a number or a percentage");
  const double f = percent ? *v / 100 : *v;
  if (!(f > 0 && f <= 1)) throw slo_error(text, "the failed fraction's bound must be in (0, 100%]");
  return f;
}

double latency_bound_ms(std::string_view text, std::string_view value) {
  try {
    const Time t = parse_time(value);
    if (t <= Time{}) throw slo_error(text, "the bound must be > 0");
    return t.seconds() * 1e3;
  } catch (const std::invalid_argument& e) {
    if (std::string_view(e.what()).starts_with("--slo")) throw;
    throw slo_error(text, e.what());
  }
}

// The statistics of the SLO's metric over `runs`; NaN mean when a run has no value.
ConfidenceInterval metric_interval(const std::vector<RunFigures>& runs, RunMetric m) {
  std::vector<double> v;
  for (const RunFigures& f : runs) v.push_back(f.values[static_cast<std::size_t>(m)]);
  return confidence_interval(v);
}

class Bisection {
 public:
  Bisection(const std::vector<scenario::ScenarioSpec>& specs, const SloOptions& o, BatchRunner& runner,
            SloSearchResult& out)
      : specs_(specs), o_(o), runner_(runner), out_(out) {}

  // Probes until the good and bad ends are neighbours. Returns false when interrupted.
  bool search() {
    const long n = static_cast<long>(specs_.size());
    long good = o_.seek == Seek::Max ? -1 : n, bad = o_.seek == Seek::Max ? n : -1;
    while (std::labs(good - bad) > 1) {
      const long mid = std::min(good, bad) + std::labs(good - bad) / 2;
      const std::optional<bool> holds = probe(static_cast<std::size_t>(mid));
      if (!holds) return false;
      (*holds ? good : bad) = mid;
    }
    if (good >= 0 && good < n) out_.last_passing = static_cast<std::size_t>(good);
    if (bad >= 0 && bad < n) out_.first_failing = static_cast<std::size_t>(bad);
    return true;
  }

 private:
  // One probe: rounds of R replications until the interval decides or the cap; nullopt
  // when interrupted.
  std::optional<bool> probe(std::size_t index) {
    SloProbe p{index, o_.param.values[index], {}, 0, false, false, {}, {}};
    if (std::optional<std::string> why = no_steady_state(specs_[index])) {
      p.ci = confidence_interval(std::vector<double>{});
      p.no_steady_state = std::move(*why);
      return decided(p, false);
    }
    std::vector<RunFigures> runs;
    const auto cap = static_cast<std::size_t>(std::max(o_.max_replications, o_.replications));
    for (;;) {
      std::vector<RunJob> jobs;
      for (int r = 0; r < o_.replications && runs.size() + jobs.size() < cap; ++r)
        jobs.push_back({&specs_[index], out_.base_seed + runs.size() + jobs.size()});
      for (const RunFigures& f : runner_.run(jobs)) {
        if (f.status != RunStatus::Done) return std::nullopt;
        runs.push_back(f);
      }
      p.ci = metric_interval(runs, o_.slo.metric);
      p.replications = runs.size();
      p.bottleneck = point_bottleneck(runs);
      if (std::isnan(p.ci.mean)) break;                      // no value (no request completed): fails
      if (p.ci.upper() < o_.slo.bound) return decided(p, true);
      if (p.ci.lower() > o_.slo.bound) break;
      if (runs.size() >= cap) {
        p.by_mean = true;
        return decided(p, p.ci.mean < o_.slo.bound);
      }
    }
    return decided(p, false);
  }

  bool decided(SloProbe& p, bool holds) {
    p.holds = holds;
    out_.probes.push_back(p);
    return holds;
  }

  const std::vector<scenario::ScenarioSpec>& specs_;
  const SloOptions& o_;
  BatchRunner& runner_;
  SloSearchResult& out_;
};

}  // namespace

Slo parse_slo(std::string_view text) {
  const std::size_t lt = text.find('<');
  if (lt == std::string_view::npos) throw slo_error(text, "no '<'");
  std::string_view name = text.substr(0, lt), value = text.substr(lt + 1);
  if (!value.empty() && value.front() == '=') value.remove_prefix(1);  // "<=": the same for a continuous metric
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  Slo s{RunMetric::LatencyP99, 0, std::string(text)};
  if (name == "failed") {
    s.metric = RunMetric::FailedFraction;
    s.bound = fraction_bound(text, value);
    return s;
  }
  if (name == "p50") s.metric = RunMetric::LatencyP50;
  else if (name == "mean") s.metric = RunMetric::LatencyMean;
  else if (name != "p99") throw slo_error(text, "unknown metric '" + std::string(name) + "'");
  s.bound = latency_bound_ms(text, value);
  return s;
}

FindTarget parse_find(std::string_view text) {
  const std::size_t colon = text.find(':');
  const std::string_view seek = text.substr(0, colon);
  if (colon == std::string_view::npos || (seek != "max" && seek != "min") || colon + 1 == text.size())
    throw std::invalid_argument("--find " + std::string(text) + ": expected max:KEY.PATH or min:KEY.PATH");
  return {seek == "max" ? Seek::Max : Seek::Min, std::string(text.substr(colon + 1))};
}

SloSearchResult find_slo(const std::vector<scenario::ScenarioSpec>& specs, const SloOptions& o, BatchRunner& runner) {
  if (o.replications < 1) throw std::invalid_argument("replications must be at least 1");
  if (specs.size() != o.param.values.size()) throw std::invalid_argument("find_slo: one spec per value");
  const scenario::ScenarioSpec& first = specs.front();
  SloSearchResult out;
  out.scenario = first.name;
  out.file = first.file;
  out.sim_time_s = o.until.value_or(first.duration).seconds();
  out.warmup_s = warmup_seconds(first);
  out.slo = o.slo;
  out.seek = o.seek;
  out.key = o.param.key;
  out.candidates = o.param.values;
  out.replications = static_cast<std::size_t>(o.replications);
  out.max_replications = static_cast<std::size_t>(std::max(o.max_replications, o.replications));
  out.base_seed = o.base_seed.value_or(first.seed);
  Bisection b(specs, o, runner, out);
  out.interrupted = !b.search();
  return out;
}

}  // namespace lvs::run
