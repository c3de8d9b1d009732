#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "core/rng.hpp"
#include "metrics/histogram.hpp"

using lvs::Histogram;
using lvs::Rng;

namespace {

// Samplers by inverse CDF (and Box-Muller for the normal), so the test depends on
// nothing but the bit-exact Rng.
double standard_normal(Rng& rng) {
  const double r = std::sqrt(-2 * std::log(rng.uniform_pos01()));
  return r * std::cos(2 * std::numbers::pi * rng.uniform01());
}
double exponential_mean_2ms(Rng& rng) { return -2e-3 * std::log(rng.uniform_pos01()); }
double lognormal_sigma_1(Rng& rng) { return std::exp(1.0 + 1.0 * standard_normal(rng)); }
double lognormal_sigma_2(Rng& rng) { return std::exp(-3.0 + 2.0 * standard_normal(rng)); }
double pareto_shape_1_5(Rng& rng) { return 1500.0 * std::pow(rng.uniform_pos01(), -1 / 1.5); }
double uniform_10_20(Rng& rng) { return 10.0 + 10.0 * rng.uniform01(); }

struct Distribution {
  const char* name;
  double (*draw)(Rng&);
};

// The nearest-rank definition, independently of the histogram: the value of rank
// max(1, ceil(p n)) in the sorted samples.
double exact_percentile(const std::vector<double>& sorted, double p) {
  const auto n = static_cast<double>(sorted.size());
  const auto rank = std::max(1.0, std::ceil(p * n));
  return sorted[static_cast<std::size_t>(std::min(rank, n)) - 1];
}

double relative_error(double approx, double exact) {
  return exact == 0 ? std::fabs(approx) : std::fabs(approx - exact) / exact;
}

}  // namespace

TEST_CASE("Histogram: percentiles within 1% of an exact sort, 10^6 samples") {
  const auto dist = GENERATE(values<Distribution>({{"exponential", exponential_mean_2ms},
                                                   {"lognormal sigma=1", lognormal_sigma_1},
                                                   {"lognormal sigma=2", lognormal_sigma_2},
                                                   {"pareto shape=1.5", pareto_shape_1_5},
                                                   {"uniform", uniform_10_20}}));
  INFO(dist.name);
  Rng rng(1, dist.name);
  std::vector<double> samples(1'000'000);
  for (double& x : samples) x = dist.draw(rng);
  Histogram h;
  for (double x : samples) h.record(x);
  std::sort(samples.begin(), samples.end());

  REQUIRE(h.count() == samples.size());
  CHECK(h.min() == samples.front());
  CHECK(h.max() == samples.back());
  long double total = 0;
  for (double x : samples) total += x;
  CHECK(h.mean() == Approx(static_cast<double>(total / samples.size())).epsilon(1e-12));

  for (double p : {0.0, 0.5, 0.9, 0.99, 0.999, 1.0}) {
    INFO("p = " << p);
    CHECK(relative_error(h.percentile(p), exact_percentile(samples, p)) < 0.01);
  }
  CHECK(h.percentile(0.0) == samples.front());
  CHECK(h.percentile(1.0) == samples.back());

  double worst = 0;
  for (int k = 0; k <= 10'000; ++k) {
    const double p = k / 10'000.0;
    worst = std::max(worst, relative_error(h.percentile(p), exact_percentile(samples, p)));
  }
  INFO("worst relative error " << worst);
  CHECK(worst < 0.0079);
  CHECK(worst > 0);  // the buckets really are approximate: the check above can fail
}

// Every bucket, from tiny to huge: with neighbours at both extremes the median is
// the bucket midpoint itself, unclamped.
TEST_CASE("Histogram: the 1/128 bound holds in every octave") {
  Rng rng(3, "histogram-octaves");
  for (int e = -1020; e <= 1020; e += 5) {
    const double x = std::ldexp(1.0 + rng.uniform01(), e);
    Histogram h;
    h.record(std::numeric_limits<double>::min());
    h.record(x);
    h.record(std::numeric_limits<double>::max());
    INFO("x = " << x);
    CHECK(relative_error(h.percentile(0.5), x) <= 1.0 / 128);
  }
}

TEST_CASE("Histogram: merge equals one histogram of all samples") {
  Rng rng(5, "histogram-merge");
  Histogram a;
  Histogram b;
  Histogram all;
  for (int i = 0; i < 100'000; ++i) {
    const double x = i % 100 == 0 ? 0.0 : lognormal_sigma_2(rng) * (i % 2 == 0 ? 1e-3 : 1e3);
    (i % 3 == 0 ? a : b).record(x);
    all.record(x);
  }
  a.merge(b);
  CHECK(a.count() == all.count());
  CHECK(a.min() == all.min());
  CHECK(a.max() == all.max());
  CHECK(a.mean() == Approx(all.mean()).epsilon(1e-14));
  for (int k = 0; k <= 1000; ++k) CHECK(a.percentile(k / 1000.0) == all.percentile(k / 1000.0));
  const auto ca = a.cdf();
  const auto call = all.cdf();
  REQUIRE(ca.size() == call.size());
  for (std::size_t i = 0; i < ca.size(); ++i) {
    CHECK(ca[i].value == call[i].value);
    CHECK(ca[i].fraction == call[i].fraction);
  }
}

