#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "core/rng.hpp"
#include "core/time.hpp"
#include "metrics/summary.hpp"

using namespace lvs::literals;
using lvs::Summary;
using lvs::Time;
using lvs::TimeWeighted;

namespace {

Summary summarise(const std::vector<double>& xs) {
  Summary s;
  for (double x : xs) s.add(x);
  return s;
}

}  // namespace

TEST_CASE("Summary: hand-computed mean and sample variance") {
  const Summary s = summarise({2, 4, 4, 4, 5, 5, 7, 9});
  CHECK(s.count() == 8);
  CHECK(s.mean() == 5.0);
  CHECK(s.variance() == Approx(32.0 / 7.0).epsilon(1e-15));
  CHECK(s.stddev() == Approx(std::sqrt(32.0 / 7.0)).epsilon(1e-15));
  CHECK(s.min() == 2.0);
  CHECK(s.max() == 9.0);
  CHECK(s.sum() == 40.0);
}

TEST_CASE("Summary: empty and single observations") {
  Summary s;
  CHECK(s.count() == 0);
  CHECK(std::isnan(s.mean()));
  CHECK(std::isnan(s.min()));
  CHECK(std::isnan(s.max()));
  CHECK(s.variance() == 0.0);
  CHECK(s.sum() == 0.0);
  s.add(-3.5);
  CHECK(s.mean() == -3.5);
  CHECK(s.variance() == 0.0);
  CHECK(s.stddev() == 0.0);
  CHECK(s.min() == -3.5);
  CHECK(s.max() == -3.5);
}

// Values 1e9 + u * 1e-2: the naive sum-of-squares formula loses every digit here
// (x^2 ~ 1e18, its rounding ~ 1e2, the variance ~ 1e-5). Welford must match a
// careful two-pass computation.
TEST_CASE("Summary: stable for 10^6 values near 1e9 with a tiny spread") {
  lvs::Rng rng(2024, "summary-stability");
  std::vector<double> xs(1'000'000);
  for (double& x : xs) x = 1e9 + 1e-2 * rng.uniform01();
  const Summary s = summarise(xs);

  long double total = 0;
  for (double x : xs) total += x;
  const auto mean = static_cast<double>(total / static_cast<long double>(xs.size()));
  long double squares = 0;
  for (double x : xs) squares += static_cast<long double>(x - mean) * (x - mean);
  const auto variance = static_cast<double>(squares / static_cast<long double>(xs.size() - 1));

  CHECK(s.mean() == Approx(mean).epsilon(1e-15));
  CHECK(variance == Approx(1e-4 / 12).epsilon(0.01));  // the data are what we think
  CHECK(s.variance() == Approx(variance).epsilon(1e-6));
}

TEST_CASE("Summary: merging two halves equals one pass") {
  lvs::Rng rng(7, "summary-merge");
  std::vector<double> xs(10'001);
  for (double& x : xs) x = std::exp(2 * rng.uniform01()) - 3;
  const Summary whole = summarise(xs);
  const std::size_t cut = GENERATE(std::size_t{0}, std::size_t{1}, std::size_t{4'000}, std::size_t{10'001});

  Summary first = summarise({xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(cut)});
  const Summary second = summarise({xs.begin() + static_cast<std::ptrdiff_t>(cut), xs.end()});
  first.merge(second);

  CHECK(first.count() == whole.count());
  CHECK(first.min() == whole.min());
  CHECK(first.max() == whole.max());
  CHECK(first.mean() == Approx(whole.mean()).epsilon(1e-13));
  CHECK(first.variance() == Approx(whole.variance()).epsilon(1e-13));
  CHECK(first.sum() == Approx(whole.sum()).epsilon(1e-15));
}

TEST_CASE("Summary: merging with itself doubles the count, keeps the mean") {
  Summary s = summarise({1, 2, 3, 4});
  s.merge(s);
  CHECK(s.count() == 8);
  CHECK(s.mean() == 2.5);
  CHECK(s.variance() == Approx(summarise({1, 2, 3, 4, 1, 2, 3, 4}).variance()).epsilon(1e-15));
  CHECK(s.sum() == 20.0);
}

TEST_CASE("TimeWeighted: 2 for 3 s then 5 for 1 s averages 2.75") {
  TimeWeighted q(0_s, 2);
  q.set(3_s, 5);
  CHECK(q.value() == 5.0);
  CHECK(q.max() == 5.0);
  CHECK(q.integral(4_s) == 11.0);
  CHECK(q.mean(4_s) == 2.75);
  CHECK(q.mean(3_s) == 2.0);
}

TEST_CASE("TimeWeighted: steps by add() from a non-zero start") {
  TimeWeighted busy(10_s);
  CHECK(busy.mean(10_s) == 0.0);  // no time has passed: the current value
  busy.add(11_s, +1);
  busy.add(12_s, +1);
  busy.add(14_s, -2);
  CHECK(busy.value() == 0.0);
  CHECK(busy.max() == 2.0);
  CHECK(busy.integral(15_s) == 5.0);  // 0*1 + 1*1 + 2*2 + 0*1
  CHECK(busy.mean(15_s) == 1.0);
  CHECK(busy.mean(20_s) == 0.5);  // idle time up to `now` counts
}

TEST_CASE("TimeWeighted: the integral is exact in nanoseconds over a long run") {
  // 10^6 changes, integer values below 1000 held for up to 10 s each: the exact
  // integral (~2.5e18 value-ns) is far beyond a double's 2^53, so any rounding
  // along the way would show.
  lvs::Rng rng(99, "time-weighted");
  TimeWeighted q(Time::zero());
  Time now = Time::zero();
  std::uint64_t exact = 0;
  std::uint64_t value = 0;
  for (int i = 0; i < 1'000'000; ++i) {
    const auto span_ns = static_cast<std::int64_t>(rng.below(10'000'000'000) + 1);
    exact += value * static_cast<std::uint64_t>(span_ns);
    now += Time::ns(span_ns);
    value = rng.below(1000);
    q.set(now, static_cast<double>(value));
  }
  REQUIRE(exact > (std::uint64_t{1} << 60));
  CHECK(q.integral(now) == static_cast<double>(static_cast<long double>(exact) / 1e9L));
  CHECK(q.mean(now) == static_cast<double>(static_cast<long double>(exact) / static_cast<long double>(now.count())));
}

TEST_CASE("TimeWeighted: time going backwards throws") {
  TimeWeighted q(5_s, 1);
  CHECK_THROWS_AS(TimeWeighted(0_s, std::nan("")), std::invalid_argument);
  CHECK_THROWS_AS(q.set(4_s, 2), std::invalid_argument);
  q.set(6_s, 2);
  CHECK_THROWS_AS(q.add(5_s, 1), std::invalid_argument);
  CHECK_THROWS_AS(q.mean(5_s), std::invalid_argument);
  CHECK_THROWS_AS(q.integral(5_s), std::invalid_argument);
  CHECK_THROWS_AS(q.set(7_s, INFINITY), std::invalid_argument);
  CHECK(q.value() == 2.0);  // failed calls change nothing
  CHECK(q.mean(7_s) == 1.5);
}
