#include "run/compare.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <numeric>
#include <set>
#include <stdexcept>

#include "metrics/numbers.hpp"
#include "run/job_pool.hpp"
#include "run/run.hpp"
#include "schedulers/registry.hpp"

namespace lvs::run {

namespace {

constexpr std::array<CompareMetricInfo, kCompareMetrics> kMetricInfo{{
    {"throughput_rps", "throughput req/s", 1},
    {"latency_mean_ms", "latency mean ms", 3},
    {"latency_p99_ms", "latency p99 ms", 3},
    {"failed", "failed", 1},
    {"imbalance", "imbalance per weight", 3},
    {"jain_index", "Jain per weight", 4},
}};

// Thrown from a run's progress callback when CompareOptions::cancel is set.
struct Cancelled {};

// The seed of replication r of scheduler s: base + r for every scheduler with common random
// numbers, base + sR + r with independent streams.
std::uint64_t run_seed(std::uint64_t base, std::size_t s, std::uint64_t r, const CompareOptions& o) {
  if (o.streams == Streams::Common) return base + r;
  return base + s * static_cast<std::uint64_t>(o.replications) + r;
}

void check_options(const CompareOptions& o) {
  if (o.schedulers.empty()) throw std::invalid_argument("no scheduler to compare");
  for (const std::string& name : o.schedulers) (void)make_scheduler(name);  // throws, listing the valid names
  if (o.replications < 1) throw std::invalid_argument("replications must be at least 1");
  if (o.jobs < 1) throw std::invalid_argument("jobs must be at least 1");
}

// The jobs of one comparison: job j is replication j / S of scheduler j % S, so that the
// first runs to finish cover every scheduler. Results land at their own index.
class Batch {
 public:
  Batch(const scenario::ScenarioSpec& spec, const CompareOptions& o, std::uint64_t base_seed)
      : o_(o), base_seed_(base_seed), total_(static_cast<int>(o.schedulers.size()) * o.replications) {
    for (const std::string& name : o.schedulers) {
      specs_.push_back(spec);
      for (scenario::ServiceSpec& s : specs_.back().services) s.scheduler = name;
    }
    results_.resize(static_cast<std::size_t>(total_));
    servers_.resize(static_cast<std::size_t>(total_));
    weights_.resize(static_cast<std::size_t>(total_));
    errors_.resize(static_cast<std::size_t>(total_));
    complete_.resize(static_cast<std::size_t>(total_));
  }

  void run(int threads) {
    for_each_job(total_, threads, stop_, [this](int j) { work(j); });
  }

  // The error of the lowest-numbered job that failed, if any.
  void rethrow() const {
    for (const std::exception_ptr& e : errors_)
      if (e) std::rethrow_exception(e);
  }

  bool cancelled() const { return cancelled_; }
  bool interrupted() const { return interrupted_ || (o_.interrupt != nullptr && o_.interrupt->load()); }

  // How many replications, from the first, every scheduler completed.
  int complete_replications() const {
    int jobs = 0;
    while (jobs < total_ && complete_[static_cast<std::size_t>(jobs)] != 0) ++jobs;
    return jobs / static_cast<int>(specs_.size());
  }

  CompareMetrics& result(std::size_t scheduler, int replication) {
    return results_[static_cast<std::size_t>(replication) * specs_.size() + scheduler];
  }
  // The real servers' names, as the first run listed them.
  const std::vector<std::string>& servers() const { return servers_.front(); }
  // Their configured weights (ServerResult::weight), the same in every run.
  const std::vector<std::uint64_t>& weights() const { return weights_.front(); }

