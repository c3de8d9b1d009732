#pragma once
// A small cluster as an exact continuous-time Markov chain: k real servers ("stations"),
// each with w workers and its own FCFS queue, Poisson arrivals at rate lambda dispatched on
// arrival by the number of jobs at each station, exponential service at mu per worker.
//   - JoinShortest: to the station with the fewest jobs, ties to the lowest index, as IPVS
//     lc/wlc walk their list and keep the first strictly smallest load (ipvs-semantics.md
//     §2.3, §2.4) with the load taken as jobs present (activeconns with one request per
//     connection; the inactconns tie-breaker and the network time are left out).
//   - PowerOfD: to the station with the fewest jobs among `choices` distinct stations drawn
//     uniformly, ties uniformly among those drawn (p2c with d = 2: ties go to the first
//     draw, which is uniform), Mitzenmacher 2001's supermarket model for finite n.
// Each station is truncated at `cap` jobs (an arrival routed to a full station is lost);
// the generator Q is built sparse and pi Q = 0, sum pi = 1 is solved with Eigen's SparseLU
// (one balance equation replaced by the normalisation). Up to 5 000 states every station
// is kept apart (ties exactly to the lowest index, utilisation per station); beyond, the
// symmetric chain of the sorted job vector (cluster_ctmc_symmetric.cpp) gives the same
// means with far fewer states, and the stations' mean utilisation. Stewart, "Introduction to the
// Numerical Solution of Markov Chains" (1994), section 2.3; docs/queueing-theory.md.

#include <cstddef>
#include <optional>
#include <vector>

namespace lvs {

enum class Dispatch { JoinShortest, PowerOfD };

struct ClusterCtmcSpec {
  int stations = 1;                 ///< k real servers (at most kMaxCtmcStations)
  int workers = 1;                  ///< w per station
  double arrival_rate = 0;          ///< lambda, per second, to the whole cluster
  double service_rate = 0;          ///< mu per worker, per second
  Dispatch dispatch = Dispatch::JoinShortest;
  int choices = 2;                  ///< d of PowerOfD (2 <= d <= stations)
  std::optional<int> cap;           ///< jobs per station at most; default: chosen from the load
  std::size_t max_states = 50'000;  ///< the symmetric chain's states at most (cap lowered to fit)
};

/// The most stations the chain is solved for: (cap + 1)^k states grow fast.
inline constexpr int kMaxCtmcStations = 6;

struct ClusterCtmcResult {
  int cap = 0;                       ///< jobs per station the chain was truncated at
  std::size_t states = 0;            ///< (cap + 1)^k
  double truncated_mass = 0;         ///< P(some station holds cap jobs): how much the truncation can matter
  double p_block = 0;                ///< P(an arrival is routed to a full station and lost)
  double throughput = 0;             ///< lambda (1 - p_block), per second
  double mean_in_system = 0;         ///< L, jobs in the whole cluster
  double mean_response = 0;          ///< W = L / throughput (Little), s: wait + service at the server
  double p_wait = 0;                 ///< P(an admitted arrival finds all w workers of its station busy)
  std::vector<double> utilization;   ///< per station: busy workers / w, time-averaged
};

/// Solves the chain; throws std::invalid_argument for k outside 1..kMaxCtmcStations, w < 1,
/// rates <= 0, an unstable load (lambda >= k w mu) or d outside 2..k.
ClusterCtmcResult solve_cluster_ctmc(const ClusterCtmcSpec& spec);

/// Per station, the probability that an arrival in state `jobs` is routed there (sums to 1).
void dispatch_probabilities(const ClusterCtmcSpec& spec, const std::vector<int>& jobs, std::vector<double>& out);

}  // namespace lvs
