#pragma once
// Analytical queueing models that simulation results are checked against, and that
// `lvslab theory` prints: M/M/c with one shared FIFO queue (M/M/1 is c = 1).
// Reference: Kleinrock, "Queueing Systems, Volume 1" (1975), section 3.5; the Erlang C
// probability through the numerically stable Erlang B recursion (Jagerman 1974).

#include <cstdint>
#include <optional>

namespace lvs {

/// Steady-state figures of an M/M/c queue; times in seconds.
struct MmcResult {
  int servers = 0;                 ///< c
  double arrival_rate = 0;         ///< lambda, per second
  double service_rate = 0;         ///< mu per server, per second
  double offered_load = 0;         ///< A = lambda / mu, Erlang
  double utilization = 0;          ///< rho = A / c
  double p_wait = 0;               ///< Erlang C: probability an arrival waits
  double mean_wait = 0;            ///< Wq, s
  double mean_response = 0;        ///< W = Wq + 1/mu, s
  double mean_queue_length = 0;    ///< Lq = lambda Wq
  double mean_in_system = 0;       ///< L = lambda W
};

/// The M/M/c figures; throws std::invalid_argument unless c >= 1, rates > 0 and lambda < c mu.
MmcResult mmc(int servers, double arrival_rate, double service_rate);
/// Erlang B blocking probability for c servers and offered load A Erlang.
double erlang_b(int servers, double offered_load);
/// Erlang C probability of waiting for c servers and offered load A < c Erlang.
double erlang_c(int servers, double offered_load);
/// P(time in system > t) for the M/M/c queue `q`, t in seconds.
double response_time_ccdf(const MmcResult& q, double t);
/// P(waiting time > t), t in seconds.
double wait_time_ccdf(const MmcResult& q, double t);
/// The p-quantile (0 < p < 1) of the time in system, seconds.
double response_time_quantile(const MmcResult& q, double p);
/// The p-quantile of the waiting time, seconds (0 when P(wait) <= 1 - p).
double wait_time_quantile(const MmcResult& q, double p);
/// The fewest servers with utilisation < 1, floor(lambda / mu) + 1: the smallest stable
/// M/M/c; nothing if that exceeds `max_servers`.
std::optional<int> stable_minimum_servers(double arrival_rate, double service_rate, int max_servers = 1'000'000);
/// The fewest servers whose response-time p-quantile is at most `target` seconds, or
/// nothing if even `max_servers` do not meet it (the service time alone may exceed it).
/// Searches upward from stable_minimum_servers().
std::optional<int> servers_for_response_quantile(double arrival_rate, double service_rate, double p,
                                                 double target, int max_servers = 1'000'000);

/// The supermarket model's mean time in system, in service times, as the number of servers
/// goes to infinity: each arrival (rate lambda < 1 per server) joins the shortest of `d`
/// servers chosen at random. sum over i >= 1 of lambda^((d^i - d) / (d - 1)) for d >= 2
/// (M. Mitzenmacher, "The power of two choices in randomized load balancing", IEEE TPDS
/// 12(10), 2001, Theorem 3.6), and 1 / (1 - lambda) (M/M/1) for d = 1. Throws
/// std::invalid_argument unless 0 <= lambda < 1 and d >= 1.
double supermarket_time_in_system(double lambda, int d);

}  // namespace lvs