 private:
  void work(int j) {
    try {
      const RunResult r = run_job(j);
      if (r.interrupted) {
        interrupted_ = true;
        stop_ = true;
        return report(j);
      }
      complete_[static_cast<std::size_t>(j)] = 1;
      results_[static_cast<std::size_t>(j)] = compare_metrics(r);
      for (const ServerResult& srv : r.servers) {
        servers_[static_cast<std::size_t>(j)].push_back(srv.name);
        weights_[static_cast<std::size_t>(j)].push_back(srv.weight);
      }
    } catch (const Cancelled&) {
      cancelled_ = true;
      stop_ = true;
    } catch (...) {
      errors_[static_cast<std::size_t>(j)] = std::current_exception();
      stop_ = true;
    }
    report(j);
  }

  RunResult run_job(int j) const {
    const auto s = static_cast<std::size_t>(j) % specs_.size();
    const auto r = static_cast<std::uint64_t>(j) / specs_.size();
    RunOptions ro;
    ro.seed = run_seed(base_seed_, s, r, o_);
    ro.until = o_.until;
    ro.interrupt = o_.interrupt;
    ro.on_start = o_.on_start;
    if (o_.cancel != nullptr)
      ro.progress = [this](Time, Time) {
        if (o_.cancel->load()) throw Cancelled{};
      };
    if (o_.cancel != nullptr && o_.cancel->load()) throw Cancelled{};
    return run_scenario(specs_[s], ro);
  }

  // Counts job j done and tells the caller; an exception from the callback counts as j's.
  void report(int j) {
    const std::lock_guard lock(progress_mutex_);
    ++done_;
    if (!o_.progress || stop_) return;
    try {
      o_.progress(done_, total_);
    } catch (...) {
      errors_[static_cast<std::size_t>(j)] = std::current_exception();
      stop_ = true;
    }
  }

  const CompareOptions& o_;
  std::uint64_t base_seed_;
  int total_;
  std::vector<scenario::ScenarioSpec> specs_;      // per scheduler
  std::vector<CompareMetrics> results_;            // per job
  std::vector<std::vector<std::string>> servers_;  // per job
  std::vector<std::vector<std::uint64_t>> weights_;  // per job
  std::vector<std::exception_ptr> errors_;         // per job
  std::vector<char> complete_;                     // per job: ran to its end
  std::atomic<bool> stop_{false};
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> interrupted_{false};
  std::mutex progress_mutex_;
  int done_ = 0;
};

// The largest |x|: the scale of the rounding errors the values and their differences carry.
double magnitude(std::span<const double> v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}

// True when the values differ by no more than rounding could make them: 16 units of
// roundoff of `scale`. Differences that are equal in exact arithmetic come out a few ulps
// apart in floating point (3 more completions over 9 s: (c + 3)/9 - c/9 is 0.33333333333303
// for one c and 0.33333333333348 for another), which gives a t interval of width 1e-13
// that would exclude 0 on rounding alone.
bool equal_but_for_rounding(std::span<const double> v, double scale) {
  if (v.empty()) return true;
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  return *hi - *lo <= 16 * std::numeric_limits<double>::epsilon() * scale;
}

// `ci` with half width exactly 0 when its samples differ by rounding only (`flat`).
ConfidenceInterval rounding_is_no_spread(ConfidenceInterval ci, bool flat) {
  if (flat && ci.n >= 2) ci.half_width = 0;
  return ci;
}

// b[i] - a[i]; throws std::invalid_argument if the lengths differ.
std::vector<double> differences(std::span<const double> a, std::span<const double> b) {
  if (a.size() != b.size())
    throw std::invalid_argument("paired_difference: " + std::to_string(a.size()) + " and " +
                                std::to_string(b.size()) + " samples");
  std::vector<double> d;
  for (std::size_t i = 0; i < a.size(); ++i) d.push_back(b[i] - a[i]);
  return d;
}

std::vector<double> column(const std::vector<CompareMetrics>& runs, CompareMetric m) {
  std::vector<double> v;
  for (const CompareMetrics& r : runs) v.push_back(r.values[static_cast<std::size_t>(m)]);
  return v;
}

// The requests per unit weight of the servers whose weight is above 0 (a weight-0 server is
// quiesced: nothing is its fair share, so it has no load per unit weight), with their
// requests and weights summed.
struct PerWeight {
  std::vector<double> loads;  // requests_i / weight_i
  double requests = 0;
  double weight = 0;
};

PerWeight per_weight(std::span<const std::uint64_t> requests, std::span<const std::uint64_t> weights) {
  if (!weights.empty() && weights.size() != requests.size())
    throw std::invalid_argument("weights: " + std::to_string(weights.size()) + " for " +
                                std::to_string(requests.size()) + " servers");
  PerWeight p;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const double w = weights.empty() ? 1.0 : static_cast<double>(weights[i]);
    if (w == 0) continue;
    p.loads.push_back(static_cast<double>(requests[i]) / w);
    p.requests += static_cast<double>(requests[i]);
    p.weight += w;
  }
  return p;
}

}  // namespace

