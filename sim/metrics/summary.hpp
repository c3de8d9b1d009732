#pragma once
// Running statistics that need no stored samples.
//
// Summary follows Welford ("Note on a method for calculating corrected sums of
// squares and products", Technometrics 4(3), 1962): it keeps the mean and the sum of
// squared deviations M2 instead of the raw sums, so the variance of values near 1e9
// with a spread of 1e-3 does not vanish into cancellation. Two summaries combine
// with the pairwise update of Chan, Golub and LeVeque ("Updating formulae and a
// pairwise algorithm for computing sample variances", 1979), so per-thread or
// per-replication summaries merge into the one a single pass would give. The
// running mean is kept of x - K, with K the first value (the shifted data of Chan,
// Golub and LeVeque, Am. Stat. 37(3), 1983): near 1e9 a double steps by 1.2e-7,
// so an unshifted mean would stop moving once the updates d/n fall below that.
//
// TimeWeighted averages a piecewise-constant quantity over simulated time.

#include <cstdint>
#include <span>

#include "core/time.hpp"

namespace lvs {

/// Count, mean, variance, extremes and sum of a stream of values (any unit).
class Summary {
 public:
  /// Adds one observation.
  void add(double x);
  /// Folds in another summary; the result equals adding its values one by one.
  void merge(const Summary& other);

  /// The number of observations.
  std::uint64_t count() const { return n_; }
  /// The arithmetic mean (unit of the values); NaN when empty.
  double mean() const;
  /// The sample variance with divisor n - 1 (unit squared); 0 when count() < 2.
  double variance() const;
  /// The sample standard deviation, sqrt(variance()) (unit of the values).
  double stddev() const;
  /// The smallest observation; NaN when empty.
  double min() const;
  /// The largest observation; NaN when empty.
  double max() const;
  /// The sum of the observations (compensated, Neumaier 1974).
  double sum() const { return sum_ + sum_error_; }

 private:
  void add_to_sum(double x);

  std::uint64_t n_ = 0;
  double shift_ = 0;      // K: the first value
  double mean_ = 0;       // running mean of x - K
  double m2_ = 0;         // sum of squared deviations from the running mean
  double min_ = 0;
  double max_ = 0;
  double sum_ = 0;        // plain sum ...
  double sum_error_ = 0;  // ... and the rounding it lost
};

/// The Summary of `values`, added in order (any unit).
Summary summary_of(std::span<const double> values);

/// The time average of a piecewise-constant quantity (queue length, busy workers,
/// utilisation): the value holds from the instant it is set until the next change.
///
/// The integral is accumulated as value x nanoseconds in long double (64-bit
/// significand on x86-64), so for integer-valued quantities it stays exact while
/// it is below 2^64, e.g. 1000 busy workers for 200 simulated days.
class TimeWeighted {
 public:
  /// Starts observing at `start` with the quantity at `initial`.
  explicit TimeWeighted(Time start, double initial = 0);

  /// The quantity becomes `value` at `now`. Throws std::invalid_argument if `now`
  /// is before the previous change or `value` is not finite.
  void set(Time now, double value);
  /// The quantity changes by `delta` at `now` (same checks as set()).
  void add(Time now, double delta) { set(now, value_ + delta); }

  /// The current value.
  double value() const { return value_; }
  /// The largest value held so far, including the initial one.
  double max() const { return max_; }
  /// The integral from start to `now`, in value x seconds; the current value
  /// counts up to `now`. Throws std::invalid_argument if `now` is before the last change.
  double integral(Time now) const;
  /// integral(now) divided by the time since start (unit of the value); the current
  /// value when no time has passed. Throws like integral().
  double mean(Time now) const;

 private:
  long double integral_ns_through(Time now) const;

  Time start_;
  Time last_;                   // time of the last change
  double value_;                // value since last_
  double max_;
  long double integral_ns_ = 0;  // value x ns from start_ to last_
};

}  // namespace lvs
