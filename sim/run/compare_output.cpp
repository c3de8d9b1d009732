// The three forms of a CompareResult: the printed tables, JSON and tidy CSV.

#include <cmath>
#include <iomanip>
#include <numeric>
#include <nlohmann/json.hpp>
#include <sstream>

#include "run/compare.hpp"
#include "run/table_output.hpp"

namespace lvs::run {

namespace {

using Table = TextTable;
using json = nlohmann::ordered_json;

std::vector<std::string> metric_headings() {
  std::vector<std::string> h{"scheduler"};
  for (std::size_t m = 0; m < kCompareMetrics; ++m) h.emplace_back(metric_info(static_cast<CompareMetric>(m)).heading);
  return h;
}

std::string seeds_text(const CompareResult& r) {
  if (r.seeds.size() == 1) return "seed " + std::to_string(r.seeds.front());
  const std::string range = "seeds " + std::to_string(r.seeds.front()) + ".." + std::to_string(r.seeds.back());
  if (r.streams == Streams::Common) return range + " (common random numbers)";
  return range + " (independent streams: " + std::to_string(r.replications) + " per scheduler, in the order given)";
}

const char* streams_name(Streams s) { return s == Streams::Common ? "common" : "independent"; }

// How a difference's interval is computed: "paired-t" or "welch".
const char* difference_method(Streams s) { return s == Streams::Common ? "paired-t" : "welch"; }

void print_means(std::ostream& os, const CompareResult& r) {
  Table t{metric_headings()};
  for (const SchedulerComparison& s : r.schedulers) {
    t.push_back({s.scheduler});
    for (std::size_t m = 0; m < kCompareMetrics; ++m)
      t.back().push_back(interval_text(s.metrics[m], metric_info(static_cast<CompareMetric>(m)).decimals));
  }
  print_table(os, t);
}

void print_shares(std::ostream& os, const CompareResult& r) {
  os << "\nShare of requests per real server\n";
  Table t{{"scheduler"}};
  for (const std::string& name : r.servers) t.front().push_back(name);
  for (const SchedulerComparison& s : r.schedulers) {
    t.push_back({s.scheduler});
    for (const ConfidenceInterval& ci : s.shares) t.back().push_back(interval_text(ci, 4));
  }
  // What a split in proportion to the weights gives, to read the shares against.
  const double total = std::accumulate(r.weights.begin(), r.weights.end(), 0.0);
  if (total > 0 && r.weights.size() == r.servers.size()) {
    t.push_back({"by weight"});
    for (std::uint64_t w : r.weights) t.back().push_back(fixed_or_na(static_cast<double>(w) / total, 4));
  }
  print_table(os, t);
}

void print_paired(std::ostream& os, const CompareResult& r) {
  if (r.schedulers.size() < 2) return;
  if (r.streams == Streams::Common)
    os << "\nPaired differences against " << r.schedulers.front().scheduler
       << " (same seeds; * = the 95% CI excludes 0)\n";
  else
    os << "\nDifferences against " << r.schedulers.front().scheduler
       << " (independent streams, Welch's interval; * = the 95% CI excludes 0)\n";
  Table t{metric_headings()};
  bool any_no_spread = false;
  for (const SchedulerComparison& s : r.schedulers) {
    if (!s.paired) continue;
    t.push_back({s.scheduler});
    for (std::size_t m = 0; m < kCompareMetrics; ++m) {
      const ConfidenceInterval& d = (*s.paired)[m];
      t.back().push_back(difference_text(d, metric_info(static_cast<CompareMetric>(m)).decimals));
      any_no_spread = any_no_spread || no_spread(d);
    }
  }
  print_table(os, t);
  if (any_no_spread)
    os << "(no spread): the same " << (r.streams == Streams::Common ? "difference in every replication"
                                                                   : "value in every replication of both")
       << ", so no interval can be estimated; never starred\n";
}

json replication_json(const CompareResult& r, const CompareMetrics& m) {
  json j{{"seed", m.seed}};
  for (std::size_t k = 0; k < kCompareMetrics; ++k) j[metric_info(static_cast<CompareMetric>(k)).key] = m.values[k];
  j["requests"] = json::object();
  j["shares"] = json::object();
  for (std::size_t i = 0; i < r.servers.size(); ++i) {
    j["requests"][r.servers[i]] = m.server_requests.at(i);
    j["shares"][r.servers[i]] = m.shares.at(i);
  }
  return j;
}

json scheduler_json(const CompareResult& r, const SchedulerComparison& s) {
  json j{{"scheduler", s.scheduler}, {"metrics", json::object()}, {"shares", json::object()}};
  for (std::size_t m = 0; m < kCompareMetrics; ++m)
    j["metrics"][metric_info(static_cast<CompareMetric>(m)).key] = interval_json(s.metrics[m]);
  for (std::size_t i = 0; i < r.servers.size(); ++i) j["shares"][r.servers[i]] = interval_json(s.shares.at(i));
  if (s.paired) {
    json& p = j["paired_differences"] = json{{"against", r.schedulers.front().scheduler}};
    for (std::size_t m = 0; m < kCompareMetrics; ++m) {
      json d = interval_json((*s.paired)[m]);
      d["excludes_zero"] = excludes_zero((*s.paired)[m]);
      d["no_spread"] = no_spread((*s.paired)[m]);
      p[metric_info(static_cast<CompareMetric>(m)).key] = std::move(d);
    }
    p["method"] = difference_method(r.streams);
  }
  j["replications"] = json::array();
  for (const CompareMetrics& m : s.runs) j["replications"].push_back(replication_json(r, m));
  return j;
}

}  // namespace

std::string interval_text(const ConfidenceInterval& ci, int digits, bool sign) {
  return fixed_or_na(ci.mean, digits, sign) + " ± " + fixed_or_na(ci.half_width, digits);
}

std::string difference_text(const ConfidenceInterval& d, int digits) {
  const char* mark = excludes_zero(d) ? " *" : no_spread(d) ? " (no spread)" : "";
  return interval_text(d, digits, true) + mark;
}

void print_comparison(std::ostream& os, const CompareResult& r) {
  os << "lvslab compare: " << r.scenario << " (" << r.file << ")\n";
  if (r.interrupted)
    os << "interrupted: " << r.replications << " of " << r.planned_replications
       << " replications completed under every scheduler; only they are compared\n";
  if (r.interrupted && r.replications == 0) return;
  os << seeds_text(r) << ", " << r.replications << " replication" << (r.replications == 1 ? "" : "s")
     << " per scheduler, " << fixed_or_na(r.sim_time_s, 3) << " s simulated (warm-up " << fixed_or_na(r.warmup_s, 3) << " s)\n";
  os << "mean ± 95% CI half-width over the replications; imbalance and Jain of requests per unit weight "
        "(ipvsadm -w): 1 when every server got its weighted share\n\n";
  print_means(os, r);
  print_shares(os, r);
  print_paired(os, r);
}

std::string comparison_json(const CompareResult& r) {
  json j{{"scenario", r.scenario}, {"file", r.file},   {"sim_time_s", r.sim_time_s}, {"warmup_s", r.warmup_s},
         {"replications", r.replications}, {"seeds", r.seeds}, {"streams", streams_name(r.streams)},
         {"confidence_level", 0.95}, {"servers", r.servers}, {"weights", r.weights}, {"interrupted", r.interrupted},
         {"planned_replications", r.planned_replications},
         {"schedulers", json::array()}};
  for (const SchedulerComparison& s : r.schedulers) j["schedulers"].push_back(scheduler_json(r, s));
  return j.dump(2) + "\n";
}

std::string comparison_csv(const CompareResult& r) {
  std::ostringstream os;
  os << "scheduler,replication,seed";
  for (std::size_t m = 0; m < kCompareMetrics; ++m) os << ',' << metric_info(static_cast<CompareMetric>(m)).key;
  for (const std::string& name : r.servers) os << ",requests_" << name;
  for (const std::string& name : r.servers) os << ",share_" << name;
  os << '\n';
  for (const SchedulerComparison& s : r.schedulers)
    for (std::size_t i = 0; i < s.runs.size(); ++i) {
      const CompareMetrics& m = s.runs[i];
      os << s.scheduler << ',' << i << ',' << m.seed;
      for (double v : m.values) os << ',' << csv_number(v);
      for (std::uint64_t n : m.server_requests) os << ',' << n;
      for (double v : m.shares) os << ',' << csv_number(v);
      os << '\n';
    }
  return os.str();
}

}  // namespace lvs::run
