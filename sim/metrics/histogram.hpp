#pragma once
// A mergeable, log-bucketed histogram for latencies and sizes.
//
// Buckets. Every power of two [2^e, 2^(e+1)) is split into 64 equal sub-buckets,
// and the bucket of a positive normal double is read straight from its IEEE-754
// bits: the 11 exponent bits and the top 6 mantissa bits, i.e. bits >> 46. A
// bucket [L, L + w) therefore has w = 2^e / 64 <= L / 64.
//
// Accuracy guarantee. A bucket is reported by its midpoint clamped to the observed
// [min, max]. For any value x in the bucket, |midpoint - x| <= w / 2 <= x / 128, so
// every reported percentile is within 1/128 = 0.78125% (< 1%) of the exact one.
// Exact zero and subnormals (below 2.2e-308) share one zero bucket, reported as 0
// clamped to [min, max]; there the error is absolute, below 2.3e-308.
//
// Percentiles use the nearest-rank definition of OrderStatistics (nearest_rank():
// rank max(1, ceil(p n)), Hyndman and Fan's definition 1) and approximate what
// OrderStatistics::quantile() gives exactly. p = 0 gives the minimum and p = 1 the
// maximum, both exactly.
//
// Where each is used. A run's reported latency percentiles (the `lvslab run` summary and
// JSON, `lvslab compare`, the GUI's status line) are exact: RequestStats::latencies keeps
// every latency of the run's totals. The histogram serves where exact order statistics
// are not needed and a bounded size helps: the latency CDF the GUI draws
// (Histogram::cdf()) and the p50/p99 of each interval of the time series (run.cpp's
// Sampler, timeseries.csv and the live charts).
//
// Storage is a dense vector of counts over the range of buckets seen so far,
// widened (to whole powers of two) only when a new extreme arrives; otherwise
// record() does not allocate.

#include <cstdint>
#include <vector>

namespace lvs {

/// Counts of non-negative values (any unit, e.g. seconds or bytes) in log buckets.
class Histogram {
 public:
  /// One point of the empirical CDF: the fraction of samples below `value`.
  struct CdfPoint {
    /// Upper bound of a bucket, clamped to max() (unit of the samples).
    double value;
    /// Fraction of the samples in this bucket or below it, in (0, 1].
    double fraction;
  };

  /// Records `n` samples of value `v`. Throws std::invalid_argument, naming the
  /// value, if `v` is negative, NaN or infinite.
  void record(double v, std::uint64_t n = 1);
  /// Adds all samples of `other`; the result equals recording them here.
  void merge(const Histogram& other);
  /// Forgets all samples (and releases the bucket storage).
  void reset();

  /// The number of samples.
  std::uint64_t count() const { return count_; }
  /// The smallest sample, exact; NaN when empty.
  double min() const;
  /// The largest sample, exact; NaN when empty.
  double max() const;
  /// The mean of the samples, exact up to rounding (from a running sum); NaN when empty.
  double mean() const;
  /// The nearest-rank p-percentile, within 0.79% of the exact value (see above);
  /// NaN when empty. Throws std::invalid_argument unless 0 <= p <= 1.
  double percentile(double p) const;
  /// The empirical CDF, one point per non-empty bucket in increasing order (the
  /// zero bucket's bound is the smallest normal double, 2.2e-308); the last point
  /// is (max(), 1). Empty when there are no samples.
  std::vector<CdfPoint> cdf() const;

 private:
  std::uint64_t& slot(std::uint32_t key);
  void cover(std::uint32_t lo_key, std::uint32_t hi_key);
  double clamped(double v) const;
  double value_at_rank(std::uint64_t rank) const;

  std::vector<std::uint64_t> counts_;  // counts_[i] is bucket first_key_ + i
  std::uint32_t first_key_ = 0;
  std::uint64_t zero_count_ = 0;       // exact zeros and subnormals
  std::uint64_t count_ = 0;
  long double sum_ = 0;
  double min_ = 0;
  double max_ = 0;
};

}  // namespace lvs
