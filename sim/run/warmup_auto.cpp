#include "run/warmup_auto.hpp"

#include <algorithm>

namespace lvs::run {

// White (1997), "An effective truncation heuristic for bias reduction in simulation output",
// Simulation 69(6): MSER(d) = 1/(n-d)^2 * sum_{i>d} (X_i - mean of X_{d+1..n})^2, minimised
// over d; White, Cobb and Spratt (2000, WSC) apply it to batch means of 5 (MSER-5) and limit
// d to half the series. Suffix sums give every MSER(d) in O(b).
MserChoice mser5(const std::vector<double>& series) {
  MserChoice c;
  c.batches = series.size() / kMserBatch;
  if (c.batches < 2) return c;
  std::vector<double> z(c.batches, 0.0);
  for (std::size_t j = 0; j < c.batches; ++j) {
    for (std::size_t k = 0; k < kMserBatch; ++k) z[j] += series[j * kMserBatch + k];
    z[j] /= static_cast<double>(kMserBatch);
  }
  // sum[d], squares[d]: the sums of Z_j and Z_j^2 over j > d (0-based: j >= d).
  std::vector<double> sum(c.batches + 1, 0.0), squares(c.batches + 1, 0.0);
  for (std::size_t j = c.batches; j-- > 0;) {
    sum[j] = sum[j + 1] + z[j];
    squares[j] = squares[j + 1] + z[j] * z[j];
  }
  const std::size_t limit = c.batches / 2;
  for (std::size_t d = 0; d <= limit; ++d) {
    const double m = static_cast<double>(c.batches - d);
    const double spread = std::max(0.0, squares[d] - sum[d] * sum[d] / m);
    const double stat = spread / (m * m);
    if (d == 0 || stat < c.statistic) {
      c.statistic = stat;
      c.truncated = d;
    }
  }
  c.at_limit = c.truncated == limit;
  return c;
}

std::vector<double> interval_latencies(const RunResult& r, std::vector<double>& times) {
  std::vector<double> out;
  times.clear();
  for (const Sample& s : r.series) {
    if (s.completed == 0) continue;
    out.push_back(s.latency_mean_ms);
    times.push_back(s.time_s);
  }
  return out;
}

namespace {

// The options of the first run: nothing the user sees but progress (the first half of it).
RunOptions first_run_options(const RunOptions& o) {
  RunOptions first;
  first.seed = o.seed;
  first.until = o.until;
  first.interrupt = o.interrupt;
  if (o.progress)
    first.progress = [p = o.progress](Time now, Time end) { p(Time::ns(now.count() / 2), end); };
  return first;
}

}  // namespace

RunResult run_with_auto_warmup(const scenario::ScenarioSpec& spec, const RunOptions& options,
                               RunResult (*run)(const scenario::ScenarioSpec&, const RunOptions&)) {
  scenario::ScenarioSpec fixed = spec;
  fixed.warmup_auto = false;
  fixed.warmup = Time::zero();
  RunResult first = run(fixed, first_run_options(options));
  if (first.interrupted) return first;
  std::vector<double> times;
  const std::vector<double> series = interval_latencies(first, times);
  const MserChoice c = mser5(series);
  AutoWarmup chosen{series.size(), c.batches, c.truncated, 0.0, c.statistic, c.at_limit};
  if (c.truncated > 0) chosen.truncated_at_s = times[c.truncated * kMserBatch - 1];
  fixed.warmup = Time::from_seconds(chosen.truncated_at_s);
  RunOptions second = options;
  if (options.progress)
    second.progress = [p = options.progress](Time now, Time end) { p(Time::ns((end.count() + now.count()) / 2), end); };
  RunResult r = run(fixed, second);
  r.auto_warmup = chosen;
  return r;
}

}  // namespace lvs::run
