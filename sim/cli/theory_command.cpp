#include "cli/theory_command.hpp"

#include <cmath>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "cli/output_paths.hpp"
#include "cli/scenario_commands.hpp"
#include "run/scenario_theory.hpp"
#include "scenario/scenario_spec.hpp"
#include "core/file_output.hpp"
#include "core/time.hpp"
#include "metrics/queueing.hpp"

namespace lvs::cli {

namespace {

struct Quantile {
  double p;
  const char* key;  // JSON key, as in `lvslab run --json`
};
constexpr Quantile kQuantiles[] = {{0.5, "p50"}, {0.9, "p90"}, {0.99, "p99"}, {0.999, "p999"}};

std::string ms(double seconds) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(3) << seconds * 1e3 << " ms";
  return s.str();
}

void print_row(std::ostream& out, const std::string& label, const std::string& value) {
  out << "  " << std::left << std::setw(26) << label << value << '\n';
}

nlohmann::json to_json(const MmcResult& q) {
  nlohmann::json j{{"model", "M/M/c"},
                   {"servers", q.servers},
                   {"arrival_rate_per_s", q.arrival_rate},
                   {"service_rate_per_s", q.service_rate},
                   {"offered_load_erlang", q.offered_load},
                   {"utilization", q.utilization},
                   {"p_wait", q.p_wait},
                   {"mean_wait_ms", q.mean_wait * 1e3},
                   {"mean_response_ms", q.mean_response * 1e3},
                   {"mean_queue_length", q.mean_queue_length},
                   {"mean_in_system", q.mean_in_system}};
  for (const Quantile& q99 : kQuantiles) j["response_ms"][q99.key] = response_time_quantile(q, q99.p) * 1e3;
  return j;
}

void print(std::ostream& out, const MmcResult& q) {
  out << "M/M/c: Poisson arrivals, exponential service, one FIFO queue shared by c servers (Erlang C)\n";
  print_row(out, "servers (c)", std::to_string(q.servers));
  std::ostringstream v;
  v << std::setprecision(6) << q.arrival_rate << " /s";
  print_row(out, "arrival rate", v.str());
  print_row(out, "mean service time", ms(1 / q.service_rate));
  v.str("");
  v << std::fixed << std::setprecision(3) << q.offered_load << " Erlang";
  print_row(out, "offered load", v.str());
  v.str("");
  v << std::fixed << std::setprecision(1) << q.utilization * 100 << " %";
  print_row(out, "utilization", v.str());
  v.str("");
  v << std::fixed << std::setprecision(4) << q.p_wait;
  print_row(out, "P(wait) (Erlang C)", v.str());
  print_row(out, "mean wait", ms(q.mean_wait));
  print_row(out, "mean response", ms(q.mean_response));
  for (const Quantile& p : kQuantiles) print_row(out, std::string("response ") + p.key, ms(response_time_quantile(q, p.p)));
  v.str("");
  v << std::fixed << std::setprecision(3) << q.mean_queue_length;
  print_row(out, "mean queue length", v.str());
}

// The --slo answer: the fewest servers from the stable minimum up, and their JSON.
struct SloAnswer {
  Time target;
  std::optional<int> stable;   ///< the fewest servers with utilisation < 1
  std::optional<int> servers;  ///< the fewest meeting the target
};

SloAnswer answer_slo(const TheoryOptions& o, double mu) {
  SloAnswer a{parse_time(*o.slo), stable_minimum_servers(o.rate, mu), std::nullopt};
  a.servers = servers_for_response_quantile(o.rate, mu, o.quantile, a.target.seconds());
  return a;
}

void print_slo(std::ostream& out, const TheoryOptions& o, double mu, const SloAnswer& a) {
  std::ostringstream quantile;
  quantile << "p" << o.quantile * 100;
  const std::string p = quantile.str();
  if (!o.servers && a.stable) {
    std::ostringstream u;
    u << std::fixed << std::setprecision(1) << o.rate / mu / *a.stable * 100;
    out << "\nstable minimum: " << *a.stable << " servers (utilization " << u.str() << " %); searched upward from there\n";
  }
  out << (o.servers ? "\n" : "") << "fewest servers with response " << p << " <= " << to_string(a.target) << ": ";
  if (a.servers)
    out << *a.servers << " (" << p << " " << ms(response_time_quantile(mmc(*a.servers, o.rate, mu), o.quantile))
        << ")\n";
  else if (!a.stable)
    out << "none: more than 1000000 servers would be needed to be stable\n";
  else
    out << "none: the service time alone exceeds it\n";
}

// The supermarket model at the same per-server load, as the number of servers grows: what
// power-of-d choices (twos, p2c) approach with one worker per server.
void print_supermarket(std::ostream& out, const MmcResult& q, int d, nlohmann::json& j) {
  const double load = q.utilization;
  const double t = supermarket_time_in_system(load, d) / q.service_rate;
  out << "\nsupermarket model (each request to the least loaded of " << d
      << " servers picked at random, one worker each, servers -> infinity; Mitzenmacher 2001):\n";
  print_row(out, "mean response", ms(t));
  print_row(out, "M/M/1 per server (d = 1)", ms(supermarket_time_in_system(load, 1) / q.service_rate));
  j["supermarket"] = {{"choices", d}, {"load_per_server", load}, {"mean_response_ms", t * 1e3}};
}

}  // namespace

