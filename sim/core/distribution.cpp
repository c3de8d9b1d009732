#include "core/distribution.hpp"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <limits>
#include <stdexcept>

namespace lvs {

namespace {

/// The shortest decimal that reads back as `x`: plain between 1e-5 and 1e16 ("0.001",
/// "1000000"), else whatever is shortest ("1e+300"); "inf", "nan".
std::string format_number(double x) {
  char buffer[64];
  const double magnitude = std::abs(x);
  const bool plain = magnitude == 0 || (magnitude >= 1e-5 && magnitude < 1e16);
  const auto result = plain ? std::to_chars(buffer, buffer + sizeof buffer, x, std::chars_format::fixed)
                            : std::to_chars(buffer, buffer + sizeof buffer, x);
  return std::string(buffer, result.ptr);
}

/// Throws std::invalid_argument "<where>: <what> (got <got>)" unless `ok`.
void check(bool ok, std::string_view where, std::string_view what, std::string_view got) {
  if (ok) return;
  std::string message(where);
  message.append(": ").append(what).append(" (got ").append(got).append(")");
  throw std::invalid_argument(message);
}

void check(bool ok, std::string_view where, std::string_view what, double got) {
  if (!ok) check(false, where, what, format_number(got));
}

void check_finite(std::string_view where, const std::string& name, double x) {
  check(std::isfinite(x), where, name + " must be finite", x);
}

// The ordered comparison comes first, so NaN is reported as not "> 0" / ">= 0".
void check_positive(std::string_view where, const std::string& name, double x) {
  check(x > 0, where, name + " must be > 0", x);
  check_finite(where, name, x);
}

void check_non_negative(std::string_view where, const std::string& name, double x) {
  check(x >= 0, where, name + " must be >= 0", x);
  check_finite(where, name, x);
}

// Zipf by rejection-inversion, after Hörmann and Derflinger, "Rejection-inversion to
// generate variates from monotone discrete distributions", ACM TOMACS 6(3), 1996.
// h(x) = x^-s is the unnormalised mass; H(x) = ∫_1^x h = (x^(1-s) - 1) / (1 - s), or
// log x when s = 1. Both H and its inverse are written through (e^t - 1)/t and
// log(1 + t)/t so that they stay accurate for s near 1.
double zipf_h(double x, double s) { return std::exp(-s * std::log(x)); }

double expm1_over(double t) { return t == 0 ? 1.0 : std::expm1(t) / t; }
double log1p_over(double t) { return t == 0 ? 1.0 : std::log1p(t) / t; }

double zipf_big_h(double x, double s) {
  const double log_x = std::log(x);
  return log_x * expm1_over((1 - s) * log_x);
}

// t >= -1 on the sampled range; rounding can push it just below, where the rank is
// the last one (x = +infinity, clamped to n by the caller).
double zipf_big_h_inverse(double y, double s) {
  const double t = std::max((1 - s) * y, -1.0);
  return std::exp(y * log1p_over(t));
}

struct Moments {
  double mean = 0;
  double variance = 0;
};

// Weighted mean and variance in one pass (West, "Updating mean and variance estimates:
// an improved method", CACM 22(9), 1979): no cancellation even when the variance is tiny
// next to the squared mean. Ranks are visited from n down, smallest weights first.
Moments zipf_moments(std::int64_t n, double s) {
  double total = 0;
  Moments m;
  double sum_squares = 0;
  for (std::int64_t k = n; k >= 1; --k) {
    const auto x = static_cast<double>(k);
    const double w = std::pow(x, -s);
    if (w == 0) continue;  // underflow for huge s: no mass to add
    total += w;
    const double delta = x - m.mean;
    m.mean += delta * w / total;
    sum_squares += w * delta * (x - m.mean);
  }
  m.variance = sum_squares / total;
  return m;
}

// Points of the piecewise-linear CDF: an atom of mass p[0] at v[0], then mass
// p[i] - p[i-1] spread uniformly on [v[i-1], v[i]]. Central moments, so no cancellation.
Moments cdf_moments(const std::vector<double>& v, const std::vector<double>& p) {
  Moments m;
  m.mean = p[0] * v[0];
  for (std::size_t i = 1; i < v.size(); ++i) m.mean += (p[i] - p[i - 1]) * (v[i - 1] + v[i]) / 2;
  m.variance = p[0] * (v[0] - m.mean) * (v[0] - m.mean);
  for (std::size_t i = 1; i < v.size(); ++i) {
    const double a = v[i - 1] - m.mean;
    const double b = v[i] - m.mean;
    m.variance += (p[i] - p[i - 1]) * (a * a + a * b + b * b) / 3;
  }
  return m;
}

/// "(v0, v1, ...)" for up to 8 values, else a count and the range.
std::string describe_values(const std::vector<double>& values, std::string_view noun) {
  if (values.size() > 8) {
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    return std::to_string(values.size()) + " " + std::string(noun) + ", min=" + format_number(*lo) +
           ", max=" + format_number(*hi);
  }
  std::string text;
  for (double x : values) text += (text.empty() ? "" : ", ") + format_number(x);
  return text;
}

}  // namespace

Distribution Distribution::constant(double value) {
  check_finite("constant", "value", value);
  Distribution d(Kind::Constant, value, 0);
  d.mean_ = value;
  return d;
}

Distribution Distribution::exponential(double mean) {
  check_positive("exponential", "mean", mean);
  Distribution d(Kind::Exponential, mean, 0);
  d.mean_ = mean;
  d.variance_ = mean * mean;
  return d;
}

Distribution Distribution::uniform(double low, double high) {
  check_finite("uniform", "low", low);
  check_finite("uniform", "high", high);
  const std::string got = "low=" + format_number(low) + ", high=" + format_number(high);
  check(low < high, "uniform", "high must be > low", got);
  check(std::isfinite(high - low), "uniform", "high - low must be finite", got);
  Distribution d(Kind::Uniform, low, high);
  d.mean_ = low + (high - low) / 2;
  d.variance_ = (high - low) * (high - low) / 12;
  return d;
}

Distribution Distribution::normal(double mean, double stddev) {
  check_finite("normal", "mean", mean);
  check_non_negative("normal", "stddev", stddev);
  Distribution d(Kind::Normal, mean, stddev);
  d.mean_ = mean;
  d.variance_ = stddev * stddev;
  return d;
}

Distribution Distribution::lognormal(double mu, double sigma) {
  check_finite("lognormal", "mu", mu);
  check_non_negative("lognormal", "sigma", sigma);
  Distribution d(Kind::Lognormal, mu, sigma);
  const double sigma2 = sigma * sigma;
  d.mean_ = std::exp(mu + sigma2 / 2);
  d.variance_ = std::expm1(sigma2) * std::exp(2 * mu + sigma2);
  return d;
}

// If log X ~ N(mu, sigma^2), then E[X] = e^(mu + sigma^2/2) and
// Var[X] / E[X]^2 = e^(sigma^2) - 1; solved for mu and sigma.
Distribution Distribution::lognormal_from_mean_stddev(double mean, double stddev) {
  constexpr std::string_view where = "lognormal_from_mean_stddev";
  check_positive(where, "mean", mean);
  check_non_negative(where, "stddev", stddev);
  const double cv = stddev / mean;
  const double sigma2 = std::log1p(cv * cv);
  check(std::isfinite(sigma2), where, "stddev / mean must be below 1e154", cv);
  return lognormal(std::log(mean) - sigma2 / 2, std::sqrt(sigma2));
}

Distribution Distribution::pareto(double scale, double shape) {
  check_positive("pareto", "scale", scale);
  check_positive("pareto", "shape", shape);
  Distribution d(Kind::Pareto, scale, shape);
  d.c_ = -1 / shape;  // inverse CDF: x = scale * u^(-1/shape), u uniform on (0, 1]
  constexpr double inf = std::numeric_limits<double>::infinity();
  d.mean_ = shape > 1 ? shape * scale / (shape - 1) : inf;
  d.variance_ = shape > 2 ? scale * scale * shape / ((shape - 1) * (shape - 1) * (shape - 2)) : inf;
  return d;
}

Distribution Distribution::zipf(std::int64_t n, double s) {
  check(n >= 1, "zipf", "n must be >= 1", std::to_string(n));
  check(n <= zipf_max_n, "zipf", "n must be <= " + std::to_string(zipf_max_n), std::to_string(n));
  check_non_negative("zipf", "s", s);
  Distribution d(Kind::Zipf, static_cast<double>(n), s);
  // u is drawn on (H(3/2) - h(1), H(n + 1/2)]; see sample_zipf.
  d.c_ = zipf_big_h(1.5, s) - 1;
  d.d_ = zipf_big_h(static_cast<double>(n) + 0.5, s);
  // Squeeze from the paper: x >= k - e_ lies in k's acceptance interval for every k >= 2
  // (the rejected part of [k - 1/2, k + 1/2] shrinks as k grows; widest at k = 2).
  d.e_ = 2 - zipf_big_h_inverse(zipf_big_h(2.5, s) - zipf_h(2, s), s);
  const Moments m = zipf_moments(n, s);
  d.mean_ = m.mean;
  d.variance_ = m.variance;
  return d;
}

Distribution Distribution::empirical_samples(std::vector<double> samples) {
  check(!samples.empty(), "empirical_samples", "needs at least 1 sample", "0");
  for (std::size_t i = 0; i < samples.size(); ++i)
    check_finite("empirical_samples", "samples[" + std::to_string(i) + "]", samples[i]);
  Distribution d(Kind::EmpiricalSamples, 0, 0);
  // Every sample has mass 1/N: the mean and variance are the population ones (divide by N).
  const auto count = static_cast<double>(samples.size());
  for (double x : samples) d.mean_ += x / count;
  for (double x : samples) d.variance_ += (x - d.mean_) * (x - d.mean_) / count;
  d.values_ = std::make_shared<const std::vector<double>>(std::move(samples));
  return d;
}

Distribution Distribution::empirical_cdf(std::vector<std::pair<double, double>> points) {
  constexpr std::string_view where = "empirical_cdf";
  check(!points.empty(), where, "needs at least 1 point", "0");
  std::vector<double> values;
  std::vector<double> probs;
  for (const auto& [value, prob] : points) {
    const std::string name = "points[" + std::to_string(values.size()) + "]";
    check_finite(where, name + " value", value);
    check(prob >= 0 && prob <= 1, where, name + " probability must be in [0, 1]", prob);
    if (!values.empty()) {
      check(value >= values.back(), where, name + " value must be >= " + format_number(values.back()), value);
      check(prob >= probs.back(), where, name + " probability must be >= " + format_number(probs.back()), prob);
    }
    values.push_back(value);
    probs.push_back(prob);
  }
  check(probs.back() == 1, where, "the last probability must be exactly 1", probs.back());
  Distribution d(Kind::EmpiricalCdf, 0, 0);
  const Moments m = cdf_moments(values, probs);
  d.mean_ = m.mean;
  d.variance_ = m.variance;
  d.values_ = std::make_shared<const std::vector<double>>(std::move(values));
  d.probs_ = std::make_shared<const std::vector<double>>(std::move(probs));
  return d;
}

// Rejection-inversion (see zipf_h above). x = H^-1(u) falls in [k - 1/2, k + 1/2) for
// k = round(x); the draw is kept when u >= H(k + 1/2) - h(k), an interval of length
// exactly h(k), so P(k) is proportional to h(k). Rank 1's interval starts at the lower
// end of u's range, so rank 1 is never rejected. s = 0 is plain uniform: one draw.
// Otherwise one uniform01 draw per attempt; the expected number of attempts is small and
// bounded over all n and s (the paper's analysis).
double Distribution::sample_zipf(Rng& rng) const {
  const double n = a_;
  const double s = b_;
  if (s == 0) return static_cast<double>(rng.below(static_cast<std::uint64_t>(n)) + 1);
  for (;;) {
    const double u = d_ + rng.uniform01() * (c_ - d_);
    const double x = zipf_big_h_inverse(u, s);
    double k = std::floor(x + 0.5);
    if (!(k >= 1)) k = 1;  // also catches NaN
    if (k > n) k = n;
    if (k - x <= e_ || u >= zipf_big_h(k + 0.5, s) - zipf_h(k, s)) return k;
  }
}

// Inverts the piecewise-linear CDF: the first point with probability > u bounds the
// segment (there is one, as u < 1 = the last probability); zero-mass segments are never
// chosen and vertical steps (equal values) are atoms.
double Distribution::sample_cdf(Rng& rng) const {
  const std::vector<double>& p = *probs_;
  const std::vector<double>& v = *values_;
  const double u = rng.uniform01();
  const auto i = static_cast<std::size_t>(std::upper_bound(p.begin(), p.end(), u) - p.begin());
  if (i == 0) return v[0];  // u < p[0]: the atom at the first value
  const double fraction = (u - p[i - 1]) / (p[i] - p[i - 1]);
  return std::min(v[i - 1] + (v[i] - v[i - 1]) * fraction, v[i]);
}

std::string_view Distribution::kind_name(Kind kind) {
  switch (kind) {
    case Kind::Constant: return "constant";
    case Kind::Exponential: return "exponential";
    case Kind::Uniform: return "uniform";
    case Kind::Normal: return "normal";
    case Kind::Lognormal: return "lognormal";
    case Kind::Pareto: return "pareto";
    case Kind::Zipf: return "zipf";
    case Kind::EmpiricalSamples: return "empirical_samples";
    case Kind::EmpiricalCdf: return "empirical_cdf";
  }
  return "unknown";
}

std::string Distribution::describe() const {
  const auto pair = [this](std::string_view first, std::string_view second) {
    return std::string(first) + "=" + format_number(a_) + ", " + std::string(second) + "=" + format_number(b_);
  };
  std::string args;
  switch (kind_) {
    case Kind::Constant: args = "value=" + format_number(a_); break;
    case Kind::Exponential: args = "mean=" + format_number(a_); break;
    case Kind::Uniform: args = pair("low", "high"); break;
    case Kind::Normal: args = pair("mean", "stddev"); break;
    case Kind::Lognormal: args = pair("mu", "sigma"); break;
    case Kind::Pareto: args = pair("scale", "shape"); break;
    case Kind::Zipf: args = pair("n", "s"); break;
    case Kind::EmpiricalSamples: args = describe_values(*values_, "samples"); break;
    case Kind::EmpiricalCdf: {
      if (values_->size() > 8) {
        args = std::to_string(values_->size()) + " points, from " + format_number(values_->front()) + " to " +
               format_number(values_->back());
        break;
      }
      for (std::size_t i = 0; i < values_->size(); ++i)
        args += (i == 0 ? "(" : ", (") + format_number((*values_)[i]) + ", " + format_number((*probs_)[i]) + ")";
      break;
    }
  }
  return std::string(kind_name(kind_)) + "(" + args + ")";
}

}  // namespace lvs
