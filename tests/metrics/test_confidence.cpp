#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "core/rng.hpp"
#include "metrics/confidence.hpp"
#include "metrics/summary.hpp"

using lvs::student_t_cdf;
using lvs::student_t_quantile;

namespace {

struct Tabulated {
  double p;
  double df;
  double t;
};

}  // namespace

TEST_CASE("Student t: quantiles match the printed table to 4 decimals") {
  const auto row = GENERATE(values<Tabulated>({{0.975, 1, 12.7062},
                                               {0.975, 2, 4.3027},
                                               {0.975, 3, 3.1824},
                                               {0.975, 4, 2.7764},
                                               {0.975, 5, 2.5706},
                                               {0.975, 10, 2.2281},
                                               {0.975, 20, 2.0860},
                                               {0.975, 30, 2.0423},
                                               {0.975, 60, 2.0003},
                                               {0.975, 120, 1.9799},
                                               {0.975, 1e6, 1.9600},
                                               {0.95, 5, 2.0150},
                                               {0.95, 10, 1.8125},
                                               {0.995, 10, 3.1693}}));
  INFO("p = " << row.p << ", df = " << row.df);
  const double t = student_t_quantile(row.p, row.df);
  CHECK(std::fabs(t - row.t) <= 0.5e-4);
  CHECK(student_t_quantile(1 - row.p, row.df) == -t);
}

// df = 1 is the Cauchy distribution and df = 2 has a closed form too, so the
// 1e-9 accuracy can be checked far into the tails.
TEST_CASE("Student t: closed forms for df = 1 and df = 2") {
  const double t = GENERATE(-1e6, -30.0, -2.5, -0.1, 0.0, 1e-8, 0.7, 4.0, 250.0, 1e9);
  INFO("t = " << t);
  CHECK(student_t_cdf(t, 1) == Approx(0.5 + std::atan(t) / std::numbers::pi).margin(1e-13));
  CHECK(student_t_cdf(t, 2) == Approx(0.5 + t / (2 * std::sqrt(2 + t * t))).margin(1e-13));

  const double p = GENERATE(1e-9, 0.001, 0.2, 0.5, 0.6, 0.975, 0.999999);
  INFO("p = " << p);
  // -cot(pi p) = tan(pi (p - 1/2)), written without the cancellation in p - 1/2.
  const double cauchy = p < 0.5 ? -1 / std::tan(std::numbers::pi * p) : 1 / std::tan(std::numbers::pi * (1 - p));
  const double df2 = (2 * p - 1) * std::sqrt(2 / (4 * p * (1 - p)));
  CHECK(student_t_quantile(p, 1) == Approx(cauchy).epsilon(1e-9).margin(1e-9));
  CHECK(student_t_quantile(p, 2) == Approx(df2).epsilon(1e-9).margin(1e-9));
}

// References computed to 40 digits (mpmath: betainc and findroot) at p as the
// double it is (0.999999999 is not exact in binary, and at df = 30 that moves t by
// 3e-9), covering fractional and very large df and far tails.
TEST_CASE("Student t: quantiles agree with high-precision references to 1e-10") {
  const auto row = GENERATE(values<Tabulated>({{0.975, 1e6, 1.9599663568141066553},
                                               {0.975, 1e5, 1.9599877075346092587},
                                               {0.9999, 3, 22.203742273205002038},
                                               {0.999999999, 30, 8.445862807441596804},
                                               {0.995, 2.5, 7.1637281389487828791},
                                               {0.9, 0.5, 10.270324410234510724},
                                               {0.6, 7, 0.26316686135202275215}}));
  INFO("p = " << row.p << ", df = " << row.df);
  CHECK(student_t_quantile(row.p, row.df) == Approx(row.t).epsilon(1e-10));
}

TEST_CASE("Student t: cdf(quantile(p)) round-trips") {
  const double df = GENERATE(0.5, 1.0, 2.0, 3.0, 7.5, 29.0, 300.0, 1e5);
  const double p = GENERATE(1e-10, 1e-4, 0.025, 0.3, 0.5, 0.51, 0.9, 0.995, 1 - 1e-7);
  INFO("df = " << df << ", p = " << p);
  const double t = student_t_quantile(p, df);
  CHECK(student_t_cdf(t, df) == Approx(p).epsilon(1e-10).margin(1e-15));
}

TEST_CASE("Student t: symmetry, limits and bad arguments") {
  CHECK(student_t_cdf(0, 4) == 0.5);
  CHECK(student_t_cdf(INFINITY, 4) == 1.0);
  CHECK(student_t_cdf(-INFINITY, 4) == 0.0);
  CHECK(std::isnan(student_t_cdf(NAN, 4)));
  CHECK(student_t_cdf(-1.3, 6) == Approx(1 - student_t_cdf(1.3, 6)).margin(1e-15));
  CHECK(student_t_quantile(0.5, 9) == 0.0);
  CHECK(student_t_quantile(0, 9) == -INFINITY);
  CHECK(student_t_quantile(1, 9) == INFINITY);
  CHECK_THROWS_AS(student_t_cdf(1, 0), std::invalid_argument);
  CHECK_THROWS_AS(student_t_cdf(1, -3), std::invalid_argument);
  CHECK_THROWS_AS(student_t_cdf(1, NAN), std::invalid_argument);
  CHECK_THROWS_AS(student_t_quantile(1.5, 3), std::invalid_argument);
  CHECK_THROWS_AS(student_t_quantile(-0.1, 3), std::invalid_argument);
  CHECK_THROWS_AS(student_t_quantile(NAN, 3), std::invalid_argument);
}