namespace {

// `lvslab theory SCENARIO`: read (with --set), validate, derive, print.
int run_scenario_theory(const TheoryOptions& o, std::ostream& out, std::ostream& err) {
  if (o.rate > 0 || !o.service_time.empty() || o.servers || o.slo || o.choices)
    throw std::invalid_argument("give either a scenario or --rate and --service-time, not both (the scenario sets "
                                "the rate, the servers and the service time)");
  if (o.json) check_output_file("--json", *o.json);
  const scenario::ScenarioSpec spec = scenario::read_scenario(*o.scenario, o.overrides);
  if (report_findings(spec, err)) return kExitBadInput;
  const run::ScenarioTheory t = run::scenario_theory(spec);
  run::print_theory(out, t);
  if (o.json) write_file(*o.json, run::theory_json(t));
  return 0;
}

}  // namespace

int run_theory(const TheoryOptions& o, std::ostream& out, std::ostream& err) {
  if (o.scenario) return run_scenario_theory(o, out, err);
  if (!o.overrides.empty()) throw std::invalid_argument("--set: give the scenario it applies to");
  if (o.rate <= 0) throw std::invalid_argument("--rate is required (or a scenario)");
  if (o.service_time.empty()) throw std::invalid_argument("--service-time is required (or a scenario)");
  const Time service = parse_time(o.service_time);
  if (service <= Time::zero()) throw std::invalid_argument("--service-time must be > 0");
  if (o.json) check_output_file("--json", *o.json);
  const double mu = 1.0 / service.seconds();
  const std::optional<SloAnswer> slo = o.slo ? std::optional(answer_slo(o, mu)) : std::nullopt;
  // Without --servers the figures are those of the answer (or of the stable minimum if none meets it).
  int c = o.servers.value_or(1);
  if (!o.servers && slo && !slo->stable)
    throw std::invalid_argument("--slo: the offered load needs more than 1000000 servers to be stable");
  if (!o.servers && slo) c = slo->servers.value_or(*slo->stable);
  const MmcResult q = mmc(c, o.rate, mu);
  print(out, q);
  nlohmann::json j = to_json(q);
  if (slo) {
    print_slo(out, o, mu, *slo);
    j["slo"] = {{"quantile", o.quantile},
                {"target_ms", slo->target.milliseconds()},
                {"stable_minimum", slo->stable ? nlohmann::json(*slo->stable) : nlohmann::json(nullptr)},
                {"servers", slo->servers ? nlohmann::json(*slo->servers) : nlohmann::json(nullptr)}};
  }
  if (o.choices) print_supermarket(out, q, *o.choices, j);
  if (o.json) write_file(*o.json, j.dump(2) + '\n');
  return 0;
}

}  // namespace lvs::cli
