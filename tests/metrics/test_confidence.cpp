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
