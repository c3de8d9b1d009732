// The cluster CTMC on identical stations in its symmetric form: the state is the sorted
// vector of jobs per station. With identical stations the sorted vector is itself a Markov
// chain whatever the tie-break among equally loaded stations (an arrival raises one of the
// least loaded, and which one does not change the sorted vector), so the means, P(wait)
// and throughput are those of the per-station chain with k! times fewer states. The
// states are cut where a station holds `cap` jobs or the spread (most - fewest jobs)
// reaches `spread`: join-shortest keeps the stations within a job or two of each other,
// so a small spread holds nearly all the mass; the mass on the cut is reported.

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <unordered_map>

#include "metrics/cluster_ctmc.hpp"
#include "metrics/cluster_ctmc_detail.hpp"

namespace lvs::ctmc_detail {

namespace {

std::uint64_t pack(const std::vector<int>& n) {
  std::uint64_t key = 0;
  for (int v : n) key = key << 8 | static_cast<std::uint64_t>(v);
  return key;
}

void enumerate(std::vector<int>& n, std::size_t i, int cap, int spread, std::vector<std::vector<int>>& out) {
  if (i == n.size()) {
    out.push_back(n);
    return;
  }
  const int from = i == 0 ? 0 : n[i - 1];
  const int to = i == 0 ? cap : std::min(cap, n[0] + spread);
  for (int v = from; v <= to; ++v) {
    n[i] = v;
    enumerate(n, i + 1, cap, spread, out);
  }
}

double choose(int n, int r) {
  if (r < 0 || n < r) return 0;
  double c = 1;
  for (int i = 1; i <= r; ++i) c = c * (n - r + i) / i;
  return c;
}

// The probability that an arrival joins a station holding `v` jobs, for each distinct v
// in sorted `n`: join-shortest the least; power-of-d P(the sample's least is v) =
// (C(#>=v, d) - C(#>v, d)) / C(k, d).
double join_probability(const ClusterCtmcSpec& spec, const std::vector<int>& n, int v) {
  const int k = static_cast<int>(n.size());
  if (spec.dispatch == Dispatch::JoinShortest) return v == n.front() ? 1 : 0;
  const int at_least = static_cast<int>(n.end() - std::lower_bound(n.begin(), n.end(), v));
  const int above = static_cast<int>(n.end() - std::upper_bound(n.begin(), n.end(), v));
  return (choose(at_least, spec.choices) - choose(above, spec.choices)) / choose(k, spec.choices);
}

}  // namespace

// Sorted vectors of `left` more entries from `from` up to `to`: C(to - from + left, left).
std::size_t symmetric_states(int k, int cap, int spread) {
  double total = 0;
  for (int first = 0; first <= cap; ++first)
    total += choose(std::min(cap, first + spread) - first + k - 1, k - 1);
  return static_cast<std::size_t>(total);
}

ClusterCtmcResult solve_symmetric(const ClusterCtmcSpec& spec, int cap, int spread) {
  const int k = spec.stations, w = spec.workers;
  std::vector<int> n(static_cast<std::size_t>(k));
  std::vector<std::vector<int>> states;
  enumerate(n, 0, cap, spread, states);
  std::stable_sort(states.begin(), states.end(), [](const std::vector<int>& a, const std::vector<int>& b) {
    return std::accumulate(a.begin(), a.end(), 0) < std::accumulate(b.begin(), b.end(), 0);
  });  // level by level: a banded generator
  std::unordered_map<std::uint64_t, int> index;
  for (std::size_t s = 0; s < states.size(); ++s) index.emplace(pack(states[s]), static_cast<int>(s));
  Generator g(states.size());
  for (std::size_t s = 0; s < states.size(); ++s) {
    const std::vector<int>& from = states[s];
    for (int i = 0; i < k; ++i) {
      const int v = from[i];
      if (i > 0 && from[i - 1] == v) continue;  // once per distinct value
      const int last = static_cast<int>(std::upper_bound(from.begin(), from.end(), v) - from.begin()) - 1;
      const double p = join_probability(spec, from, v);
      std::vector<int> to = from;
      ++to[last];  // the last of the equal ones: stays sorted
      if (p > 0 && v < cap && to.back() - to.front() <= spread) g.add(s, index.at(pack(to)), spec.arrival_rate * p);
      if (v == 0) continue;
      to = from;
      --to[i];  // the first of the equal ones
      if (to.back() - to.front() <= spread) g.add(s, index.at(pack(to)), (last - i + 1) * std::min(v, w) * spec.service_rate);
    }
  }
  const std::vector<double> pi = g.solve(true);
  ClusterCtmcResult r;
  r.cap = cap;
  r.states = states.size();
  double util = 0, wait = 0;
  for (std::size_t s = 0; s < states.size(); ++s) {
    const std::vector<int>& x = states[s];
    const double p = pi[s];
    for (int i = 0; i < k; ++i) {
      r.mean_in_system += p * x[i];
      util += p * std::min(x[i], w) / w / k;
      if (i > 0 && x[i - 1] == x[i]) continue;
      const double join = join_probability(spec, x, x[i]);
      if (x[i] == cap) r.p_block += p * join;
      else if (x[i] >= w) wait += p * join;
    }
    if (x.back() == cap || (spread < cap && x.back() - x.front() == spread)) r.truncated_mass += p;
  }
  r.utilization.assign(static_cast<std::size_t>(k), util);
  r.throughput = spec.arrival_rate * (1 - r.p_block);
  r.mean_response = r.mean_in_system / r.throughput;
  r.p_wait = wait / (1 - r.p_block);
  return r;
}

}  // namespace lvs::ctmc_detail
