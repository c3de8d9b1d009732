#include "metrics/cluster_ctmc.hpp"

#include "metrics/cluster_ctmc_detail.hpp"

#include <Eigen/Sparse>
#include <Eigen/SparseLU>
#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>
#include <string>

namespace lvs {

namespace {

constexpr std::size_t kFullStates = 5'000;   // chains solved with every station apart; larger: symmetric

void check(const ClusterCtmcSpec& s) {
  if (s.stations < 1 || s.stations > kMaxCtmcStations)
    throw std::invalid_argument("the chain is solved for 1 to " + std::to_string(kMaxCtmcStations) +
                                " stations, got " + std::to_string(s.stations));
  if (s.workers < 1) throw std::invalid_argument("workers must be >= 1");
  if (!(s.arrival_rate > 0) || !(s.service_rate > 0)) throw std::invalid_argument("rates must be > 0");
  if (s.arrival_rate >= s.stations * s.workers * s.service_rate)
    throw std::invalid_argument("unstable: the arrival rate is at least k w mu");
  if (s.dispatch == Dispatch::PowerOfD && (s.choices < 2 || s.choices > s.stations))
    throw std::invalid_argument("choices d must be in 2..k (got " + std::to_string(s.choices) + ")");
  if (s.cap && *s.cap < 1) throw std::invalid_argument("cap must be >= 1");
}

// The default cap: a station holds more than cap jobs with probability about
// rho^((cap - w) m) < 1e-12, m = k under join-shortest (every station must be that full),
// d under power-of-d. The truncated mass reported says what the cut cost.
int default_cap(const ClusterCtmcSpec& s) {
  const double rho = s.arrival_rate / (s.stations * s.workers * s.service_rate);
  const int spread = s.dispatch == Dispatch::JoinShortest ? s.stations : s.choices;
  const double tail = rho > 0 ? std::log(1e-12) / (spread * std::log(rho)) : 1;
  return std::min(250, s.workers + static_cast<int>(std::ceil(tail)) + 2);
}

void decode(std::size_t index, int base, std::vector<int>& jobs) {
  for (int& n : jobs) {
    n = static_cast<int>(index % static_cast<std::size_t>(base));
    index /= static_cast<std::size_t>(base);
  }
}

}  // namespace

void dispatch_probabilities(const ClusterCtmcSpec& spec, const std::vector<int>& jobs, std::vector<double>& out) {
  const int k = static_cast<int>(jobs.size());
  out.assign(jobs.size(), 0.0);
  if (spec.dispatch == Dispatch::JoinShortest) {
    out[static_cast<std::size_t>(std::min_element(jobs.begin(), jobs.end()) - jobs.begin())] = 1;  // first of the least
    return;
  }
  int subsets = 0;
  for (unsigned mask = 0; mask < (1U << k); ++mask) {
    if (std::popcount(mask) != spec.choices) continue;
    ++subsets;
    int least = -1, ties = 0;
    for (int i = 0; i < k; ++i) {
      if (!(mask & (1U << i))) continue;
      if (least < 0 || jobs[i] < least) least = jobs[i], ties = 0;
      if (jobs[i] == least) ++ties;
    }
    for (int i = 0; i < k; ++i)
      if ((mask & (1U << i)) && jobs[i] == least) out[i] += 1.0 / ties;
  }
  for (double& p : out) p /= subsets;
}

namespace {

// The chain with every station apart (lowest-index ties exactly, per-station utilisation).
ClusterCtmcResult solve_full(const ClusterCtmcSpec& spec, int cap) {
  const int k = spec.stations, w = spec.workers, base = cap + 1;
  std::size_t states = 1;
  std::vector<std::size_t> stride(static_cast<std::size_t>(k));
  for (int i = 0; i < k; ++i) stride[i] = states, states *= static_cast<std::size_t>(base);
  ctmc_detail::Generator g(states);
  std::vector<int> jobs(static_cast<std::size_t>(k));
  std::vector<double> route;
  for (std::size_t s = 0; s < states; ++s) {
    decode(s, base, jobs);
    dispatch_probabilities(spec, jobs, route);
    for (int i = 0; i < k; ++i) {
      if (route[i] > 0 && jobs[i] < cap) g.add(s, s + stride[i], spec.arrival_rate * route[i]);
      if (jobs[i] > 0) g.add(s, s - stride[i], std::min(jobs[i], w) * spec.service_rate);
    }
  }
  const std::vector<double> pi = g.solve();
  ClusterCtmcResult r;
  r.cap = cap;
  r.states = states;
  r.utilization.assign(static_cast<std::size_t>(k), 0.0);
  double wait = 0;
  for (std::size_t s = 0; s < states; ++s) {
    decode(s, base, jobs);
    dispatch_probabilities(spec, jobs, route);
    const double p = pi[s];
    bool full = false;
    for (int i = 0; i < k; ++i) {
      r.mean_in_system += p * jobs[i];
      r.utilization[i] += p * std::min(jobs[i], w) / w;
      full = full || jobs[i] == cap;
      if (jobs[i] == cap) r.p_block += p * route[i];
      else if (jobs[i] >= w) wait += p * route[i];
    }
    if (full) r.truncated_mass += p;
  }
  r.throughput = spec.arrival_rate * (1 - r.p_block);
  r.mean_response = r.mean_in_system / r.throughput;
  r.p_wait = wait / (1 - r.p_block);
  return r;
}

}  // namespace

ClusterCtmcResult solve_cluster_ctmc(const ClusterCtmcSpec& spec) {
  check(spec);
  int cap = spec.cap.value_or(default_cap(spec));
  if (std::pow(cap + 1.0, spec.stations) <= static_cast<double>(kFullStates)) return solve_full(spec, cap);
  // Power-of-d spreads the stations too far apart for a narrow symmetric chain: the full
  // chain with the cap cut to fit, its truncated mass reported.
  if (spec.dispatch == Dispatch::PowerOfD)
    return solve_full(spec, static_cast<int>(std::floor(std::pow(static_cast<double>(kFullStates), 1.0 / spec.stations))) - 1);
  // The symmetric chain, its spread widened until the mass on the cut is negligible.
  for (int spread = spec.dispatch == Dispatch::JoinShortest ? 2 : 4;; spread *= 2) {
    spread = std::min(spread, cap);
    while (!spec.cap && cap > spec.workers + 1 && ctmc_detail::symmetric_states(spec.stations, cap, spread) > spec.max_states)
      --cap, spread = std::min(spread, cap);
    const ClusterCtmcResult r = ctmc_detail::solve_symmetric(spec, cap, spread);
    if (spread >= cap || r.truncated_mass < 1e-10 ||
        ctmc_detail::symmetric_states(spec.stations, cap, std::min(2 * spread, cap)) > spec.max_states)
      return r;
  }
}

namespace ctmc_detail {

Generator::Generator(std::size_t states) : states_(states), out_(states, 0.0) {}

void Generator::add(std::size_t from, std::size_t to, double rate) {
  entries_.push_back({static_cast<int>(to), static_cast<int>(from), rate});
  out_[from] += rate;
}

// A pi = e_last with A = Q transposed and its last row replaced by ones (the normalisation),
// by SparseLU: with the COLAMD ordering, or in the states' own order when they are numbered
// level by level (total jobs), where A is banded and LU fills only the band.
std::vector<double> Generator::solve(bool level_order) const {
  const auto n = static_cast<int>(states_);
  std::vector<Eigen::Triplet<double>> t;
  t.reserve(entries_.size() + 2 * states_);
  for (const Entry& e : entries_)
    if (e.row != n - 1) t.emplace_back(e.row, e.col, e.value);
  for (int s = 0; s < n; ++s) {
    if (s != n - 1) t.emplace_back(s, s, -out_[s]);
    t.emplace_back(n - 1, s, 1.0);
  }
  Eigen::SparseMatrix<double> a(n, n);
  a.setFromTriplets(t.begin(), t.end());
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(n);
  rhs[n - 1] = 1;
  Eigen::VectorXd pi;
  if (level_order) {
    Eigen::SparseLU<Eigen::SparseMatrix<double>, Eigen::NaturalOrdering<int>> lu(a);
    if (lu.info() != Eigen::Success) throw std::runtime_error("the CTMC's generator could not be factorised");
    pi = lu.solve(rhs);
  } else {
    Eigen::SparseLU<Eigen::SparseMatrix<double>, Eigen::COLAMDOrdering<int>> lu(a);
    if (lu.info() != Eigen::Success) throw std::runtime_error("the CTMC's generator could not be factorised");
    pi = lu.solve(rhs);
  }
  return std::vector<double>(pi.data(), pi.data() + n);
}

}  // namespace ctmc_detail

}  // namespace lvs