void check_schedulers(const std::vector<std::string>& names, Streams streams) {
  if (names.empty()) throw std::invalid_argument("no scheduler to compare");
  std::set<std::string> seen;
  for (const std::string& name : names) {
    (void)make_scheduler(name);  // throws, listing the valid names
    if (!seen.insert(name).second && streams == Streams::Common)
      throw std::invalid_argument("scheduler '" + name + "' given twice");
  }
}

const CompareMetricInfo& metric_info(CompareMetric m) { return kMetricInfo[static_cast<std::size_t>(m)]; }

double jain_index(std::span<const std::uint64_t> requests, std::span<const std::uint64_t> weights) {
  const PerWeight p = per_weight(requests, weights);
  double sum = 0, squares = 0;
  for (double x : p.loads) {
    sum += x;
    squares += x * x;
  }
  if (squares == 0) return kNaN;
  return sum * sum / (static_cast<double>(p.loads.size()) * squares);
}

double imbalance(std::span<const std::uint64_t> requests, std::span<const std::uint64_t> weights) {
  const PerWeight p = per_weight(requests, weights);
  if (p.requests == 0) return kNaN;
  const double max = *std::max_element(p.loads.begin(), p.loads.end());
  return max * p.weight / p.requests;
}

CompareMetrics compare_metrics(const RunResult& r) {
  CompareMetrics m;
  m.seed = r.seed;
  std::vector<std::uint64_t> weights;
  for (const ServerResult& s : r.servers) {
    m.server_requests.push_back(s.requests);
    weights.push_back(s.weight);
  }
  const std::uint64_t total = std::accumulate(m.server_requests.begin(), m.server_requests.end(), std::uint64_t{0});
  for (std::uint64_t x : m.server_requests)
    m.shares.push_back(total == 0 ? kNaN : static_cast<double>(x) / static_cast<double>(total));
  const RequestStats& q = r.requests;
  const bool any = q.completed > 0;
  m.values = {r.throughput_rps,
              any ? q.latency_summary.mean() * 1e3 : kNaN,
              any ? q.latencies.quantile(0.99) * 1e3 : kNaN,  // exact, not the histogram's bucket
              static_cast<double>(q.failed_total()),
              imbalance(m.server_requests, weights),
              jain_index(m.server_requests, weights)};
  return m;
}

ConfidenceInterval paired_difference(std::span<const double> a, std::span<const double> b) {
  return confidence_interval(differences(a, b));
}

ConfidenceInterval difference(std::span<const double> a, std::span<const double> b, Streams streams) {
  if (streams == Streams::Common) {
    const std::vector<double> d = differences(a, b);
    const double scale = std::max(magnitude(a), magnitude(b));
    return rounding_is_no_spread(confidence_interval(d), equal_but_for_rounding(d, scale));
  }
  return rounding_is_no_spread(welch_interval(summary_of(a), summary_of(b)),
                               equal_but_for_rounding(a, magnitude(a)) && equal_but_for_rounding(b, magnitude(b)));
}

