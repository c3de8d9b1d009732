#include "run/run_figures.hpp"

#include <cmath>
#include <limits>

#include "run/bottleneck.hpp"

namespace lvs::run {

namespace {

constexpr std::array<CompareMetricInfo, kRunMetrics> kRunMetricInfo{{
    {"throughput_rps", "throughput req/s", 1},
    {"latency_mean_ms", "mean ms", 3},
    {"latency_p50_ms", "p50 ms", 3},
    {"latency_p99_ms", "p99 ms", 3},
    {"failed", "failed", 1},
    {"failed_fraction", "failed frac", 5},
    {"availability", "availability", 5},
    {"imbalance", "imbalance", 3},
    {"jain_index", "Jain", 4},
    {"server_time_mean_ms", "at server ms", 3},
}};

// The front candidate of the run's bottleneck attribution as three numbers (NaN: none).
std::array<double, 3> bottleneck_figures(const RunResult& r) {
  const Bottleneck b = find_bottleneck(r);
  if (b.candidates.empty()) return {NAN, NAN, NAN};
  const BottleneckCandidate& c = b.candidates.front();
  return {static_cast<double>(bottleneck_resource_index(c.resource)), c.saturated ? 1.0 : 0.0, c.utilization};
}

}  // namespace

const CompareMetricInfo& run_metric_info(RunMetric m) { return kRunMetricInfo[static_cast<std::size_t>(m)]; }

RunFigures run_figures(const RunResult& r) {
  // compare's six figures, and the median, failed fraction and time availability besides.
  const CompareMetrics c = compare_metrics(r);
  const auto at = [&c](CompareMetric m) { return c.values[static_cast<std::size_t>(m)]; };
  const RequestStats& q = r.requests;
  const double ended = static_cast<double>(q.completed + q.failed_total());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  RunFigures f;
  f.status = RunStatus::Done;
  f.values = {at(CompareMetric::Throughput),
              at(CompareMetric::LatencyMean),
              q.completed > 0 ? q.latencies.quantile(0.5) * 1e3 : nan,  // exact, as compare's p99
              at(CompareMetric::LatencyP99),
              at(CompareMetric::Failed),
              ended > 0 ? static_cast<double>(q.failed_total()) / ended : nan,
              r.availability.time,
              at(CompareMetric::Imbalance),
              at(CompareMetric::Jain),
              r.residence.requests > 0 ? r.residence.mean_s * 1e3 : nan};
  f.bottleneck = bottleneck_figures(r);
  return f;
}

}  // namespace lvs::run
