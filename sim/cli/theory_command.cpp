#include "cli/theory_command.hpp"

#include <cmath>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>
#include <stdexcept>

#include "cli/output_paths.hpp"
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

}  // namespace

int run_theory(const TheoryOptions& o, std::ostream& out) {
  const Time service = parse_time(o.service_time);
  if (service <= Time::zero()) throw std::invalid_argument("--service-time must be > 0");
  if (o.json) check_output_file("--json", *o.json);
  const double mu = 1.0 / service.seconds();
  const MmcResult q = mmc(o.servers, o.rate, mu);
  print(out, q);
  nlohmann::json j = to_json(q);
  if (o.slo) {
    const Time target = parse_time(*o.slo);
    const auto c = servers_for_response_quantile(o.rate, mu, o.quantile, target.seconds());
    out << "\nfewest servers with response p" << o.quantile * 100 << " <= " << to_string(target) << ": ";
    if (c)
      out << *c << " (p" << o.quantile * 100 << " " << ms(response_time_quantile(mmc(*c, o.rate, mu), o.quantile))
          << ")\n";
    else
      out << "none: the service time alone exceeds it\n";
    j["slo"] = {{"quantile", o.quantile}, {"target_ms", target.milliseconds()}, {"servers", c ? nlohmann::json(*c) : nlohmann::json(nullptr)}};
  }
  if (o.json) write_file(*o.json, j.dump(2) + '\n');
  return 0;
}

}  // namespace lvs::cli
