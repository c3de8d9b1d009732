// lvs::Distribution: analytic moments, goodness of fit, determinism and parameter checks.
// Every statistical test runs on a fixed seed, so a pass or fail is reproducible; the
// thresholds are what a correct sampler exceeds with probability about 0.1% or less.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <string>
#include <type_traits>
#include <vector>

#include "core/distribution.hpp"

namespace {

using lvs::Distribution;
using lvs::Rng;
using Points = std::vector<std::pair<double, double>>;
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

static_assert(std::is_nothrow_copy_constructible_v<Distribution>);
static_assert(std::is_nothrow_move_constructible_v<Distribution>);

std::vector<double> draw(const Distribution& d, Rng rng, int count) {
  std::vector<double> x(static_cast<std::size_t>(count));
  for (double& v : x) v = d.sample(rng);
  return x;
}

struct SampleMoments {
  double mean = 0;
  double variance = 0;  // unbiased (divides by n - 1)
  double m4 = 0;        // fourth central moment
};

SampleMoments sample_moments(const std::vector<double>& x) {
  const auto n = static_cast<double>(x.size());
  SampleMoments m;
  m.mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  for (double v : x) {
    const double d2 = (v - m.mean) * (v - m.mean);
    m.variance += d2;
    m.m4 += d2 * d2;
  }
  m.variance /= n - 1;
  m.m4 /= n;
  return m;
}

/// sqrt(n) times the Kolmogorov–Smirnov distance between the sample and `cdf`.
double ks_statistic(std::vector<double> x, const std::function<double(double)>& cdf) {
  std::sort(x.begin(), x.end());
  const auto n = static_cast<double>(x.size());
  double d = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double f = cdf(x[i]);
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  return d * std::sqrt(n);
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

void check_value(double actual, double expected) {
  if (std::isinf(expected)) {
    CHECK(actual == expected);
  } else {
    CHECK(actual == Approx(expected).epsilon(1e-12).margin(1e-15));
  }
}

}  // namespace

TEST_CASE("Distribution: analytic mean and variance match hand-computed values", "[distribution]") {
  struct Case {
    Distribution d;
    double mean;
    double variance;
  };
  const auto [d, mean, variance] = GENERATE(values<Case>({
      {Distribution(), 0, 0},
      {Distribution::constant(3), 3, 0},
      {Distribution::exponential(0.5), 0.5, 0.25},
      {Distribution::uniform(2, 5), 3.5, 0.75},
      {Distribution::normal(1, 2), 1, 4},
      {Distribution::lognormal(0, 1), 1.6487212707001282, 4.670774270471604},  // e^(1/2), (e - 1) e
      {Distribution::lognormal_from_mean_stddev(10, 5), 10, 25},
      {Distribution::pareto(1, 3), 1.5, 0.75},
      {Distribution::pareto(1, 2), 2, inf},
      {Distribution::pareto(2, 1), inf, inf},
      {Distribution::pareto(2, 0.5), inf, inf},
      {Distribution::zipf(1, 2), 1, 0},
      {Distribution::zipf(2, 2), 1.2, 0.16},          // P = (4/5, 1/5)
      {Distribution::zipf(3, 1), 18.0 / 11, 72.0 / 121},  // P = (6, 3, 2) / 11
      {Distribution::zipf(4, 0), 2.5, 1.25},
      {Distribution::empirical_samples({1, 2, 3, 4}), 2.5, 1.25},
      {Distribution::empirical_samples({7}), 7, 0},
      {Distribution::empirical_cdf({{0, 0}, {1, 1}}), 0.5, 1.0 / 12},
      {Distribution::empirical_cdf({{1, 0.5}, {3, 1}}), 1.5, 5.0 / 12},  // atom 1/2 at 1, U(1,3) 1/2
      {Distribution::empirical_cdf({{5, 1}}), 5, 0},
  }));
  CAPTURE(d.describe());
  check_value(d.mean(), mean);
  check_value(d.variance(), variance);
}

TEST_CASE("Distribution: sample mean and variance agree with mean() and variance()", "[distribution]") {
  struct Case {
    Distribution d;
    bool check_variance;  // false where the sample variance has no finite variance itself
  };
  const auto [d, check_variance] = GENERATE(values<Case>({
      {Distribution::constant(3), true},
      {Distribution::exponential(0.001), true},
      {Distribution::uniform(-2, 5), true},
      {Distribution::normal(10, 3), true},
      {Distribution::normal(-1, 0), true},
      {Distribution::lognormal(1, 0.5), true},
      {Distribution::lognormal_from_mean_stddev(10, 5), true},
      {Distribution::pareto(2, 9), true},
      {Distribution::pareto(1, 3), false},  // E[X^4] is infinite
      {Distribution::zipf(100, 1), true},
      {Distribution::zipf(1000, 0.5), true},
      {Distribution::zipf(50, 0), true},
      {Distribution::zipf(1'000'000, 1.1), false},  // finite but huge fourth moment
      {Distribution::zipf(3, 50), false},  // P(rank 2) = 2^-50: the sample never sees it
      {Distribution::empirical_samples({1, 2, 3, 5, 8, 13}), true},
      {Distribution::empirical_cdf({{1, 0.25}, {2, 0.25}, {4, 0.75}, {10, 1}}), true},
  }));
  CAPTURE(d.describe());
  constexpr int n = 1'000'000;
  const SampleMoments m = sample_moments(draw(d, Rng(17, "moments"), n));
  // Standard errors: sigma / sqrt(n) for the mean, sqrt((mu4 - sigma^4) / n) for the
  // variance (mu4 estimated from the sample); 5 of them, plus rounding slack.
  const double slack = 1e-12 * std::abs(d.mean());
  CHECK(std::abs(m.mean - d.mean()) <= 5 * std::sqrt(d.variance() / n) + slack);
  if (check_variance) {
    const double se = std::sqrt(std::max(m.m4 - m.variance * m.variance, 0.0) / n);
    CHECK(std::abs(m.variance - d.variance()) <= 5 * se + 1e-12 * d.variance() + slack * slack);
  }
}

TEST_CASE("Distribution: Kolmogorov-Smirnov test against the exact CDF", "[distribution]") {
  struct Case {
    Distribution d;
    std::function<double(double)> cdf;
  };
  // lognormal_from_mean_stddev(10, 5): sigma^2 = ln(1 + (5/10)^2), mu = ln 10 - sigma^2 / 2.
  const double sigma = std::sqrt(std::log(1.25));
  const double mu = std::log(10.0) - std::log(1.25) / 2;
  const auto [d, cdf] = GENERATE_COPY(values<Case>({
      {Distribution::exponential(2), [](double x) { return 1 - std::exp(-x / 2); }},
      {Distribution::uniform(-1, 3), [](double x) { return (x + 1) / 4; }},
      {Distribution::normal(5, 2), [](double x) { return normal_cdf((x - 5) / 2); }},
      {Distribution::lognormal(0.5, 0.8), [](double x) { return normal_cdf((std::log(x) - 0.5) / 0.8); }},
      {Distribution::lognormal_from_mean_stddev(10, 5),
       [=](double x) { return normal_cdf((std::log(x) - mu) / sigma); }},
      {Distribution::pareto(1.5, 2.5), [](double x) { return 1 - std::pow(1.5 / x, 2.5); }},
      {Distribution::empirical_cdf({{0, 0}, {1, 0.2}, {3, 0.9}, {4, 1}}),
       [](double x) { return x < 1 ? 0.2 * x : x < 3 ? 0.2 + 0.35 * (x - 1) : 0.9 + 0.1 * (x - 3); }},
  }));
  CAPTURE(d.describe());
  // 1.95 is the 0.1% critical value of the limiting Kolmogorov distribution (1.9495).
  CHECK(ks_statistic(draw(d, Rng(23, "ks"), 200'000), cdf) < 1.95);
}

TEST_CASE("Distribution: zipf rank frequencies match the exact probabilities", "[distribution]") {
  const double s = GENERATE(1.0, 0.5, 2.0, 0.0);
  const int n = 100;
  CAPTURE(s);
  const Distribution d = Distribution::zipf(n, s);
  std::vector<double> p(n + 1, 0.0);  // exact: P(k) = k^-s / sum_j j^-s
  for (int k = 1; k <= n; ++k) p[k] = std::pow(k, -s);
  const double total = std::accumulate(p.begin(), p.end(), 0.0);
  for (double& x : p) x /= total;

  constexpr int draws = 1'000'000;
  std::vector<int> counts(12, 0);  // ranks 1..10, 11..n pooled in [11], anything else in [0]
  Rng rng(29, "zipf");
  for (int i = 0; i < draws; ++i) {
    const double k = d.sample(rng);
    const bool valid = k >= 1 && k <= n && k == std::floor(k);
    ++counts[!valid ? 0 : k <= 10 ? static_cast<int>(k) : 11];
  }
  CHECK(counts[0] == 0);
  double chi2 = 0;
  for (int bin = 1; bin <= 11; ++bin) {
    const double prob = bin <= 10 ? p[bin] : std::accumulate(p.begin() + 11, p.end(), 0.0);
    const double expected = prob * draws;
    chi2 += (counts[bin] - expected) * (counts[bin] - expected) / expected;
  }
  CHECK(chi2 < 29.588);  // chi-square 99.9% quantile, 10 degrees of freedom
}

TEST_CASE("Distribution: empirical_samples returns only the given values, each with probability 1/N",
          "[distribution]") {
  const std::vector<double> given = {4, 1, 7, 2.5, 7, -3};  // 7 twice: probability 2/6
  const Distribution d = Distribution::empirical_samples(given);
  constexpr int draws = 600'000;
  std::map<double, int> counts;
  for (double x : draw(d, Rng(31, "bootstrap"), draws)) ++counts[x];
  std::map<double, int> multiplicity;
  for (double x : given) ++multiplicity[x];
  CHECK(counts.size() == multiplicity.size());  // no value outside the given ones
  double chi2 = 0;
  for (const auto& [value, times] : multiplicity) {
    const double expected = draws * static_cast<double>(times) / static_cast<double>(given.size());
    chi2 += (counts[value] - expected) * (counts[value] - expected) / expected;
  }
  CHECK(chi2 < 18.467);  // chi-square 99.9% quantile, 4 degrees of freedom
}

TEST_CASE("Distribution: empirical_cdf atoms and flat stretches", "[distribution]") {
  struct Case {
    Points points;
    double atom;
    double atom_mass;
    std::vector<std::pair<double, double>> probes;  // (x, exact P(X <= x))
  };
  const Case c = GENERATE(values<Case>({
      // An atom of 0.3 at 1 (first probability > 0), no mass in (1, 2), U(2, 4) with 0.7.
      {{{1, 0.3}, {2, 0.3}, {4, 1}}, 1, 0.3, {{1.5, 0.3}, {1.999, 0.3}, {3, 0.65}, {4, 1}}},
      // A vertical step: an atom of 0.3 at 1 between U(0, 1) with 0.5 and U(1, 2) with 0.2.
      {{{0, 0}, {1, 0.5}, {1, 0.8}, {2, 1}}, 1, 0.3, {{0.5, 0.25}, {0.999, 0.4995}, {1, 0.8}, {1.5, 0.9}}},
  }));
  const Distribution d = Distribution::empirical_cdf(c.points);
  CAPTURE(d.describe());
  constexpr int draws = 400'000;
  const std::vector<double> x = draw(d, Rng(37, "cdf"), draws);
  const auto fraction = [&x](auto predicate) {
    return static_cast<double>(std::count_if(x.begin(), x.end(), predicate)) / static_cast<double>(x.size());
  };
  const auto tolerance = [](double p) { return 5 * std::sqrt(p * (1 - p) / draws) + 1e-12; };  // 5 sigma
  // Named members, not structured bindings: clang 14 (the sanitizer build) cannot capture those.
  CHECK(std::abs(fraction([&](double v) { return v == c.atom; }) - c.atom_mass) <= tolerance(c.atom_mass));
  for (const auto& probe : c.probes) {
    CAPTURE(probe.first);
    CHECK(std::abs(fraction([&](double v) { return v <= probe.first; }) - probe.second) <= tolerance(probe.second));
  }
  CHECK(fraction([&](double v) { return v < c.points.front().first || v > c.points.back().first; }) == 0);
}

TEST_CASE("Distribution: same seed, same samples, and the documented draws per sample",
          "[distribution]") {
  struct Case {
    Distribution d;
    int draws_per_sample;
  };
  const auto [d, draws_per_sample] = GENERATE(values<Case>({
      {Distribution::constant(2), 0},
      {Distribution::exponential(1), 1},
      {Distribution::uniform(0, 1), 1},
      {Distribution::normal(0, 1), 2},
      {Distribution::lognormal(0, 1), 2},
      {Distribution::pareto(1, 2), 1},
      {Distribution::zipf(10, 0), 1},
      {Distribution::zipf(1000, 1.2), -1},  // rejection: a variable number
      {Distribution::empirical_samples({1, 2, 3}), 1},
      {Distribution::empirical_cdf({{0, 0.1}, {1, 1}}), 1},
  }));
  CAPTURE(d.describe());
  const Distribution copy = d;
  const std::vector<double> first = draw(d, Rng(41, "service"), 1000);
  CHECK(draw(d, Rng(41, "service"), 1000) == first);
  CHECK(draw(copy, Rng(41, "service"), 1000) == first);
  if (draws_per_sample != 0) CHECK(draw(d, Rng(42, "service"), 1000) != first);
  if (draws_per_sample >= 0) {
    Rng sampled(43, "draws");
    Rng stepped(43, "draws");
    for (int i = 0; i < 1000; ++i) {
      d.sample(sampled);
      for (int j = 0; j < draws_per_sample; ++j) stepped();
    }
    CHECK(sampled() == stepped());
  }
}

TEST_CASE("Distribution: uniform samples are pinned bit for bit", "[distribution]") {
  // low + (high - low) * u with u = (first output >> 11) * 2^-53 of Rng(42), computed by
  // the independent Python reference described in test_rng.cpp (IEEE double arithmetic).
  const std::vector<double> expected = {0x1.1c58b9fb7358dp+2, 0x1.7a6d622e8326cp+1, 0x1.3ce85dbc491bbp+2};
  CHECK(draw(Distribution::uniform(2, 5), Rng(42), 3) == expected);
}

TEST_CASE("Distribution: invalid parameters throw std::invalid_argument naming the problem",
          "[distribution]") {
  using D = Distribution;
  struct Case {
    std::function<void()> make;
    std::string message;
  };
  const auto [make, message] = GENERATE(values<Case>({
      {[] { D::constant(not_a_number); }, "constant: value must be finite (got nan)"},
      {[] { D::exponential(-1); }, "exponential: mean must be > 0 (got -1)"},
      {[] { D::exponential(0); }, "exponential: mean must be > 0 (got 0)"},
      {[] { D::exponential(not_a_number); }, "exponential: mean must be > 0 (got nan)"},
      {[] { D::exponential(inf); }, "exponential: mean must be finite (got inf)"},
      {[] { D::uniform(3, 3); }, "uniform: high must be > low (got low=3, high=3)"},
      {[] { D::uniform(2, 1); }, "uniform: high must be > low (got low=2, high=1)"},
      {[] { D::uniform(not_a_number, 1); }, "uniform: low must be finite (got nan)"},
      {[] { D::uniform(0, inf); }, "uniform: high must be finite (got inf)"},
      {[] { D::uniform(-1e308, 1e308); }, "uniform: high - low must be finite (got low=-1e+308, high=1e+308)"},
      {[] { D::normal(inf, 1); }, "normal: mean must be finite (got inf)"},
      {[] { D::normal(0, -1); }, "normal: stddev must be >= 0 (got -1)"},
      {[] { D::normal(0, inf); }, "normal: stddev must be finite (got inf)"},
      {[] { D::lognormal(not_a_number, 1); }, "lognormal: mu must be finite (got nan)"},
      {[] { D::lognormal(0, -0.5); }, "lognormal: sigma must be >= 0 (got -0.5)"},
      {[] { D::lognormal_from_mean_stddev(0, 1); }, "lognormal_from_mean_stddev: mean must be > 0 (got 0)"},
      {[] { D::lognormal_from_mean_stddev(1, -1); }, "lognormal_from_mean_stddev: stddev must be >= 0 (got -1)"},
      {[] { D::lognormal_from_mean_stddev(1, 1e300); },
       "lognormal_from_mean_stddev: stddev / mean must be below 1e154 (got 1e+300)"},
      {[] { D::pareto(0, 1); }, "pareto: scale must be > 0 (got 0)"},
      {[] { D::pareto(1, -2); }, "pareto: shape must be > 0 (got -2)"},
      {[] { D::pareto(1, inf); }, "pareto: shape must be finite (got inf)"},
      {[] { D::zipf(0, 1); }, "zipf: n must be >= 1 (got 0)"},
      {[] { D::zipf(-5, 1); }, "zipf: n must be >= 1 (got -5)"},
      {[] { D::zipf(10'000'001, 1); }, "zipf: n must be <= 10000000 (got 10000001)"},
      {[] { D::zipf(10, -0.5); }, "zipf: s must be >= 0 (got -0.5)"},
      {[] { D::zipf(10, inf); }, "zipf: s must be finite (got inf)"},
      {[] { D::empirical_samples({}); }, "empirical_samples: needs at least 1 sample (got 0)"},
      {[] { D::empirical_samples({1, inf}); }, "empirical_samples: samples[1] must be finite (got inf)"},
      {[] { D::empirical_cdf({}); }, "empirical_cdf: needs at least 1 point (got 0)"},
      {[] { D::empirical_cdf({{not_a_number, 0}, {1, 1}}); }, "empirical_cdf: points[0] value must be finite (got nan)"},
      {[] { D::empirical_cdf({{0, -0.1}, {1, 1}}); },
       "empirical_cdf: points[0] probability must be in [0, 1] (got -0.1)"},
      {[] { D::empirical_cdf({{0, 0}, {1, 1.5}}); },
       "empirical_cdf: points[1] probability must be in [0, 1] (got 1.5)"},
      {[] { D::empirical_cdf({{0, 0}, {2, 0.5}, {1, 1}}); }, "empirical_cdf: points[2] value must be >= 2 (got 1)"},
      {[] { D::empirical_cdf({{0, 0.5}, {1, 0.4}, {2, 1}}); },
       "empirical_cdf: points[1] probability must be >= 0.5 (got 0.4)"},
      {[] { D::empirical_cdf({{0, 0}, {1, 0.5}}); }, "empirical_cdf: the last probability must be exactly 1 (got 0.5)"},
  }));
  CAPTURE(message);
  REQUIRE_THROWS_AS(make(), std::invalid_argument);
  REQUIRE_THROWS_WITH(make(), message);
}

TEST_CASE("Distribution: kind, kind_name and describe", "[distribution]") {
  using K = Distribution::Kind;
  struct Case {
    Distribution d;
    K kind;
    std::string name;
    std::string description;
  };
  const auto [d, kind, name, description] = GENERATE(values<Case>({
      {Distribution(), K::Constant, "constant", "constant(value=0)"},
      {Distribution::constant(3), K::Constant, "constant", "constant(value=3)"},
      {Distribution::exponential(0.001), K::Exponential, "exponential", "exponential(mean=0.001)"},
      {Distribution::uniform(1, 2.5), K::Uniform, "uniform", "uniform(low=1, high=2.5)"},
      {Distribution::normal(0, 0.1), K::Normal, "normal", "normal(mean=0, stddev=0.1)"},
      {Distribution::lognormal(-1, 0.25), K::Lognormal, "lognormal", "lognormal(mu=-1, sigma=0.25)"},
      {Distribution::pareto(1, 3), K::Pareto, "pareto", "pareto(scale=1, shape=3)"},
      {Distribution::zipf(100, 1), K::Zipf, "zipf", "zipf(n=100, s=1)"},
      {Distribution::zipf(1'000'000, 0.25), K::Zipf, "zipf", "zipf(n=1000000, s=0.25)"},
      {Distribution::exponential(2.5e-6), K::Exponential, "exponential", "exponential(mean=2.5e-06)"},
      {Distribution::constant(1e20), K::Constant, "constant", "constant(value=1e+20)"},
      {Distribution::constant(0.1), K::Constant, "constant", "constant(value=0.1)"},
      {Distribution::empirical_samples({1, 2.5}), K::EmpiricalSamples, "empirical_samples",
       "empirical_samples(1, 2.5)"},
      {Distribution::empirical_samples({5, 1, 2, 3, 4, 6, 7, 8, 9}), K::EmpiricalSamples, "empirical_samples",
       "empirical_samples(9 samples, min=1, max=9)"},
      {Distribution::empirical_cdf({{0, 0}, {1e-3, 1}}), K::EmpiricalCdf, "empirical_cdf",
       "empirical_cdf((0, 0), (0.001, 1))"},
  }));
  CHECK(d.kind() == kind);
  CHECK(Distribution::kind_name(kind) == name);
  CHECK(d.describe() == description);
}
