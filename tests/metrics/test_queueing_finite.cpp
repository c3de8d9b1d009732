#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "metrics/cluster_ctmc.hpp"
#include "metrics/queueing.hpp"
#include "metrics/queueing_finite.hpp"

using namespace lvs;

TEST_CASE("M/M/c/K: M/M/1/2 by hand, Erlang B at K = c, M/M/c as K grows", "[queueing]") {
  // M/M/1/2, lambda = mu = 1: p0 = p1 = p2 = 1/3, L = 1, throughput 2/3, W = 1.5.
  const MmckResult q = mmck(1, 2, 1, 1);
  CHECK(q.p_block == Approx(1.0 / 3).epsilon(1e-12));
  CHECK(q.throughput == Approx(2.0 / 3).epsilon(1e-12));
  CHECK(q.mean_in_system == Approx(1.0).epsilon(1e-12));
  CHECK(q.mean_response == Approx(1.5).epsilon(1e-12));
  CHECK(q.mean_wait == Approx(0.5).epsilon(1e-12));
  // K = c is the loss system: the blocking probability is Erlang B (0.1217 for c = 10, A = 8).
  CHECK(mmck(10, 10, 8, 1).p_block == Approx(erlang_b(10, 8)).epsilon(1e-12));
  // A long queue is M/M/c: W -> Erlang C's.
  CHECK(mmck(10, 2000, 8, 1).mean_response == Approx(mmc(10, 8, 1).mean_response).epsilon(1e-10));
  // 10 000 servers do not overflow.
  const MmckResult big = mmck(10'000, 10'500, 9'900, 1);
  CHECK(std::isfinite(big.mean_response));
  CHECK(big.utilization == Approx(0.99).margin(1e-3));
  CHECK_THROWS_AS(mmck(4, 3, 1, 1), std::invalid_argument);
}

TEST_CASE("the cluster CTMC with one station is M/M/w: Erlang C to 1e-9", "[queueing][ctmc]") {
  const auto [w, lambda] = GENERATE(std::pair{1, 0.5}, std::pair{4, 3.0}, std::pair{8, 6.4});
  ClusterCtmcSpec s;
  s.stations = 1;
  s.workers = w;
  s.arrival_rate = lambda;
  s.service_rate = 1;
  const ClusterCtmcResult r = solve_cluster_ctmc(s);
  const MmcResult q = mmc(w, lambda, 1);
  CHECK(r.truncated_mass < 1e-11);
  CHECK(std::abs(r.mean_response - q.mean_response) < 1e-9);
  CHECK(std::abs(r.p_wait - q.p_wait) < 1e-9);
  CHECK(std::abs(r.utilization[0] - q.utilization) < 1e-9);
}

TEST_CASE("the cluster CTMC: two stations, one worker, cap 1, solved by hand", "[queueing][ctmc]") {
  // States (n1, n2); lambda = mu = 1; an arrival at (0,0) goes to station 1 (lowest index).
  // Balance: 2 pi01 = pi11, 2 pi11 = pi10 + pi01, pi00 = pi10 + pi01, so with pi01 = a:
  // pi11 = 2a, pi10 = 3a, pi00 = 4a, a = 1/10. L = 0.8, blocking pi11 = 0.2, W = L / 0.8 = 1.
  ClusterCtmcSpec s;
  s.stations = 2;
  s.arrival_rate = 1;
  s.service_rate = 1;
  s.cap = 1;
  const ClusterCtmcResult r = solve_cluster_ctmc(s);
  CHECK(r.states == 4);
  CHECK(r.mean_in_system == Approx(0.8).epsilon(1e-12));
  CHECK(r.p_block == Approx(0.2).epsilon(1e-12));
  CHECK(r.mean_response == Approx(1.0).epsilon(1e-12));
  CHECK(r.utilization[0] == Approx(0.5).epsilon(1e-12));
  CHECK(r.utilization[1] == Approx(0.3).epsilon(1e-12));
  CHECK(r.truncated_mass == Approx(0.6).epsilon(1e-12));  // pi10 + pi01 + pi11
}

TEST_CASE("the cluster CTMC: join-shortest beats random, power-of-two sits between", "[queueing][ctmc]") {
  ClusterCtmcSpec s;
  s.stations = 3;
  s.arrival_rate = 2.4;  // rho = 0.8
  s.service_rate = 1;
  const ClusterCtmcResult jsq = solve_cluster_ctmc(s);
  s.dispatch = Dispatch::PowerOfD;
  const ClusterCtmcResult p2 = solve_cluster_ctmc(s);
  s.choices = 3;  // d = k: every station is looked at, ties uniform: the same mean as JSQ
  const ClusterCtmcResult p3 = solve_cluster_ctmc(s);
  CHECK(jsq.truncated_mass < 1e-9);
  const double random = mmc(1, 0.8, 1).mean_response;     // 5 s: M/M/1 at rho 0.8
  const double pooled = mmc(3, 2.4, 1).mean_response;     // the shared queue, a lower bound
  CHECK(pooled < jsq.mean_response);
  CHECK(jsq.mean_response < p2.mean_response);
  CHECK(p2.mean_response < random);
  CHECK(p3.mean_response == Approx(jsq.mean_response).epsilon(1e-3));  // p3's chain is cut at 16 per station
  // Ties to the lowest index load station 1 most (the full chain, at lower load).
  s.dispatch = Dispatch::JoinShortest;
  s.arrival_rate = 1.5;
  s.cap = 15;
  const ClusterCtmcResult half = solve_cluster_ctmc(s);
  CHECK(half.states == 4096);
  CHECK(half.utilization[0] > half.utilization[2]);
  CHECK(half.utilization[0] + half.utilization[1] + half.utilization[2] == Approx(1.5).epsilon(1e-8));
}

TEST_CASE("power-of-d dispatch probabilities", "[queueing][ctmc]") {
  ClusterCtmcSpec s;
  s.stations = 3;
  s.dispatch = Dispatch::PowerOfD;
  std::vector<double> p;
  // Jobs 0, 1, 2 with d = 2: pairs {0,1} {0,2} -> 0, {1,2} -> 1: 2/3, 1/3, 0.
  dispatch_probabilities(s, {0, 1, 2}, p);
  CHECK(p[0] == Approx(2.0 / 3));
  CHECK(p[1] == Approx(1.0 / 3));
  CHECK(p[2] == 0.0);
  dispatch_probabilities(s, {1, 1, 1}, p);
  CHECK(p[0] == Approx(1.0 / 3));
}
