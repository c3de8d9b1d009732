#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "metrics/queueing.hpp"

using namespace lvs;

TEST_CASE("M/M/1 is the c = 1 case: W = 1/(mu - lambda), P(wait) = rho", "[queueing]") {
  const MmcResult q = mmc(1, 500, 1000);
  CHECK(q.utilization == Approx(0.5));
  CHECK(q.p_wait == Approx(0.5));
  CHECK(q.mean_response == Approx(0.002));
  CHECK(q.mean_wait == Approx(0.001));
  CHECK(q.mean_in_system == Approx(1.0));  // rho / (1 - rho)
  // The time in system is Exp(mu - lambda): its p99 is ln(100) / 500.
  CHECK(response_time_quantile(q, 0.99) == Approx(std::log(100.0) / 500).epsilon(1e-9));
  CHECK(response_time_ccdf(q, 0.004) == Approx(std::exp(-2.0)).epsilon(1e-12));
}

TEST_CASE("Erlang C matches the tabulated values", "[queueing]") {
  // c = 10 servers, offered load 8 Erlang: P(wait) = 0.4092, mean wait 0.2046 service times.
  const MmcResult q = mmc(10, 8, 1);
  CHECK(q.p_wait == Approx(0.4092).margin(5e-5));
  CHECK(q.mean_wait == Approx(0.2046).margin(5e-5));
  CHECK(erlang_b(10, 8) == Approx(0.1217).margin(5e-5));
  CHECK(erlang_c(2, 1) == Approx(1.0 / 3).epsilon(1e-12));  // hand: 2*B/(2 - 1 + B), B = 1/5
}

TEST_CASE("waiting-time quantiles invert the Erlang C tail", "[queueing]") {
  const MmcResult q = mmc(10, 8, 1);
  const double t = wait_time_quantile(q, 0.99);
  CHECK(wait_time_ccdf(q, t) == Approx(0.01).epsilon(1e-9));
  CHECK(wait_time_quantile(q, 0.5) == 0.0);  // P(wait) = 0.41 < 0.5
  const double r = response_time_quantile(q, 0.99);
  CHECK(response_time_ccdf(q, r) == Approx(0.01).epsilon(1e-6));
  // c mu - lambda = mu: the hypoexponential's repeated-rate case
  const MmcResult same = mmc(2, 1, 1);
  CHECK(response_time_ccdf(same, 1.0) == Approx((1 - same.p_wait) * std::exp(-1.0) + same.p_wait * 2 * std::exp(-1.0)));
}

TEST_CASE("sizing: fewest servers for a response-time SLO", "[queueing]") {
  // 20 000 req/s, 100 req/s per server: 201 servers for stability, where p99 is 65.5 ms.
  CHECK(servers_for_response_quantile(20'000, 100, 0.99, 0.2) == 201);
  // p99 <= 50 ms needs 203: 202 give 52.1 ms.
  const auto c = servers_for_response_quantile(20'000, 100, 0.99, 0.05);
  REQUIRE(c == 203);
  CHECK(response_time_quantile(mmc(203, 20'000, 100), 0.99) == Approx(0.049284).margin(1e-6));
  CHECK(response_time_quantile(mmc(202, 20'000, 100), 0.99) == Approx(0.052108).margin(1e-6));
  // p99 of the service time alone is ln(100)/100 = 46 ms: a 40 ms SLO can never be met.
  CHECK_FALSE(servers_for_response_quantile(20'000, 100, 0.99, 0.04).has_value());
}

TEST_CASE("sizing: the stable minimum is the smallest c with utilisation < 1", "[queueing]") {
  CHECK(stable_minimum_servers(20'000, 100) == 201);  // 200 Erlang: 200 servers would be at 100 %
  CHECK(stable_minimum_servers(8, 1) == 9);
  CHECK(stable_minimum_servers(7.5, 1) == 8);
  CHECK(stable_minimum_servers(0.5, 1) == 1);
  CHECK(mmc(*stable_minimum_servers(7.5, 1), 7.5, 1).utilization < 1);
  CHECK_THROWS_AS(mmc(*stable_minimum_servers(7.5, 1) - 1, 7.5, 1), std::invalid_argument);
  // More than max_servers: nothing.
  CHECK_FALSE(stable_minimum_servers(1e12, 1).has_value());
  CHECK_FALSE(servers_for_response_quantile(1e12, 1, 0.99, 10.0).has_value());
}

TEST_CASE("an unstable or malformed queue is refused", "[queueing]") {
  CHECK_THROWS_AS(mmc(1, 1000, 1000), std::invalid_argument);
  CHECK_THROWS_AS(mmc(0, 1, 1), std::invalid_argument);
  CHECK_THROWS_AS(mmc(1, -1, 1), std::invalid_argument);
}

TEST_CASE("Erlang C: 48 Erlang on 55 servers waits with probability 0.2387", "[queueing]") {
  // The value issue 16 quotes (any Erlang C table: c = 55, A = 48).
  CHECK(erlang_c(55, 48) == Approx(0.2387).margin(5e-5));
}

TEST_CASE("supermarket model: the limit of d choices", "[queueing]") {
  // d = 2 at lambda 0.99: 1 + 0.99^2 + 0.99^6 + 0.99^14 + ... = 5.4320 (Mitzenmacher 2001).
  CHECK(supermarket_time_in_system(0.99, 2) == Approx(5.4320).margin(5e-5));
  // Hand: d = 2 at 0.5: 1 + 0.5^2 + 0.5^6 + 0.5^14 + 0.5^30 + ... = 1.26568...
  CHECK(supermarket_time_in_system(0.5, 2) ==
        Approx(1 + std::pow(0.5, 2) + std::pow(0.5, 6) + std::pow(0.5, 14) + std::pow(0.5, 30)).epsilon(1e-12));
  // d = 3 at 0.9: exponents (3^i - 3) / 2 = 0, 3, 12, 39, ...
  CHECK(supermarket_time_in_system(0.9, 3) ==
        Approx(1 + std::pow(0.9, 3) + std::pow(0.9, 12) + std::pow(0.9, 39) + std::pow(0.9, 120) + std::pow(0.9, 363))
            .epsilon(1e-12));
  // d = 1 is M/M/1; more choices never hurt.
  CHECK(supermarket_time_in_system(0.9, 1) == Approx(10));
  CHECK(supermarket_time_in_system(0.9, 3) < supermarket_time_in_system(0.9, 2));
  CHECK_THROWS_AS(supermarket_time_in_system(1.0, 2), std::invalid_argument);
  CHECK_THROWS_AS(supermarket_time_in_system(0.5, 0), std::invalid_argument);
}
