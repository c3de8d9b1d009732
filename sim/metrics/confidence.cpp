#include "metrics/confidence.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

#include "metrics/numbers.hpp"

namespace lvs {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

void check_df(double df) {
  if (!(df > 0) || !std::isfinite(df))
    throw std::invalid_argument("Student t: degrees of freedom must be positive and finite, got " +
                                std::to_string(df));
}

// ln Gamma(x) for x > 0. lgamma_r, not std::lgamma: std::lgamma writes the global
// signgam, a data race when replications are summarised on several threads.
double log_gamma(double x) {
  int sign = 0;
  return ::lgamma_r(x, &sign);
}

// lgamma(a + b) - lgamma(a). For large a both terms are huge and nearly equal
// (about 6e6 at df = 1e6), so subtracting them would lose nine digits; instead
// Stirling's series (A&S 6.1.41) is differenced term by term:
//   (a + b - 1/2) log1p(b/a) + b (ln a - 1) + s(a + b) - s(a),
//   s(x) = 1/(12x) - 1/(360x^3) + 1/(1260x^5) - 1/(1680x^7),
// whose truncation error is below 1e-19 for a >= 64.
double log_gamma_ratio(double a, double b) {
  if (a < 64) return log_gamma(a + b) - log_gamma(a);
  const auto s = [](double x) {
    const double r = 1 / (x * x);
    return (1.0 / 12 - r * (1.0 / 360 - r * (1.0 / 1260 - r / 1680))) / x;
  };
  return (a + b - 0.5) * std::log1p(b / a) + b * (std::log(a) - 1) + (s(a + b) - s(a));
}

// ln B(a, b) = ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b).
double log_beta(double a, double b) {
  const double small = std::min(a, b);
  const double large = std::max(a, b);
  return log_gamma(small) - log_gamma_ratio(large, small);
}

// The continued fraction of I_x(a, b) (A&S 26.5.8),
//   I_x(a, b) = x^a (1-x)^b / (a B(a, b)) * 1 / (1 + d1 / (1 + d2 / (1 + ...))),
//   d_{2m+1} = -(a+m)(a+b+m) x / ((a+2m)(a+2m+1)),  d_{2m} = m(b-m) x / ((a+2m-1)(a+2m)),
// returns the denominator 1 + d1 / (1 + ...), evaluated forwards by the modified
// Lentz method: f_j = f_{j-1} C_j D_j with C_j = 1 + d_j / C_{j-1} and
// D_j = 1 / (1 + d_j D_{j-1}), zeros nudged to `tiny`. It converges quickly for
// x < (a+1)/(a+b+2); callers use the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) otherwise.
double beta_continued_fraction(double x, double a, double b) {
  constexpr double tiny = 1e-300;
  constexpr int max_terms = 100'000;
  double f = 1;
  double c = 1;
  double d = 0;
  for (int j = 1; j <= max_terms; ++j) {
    const double m = j / 2;
    const double term = j % 2 == 1 ? -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
                                   : m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 + term * d;
    if (std::fabs(d) < tiny) d = tiny;
    d = 1 / d;
    c = 1 + term / c;
    if (std::fabs(c) < tiny) c = tiny;
    const double delta = c * d;
    f *= delta;
    if (std::fabs(delta - 1) <= 2 * kEpsilon) return f;
  }
  return f;  // not reached for the arguments the t distribution produces
}

// I_x(a, b), the regularized incomplete beta function, with y = 1 - x passed
// separately so that whichever of x and y is small keeps all its digits.
double regularized_beta(double x, double y, double a, double b) {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  if (x > (a + 1) / (a + b + 2)) return 1 - regularized_beta(y, x, b, a);
  const double log_x = x < 0.5 ? std::log(x) : std::log1p(-y);
  const double log_y = y < 0.5 ? std::log(y) : std::log1p(-x);
  const double log_front = a * log_x + b * log_y - log_beta(a, b) - std::log(a);
  return std::exp(log_front) / beta_continued_fraction(x, a, b);
}

// P(T > t) for t >= 0: half of P(|T| > t) = I_{v/(v+t^2)}(v/2, 1/2).
double upper_tail(double t, double df) {
  if (std::isinf(t)) return 0;
  const double t2 = t * t;
  const double x = df / (df + t2);
  const double y = t2 / (df + t2);
  return 0.5 * regularized_beta(x, y, df / 2, 0.5);
}

// The density Gamma((v+1)/2) / (sqrt(v pi) Gamma(v/2)) (1 + t^2/v)^(-(v+1)/2).
double density(double t, double df) {
  const double log_norm = log_gamma_ratio(df / 2, 0.5) - 0.5 * std::log(df * std::numbers::pi);
  return std::exp(log_norm - (df + 1) / 2 * std::log1p(t * t / df));
}

// The t >= 0 with P(T > t) = q, for 0 < q < 1/2. The tail is convex and decreasing
// on t >= 0, so Newton's step t + (tail(t) - q) / density(t) is well behaved; the
// bracket [lo, hi] (tail(lo) > q >= tail(hi)) catches any step that leaves it.
double upper_quantile(double q, double df) {
  double lo = 0;
  double hi = 1;
  while (upper_tail(hi, df) > q) {
    lo = hi;
    hi *= 2;
    if (std::isinf(hi)) return hi;
  }
  double t = lo + (hi - lo) / 2;
  for (int i = 0; i < 400; ++i) {
    const double excess = upper_tail(t, df) - q;
    if (excess == 0) return t;
    (excess > 0 ? lo : hi) = t;
    double next = t + excess / density(t, df);
    if (!(next > lo && next < hi)) next = lo + (hi - lo) / 2;
    const double tolerance = 4 * kEpsilon * std::max(1.0, next);
    if (std::fabs(next - t) <= tolerance || hi - lo <= tolerance) return next;
    t = next;
  }
  return t;
}

void check_level(const char* function, double level) {
  if (!(level > 0 && level < 1))
    throw std::invalid_argument(std::string(function) + ": level must be in (0, 1), got " + std::to_string(level));
}

}  // namespace

