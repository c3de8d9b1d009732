#include "run/availability.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "metrics/confidence.hpp"

namespace lvs::run {

namespace {

std::string number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

// The host a failure process's component is on: "web1:80" and "lvs1/eth0" -> the host.
std::string host_of(const std::string& component) { return component.substr(0, component.find_first_of(":/")); }

// A member's availability: the product over the processes on its host (1 if none fails).
double member_availability(const std::string& host, const std::vector<ComponentAvailability>& components,
                           bool& fails) {
  double a = 1;
  for (const ComponentAvailability& c : components)
    if (host_of(c.component) == host) {
      a *= c.availability;
      fails = true;
    }
  return a;
}

std::optional<RedundantAvailability> group(std::string role, std::vector<std::string> members,
                                           const std::vector<ComponentAvailability>& components) {
  if (members.size() < 2) return std::nullopt;
  bool fails = false;
  double all_down = 1;
  std::vector<double> each;
  for (const std::string& m : members) {
    each.push_back(member_availability(m, components, fails));
    all_down *= 1 - each.back();
  }
  if (!fails) return std::nullopt;
  const bool same = std::all_of(each.begin(), each.end(), [&](double a) { return a == each.front(); });
  std::ostringstream formula;
  if (same) {
    formula << "1-(1-A)^" << members.size();
  } else {
    formula << "1-";
    for (const std::string& m : members) formula << "(1-A_" << m << ")";
  }
  return RedundantAvailability{std::move(role), std::move(members), 1 - all_down, formula.str()};
}

}  // namespace

std::vector<ComponentAvailability> component_availability(const scenario::ScenarioSpec& spec) {
  std::vector<ComponentAvailability> out;
  for (const scenario::FailureProcessSpec& f : spec.failures) {
    const double mtbf = f.time_to_failure.mean(), mttr = f.time_to_repair.mean();
    out.push_back({f.component, scenario::failure_kind_name(f.kind), mtbf, mttr,
                   mtbf + mttr > 0 ? mtbf / (mtbf + mttr) : 1, number(mtbf) + "/(" + number(mtbf) + "+" + number(mttr) + ")"});
  }
  return out;
}

std::vector<RedundantAvailability> redundant_availability(const scenario::ScenarioSpec& spec,
                                                          const std::vector<ComponentAvailability>& components) {
  std::vector<RedundantAvailability> out;
  for (const scenario::VrrpInstanceSpec& vi : spec.vrrp) {
    std::vector<std::string> members;
    for (const scenario::VrrpMemberSpec& m : vi.members) members.push_back(m.director);
    if (auto g = group("directors of " + vi.name, members, components)) out.push_back(std::move(*g));
  }
  for (const scenario::ServiceSpec& s : spec.services) {
    const bool checked = s.health_check || std::any_of(s.destinations.begin(), s.destinations.end(),
                                                      [](const scenario::DestinationSpec& d) { return !d.checks.empty(); });
    if (!checked) continue;
    std::vector<std::string> members;
    for (const scenario::DestinationSpec& d : s.destinations)
      if (std::find(members.begin(), members.end(), d.server) == members.end()) members.push_back(d.server);
    const std::string name = s.fwmark ? "FWM " + std::to_string(*s.fwmark)
                                      : std::string(s.protocol == scenario::Protocol::Udp ? "UDP " : "TCP ") +
                                            s.vip.str() + ":" + std::to_string(s.port);
    if (auto g = group("real servers of " + name, members, components)) out.push_back(std::move(*g));
  }
  return out;
}

void set_time_interval(AvailabilityResult& a, std::vector<double> values, std::string method) {
  a.method = std::move(method);
  a.samples = values.size();
  a.batches = std::move(values);
  const ConfidenceInterval ci = confidence_interval(a.batches);
  a.time = a.batches.empty() ? 1 : ci.mean;
  const double half = std::isnan(ci.half_width) ? 0 : ci.half_width;
  a.ci_low = std::clamp(a.time - half, 0.0, 1.0);
  a.ci_high = std::clamp(a.time + half, 0.0, 1.0);
}

RunResult run_replications(const scenario::ScenarioSpec& spec, const RunOptions& options, int replications) {
  if (replications < 1) throw std::invalid_argument("--replications must be at least 1");
  const std::uint64_t base = options.seed.value_or(spec.seed);
  RunResult first;
  std::vector<double> times;
  std::uint64_t issued = 0, completed = 0;
  std::vector<double> residences;
  for (int r = 0; r < replications; ++r) {
    RunOptions o = options;
    o.seed = base + static_cast<std::uint64_t>(r);
    if (r > 0) o.pcap.reset();  // the first run's frames only
    RunResult result = run_scenario(spec, o);
    times.push_back(result.availability.time);
    residences.push_back(result.residence.mean_s);
    issued += result.availability.requests_issued;
    completed += result.availability.requests_completed;
    if (r == 0) first = std::move(result);
    if (first.interrupted || (r > 0 && result.interrupted)) break;
  }
  first.replications = times.size();
  first.residence_means_s = std::move(residences);
  if (times.size() < 2) return first;
  AvailabilityResult& a = first.availability;
  a.requests_issued = issued;
  a.requests_completed = completed;
  a.requests = issued == 0 ? std::nullopt : std::optional<double>(static_cast<double>(completed) / static_cast<double>(issued));
  set_time_interval(a, std::move(times), "replications");
  return first;
}

}  // namespace lvs::run