TEST_CASE("confidence_interval: hand-computed interval for {10, 12, 14}") {
  const std::vector<double> samples{10, 12, 14};
  const auto ci = lvs::confidence_interval(samples);
  CHECK(ci.mean == 12.0);
  CHECK(ci.n == 3);
  CHECK(ci.level == 0.95);
  CHECK(ci.half_width == Approx(4.3027 * 2 / std::sqrt(3.0)).margin(1e-4));  // 4.9683
  CHECK(ci.lower() == Approx(12 - 4.9683).margin(1e-4));
  CHECK(ci.upper() == Approx(12 + 4.9683).margin(1e-4));

  lvs::Summary s;
  for (double x : samples) s.add(x);
  const auto from_summary = lvs::confidence_interval(s, 0.99);
  CHECK(from_summary.half_width == Approx(9.9248 * 2 / std::sqrt(3.0)).margin(1e-4));
  CHECK(from_summary.level == 0.99);
}

TEST_CASE("confidence_interval: fewer than two samples, bad levels") {
  const std::vector<double> one{3.0};
  const auto ci = lvs::confidence_interval(one);
  CHECK(ci.mean == 3.0);
  CHECK(ci.n == 1);
  CHECK(std::isnan(ci.half_width));
  CHECK(std::isnan(ci.lower()));
  const auto none = lvs::confidence_interval(std::vector<double>{});
  CHECK(none.n == 0);
  CHECK(std::isnan(none.mean));
  CHECK(std::isnan(none.half_width));
  for (double level : {0.0, 1.0, -0.5, 95.0, double(NAN)})
    CHECK_THROWS_AS(lvs::confidence_interval(one, level), std::invalid_argument);
}

// 2000 replications of n = 5 normal samples: the 95% interval should cover the true
// mean 95% of the time (binomial sd 0.49%, so [93.5%, 96.5%] is about 3 sd).
TEST_CASE("confidence_interval: 95% intervals cover the true mean about 95% of the time") {
  lvs::Rng rng(42, "confidence-coverage");
  constexpr double true_mean = 3.0;
  constexpr double sd = 2.0;
  int covered = 0;
  std::vector<double> samples(5);
  for (int rep = 0; rep < 2000; ++rep) {
    for (double& x : samples) {
      const double r = std::sqrt(-2 * std::log(rng.uniform_pos01()));
      x = true_mean + sd * r * std::cos(2 * std::numbers::pi * rng.uniform01());
    }
    const auto ci = lvs::confidence_interval(samples);
    covered += ci.lower() <= true_mean && true_mean <= ci.upper();
  }
  const double coverage = covered / 2000.0;
  INFO("coverage " << coverage);
  CHECK(coverage >= 0.935);
  CHECK(coverage <= 0.965);
}

namespace {

lvs::ConfidenceInterval welch(const std::vector<double>& a, const std::vector<double>& b, double level = 0.95) {
  return lvs::welch_interval(lvs::summary_of(a), lvs::summary_of(b), level);
}

}  // namespace

// Welch's interval for mean(b) - mean(a); references computed with mpmath (40 digits) from
// the Welch-Satterthwaite degrees of freedom worked by hand.
TEST_CASE("Welch's interval: equal, unequal and zero variances, by hand") {
  // a = 1 2 3, b = 3 4 5: s^2 = 1 each, se^2 = 2/3, f = (2/3)^2 / (2 (1/3)^2 / 2) = 4.
  const lvs::ConfidenceInterval equal = welch({1, 2, 3}, {3, 4, 5});
  CHECK(equal.mean == 2.0);
  CHECK(equal.n == 3);
  CHECK(equal.half_width == Approx(2.266957935527519719).epsilon(1e-12));  // t(0.975, 4) sqrt(2/3)

  // b = 2 4 6: s_b^2 = 4, se^2 = 1/3 + 4/3, f = (5/3)^2 / ((1/3)^2/2 + (4/3)^2/2) = 50/17.
  const lvs::ConfidenceInterval unequal = welch({1, 2, 3}, {2, 4, 6});
  CHECK(unequal.mean == 2.0);
  CHECK(unequal.half_width == Approx(4.155399503182505939).epsilon(1e-10));  // t(0.975, 2.941...) sqrt(5/3)

  // One sample without spread: f = n_b - 1 = 2 and se^2 = s_b^2 / 3.
  const lvs::ConfidenceInterval one_flat = welch({5, 5, 5}, {1, 2, 3});
  CHECK(one_flat.mean == -3.0);
  CHECK(one_flat.half_width == Approx(2.484137711750331071).epsilon(1e-12));  // t(0.975, 2) sqrt(1/3)

  // Unequal sizes: a = 1 2 3 4 (s^2 = 5/3), b = 10 14 (s^2 = 8): se^2 = 5/12 + 4, f = 1.2148.
  const lvs::ConfidenceInterval sizes = welch({1, 2, 3, 4}, {10, 14});
  CHECK(sizes.mean == 9.5);
  CHECK(sizes.n == 2);
  CHECK(sizes.half_width == Approx(17.767091499243936).epsilon(1e-9));

  // Neither has spread: the half width is 0 (no interval to speak of), however far apart.
  const lvs::ConfidenceInterval flat = welch({2, 2}, {3, 3});
  CHECK(flat.mean == 1.0);
  CHECK(flat.half_width == 0.0);

  CHECK(std::isnan(welch({1}, {1, 2, 3}).half_width));
  CHECK_THROWS_AS(welch({1, 2}, {1, 2}, 1.0), std::invalid_argument);
}
