// The three forms of a SweepResult: the table (one row per point), JSON and CSV.

#include <cmath>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "run/compare.hpp"
#include "run/sweep.hpp"
#include "run/table_output.hpp"

namespace lvs::run {

namespace {

using json = nlohmann::ordered_json;

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
  j["replications"] = json::array();
  for (std::size_t i = 0; i < p.runs.size(); ++i) {
    json run{{"seed", r.seeds[i]}};
    for (std::size_t m = 0; m < kRunMetrics; ++m) run[info(m).key] = p.runs[i].values[m];
    j["replications"].push_back(std::move(run));
  }
  return j;
}

}  // namespace

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
  TextTable t{r.keys};
  for (std::size_t m = 0; m < kRunMetrics; ++m) t.front().emplace_back(info(m).heading);
  for (const SweepPoint& p : r.points) {
    t.push_back(p.values);
    for (std::size_t m = 0; m < kRunMetrics; ++m)
      t.back().push_back(p.complete ? interval_text(p.metrics[m], info(m).decimals) : "(incomplete)");
  }
  print_table(os, t);
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
  os << '\n';
  for (const SweepPoint& p : r.points) {
    for (const std::string& v : p.values) os << v << ',';
    os << (p.complete ? 1 : 0) << ',' << p.runs.size() << ',' << r.seeds.front();
    for (std::size_t m = 0; m < kRunMetrics; ++m)
      os << ',' << csv_number(p.metrics[m].mean) << ',' << csv_number(p.metrics[m].half_width);
    os << '\n';
  }
  return os.str();
}

}  // namespace lvs::run
