#pragma once
// Random variates for service times, think times, sizes and popularity.
//
// A Distribution is a small copyable value chosen by a static factory that checks its
// parameters. Sampling draws only through lvs::Rng and <cmath>, never through
// std::*_distribution (whose algorithms are implementation-defined), so a seed gives the
// same variates with any standard library. Each sample consumes a fixed, documented
// number of draws, except zipf, which rejects (see sample_zipf in distribution.cpp).
// mean() and variance() are analytic, computed once by the factory.

#include <cmath>
#include <cstdint>
#include <memory>
#include <numbers>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/rng.hpp"

namespace lvs {

class Distribution {
 public:
  /// The family of a distribution; kind_name() gives its factory name.
  enum class Kind { Constant, Exponential, Uniform, Normal, Lognormal, Pareto, Zipf, EmpiricalSamples, EmpiricalCdf };

  /// The largest n accepted by zipf(): its moments are summed term by term, O(n).
  static constexpr std::int64_t zipf_max_n = 10'000'000;

  /// constant(0), so that spec structs can hold a Distribution by value.
  Distribution() = default;

  /// Always `value` (finite); draws nothing.
  static Distribution constant(double value);
  /// Exponential with mean `mean` > 0 (same unit as the samples); one draw, inverse CDF.
  static Distribution exponential(double mean);
  /// Uniform on [low, high], low < high, both finite; one draw. `high` itself comes only
  /// from rounding low + (high - low) * u, with probability below ulp(high) / (high - low).
  static Distribution uniform(double low, double high);
  /// Normal with mean `mean` and standard deviation `stddev` >= 0; two draws (Box–Muller).
  static Distribution normal(double mean, double stddev);
  /// exp(N(mu, sigma^2)): mu and sigma >= 0 belong to the underlying normal (log units).
  static Distribution lognormal(double mu, double sigma);
  /// The lognormal whose own mean is `mean` > 0 and standard deviation is `stddev` >= 0.
  static Distribution lognormal_from_mean_stddev(double mean, double stddev);
  /// Pareto type I: x >= scale > 0, P(X > x) = (scale / x)^shape, shape > 0; one draw.
  static Distribution pareto(double scale, double shape);
  /// Zipf ranks 1..n (1 <= n <= zipf_max_n) with P(k) proportional to k^-s, s >= 0,
  /// as a double. O(1) per sample by rejection-inversion, no table; s = 0 is one below(n).
  static Distribution zipf(std::int64_t n, double s);
  /// Resamples `samples` (>= 1, all finite): each element with probability 1/N; one
  /// below(N) draw (which redraws with probability < N / 2^64).
  static Distribution empirical_samples(std::vector<double> samples);
  /// Inverts the piecewise-linear CDF through (value, cumulative probability) points; one
  /// draw. Values finite and non-decreasing; probabilities non-decreasing in [0, 1], the
  /// last exactly 1. A first probability p0 > 0 is an atom of mass p0 at the first value;
  /// two points with one value make an atom too.
  static Distribution empirical_cdf(std::vector<std::pair<double, double>> points);

  /// One variate; advances `rng` as documented per factory.
  double sample(Rng& rng) const;
  /// The analytic mean (+infinity where it does not exist).
  double mean() const { return mean_; }
  /// The analytic variance (+infinity where it does not exist).
  double variance() const { return variance_; }
  /// Factory name and parameters, e.g. "exponential(mean=0.001)".
  std::string describe() const;
  /// The family.
  Kind kind() const { return kind_; }
  /// The factory name of a kind, e.g. "empirical_cdf".
  static std::string_view kind_name(Kind kind);

 private:
  Distribution(Kind kind, double a, double b) : kind_(kind), a_(a), b_(b) {}
  static double standard_normal(Rng& rng);
  double sample_zipf(Rng& rng) const;
  double sample_cdf(Rng& rng) const;

  Kind kind_ = Kind::Constant;
  // Parameters as given to the factory, in its argument order (lognormal: mu, sigma;
  // zipf: n, s; tables: unused).
  double a_ = 0;
  double b_ = 0;
  // Derived once by the factory: pareto c_ = -1/shape; zipf c_ = H(1.5) - 1,
  // d_ = H(n + 1/2), e_ = the squeeze constant (see distribution.cpp).
  double c_ = 0;
  double d_ = 0;
  double e_ = 0;
  double mean_ = 0;
  double variance_ = 0;
  // Empirical kinds: the samples, or the CDF points' values and probabilities. Shared
  // and immutable, so copies are cheap and sampling allocates nothing.
  std::shared_ptr<const std::vector<double>> values_;
  std::shared_ptr<const std::vector<double>> probs_;
};

// Box–Muller (Box and Muller, 1958), cosine branch only: sample() is const, so the sine
// variate is not cached. Two separate statements fix the order of the two draws.
inline double Distribution::standard_normal(Rng& rng) {
  const double radius = std::sqrt(-2.0 * std::log(rng.uniform_pos01()));
  const double angle = 2.0 * std::numbers::pi * rng.uniform01();
  return radius * std::cos(angle);
}

inline double Distribution::sample(Rng& rng) const {
  switch (kind_) {
    case Kind::Constant: return a_;
    case Kind::Exponential: return -a_ * std::log(rng.uniform_pos01());
    case Kind::Uniform: return a_ + (b_ - a_) * rng.uniform01();
    case Kind::Normal: return a_ + b_ * standard_normal(rng);
    case Kind::Lognormal: return std::exp(a_ + b_ * standard_normal(rng));
    case Kind::Pareto: return a_ * std::pow(rng.uniform_pos01(), c_);
    case Kind::Zipf: return sample_zipf(rng);
    case Kind::EmpiricalSamples: return (*values_)[rng.below(values_->size())];
    case Kind::EmpiricalCdf: return sample_cdf(rng);
  }
  return a_;  // unreachable: every Kind is handled above
}

}  // namespace lvs
