#include "run/control_plane_results.hpp"

#include "control/health_check.hpp"
#include "run/availability.hpp"
#include "run/failovers.hpp"

namespace lvs::run {

bool has_control_plane(const Model& m) {
  return !m.failure_processes.empty() || !m.vrrp.empty() || !m.checks.services().empty();
}

namespace {

std::vector<TimelineEntry> timeline_of(const control::EventLog& log) {
  std::vector<TimelineEntry> out;
  out.reserve(log.records().size());
  for (const control::LogRecord& e : log.records())
    out.push_back({e.at.seconds(), e.component, e.event, e.detail, e.line});
  return out;
}

// What find_failovers needs of the model besides the results.
FailoverInputs failover_inputs(const Model& m, Time end) {
  FailoverInputs in;
  for (const Director* d : m.directors) in.directors.push_back(d->name());
  for (const RealServer* s : m.servers) {
    std::vector<std::string>& addresses = in.server_addresses[s->name()];
    for (const auto& i : s->interfaces())
      if (i->kind() == InterfaceKind::Ethernet)
        for (const Ipv4Prefix& a : i->addresses()) addresses.push_back(control::bracketed(a.address()));
  }
  for (const Client* c : m.clients) in.outcomes.insert(in.outcomes.end(), c->outcomes().begin(), c->outcomes().end());
  in.end_s = end.seconds();
  return in;
}

}  // namespace

void control_plane_results(const Model& m, const scenario::ScenarioSpec& spec, const ServiceUptime& uptime, Time end,
                           RunResult& r) {
  r.control_plane = has_control_plane(m);
  r.timeline = timeline_of(m.log);
  r.failovers = find_failovers(r.timeline, r.vip_arp, failover_inputs(m, end));
  AvailabilityResult& a = r.availability;
  a.requests_issued = r.requests.issued;
  a.requests_completed = r.requests.completed;
  if (r.requests.issued > 0)
    a.requests = static_cast<double>(r.requests.completed) / static_cast<double>(r.requests.issued);
  set_time_interval(a, uptime.batch_fractions(spec.warmup, end, kAvailabilityBatches), "batch means");
  a.time = uptime.fraction(spec.warmup, end);  // the same as the batches' mean, without their rounding
  a.components = component_availability(spec);
  a.redundant = redundant_availability(spec, a.components);
}

}  // namespace lvs::run
