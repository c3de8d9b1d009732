// OrderStatistics: exact nearest-rank quantiles (Hyndman and Fan's definition 1) against
// values worked by hand, the rank rule at every p = k/n, merging sorted and unsorted
// samples, and the histogram's percentiles within its 0.79% of these.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "core/rng.hpp"
#include "metrics/histogram.hpp"
#include "metrics/order_statistics.hpp"

using lvs::OrderStatistics;

namespace {

OrderStatistics of(const std::vector<double>& values) {
  OrderStatistics x;
  for (double v : values) x.add(v);
  return x;
}

}  // namespace

TEST_CASE("OrderStatistics: nearest-rank quantiles of five values, by hand", "[order_statistics]") {
  // 15 20 35 40 50 in the order 40 15 50 20 35: rank max(1, ceil(5 p)).
  const OrderStatistics x = of({40, 15, 50, 20, 35});
  CHECK_FALSE(x.sorted());
  CHECK(x.count() == 5);
  const auto [p, expected] = GENERATE(table<double, double>({
      {0.0, 15},   // rank 1: the minimum
      {0.05, 15},  // ceil(0.25) = 1
      {0.2, 15},   // 5 x 0.2 = 1 exactly: rank 1
      {0.3, 20},   // ceil(1.5) = 2
      {0.4, 20},   // 2 exactly
      {0.5, 35},   // ceil(2.5) = 3
      {0.9, 50},   // ceil(4.5) = 5
      {0.99, 50},
      {1.0, 50},   // rank 5: the maximum
  }));
  INFO("p = " << p);
  CHECK(x.quantile(p) == expected);
  OrderStatistics sorted = x;
  sorted.sort();
  CHECK(sorted.sorted());
  CHECK(sorted.quantile(p) == expected);
}

TEST_CASE("OrderStatistics: p99 and p99.9 of 1..1000 in a shuffled order", "[order_statistics]") {
  std::vector<double> values;
  for (int i = 1; i <= 1000; ++i) values.push_back(i);
  lvs::Rng rng(7, "shuffle");
  for (std::size_t i = values.size() - 1; i > 0; --i) std::swap(values[i], values[rng.below(i + 1)]);
  OrderStatistics x = of(values);
  CHECK(x.quantile(0.5) == 500);
  CHECK(x.quantile(0.9) == 900);
  CHECK(x.quantile(0.99) == 990);
  CHECK(x.quantile(0.999) == 999);
  CHECK(x.quantile(0.9991) == 1000);  // ceil(999.1)
  x.sort();
  CHECK(x.quantile(0.99) == 990);
  CHECK(x.values().front() == 1);
  CHECK(x.values().back() == 1000);
}

TEST_CASE("nearest_rank: p = k/n gives rank k for every k, as the decimal p means", "[order_statistics]") {
  for (const std::uint64_t n : {10u, 100u, 1000u, 10000u}) {
    for (std::uint64_t k = 1; k <= n; ++k) {
      const double p = static_cast<double>(k) / static_cast<double>(n);
      INFO("n = " << n << ", k = " << k);
      REQUIRE(lvs::nearest_rank(p, n) == k);
    }
  }
  CHECK(0.07 * 100 > 7.0);                      // the product that a plain ceil would take to rank 8
  CHECK(lvs::nearest_rank(0.07, 100) == 7);
  CHECK(lvs::nearest_rank(0.0700001, 100) == 8);
  CHECK(lvs::nearest_rank(0.0, 5) == 1);
  CHECK(lvs::nearest_rank(1e-300, 5) == 1);
  CHECK(lvs::nearest_rank(1.0, 5) == 5);
  CHECK(lvs::nearest_rank(0.99, 1) == 1);
  CHECK_THROWS_AS(lvs::nearest_rank(0.5, 0), std::invalid_argument);
}

TEST_CASE("OrderStatistics: merging keeps every sample, sorted ones stay sorted", "[order_statistics]") {
  OrderStatistics a = of({1, 3, 5});
  const OrderStatistics b = of({2, 4, 6, 8});
  CHECK(a.sorted());
  a.merge(b);
  CHECK(a.sorted());  // two sorted runs merged in place
  CHECK(std::vector<double>(a.values().begin(), a.values().end()) == std::vector<double>{1, 2, 3, 4, 5, 6, 8});
  CHECK(a.quantile(0.5) == 4);

  OrderStatistics c = of({9, 0});
  c.merge(b);
  CHECK_FALSE(c.sorted());
  CHECK(c.count() == 6);
  CHECK(c.quantile(0.0) == 0);
  CHECK(c.quantile(0.5) == 4);  // of 0 2 4 6 8 9: rank 3
  CHECK(c.quantile(1.0) == 9);

  OrderStatistics d = of({2, 1});
  d.merge(d);
  CHECK(d.count() == 4);
  CHECK(d.quantile(0.5) == 1);  // 1 1 2 2

  OrderStatistics e;
  e.reserve(100);
  e.merge(b);
  CHECK(e.count() == 4);
  CHECK(e.sorted());
}

TEST_CASE("OrderStatistics: empty, NaN and p out of range", "[order_statistics]") {
  OrderStatistics x;
  CHECK(std::isnan(x.quantile(0.5)));
  CHECK_THROWS_AS(x.quantile(1.5), std::invalid_argument);
  CHECK_THROWS_AS(x.add(std::nan("")), std::invalid_argument);
  x.add(-2.5);  // any finite value, or infinity, orders
  x.add(std::numeric_limits<double>::infinity());
  CHECK(x.quantile(0.5) == -2.5);
  CHECK(x.quantile(1.0) == std::numeric_limits<double>::infinity());
  CHECK_THROWS_AS(x.quantile(-0.01), std::invalid_argument);
  CHECK_THROWS_AS(x.quantile(std::nan("")), std::invalid_argument);
}

TEST_CASE("Histogram percentiles are within 1/128 of the exact order statistic", "[order_statistics]") {
  lvs::Rng rng(3, "latency");
  lvs::Histogram h;
  OrderStatistics x;
  for (int i = 0; i < 100'000; ++i) {
    const double v = -0.005 * std::log(rng.uniform_pos01());  // exponential, mean 5 ms
    h.record(v);
    x.add(v);
  }
  x.sort();
  for (double p : {0.01, 0.5, 0.9, 0.99, 0.999, 0.9999}) {
    INFO("p = " << p);
    CHECK(std::fabs(h.percentile(p) - x.quantile(p)) <= x.quantile(p) / 128);
  }
  CHECK(h.percentile(0.0) == x.quantile(0.0));
  CHECK(h.percentile(1.0) == x.quantile(1.0));
}
