#pragma once
// M/M/c/K: c servers, room for K >= c requests in all (K - c waiting); an arrival that
// finds K present is lost. Erlang B is the K = c case (erlang_b in queueing.hpp).
// Reference: Kleinrock, "Queueing Systems, Volume 1" (1975), section 3.6 (M/M/m/K), and
// Gross, Shortle, Thompson and Harris, "Fundamentals of Queueing Theory", 4th ed. (2008),
// section 2.5; docs/queueing-theory.md.

namespace lvs {

/// Steady-state figures of an M/M/c/K queue; times in seconds.
struct MmckResult {
  int servers = 0;              ///< c
  int capacity = 0;             ///< K: requests present at most (in service and waiting)
  double arrival_rate = 0;      ///< lambda offered, per second
  double service_rate = 0;      ///< mu per server, per second
  double p_block = 0;           ///< P(an arrival finds K present and is lost) = p_K
  double throughput = 0;        ///< lambda (1 - p_K), per second
  double mean_in_system = 0;    ///< L
  double mean_response = 0;     ///< W of admitted requests = L / throughput, s
  double mean_wait = 0;         ///< Wq of admitted requests = W - 1/mu, s
  double utilization = 0;       ///< busy fraction of each server = throughput / (c mu)
};

/// The M/M/c/K figures; throws std::invalid_argument unless 1 <= c <= K, lambda > 0 and mu > 0.
/// Any load is allowed (the queue is finite). O(K) time.
MmckResult mmck(int servers, int capacity, double arrival_rate, double service_rate);

}  // namespace lvs
