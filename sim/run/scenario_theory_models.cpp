// The models of one service (docs/queueing-theory.md): the pooled M/M/c bound, M/M/w per
// real server under the scheduler's split, the exact CTMC of join-shortest (lc, wlc) or
// power-of-d (p2c, twos) for small clusters, the supermarket limit, M/M/w/K (Erlang B when
// K = w) per server, the mode-aware director capacity and the bottleneck.

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "metrics/cluster_ctmc.hpp"
#include "metrics/queueing.hpp"
#include "metrics/queueing_finite.hpp"
#include "run/scenario_theory_detail.hpp"
#include "scenario/director_capacity.hpp"
#include "scenario/director_cpu_spec.hpp"

namespace lvs::run::detail {

namespace {

using namespace scenario;

const std::set<std::string, std::less<>> kJoinShortest{"lc", "wlc", "sed", "nq"};
const std::set<std::string, std::less<>> kSplit{"rr", "wrr", "random", "sh", "dh", "mh", "ring"};
const std::set<std::string, std::less<>> kPowerOfTwo{"p2c", "twos"};
constexpr double kNegligible = 1e-6;  // truncated CTMC mass below which the chain is used
constexpr std::size_t kTheoryStates = 120'000;  // keeps a solve well under a second

// Servers grouped by (workers, mean service time, arrival rate): 10 000 alike are one group.
using Groups = std::map<std::tuple<int, double, double>, double>;  // -> share of the arrivals

Groups split(const ServiceLoad& l, const std::string& scheduler, double lambda) {
  double total = 0;
  for (const Station& st : l.stations) total += scheduler == "rr" ? 1 : st.weight;
  Groups g;
  for (const Station& st : l.stations) {
    const double share = (scheduler == "rr" ? 1 : st.weight) / total;
    g[{st.workers, st.service_s, lambda * share}] += share;
  }
  return g;
}

// The p-quantile of a mixture of M/M/w response times (share, queue): P(T > t) = sum of
// share x ccdf, inverted by bisection.
double mixture_quantile(const std::vector<std::pair<double, MmcResult>>& parts, double p) {
  auto ccdf = [&](double t) {
    double sum = 0;
    for (const auto& [share, q] : parts) sum += share * response_time_ccdf(q, t);
    return sum;
  };
  double hi = 1e-6;
  while (ccdf(hi) > 1 - p && hi < 1e9) hi *= 2;
  double lo = 0;
  for (int i = 0; i < 100; ++i) (ccdf(0.5 * (lo + hi)) > 1 - p ? lo : hi) = 0.5 * (lo + hi);
  return 0.5 * (lo + hi);
}

std::optional<ModelFigures> pooled(const ServiceTheory& t, double lambda) {
  const double mu = t.server_capacity_rps / static_cast<double>(t.workers);
  if (t.workers > 10'000'000 || lambda >= t.server_capacity_rps) return std::nullopt;
  const MmcResult q = mmc(static_cast<int>(t.workers), lambda, mu);
  return ModelFigures{"M/M/c pooled", "all " + std::to_string(t.workers) +
                          " workers share one queue (Erlang C): a lower bound no dispatcher beats",
                      q.mean_response, response_time_quantile(q, 0.99), q.p_wait, std::nullopt, q.utilization, ""};
}

std::optional<ModelFigures> per_server(const ServiceLoad& l, const std::string& scheduler, double lambda) {
  std::vector<std::pair<double, MmcResult>> parts;
  ModelFigures m{"M/M/w per server", "", 0, std::nullopt, 0.0, std::nullopt, 0, ""};
  for (const auto& [key, share] : split(l, scheduler, lambda)) {
    const auto [w, service, rate] = key;
    if (rate <= 0) continue;
    if (rate >= w / service) return std::nullopt;  // that server is overloaded
    const MmcResult q = mmc(w, rate, 1 / service);
    parts.emplace_back(share, q);
    m.mean_response_s += share * q.mean_response;
    *m.p_wait += share * q.p_wait;
  }
  if (parts.empty()) return std::nullopt;
  m.p99_s = mixture_quantile(parts, 0.99);
  double capacity = 0;
  for (const Station& st : l.stations) capacity += st.workers / st.service_s;
  m.utilization = lambda / capacity;
  m.description = std::string("each real server its own queue, arrivals split ") +
                  (scheduler == "rr" ? "evenly" : "by weight") +
                  " at random (Poisson thinning; rr's strict rotation waits less)";
  return m;
}

std::optional<ModelFigures> finite(const ServiceLoad& l, const std::string& scheduler, double lambda) {
  ModelFigures m{"", "", 0, std::nullopt, std::nullopt, 0.0, 0, ""};
  double carried = 0;
  bool erlang_b = true;
  std::map<std::tuple<int, double, double, long long>, double> groups;
  double total = 0;
  for (const Station& st : l.stations) total += scheduler == "rr" ? 1 : st.weight;
  for (const Station& st : l.stations) {
    const double share = (scheduler == "rr" ? 1 : st.weight) / total;
    groups[{st.workers, st.service_s, lambda * share, std::max<long long>(st.capacity, st.workers)}] += share;
  }
  bool relevant = false;  // a server overloaded, or one whose K is within 20 x its workers
  for (const auto& [key, share] : groups) {
    const auto [w, service, rate, k] = key;
    relevant = relevant || rate >= w / service || k <= 20LL * w;
  }
  if (!relevant) return std::nullopt;
  for (const auto& [key, share] : groups) {
    const auto [w, service, rate, k] = key;
    if (rate <= 0 || k > 100'000) return std::nullopt;
    const MmckResult q = mmck(w, static_cast<int>(k), rate, 1 / service);
    erlang_b = erlang_b && k == w;
    carried += q.throughput;
    m.mean_response_s += q.throughput * q.mean_response;
    *m.p_block += share * q.p_block;
  }
  if (carried <= 0) return std::nullopt;
  m.mean_response_s /= carried;
  m.name = erlang_b ? "Erlang B per server" : "M/M/w/K per server";
  m.description = "each real server holds K = max_connections + backlog requests; beyond, arrivals are lost "
                  "(in the simulation TCP retries the SYN instead)";
  return m;
}

std::optional<ModelFigures> ctmc(const ServiceLoad& l, const std::string& scheduler, double lambda) {
  const Station& first = l.stations.front();
  const int k = static_cast<int>(l.stations.size());
  for (const Station& st : l.stations)
    if (st.workers != first.workers || st.service_s != first.service_s || st.weight != first.weight) return std::nullopt;
  if (k > kMaxCtmcStations || lambda >= k * first.workers / first.service_s) return std::nullopt;
  ClusterCtmcSpec c;
  c.stations = k;
  c.workers = first.workers;
  c.arrival_rate = lambda;
  c.service_rate = 1 / first.service_s;
  c.max_states = kTheoryStates;
  const bool jsq = kJoinShortest.count(scheduler) != 0;
  c.dispatch = jsq ? Dispatch::JoinShortest : Dispatch::PowerOfD;
  if (!jsq && k < 2) return std::nullopt;
  const ClusterCtmcResult r = solve_cluster_ctmc(c);
  if (r.truncated_mass > kNegligible) return std::nullopt;
  ModelFigures m{jsq ? "JSQ CTMC" : "power-of-2 CTMC", "", r.mean_response, std::nullopt, r.p_wait,
                 std::nullopt, r.throughput / (k * first.workers / first.service_s), ""};
  m.description = jsq ? "each request to the real server with the fewest requests, ties to the first in the list "
                        "(lc/wlc on equal servers), solved exactly"
                      : "each request to the less loaded of 2 real servers drawn at random, solved exactly";
  char note[160];
  std::snprintf(note, sizeof note, "%d servers x %d workers, truncated at %d per server: %zu states, mass cut %.1e",
                k, first.workers, r.cap, r.states, r.truncated_mass);
  m.note = note;
  return m;
}

std::optional<ModelFigures> supermarket(const ServiceLoad& l, double lambda) {
  const Station& first = l.stations.front();
  for (const Station& st : l.stations)
    if (st.workers != 1 || st.service_s != first.service_s) return std::nullopt;
  const double rho = lambda * first.service_s / static_cast<double>(l.stations.size());
  if (rho >= 1) return std::nullopt;
  return ModelFigures{"supermarket limit", "power of 2 choices, one worker per server, as the servers grow in number "
                      "(Mitzenmacher 2001)", supermarket_time_in_system(rho, 2) * first.service_s,
                      std::nullopt, std::nullopt, std::nullopt, rho, ""};
}

}  // namespace

void add_models(ServiceTheory& t, const ServiceLoad& l, const std::string& scheduler) {
  const double lambda = t.offered_rps;
  if (lambda <= 0 || l.stations.empty()) return;
  auto add = [&t](std::optional<ModelFigures> m, bool best) {
    if (!m) return;
    t.models.push_back(std::move(*m));
    if (best && !t.best) t.best = t.models.size() - 1;
  };
  const bool jsq = kJoinShortest.count(scheduler) != 0, pod = kPowerOfTwo.count(scheduler) != 0;
  if (jsq || pod) add(ctmc(l, scheduler, lambda), true);
  if (pod) add(supermarket(l, lambda), true);
  add(per_server(l, scheduler, lambda), kSplit.count(scheduler) != 0);
  add(pooled(t, lambda), true);
  add(finite(l, scheduler, lambda), false);
}

}  // namespace lvs::run::detail