TEST_CASE("Histogram: merging empty histograms and itself") {
  Histogram h;
  Histogram empty;
  h.merge(empty);
  CHECK(h.count() == 0);
  h.record(4.0, 3);
  empty.merge(h);
  CHECK(empty.count() == 3);
  CHECK(empty.percentile(0.5) == 4.0);
  h.merge(h);
  CHECK(h.count() == 6);
  CHECK(h.mean() == 4.0);
}

TEST_CASE("Histogram: zeros and subnormals go to the zero bucket") {
  Histogram h;
  h.record(0.0, 5);
  h.record(-0.0);
  CHECK(h.count() == 6);
  CHECK(h.min() == 0.0);
  CHECK_FALSE(std::signbit(h.min()));
  CHECK(h.max() == 0.0);
  CHECK(h.percentile(0.5) == 0.0);
  h.record(std::numeric_limits<double>::denorm_min());
  h.record(1.0, 3);
  CHECK(h.count() == 10);
  CHECK(h.percentile(0.6) == 0.0);  // rank 6: a zero
  CHECK(h.percentile(0.7) < std::numeric_limits<double>::min());  // rank 7: the subnormal
  CHECK(h.percentile(0.8) == 1.0);
  CHECK(h.mean() == Approx(0.3));
}

TEST_CASE("Histogram: bad values throw and name the value") {
  Histogram h;
  CHECK_THROWS_WITH(h.record(-1.5), Catch::Contains("-1.5"));
  CHECK_THROWS_WITH(h.record(std::nan("")), Catch::Contains("nan"));
  CHECK_THROWS_WITH(h.record(std::numeric_limits<double>::infinity()), Catch::Contains("inf"));
  CHECK_THROWS_AS(h.record(-1e-300, 0), std::invalid_argument);
  CHECK(h.count() == 0);
  h.record(1.0);
  CHECK_THROWS_AS(h.percentile(-0.01), std::invalid_argument);
  CHECK_THROWS_AS(h.percentile(1.01), std::invalid_argument);
  CHECK_THROWS_AS(h.percentile(std::nan("")), std::invalid_argument);
}

TEST_CASE("Histogram: empty, counted records and reset") {
  Histogram h;
  CHECK(std::isnan(h.percentile(0.5)));
  CHECK(std::isnan(h.mean()));
  CHECK(std::isnan(h.min()));
  CHECK(h.cdf().empty());
  h.record(2.0, 0);
  CHECK(h.count() == 0);
  h.record(2.0, 3);
  h.record(100.0);
  CHECK(h.count() == 4);
  CHECK(h.mean() == 26.5);
  CHECK(h.percentile(0.75) == 2.015625);  // rank 3: the midpoint of [2, 2 + 2/64)
  CHECK(h.percentile(0.76) == 100.0);  // rank 4
  h.reset();
  CHECK(h.count() == 0);
  CHECK(h.cdf().empty());
  h.record(7.0);
  CHECK(h.percentile(0.3) == 7.0);
}

TEST_CASE("Histogram: cdf() is monotone and ends at 1") {
  Rng rng(11, "histogram-cdf");
  std::vector<double> samples(50'000, 0.0);
  for (std::size_t i = 10; i < samples.size(); ++i) samples[i] = pareto_shape_1_5(rng);
  Histogram h;
  for (double x : samples) h.record(x);
  std::sort(samples.begin(), samples.end());

  const auto points = h.cdf();
  REQUIRE(points.size() > 100);
  CHECK(points.front().value == std::numeric_limits<double>::min());  // the zero bucket's bound
  for (std::size_t i = 1; i < points.size(); ++i) {
    CHECK(points[i].value > points[i - 1].value);
    CHECK(points[i].fraction > points[i - 1].fraction);
  }
  CHECK(points.back().fraction == 1.0);
  CHECK(points.back().value == h.max());
  // Below each bucket's upper bound lie exactly the samples of that bucket and below.
  const auto n = static_cast<double>(samples.size());
  for (std::size_t i = 0; i + 1 < points.size(); ++i) {
    const auto below = std::lower_bound(samples.begin(), samples.end(), points[i].value) - samples.begin();
    CHECK(static_cast<double>(below) == std::round(points[i].fraction * n));
  }
}
