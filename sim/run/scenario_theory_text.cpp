// scenario_theory()'s figures as text and JSON, and the run's "Simulation vs theory".

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <string_view>
#include <unordered_map>

#include "metrics/confidence.hpp"
#include "run/results.hpp"
#include "run/scenario_theory.hpp"
#include "run/scenario_theory_detail.hpp"

namespace lvs::run {

namespace {

std::string ms(double s) {
  char b[48];
  std::snprintf(b, sizeof b, "%.3f ms", s * 1e3);
  return b;
}

std::string fixed(double v, int digits) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(digits) << v;
  return o.str();
}

void row(std::ostream& out, const std::string& label, const std::string& value) {
  out << "  " << std::left << std::setw(24) << label << value << '\n';
}

void print_model(std::ostream& out, const ModelFigures& m, bool best) {
  out << "  " << m.name << (best ? " (the scheduler's model)" : "") << ": " << m.description << '\n';
  std::string figures = "mean " + ms(m.mean_response_s);
  if (m.p99_s) figures += ", p99 " + ms(*m.p99_s);
  if (m.p_wait) figures += ", P(wait) " + fixed(*m.p_wait, 4);
  if (m.p_block) figures += ", P(lost) " + fixed(*m.p_block, 6);
  if (m.utilization > 0) figures += ", utilization " + fixed(m.utilization * 100, 1) + " %";
  out << "      " << figures << '\n';
  if (!m.note.empty()) out << "      " << m.note << '\n';
}

void print_service(std::ostream& out, const ServiceTheory& t) {
  out << "service " << t.service << ": scheduler " << t.scheduler << ", mode " << t.modes << '\n';
  if (t.closed_loop)
    row(out, "clients", std::to_string(t.users) + " users (closed loop), think time " + ms(t.think_s));
  if (t.offered_rps > 0) row(out, "offered", fixed(t.offered_rps, 1) + " requests/s (open loop)");
  row(out, "real servers", std::to_string(t.servers) + ", " + std::to_string(t.workers) +
                               " workers in all, mean service time " + ms(t.mean_service_s));
  row(out, "server capacity", fixed(t.server_capacity_rps, 0) + " requests/s (workers / mean service time)");
  for (const DirectorLine& d : t.director)
    row(out, "director " + d.director, d.mode + ": " + fixed(d.packets_per_request, 1) + " packets/request x " +
                                           fixed(d.cost_per_packet_s * 1e9, 0) + " ns, " +
                                           fixed(d.cost_per_connection_s * 1e9, 0) + " ns per connection, " +
                                           std::to_string(d.cores) + " cores (profile " + d.profile + "): " +
                                           fixed(d.max_requests_per_s, 0) + " requests/s");
  row(out, "caps the rate first", t.bottleneck);
  if (!t.models.empty()) out << "models (time at the real server: waiting + service):\n";
  for (std::size_t i = 0; i < t.models.size(); ++i) print_model(out, t.models[i], t.best == i);
  if (!t.assumptions.empty()) out << "assumptions the scenario leaves:\n";
  for (const std::string& a : t.assumptions) out << "  - " << a << '\n';
}

nlohmann::json model_json(const ModelFigures& m) {
  nlohmann::json j{{"name", m.name},
                   {"description", m.description},
                   {"mean_response_ms", m.mean_response_s * 1e3},
                   {"utilization", m.utilization}};
  j["p99_ms"] = m.p99_s ? nlohmann::json(*m.p99_s * 1e3) : nlohmann::json(nullptr);
  j["p_wait"] = m.p_wait ? nlohmann::json(*m.p_wait) : nlohmann::json(nullptr);
  j["p_lost"] = m.p_block ? nlohmann::json(*m.p_block) : nlohmann::json(nullptr);
  if (!m.note.empty()) j["note"] = m.note;
  return j;
}

}  // namespace

void print_theory(std::ostream& out, const ScenarioTheory& t) {
  out << "lvslab theory: " << t.scenario << '\n';
  if (t.services.empty()) out << "no service has clients: nothing to model\n";
  for (const ServiceTheory& s : t.services) {
    out << '\n';
    print_service(out, s);
  }
}