bool no_spread(const ConfidenceInterval& ci) { return ci.n >= 2 && ci.half_width == 0; }

bool excludes_zero(const ConfidenceInterval& ci) {
  return std::isfinite(ci.half_width) && !no_spread(ci) && (ci.lower() > 0 || ci.upper() < 0);
}

SchedulerComparison summarize(std::string scheduler, std::vector<CompareMetrics> runs,
                              const SchedulerComparison* base, Streams streams) {
  SchedulerComparison c{std::move(scheduler), std::move(runs), {}, {}, std::nullopt};
  for (std::size_t m = 0; m < kCompareMetrics; ++m)
    c.metrics[m] = confidence_interval(column(c.runs, static_cast<CompareMetric>(m)));
  const std::size_t servers = c.runs.empty() ? 0 : c.runs.front().shares.size();
  for (std::size_t i = 0; i < servers; ++i) {
    std::vector<double> shares;
    for (const CompareMetrics& r : c.runs) shares.push_back(r.shares.at(i));
    c.shares.push_back(confidence_interval(shares));
  }
  if (base != nullptr) {
    c.paired.emplace();
    for (std::size_t m = 0; m < kCompareMetrics; ++m) {
      const auto metric = static_cast<CompareMetric>(m);
      (*c.paired)[m] = difference(column(base->runs, metric), column(c.runs, metric), streams);
    }
  }
  return c;
}

CompareResult compare_schedulers(const scenario::ScenarioSpec& spec, const CompareOptions& options) {
  check_options(options);
  RunOptions until;
  until.until = options.until;
  check_run_options(spec, until);  // --until: before any thread starts
  // Each run would choose its own: the schedulers would be measured over different windows.
  if (spec.warmup_auto)
    throw std::invalid_argument("warmup: auto chooses a warm-up per run, so the schedulers would be measured over "
                                "different windows: give compare a fixed warmup (--set warmup=5s)");
  const std::uint64_t base_seed = options.base_seed.value_or(spec.seed);
  const Time end = options.until.value_or(spec.duration);
  CompareResult out{spec.name, spec.file, end.seconds(), spec.warmup.seconds(), options.streams,
                    static_cast<std::size_t>(options.replications), {}, {}, {}, {}, false};
  const std::size_t seeded = options.streams == Streams::Common ? 1 : options.schedulers.size();
  for (std::size_t s = 0; s < seeded; ++s)
    for (int r = 0; r < options.replications; ++r)
      out.seeds.push_back(run_seed(base_seed, s, static_cast<std::uint64_t>(r), options));

  Batch batch(spec, options, base_seed);
  const int total = static_cast<int>(options.schedulers.size()) * options.replications;
  batch.run(std::min(options.jobs, total));
  batch.rethrow();
  if (batch.cancelled()) {
    out.cancelled = true;
    return out;
  }
  out.planned_replications = static_cast<std::size_t>(options.replications);
  int replications = options.replications;
  if (batch.interrupted()) {
    out.interrupted = true;
    replications = batch.complete_replications();
    out.replications = static_cast<std::size_t>(replications);
    out.seeds.clear();
    for (std::size_t s = 0; s < seeded; ++s)
      for (int r = 0; r < replications; ++r) out.seeds.push_back(run_seed(base_seed, s, static_cast<std::uint64_t>(r), options));
    if (replications == 0) return out;
  }
  out.schedulers.reserve(options.schedulers.size());
  for (std::size_t s = 0; s < options.schedulers.size(); ++s) {
    std::vector<CompareMetrics> runs;
    for (int r = 0; r < replications; ++r) runs.push_back(std::move(batch.result(s, r)));
    out.schedulers.push_back(summarize(options.schedulers[s], std::move(runs),
                                       out.schedulers.empty() ? nullptr : &out.schedulers.front(), options.streams));
  }
  out.servers = batch.servers();
  out.weights = batch.weights();
  return out;
}

}  // namespace lvs::run