double student_t_cdf(double t, double df) {
  check_df(df);
  if (std::isnan(t)) return kNaN;
  const double tail = upper_tail(std::fabs(t), df);
  return t < 0 ? tail : 1 - tail;
}

double student_t_quantile(double p, double df) {
  check_df(df);
  if (!(p >= 0 && p <= 1))
    throw std::invalid_argument("student_t_quantile: p must be in [0, 1], got " + std::to_string(p));
  if (p == 0) return -kInf;
  if (p == 1) return kInf;
  if (p == 0.5) return 0;
  if (p < 0.5) return -upper_quantile(p, df);
  return upper_quantile(1 - p, df);  // exact: 1 - p for p in [0.5, 1] (Sterbenz)
}

ConfidenceInterval confidence_interval(const Summary& summary, double level) {
  check_level("confidence_interval", level);
  const std::uint64_t n = summary.count();
  double half_width = kNaN;
  if (n >= 2) {
    const double t = student_t_quantile((1 + level) / 2, static_cast<double>(n - 1));
    half_width = t * summary.stddev() / std::sqrt(static_cast<double>(n));
  }
  return {summary.mean(), half_width, static_cast<std::size_t>(n), level};
}

ConfidenceInterval confidence_interval(std::span<const double> samples, double level) {
  return confidence_interval(summary_of(samples), level);
}

ConfidenceInterval welch_interval(const Summary& a, const Summary& b, double level) {
  check_level("welch_interval", level);
  const std::uint64_t n = std::min(a.count(), b.count());
  const double mean = b.mean() - a.mean();
  double half_width = kNaN;
  if (n >= 2) {
    const double va = a.variance() / static_cast<double>(a.count());  // squared standard errors
    const double vb = b.variance() / static_cast<double>(b.count());
    const double se2 = va + vb;
    half_width = 0;
    if (se2 > 0) {  // f, from each sample's share of se2 (no squares to underflow)
      const double wa = va / se2;
      const double wb = vb / se2;
      const double df =
          1 / (wa * wa / static_cast<double>(a.count() - 1) + wb * wb / static_cast<double>(b.count() - 1));
      half_width = student_t_quantile((1 + level) / 2, df) * std::sqrt(se2);
    }
  }
  return {mean, half_width, static_cast<std::size_t>(n), level};
}

}  // namespace lvs
