#include "metrics/queueing.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <string>

namespace lvs {

namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument(what);
}

std::string number(double v) {
  std::ostringstream s;
  s << std::setprecision(6) << v;
  return s.str();
}

// Finds t with ccdf(t) = tail for a decreasing ccdf, by doubling then bisection.
template <class Ccdf>
double invert_ccdf(Ccdf ccdf, double tail) {
  double hi = 1e-9;
  while (ccdf(hi) > tail) hi *= 2;
  double lo = 0;
  for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (ccdf(mid) > tail ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

double erlang_b(int servers, double offered_load) {
  require(servers >= 1, "servers must be >= 1");
  require(offered_load >= 0, "offered load must be >= 0");
  double b = 1.0;  // B(0, A)
  for (int k = 1; k <= servers; ++k) b = offered_load * b / (k + offered_load * b);
  return b;
}

double erlang_c(int servers, double offered_load) {
  require(offered_load < servers, "offered load must be below the number of servers (the queue is unstable)");
  const double b = erlang_b(servers, offered_load);
  return servers * b / (servers - offered_load * (1.0 - b));
}

MmcResult mmc(int servers, double arrival_rate, double service_rate) {
  require(servers >= 1, "servers must be >= 1 (got " + std::to_string(servers) + ")");
  require(arrival_rate > 0, "arrival rate must be > 0");
  require(service_rate > 0, "service rate must be > 0");
  MmcResult q;
  q.servers = servers;
  q.arrival_rate = arrival_rate;
  q.service_rate = service_rate;
  q.offered_load = arrival_rate / service_rate;
  q.utilization = q.offered_load / servers;
  require(q.utilization < 1, "unstable: " + number(arrival_rate) + " arrivals/s need more than " +
                                 std::to_string(servers) + " server(s) serving " + number(service_rate) + "/s each");
  q.p_wait = erlang_c(servers, q.offered_load);
  q.mean_wait = q.p_wait / (servers * service_rate - arrival_rate);
  q.mean_response = q.mean_wait + 1.0 / service_rate;
  q.mean_queue_length = arrival_rate * q.mean_wait;
  q.mean_in_system = arrival_rate * q.mean_response;
  return q;
}

double wait_time_ccdf(const MmcResult& q, double t) {
  if (t < 0) return 1.0;
  return q.p_wait * std::exp(-(q.servers * q.service_rate - q.arrival_rate) * t);
}

// Time in system = W_q + S, S ~ Exp(mu) independent of W_q; W_q is 0 with probability
// 1 - C and Exp(a), a = c mu - lambda, otherwise. The hypoexponential tail of Exp(a)+Exp(mu)
// is (a e^{-mu t} - mu e^{-a t}) / (a - mu), or (1 + mu t) e^{-mu t} when a = mu.
double response_time_ccdf(const MmcResult& q, double t) {
  if (t < 0) return 1.0;
  const double mu = q.service_rate;
  const double a = q.servers * mu - q.arrival_rate;
  const double service_only = std::exp(-mu * t);
  double both;
  if (std::fabs(a - mu) < 1e-12 * mu)
    both = (1 + mu * t) * service_only;
  else
    both = (a * service_only - mu * std::exp(-a * t)) / (a - mu);
  return (1 - q.p_wait) * service_only + q.p_wait * both;
}

double response_time_quantile(const MmcResult& q, double p) {
  require(p > 0 && p < 1, "quantile must be in (0, 1)");
  return invert_ccdf([&q](double t) { return response_time_ccdf(q, t); }, 1 - p);
}

double wait_time_quantile(const MmcResult& q, double p) {
  require(p > 0 && p < 1, "quantile must be in (0, 1)");
  if (q.p_wait <= 1 - p) return 0.0;
  return std::log(q.p_wait / (1 - p)) / (q.servers * q.service_rate - q.arrival_rate);
}

std::optional<int> stable_minimum_servers(double arrival_rate, double service_rate, int max_servers) {
  require(arrival_rate > 0, "arrival rate must be > 0");
  require(service_rate > 0, "service rate must be > 0");
  const double load = std::floor(arrival_rate / service_rate);
  if (!(load < max_servers)) return std::nullopt;  // also NaN and infinity
  return static_cast<int>(load) + 1;
}

std::optional<int> servers_for_response_quantile(double arrival_rate, double service_rate, double p,
                                                 double target, int max_servers) {
  require(target > 0, "target must be > 0");
  // Even with no waiting, the service time alone has quantile -ln(1-p)/mu.
  if (-std::log(1 - p) / service_rate > target) return std::nullopt;
  const std::optional<int> stable = stable_minimum_servers(arrival_rate, service_rate, max_servers);
  if (!stable) return std::nullopt;
  for (int c = *stable; c <= max_servers; ++c)
    if (response_time_quantile(mmc(c, arrival_rate, service_rate), p) <= target) return c;
  return std::nullopt;
}

double supermarket_time_in_system(double lambda, int d) {
  if (!(lambda >= 0 && lambda < 1) || d < 1)
    throw std::invalid_argument("supermarket model: need 0 <= lambda < 1 and d >= 1");
  if (d == 1) return 1 / (1 - lambda);
  // Term i is lambda^e_i with e_1 = 0 and e_{i+1} = d e_i + d (so e_i = (d^i - d)/(d - 1));
  // the terms fall doubly exponentially once lambda^e_i is small.
  double sum = 0, exponent = 0;
  for (int i = 1; i < 200; ++i) {
    const double term = std::pow(lambda, exponent);
    sum += term;
    if (term < 1e-18) break;
    exponent = exponent * d + d;
  }
  return sum;
}

}  // namespace lvs
