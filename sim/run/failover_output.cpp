#include "run/failover_output.hpp"
#include "run/number_text.hpp"

#include <iomanip>
#include <sstream>

namespace lvs::run {

namespace {

using json = nlohmann::ordered_json;

std::string percent(double v) { return fixed(v * 100, 3) + "%"; }

std::string time_or_dash(const std::optional<double>& t) { return t ? fixed(*t, 3) : "-"; }

json time_or_null(const std::optional<double>& t) { return t ? json(*t) : json(nullptr); }

bool checker_event(const std::string& event) {
  return event.rfind("check-", 0) == 0 || event.rfind("realserver-", 0) == 0 || event.rfind("sorry-server-", 0) == 0;
}

void print_timeline(std::ostream& os, const RunResult& r, std::size_t rows) {
  if (r.timeline.empty()) return;
  os << "\nTimeline (keepalived's log)\n";
  for (std::size_t k = 0; k < r.timeline.size() && k < rows; ++k)
    os << std::right << std::setw(10) << fixed(r.timeline[k].time_s, 3) << " s  " << timeline_line(r.timeline[k]) << "\n";
  if (r.timeline.size() > rows) os << "  and " << r.timeline.size() - rows << " more (--json lists them)\n";
}

void print_failovers(std::ostream& os, const RunResult& r) {
  if (r.failovers.empty()) return;
  os << "\nFailovers   cause      component        at s  detected s   moved s  recovered s   failed  delayed\n";
  for (const FailoverResult& f : r.failovers) {
    os << "            " << std::left << std::setw(10) << f.cause << ' ' << std::setw(12) << f.component << std::right
       << std::setw(9) << fixed(f.at_s, 3) << std::setw(12) << time_or_dash(f.detected_s) << std::setw(10)
       << time_or_dash(f.traffic_moved_s) << std::setw(13) << time_or_dash(f.recovered_s) << std::setw(9)
       << f.requests_failed << std::setw(9) << f.requests_delayed << "\n";
    if (!f.detected_by.empty()) os << "              detected: " << f.detected_by << "\n";
  }
  os << "  (failed/delayed: requests issued from the failure until traffic moved; delayed: completed in more than "
     << fixed(kDelayedRequest_s, 0) << " s)\n";
}

void print_availability(std::ostream& os, const RunResult& r) {
  const AvailabilityResult& a = r.availability;
  os << "\nAvailability  requests ";
  if (a.requests)
    os << percent(*a.requests) << " (" << a.requests_completed << " of " << a.requests_issued << " completed)";
  else
    os << "- (none issued)";
  os << "\n              time " << percent(a.time) << " up, 95% CI [" << percent(a.ci_low) << ", " << percent(a.ci_high)
     << "] (" << a.method << ", " << a.samples << (a.method == "replications" ? " runs" : " batches") << ")\n";
  for (const ComponentAvailability& c : a.components)
    os << "  formula     " << c.component << " " << c.cause << ": A = MTBF/(MTBF+MTTR) = " << c.formula << " = "
       << fixed(c.availability, 4) << "\n";
  for (const RedundantAvailability& g : a.redundant) {
    os << "  redundant   " << g.role << " (";
    for (std::size_t k = 0; k < g.components.size(); ++k) os << (k == 0 ? "" : ", ") << g.components[k];
    os << "): " << g.formula << " = " << fixed(g.availability, 4) << "\n";
  }
}

}  // namespace

std::string timeline_line(const TimelineEntry& e) {
  if (e.line.rfind(e.component + ": ", 0) == 0) return e.line;
  const std::size_t at = e.component.find('@');
  if (at != std::string::npos) return e.component.substr(at + 1) + ": " + e.line;
  const std::size_t colon = e.detail.find(": ");
  if (checker_event(e.event) && colon != std::string::npos) return e.detail.substr(0, colon) + ": " + e.line;
  return e.component + ": " + e.line;
}

void print_control_plane(std::ostream& os, const RunResult& r, std::size_t rows) {
  if (!r.control_plane) return;
  print_timeline(os, r, rows);
  print_failovers(os, r);
  print_availability(os, r);
}

void add_control_plane_json(json& j, const RunResult& r) {
  j["timeline"] = json::array();
  for (const TimelineEntry& e : r.timeline)
    j["timeline"].push_back(
        {{"time_s", e.time_s}, {"component", e.component}, {"event", e.event}, {"detail", e.detail}, {"line", e.line}});
  j["failovers"] = json::array();
  for (const FailoverResult& f : r.failovers)
    j["failovers"].push_back({{"cause", f.cause},
                              {"component", f.component},
                              {"at_s", f.at_s},
                              {"detected_s", time_or_null(f.detected_s)},
                              {"detected_by", f.detected_by.empty() ? json(nullptr) : json(f.detected_by)},
                              {"traffic_moved_s", time_or_null(f.traffic_moved_s)},
                              {"recovered_s", time_or_null(f.recovered_s)},
                              {"requests_failed", f.requests_failed},
                              {"requests_delayed", f.requests_delayed}});
  const AvailabilityResult& a = r.availability;
  json components = json::array(), redundant = json::array();
  for (const ComponentAvailability& c : a.components)
    components.push_back({{"component", c.component}, {"cause", c.cause}, {"mtbf_s", c.mtbf_s}, {"mttr_s", c.mttr_s},
                          {"availability", c.availability}, {"formula", c.formula}});
  for (const RedundantAvailability& g : a.redundant)
    redundant.push_back(
        {{"role", g.role}, {"components", g.components}, {"availability", g.availability}, {"formula", g.formula}});
  j["availability"] = {{"requests", a.requests ? json(*a.requests) : json(nullptr)},
                       {"time", a.time},
                       {"ci_low", a.ci_low},
                       {"ci_high", a.ci_high},
                       {"method", a.method},
                       {"samples", a.samples},
                       {"replications", r.replications},
                       {"components", components},
                       {"redundant", redundant}};
}

}  // namespace lvs::run
