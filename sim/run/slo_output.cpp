// The forms of an SloSearchResult: the probe lines with the answer, JSON and CSV.

#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "run/compare.hpp"
#include "run/slo_search.hpp"
#include "run/table_output.hpp"

namespace lvs::run {

namespace {

using json = nlohmann::ordered_json;

const char* seek_name(Seek s) { return s == Seek::Max ? "max" : "min"; }

std::string verdict(const SloProbe& p) {
  if (!p.no_steady_state.empty()) return "fails (no steady state: not run, see below)";
  if (!p.by_mean) return p.holds ? "holds" : "fails";
  return std::string(p.holds ? "holds" : "fails") + " (undecided at the cap; by the mean)";
}

std::string answer_text(const SloSearchResult& r) {
  if (r.interrupted) return "none: interrupted before the bracket closed";
  if (!r.last_passing) return "none: no value of " + r.key + " meets " + r.slo.text;
  std::string text = r.candidates[*r.last_passing];
  if (!r.first_failing)
    text += r.seek == Seek::Max ? " (the highest value given: a higher one may meet it too)"
                                : " (the lowest value given: a lower one may meet it too)";
  return text;
}

std::optional<std::string> candidate(const SloSearchResult& r, const std::optional<std::size_t>& i) {
  if (!i) return std::nullopt;
  return r.candidates[*i];
}

// A candidate as JSON: its text, or null.
json candidate_json(const SloSearchResult& r, const std::optional<std::size_t>& i) {
  return i ? json(r.candidates[*i]) : json(nullptr);
}

}  // namespace

void print_slo_search(std::ostream& os, const SloSearchResult& r) {
  const CompareMetricInfo& m = run_metric_info(r.slo.metric);
  os << "lvslab sweep: " << r.scenario << " (" << r.file << ")\n";
  if (r.interrupted) os << "interrupted: " << r.probes.size() << " probes completed, the search did not finish\n";
  os << "find " << seek_name(r.seek) << ' ' << r.key << " meeting " << r.slo.text << " over " << r.candidates.size()
     << " values (" << r.candidates.front() << " .. " << r.candidates.back() << "), by bisection\n";
  os << r.replications << " replications per round, up to " << r.max_replications << " per probe, seeds "
     << r.base_seed << ".. at every probe (common random numbers), " << fixed_or_na(r.sim_time_s, 3)
     << " s simulated (" << warmup_text(r.warmup_s) << ")\n";
  os << "holds: the 95% CI of " << m.key << " is below the bound; fails: above it\n\n";
  TextTable t{{"probe", r.key, std::string(m.heading) + " (mean ± 95% CI)", "replications", "verdict", "bottleneck"}};
  for (std::size_t i = 0; i < r.probes.size(); ++i) {
    const SloProbe& p = r.probes[i];
    const bool ran = p.no_steady_state.empty();
    t.push_back({std::to_string(i + 1), p.value, ran ? interval_text(p.ci, m.decimals) : "-", std::to_string(p.replications),
                 verdict(p), point_bottleneck_text(p.bottleneck, p.replications)});
  }
  print_table(os, t);
  for (std::size_t i = 0; i < r.probes.size(); ++i)
    if (!r.probes[i].no_steady_state.empty())
      os << "probe " << i + 1 << ": " << r.probes[i].no_steady_state
         << ": the queues grow for as long as the run lasts (docs/queueing-theory.md)\n";
  os << "\nanswer: " << answer_text(r) << '\n';
  os << "bracket: [" << candidate(r, r.last_passing).value_or("none") << ", "
     << candidate(r, r.first_failing).value_or("none") << "] (last passing, first failing)\n";
}

std::string slo_search_json(const SloSearchResult& r) {
  json j{{"scenario", r.scenario}, {"file", r.file}, {"sim_time_s", r.sim_time_s}, {"warmup_s", r.warmup_s},
         {"slo", {{"text", r.slo.text}, {"metric", run_metric_info(r.slo.metric).key}, {"bound", r.slo.bound}}},
         {"find", seek_name(r.seek)}, {"param", r.key}, {"candidates", r.candidates},
         {"replications", r.replications}, {"max_replications", r.max_replications}, {"first_seed", r.base_seed},
         {"confidence_level", 0.95}, {"interrupted", r.interrupted}, {"probes", json::array()}};
  for (const SloProbe& p : r.probes)
    j["probes"].push_back({{"value", p.value}, {"replications", p.replications}, {"metric", interval_json(p.ci)},
                           {"holds", p.holds}, {"by_mean", p.by_mean},
                           {"bottleneck", point_bottleneck_json(p.bottleneck)},
                           {"no_steady_state", p.no_steady_state.empty() ? json(nullptr) : json(p.no_steady_state)}});
  j["answer"] = r.interrupted ? json(nullptr) : candidate_json(r, r.last_passing);
  j["last_passing"] = candidate_json(r, r.last_passing);
  j["first_failing"] = candidate_json(r, r.first_failing);
  return j.dump(2) + "\n";
}

std::string slo_search_csv(const SloSearchResult& r) {
  std::ostringstream os;
  const std::string key = run_metric_info(r.slo.metric).key;
  os << "probe," << r.key << ",replications,first_seed," << key << "_mean," << key << "_ci,holds,by_mean,bottleneck,bottleneck_saturated\n";
  for (std::size_t i = 0; i < r.probes.size(); ++i) {
    const SloProbe& p = r.probes[i];
    os << i + 1 << ',' << p.value << ',' << p.replications << ',' << r.base_seed << ',' << csv_number(p.ci.mean) << ','
       << csv_number(p.ci.half_width) << ',' << (p.holds ? 1 : 0) << ',' << (p.by_mean ? 1 : 0) << ','
       << p.bottleneck.resource << ',' << (p.bottleneck.resource.empty() ? "" : p.bottleneck.saturated ? "1" : "0")
       << '\n';
  }
  return os.str();
}

}  // namespace lvs::run
