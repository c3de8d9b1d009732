// The three forms of a SweepResult: the table (one row per point), JSON and CSV.

#include <cmath>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <utility>
#include <vector>

#include "run/compare.hpp"
#include "run/sweep.hpp"
#include "run/table_output.hpp"

namespace lvs::run {

namespace {

using json = nlohmann::ordered_json;

json theory_json(const TheoryComparison& t) {
  return {{"model", t.model},
          {"mean_ms", t.theory_mean_s * 1e3},
          {"p99_ms", t.theory_p99_s ? json(*t.theory_p99_s * 1e3) : json(nullptr)},
          {"assumptions_left", t.assumptions}};
}

const CompareMetricInfo& info(std::size_t m) { return run_metric_info(static_cast<RunMetric>(m)); }

std::string seeds_text(const SweepResult& r) {
  if (r.seeds.size() == 1) return "seed " + std::to_string(r.seeds.front()) + " at every point";
  return "seeds " + std::to_string(r.seeds.front()) + ".." + std::to_string(r.seeds.back()) +
         " at every point (common random numbers)";
}

json point_json(const SweepResult& r, const SweepPoint& p) {
  json j{{"values", json::object()}, {"complete", p.complete}, {"metrics", json::object()}};
  for (std::size_t k = 0; k < r.keys.size(); ++k) j["values"][r.keys[k]] = p.values[k];
  for (std::size_t m = 0; m < kRunMetrics; ++m) j["metrics"][info(m).key] = interval_json(p.metrics[m]);
  j["bottleneck"] = point_bottleneck_json(p.bottleneck);
  j["theory"] = p.theory ? theory_json(*p.theory) : json(nullptr);
  j["replications"] = json::array();
  for (std::size_t i = 0; i < p.runs.size(); ++i) {
    json run{{"seed", r.seeds[i]}};
    for (std::size_t m = 0; m < kRunMetrics; ++m) run[info(m).key] = p.runs[i].values[m];
    run["bottleneck"] = point_bottleneck_json(point_bottleneck({p.runs[i]}));
    j["replications"].push_back(std::move(run));
  }
  return j;
}

bool any_theory(const SweepResult& r) {
  for (const SweepPoint& p : r.points)
    if (p.theory) return true;
  return false;
}

// Under the table: each model the theory column uses, with the points it covers.
void print_theory_models(std::ostream& os, const SweepResult& r) {
  std::vector<std::pair<std::string, std::vector<std::size_t>>> models;
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    const std::optional<TheoryComparison>& t = r.points[i].theory;
    if (!t) continue;
    if (models.empty() || models.back().first != t->model) models.push_back({t->model, {}});
    models.back().second.push_back(i + 1);
  }
  for (const auto& [model, points] : models) {
    os << "theory at server: " << model << " (point" << (points.size() == 1 ? " " : "s ") << points.front();
    if (points.size() > 1) os << ".." << points.back();
    os << ")\n";
    for (const std::string& a : r.points[points.front() - 1].theory->assumptions)
      os << "  assumption left (point " << points.front() << "): " << a << '\n';
  }
}

}  // namespace

json point_bottleneck_json(const PointBottleneck& b) {
  if (b.resource.empty()) return nullptr;
  return {{"resource", b.resource}, {"saturated", b.saturated}, {"utilization", b.utilization}, {"runs", b.runs}};
}

void print_sweep(std::ostream& os, const SweepResult& r) {
  os << "lvslab sweep: " << r.scenario << " (" << r.file << ")\n";
  std::size_t complete = 0;
  for (const SweepPoint& p : r.points) complete += p.complete;
  if (r.interrupted)
    os << "interrupted: " << complete << " of " << r.points.size() << " points completed; the others are marked\n";
  os << r.points.size() << " point" << (r.points.size() == 1 ? "" : "s") << ", " << r.replications << " replication"
     << (r.replications == 1 ? "" : "s") << " each, " << seeds_text(r) << ", "
     << (std::isnan(r.sim_time_s) ? "each point's duration" : fixed_or_na(r.sim_time_s, 3) + " s")
     << " simulated (" << warmup_text(r.warmup_s) << ")\n";
  os << "mean ± 95% CI half-width over the replications\n\n";
  const bool theory = any_theory(r);
  TextTable t{r.keys};
  for (std::size_t m = 0; m < kRunMetrics; ++m) t.front().emplace_back(info(m).heading);
  if (theory) t.front().emplace_back("theory ms");
  t.front().emplace_back("bottleneck");
  for (const SweepPoint& p : r.points) {
    t.push_back(p.values);
    for (std::size_t m = 0; m < kRunMetrics; ++m)
      t.back().push_back(p.complete ? interval_text(p.metrics[m], info(m).decimals) : "(incomplete)");
    if (theory) t.back().push_back(p.theory ? fixed_or_na(p.theory->theory_mean_s * 1e3, 3) : "-");
    t.back().push_back(p.complete ? point_bottleneck_text(p.bottleneck, r.replications) : "(incomplete)");
  }
  print_table(os, t);
  if (theory) print_theory_models(os, r);
}

std::string sweep_json(const SweepResult& r) {
  json j{{"scenario", r.scenario},       {"file", r.file},       {"sim_time_s", r.sim_time_s},
         {"warmup_s", r.warmup_s},       {"replications", r.replications}, {"seeds", r.seeds},
         {"streams", "common"},          {"confidence_level", 0.95}, {"params", r.keys},
         {"interrupted", r.interrupted}, {"points", json::array()}};
  for (const SweepPoint& p : r.points) j["points"].push_back(point_json(r, p));
  return j.dump(2) + "\n";
}

std::string sweep_csv(const SweepResult& r) {
  std::ostringstream os;
  for (const std::string& k : r.keys) os << k << ',';
  os << "complete,replications,first_seed";
  for (std::size_t m = 0; m < kRunMetrics; ++m) os << ',' << info(m).key << "_mean," << info(m).key << "_ci";
  os << ",theory_server_time_mean_ms,bottleneck,bottleneck_saturated,bottleneck_utilization\n";
  for (const SweepPoint& p : r.points) {
    for (const std::string& v : p.values) os << v << ',';
    os << (p.complete ? 1 : 0) << ',' << p.runs.size() << ',' << r.seeds.front();
    for (std::size_t m = 0; m < kRunMetrics; ++m)
      os << ',' << csv_number(p.metrics[m].mean) << ',' << csv_number(p.metrics[m].half_width);
    os << ',' << (p.theory ? csv_number(p.theory->theory_mean_s * 1e3) : "") << ',' << p.bottleneck.resource << ','
       << (p.bottleneck.resource.empty() ? "" : p.bottleneck.saturated ? "1" : "0") << ','
       << (p.bottleneck.resource.empty() ? "" : csv_number(p.bottleneck.utilization)) << '\n';
  }
  return os.str();
}

}  // namespace lvs::run