std::string theory_json(const ScenarioTheory& t) {
  nlohmann::json j{{"scenario", t.scenario}, {"services", nlohmann::json::array()}};
  for (const ServiceTheory& s : t.services) {
    nlohmann::json js{{"service", s.service},
                      {"scheduler", s.scheduler},
                      {"modes", s.modes},
                      {"closed_loop", s.closed_loop},
                      {"offered_rps", s.offered_rps},
                      {"users", s.users},
                      {"servers", s.servers},
                      {"workers", s.workers},
                      {"mean_service_ms", s.mean_service_s * 1e3},
                      {"server_capacity_rps", s.server_capacity_rps},
                      {"director_capacity_rps", s.director_capacity_rps},
                      {"bottleneck", s.bottleneck},
                      {"assumptions", s.assumptions},
                      {"models", nlohmann::json::array()},
                      {"director", nlohmann::json::array()}};
    for (const ModelFigures& m : s.models) js["models"].push_back(model_json(m));
    js["best_model"] = s.best ? nlohmann::json(s.models[*s.best].name) : nlohmann::json(nullptr);
    for (const DirectorLine& d : s.director)
      js["director"].push_back({{"director", d.director}, {"profile", d.profile}, {"mode", d.mode},
                                {"cores", d.cores}, {"packets_per_request", d.packets_per_request},
                                {"ns_per_packet", d.cost_per_packet_s * 1e9},
                                {"ns_per_connection", d.cost_per_connection_s * 1e9},
                                {"max_requests_per_s", d.max_requests_per_s}});
    j["services"].push_back(js);
  }
  return j.dump(2) + '\n';
}

std::optional<TheoryComparison> theory_for(const scenario::ScenarioSpec& spec) {
  const ScenarioTheory t = scenario_theory(spec);
  if (t.services.size() != 1) return std::nullopt;
  const ServiceTheory& s = t.services.front();
  if (s.closed_loop || !s.best) return std::nullopt;
  const ModelFigures& m = s.models[*s.best];
  TheoryComparison c;
  c.service = s.service;
  c.model = m.name + ", scheduler " + s.scheduler;
  c.theory_mean_s = m.mean_response_s;
  c.theory_p99_s = m.p99_s;
  c.assumptions = s.assumptions;
  return c;
}

std::optional<MeasuredPoint> measured_point(const scenario::ScenarioSpec& spec, const std::string& service,
                                            const RunResult& r) {
  const auto s = std::find_if(spec.services.begin(), spec.services.end(),
                              [&](const scenario::ServiceSpec& x) { return x.name == service; });
  if (s == spec.services.end()) return std::nullopt;
  std::unordered_map<std::string_view, double> utilization;  // by name: groups make 100 000 servers
  for (const ServerResult& x : r.servers) utilization.emplace(x.name, x.utilization);
  double busy = 0, workers = 0;
  for (const detail::Station& st : detail::service_load(spec, *s).stations) {
    const auto server = utilization.find(st.name);
    if (server == utilization.end()) continue;
    busy += server->second * st.workers;
    workers += st.workers;
  }
  if (workers == 0) return std::nullopt;
  MeasuredPoint p{busy / workers, r.residence.mean_s, std::nullopt, r.residence.requests};
  if (r.residence.requests > 0) p.p99_s = r.residence.p99_s;
  return p;
}

TheoryComparison with_measured(TheoryComparison c, const RunResult& r) {
  c.measured_mean_s = r.residence.mean_s;
  c.measured_p99_s = r.residence.requests > 0 ? std::optional(r.residence.p99_s) : std::nullopt;
  c.replications = r.residence_means_s.size();
  if (c.replications >= 2) {
    const ConfidenceInterval ci = confidence_interval(r.residence_means_s);
    c.measured_mean_s = ci.mean;
    c.ci_half_s = ci.half_width;
  }
  return c;
}

void print_comparison(std::ostream& out, const TheoryComparison& c) {
  out << "\nSimulation vs theory (" << c.service << "; " << c.model << ")\n"
      << "  time at the real servers (waiting + service, from the request in to the response out; no network):\n";
  std::string measured = ms(c.measured_mean_s);
  if (c.ci_half_s) measured += " +- " + ms(*c.ci_half_s) + " (95%, " + std::to_string(c.replications) + " replications)";
  out << "  mean      simulated " << measured << "   theory " << ms(c.theory_mean_s) << '\n';
  if (c.theory_p99_s && c.measured_p99_s)
    out << "  p99       simulated " << ms(*c.measured_p99_s) << (c.replications >= 2 ? " (first run)" : "")
        << "   theory " << ms(*c.theory_p99_s) << '\n';
  for (const std::string& a : c.assumptions) out << "  - " << a << '\n';
}

}  // namespace lvs::run
