// scenario_theory(): a scenario's services as queueing models. What each model assumes and
// where it comes from is in docs/queueing-theory.md; the models are in sim/metrics
// (queueing.hpp, queueing_finite.hpp, cluster_ctmc.hpp), the director's capacity in
// scenario/director_capacity.hpp.

#include "run/scenario_theory.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cmath>
#include <map>
#include <set>

#include "run/scenario_theory_detail.hpp"
#include "scenario/director_capacity.hpp"
#include "scenario/director_cpu_spec.hpp"

namespace lvs::run {

namespace {

using namespace scenario;

bool uses(const ClientSpec& c, const ServiceSpec& s) {
  return c.target == s.vip && c.port == s.port && c.protocol == s.protocol;
}

using AppsByHost = std::map<std::string, std::vector<const ServerAppSpec*>, std::less<>>;

AppsByHost apps_by_host(const ScenarioSpec& spec) {
  AppsByHost m;
  for (const ServerAppSpec& a : spec.servers)
    for (const std::string& h : a.hosts) m[h].push_back(&a);
  return m;
}

const ServerAppSpec* app_for(const AppsByHost& apps, const ServiceSpec& s, const DestinationSpec& d) {
  const auto it = apps.find(d.server);
  if (it == apps.end()) return nullptr;
  for (const ServerAppSpec* a : it->second)
    if (a->protocol == s.protocol && a->port == d.port.value_or(s.port)) return a;
  return nullptr;
}

// The sessions/s of an open-loop client averaged over the measured part of the run
// [warm-up, duration], and whether its rate changes there.
double average_rate(const ScenarioSpec& spec, const ClientSpec& c, bool& varies) {
  const double from = std::max(c.start, spec.warmup).seconds();
  const double to = std::min(c.stop.value_or(spec.duration), spec.duration).seconds();
  const double span = (spec.duration - spec.warmup).seconds();
  if (span <= 0 || to <= from) return 0;
  double sessions = 0;
  std::set<double> rates;
  for (std::size_t k = 0; k < c.rate.size(); ++k) {
    const double a = std::max(c.rate[k].at.seconds(), from);
    const double b = std::min(k + 1 < c.rate.size() ? c.rate[k + 1].at.seconds() : to, to);
    if (b > a) sessions += c.rate[k].rate * (b - a), rates.insert(c.rate[k].rate);
  }
  varies = varies || rates.size() > 1 || from > spec.warmup.seconds() || to < spec.duration.seconds();
  return sessions / span;
}

}  // namespace

namespace detail {

// The real servers of `s` in use at the start (weight > 0, present), and its clients' load.
ServiceLoad service_load(const ScenarioSpec& spec, const ServiceSpec& s) {
  const AppsByHost apps = apps_by_host(spec);
  ServiceLoad l;
  for (const DestinationSpec& d : s.destinations) {
    const ServerAppSpec* a = app_for(apps, s, d);
    if (a == nullptr || d.weight == 0 || !d.initially_present) continue;
    l.stations.push_back(Station{d.server, static_cast<int>(a->workers), a->service_time.mean(),
                                 static_cast<double>(d.weight),
                                 static_cast<long long>(a->max_connections) + a->backlog, a});
  }
  bool varies = false;
  for (const ClientSpec& c : spec.workload.clients) {
    if (!uses(c, s)) continue;
    l.clients.push_back(&c);
    if (c.users > 0) {
      l.users += c.users;
      l.think_s += c.users * c.think_time.mean();
      continue;
    }
    l.offered_rps += average_rate(spec, c, varies) * c.requests_per_connection;
    l.poisson = l.poisson && c.process.value_or(ArrivalProcess::Poisson) == ArrivalProcess::Poisson;
    l.keep_alive = std::max(l.keep_alive, c.requests_per_connection);
  }
  if (l.users > 0) l.think_s /= l.users;
  l.rate_varies = varies;
  return l;
}

}  // namespace detail

std::vector<std::string> detail::assumptions_left(const ScenarioSpec& spec, const ServiceSpec& s,
                                                  const ServiceLoad& l) {
  std::vector<std::string> out;
  std::set<std::string> kinds;
  bool differ = false, mounts = false;
  for (const Station& st : l.stations) {
    if (st.app->service_time.kind() != Distribution::Kind::Exponential)
      kinds.insert(std::string(Distribution::kind_name(st.app->service_time.kind())));
    differ = differ || st.workers != l.stations.front().workers || st.service_s != l.stations.front().service_s;
    mounts = mounts || st.app->mount.has_value();
  }
  for (const std::string& k : kinds)
    out.push_back("service time is " + k + ", not exponential: the M/M figures are an approximation (M/G/c)");
  if (!l.poisson) out.push_back("arrivals are evenly spaced, not Poisson: the models overstate the waiting");
  if (l.rate_varies) out.push_back("the arrival rate changes over the run: the figures are for its average");
  if (l.keep_alive > 1)
    out.push_back("keep-alive connections (" + std::to_string(l.keep_alive) +
                  " requests each): requests reach a server in bursts, and lc/wlc count connections, not requests");
  if (l.users > 0) out.push_back("closed-loop clients (users): the offered rate falls as responses slow");
  if (differ) out.push_back("the real servers differ in workers or service time");
  if (mounts) out.push_back("requests read files over NFS: storage time is not in the model");
  if (s.persistent) out.push_back("persistent service: clients stick to their real server");
  std::size_t with_clients = 0;
  for (const ServiceSpec& other : spec.services)
    for (const ClientSpec& c : spec.workload.clients)
      if (uses(c, other)) {
        ++with_clients;
        break;
      }
  if (with_clients > 1) out.push_back("several services share the cluster: each is modelled alone");
  if (!spec.events.empty() || !spec.failures.empty())
    out.push_back("the timeline or failure processes change the cluster: the model is for the steady cluster");
  return out;
}

std::optional<std::string> no_steady_state(const ScenarioSpec& spec) {
  for (const ServiceSpec& s : spec.services) {
    const detail::ServiceLoad l = detail::service_load(spec, s);
    if (l.clients.empty() || l.users > 0) continue;
    const ServiceTheory t = detail::service_capacity(spec, s, l);
    const double capacity = t.director_capacity_rps > 0 ? std::min(t.server_capacity_rps, t.director_capacity_rps)
                                                        : t.server_capacity_rps;
    if (t.offered_rps >= capacity)
      return "service " + t.service + " is offered " + std::to_string(std::llround(t.offered_rps)) +
             " requests/s, at or above the capacity of " + t.bottleneck;
  }
  return std::nullopt;
}

ScenarioTheory scenario_theory(const ScenarioSpec& spec) {
  ScenarioTheory t;
  t.scenario = spec.name;
  for (const ServiceSpec& s : spec.services) {
    const detail::ServiceLoad l = detail::service_load(spec, s);
    if (l.clients.empty()) continue;
    t.services.push_back(detail::service_theory(spec, s, l));
  }
  return t;
}

}  // namespace lvs::run

namespace lvs::run::detail {

namespace {

using namespace scenario;

std::string upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// The director's requests/s in each mode its destinations use, and the mix's by weight.
void add_director(const ScenarioSpec& spec, const ServiceSpec& s, const ServiceLoad& l, ServiceTheory& t) {
  const HostSpec* director = nullptr;
  for (const HostSpec& h : spec.topology.hosts)
    if (h.name == s.director && h.kind == HostKind::Director) director = &h;
  if (director == nullptr || find_director_profile(director->cpu.profile) == nullptr || l.clients.empty()) return;
  const DirectorCpuConfig cpu = director_cpu(director->cpu);
  const ClientSpec& c = *l.clients.front();
  double response = 0;
  for (const Station& st : l.stations) response += segments(st.app->response_size, s.protocol);
  response = l.stations.empty() ? 1 : response / static_cast<double>(l.stations.size());
  const RequestPackets p = request_packets(segments(c.request_size, s.protocol), response, c.requests_per_connection,
                                           s.protocol);
  std::map<int, double> weight;
  double total = 0, seconds = 0;
  for (const DestinationSpec& d : s.destinations) weight[static_cast<int>(d.method)] += d.weight, total += d.weight;
  for (const auto& [m, w] : weight) {
    const std::optional<DirectorCapacity> cap = director_capacity(cpu, static_cast<Method>(m), p, c.requests_per_connection);
    if (!t.modes.empty()) t.modes += '+';
    t.modes += method_name(static_cast<Method>(m));
    if (!cap || total == 0) continue;
    t.director.push_back(DirectorLine{director->name, cpu.profile, method_name(cap->mode), cap->cores,
                                      cap->packets_per_request, cap->per_packet.seconds(), cap->per_connection.seconds(),
                                      cap->max_requests_per_s});
    seconds += w / total / cap->max_requests_per_s;
  }
  if (seconds > 0) t.director_capacity_rps = 1 / seconds;
}

std::string rate_text(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.0f requests/s", v);
  return b;
}

// A closed system of N users thinking Z between requests on c workers of mean service S:
// throughput X <= min(N / (S + Z), c / S), response R >= max(S, N S / c - Z) (asymptotic
// bounds: Lazowska, Zahorjan, Graham and Sevcik, "Quantitative System Performance" (1984),
// section 5.2, with the c workers as one station of demand S / c).
ModelFigures closed_bounds(const ServiceTheory& t) {
  const double n = t.users, s = t.mean_service_s, z = t.think_s, c = static_cast<double>(t.workers);
  const double x = std::min(n / (s + z), c / s);
  return ModelFigures{"closed-loop bounds", std::to_string(t.users) + " users thinking " +
                          std::to_string(static_cast<long long>(std::llround(z * 1e3))) +
                          " ms: asymptotic bounds of a closed system (no open model applies)",
                      std::max(s, n * s / c - z), std::nullopt, std::nullopt, std::nullopt, x / t.server_capacity_rps,
                      "throughput at most " + rate_text(x)};
}

}  // namespace

ServiceTheory service_capacity(const ScenarioSpec& spec, const ServiceSpec& s, const ServiceLoad& l) {
  ServiceTheory t;
  t.service = s.name;
  t.scheduler = s.scheduler;
  t.offered_rps = l.offered_rps;
  t.users = l.users;
  t.think_s = l.think_s;
  t.closed_loop = l.users > 0;
  t.servers = static_cast<int>(l.stations.size());
  for (const Station& st : l.stations) {
    t.workers += st.workers;
    t.mean_service_s += st.service_s / static_cast<double>(l.stations.size());
    t.server_capacity_rps += st.service_s > 0 ? st.workers / st.service_s : 0;
  }
  add_director(spec, s, l, t);
  t.assumptions = assumptions_left(spec, s, l);
  const bool director_first = t.director_capacity_rps > 0 && t.director_capacity_rps < t.server_capacity_rps;
  const std::string modes = upper(t.modes);
  t.bottleneck = director_first ? "director " + s.director + " (" + modes + "): " + rate_text(t.director_capacity_rps)
                                : "the real servers (workers / mean service time): " + rate_text(t.server_capacity_rps);
  if (t.offered_rps >= std::min(t.server_capacity_rps, director_first ? t.director_capacity_rps : INFINITY))
    t.assumptions.insert(t.assumptions.begin(), "the offered rate reaches the capacity of " + t.bottleneck +
                                                    ": no steady state; only the finite-capacity model applies");
  return t;
}

ServiceTheory service_theory(const ScenarioSpec& spec, const ServiceSpec& s, const ServiceLoad& l) {
  ServiceTheory t = service_capacity(spec, s, l);
  add_models(t, l, s.scheduler);
  if (t.closed_loop && t.server_capacity_rps > 0) t.models.push_back(closed_bounds(t));
  return t;
}

}  // namespace lvs::run::detail
