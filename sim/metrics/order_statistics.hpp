#pragma once
// Every sample kept, so that quantiles are exact order statistics.
//
// Definition. For 0 <= p <= 1 and n samples sorted as x(1) <= ... <= x(n), the
// p-quantile is x(k) with k = max(1, ceil(p n)): the nearest-rank quantile, the inverse
// of the empirical distribution function, definition 1 of Hyndman and Fan ("Sample
// quantiles in statistical packages", The American Statistician 50(4), 1996, 361-365).
// It is always one of the samples: p = 0 gives the minimum, p = 1 the maximum, and the
// p99 of 1000 latencies is the 990th smallest.
//
// p n is computed in floating point, where 0.07 x 100 is 7.000000000000001; a product
// within 4 units in the last place above a whole number is taken as that number, so the
// rank is the one the decimal p means (7, not 8).
//
// Storage is 8 bytes a sample in one vector (amortised growth; merge() grows it once).
// quantile() is O(1) once sort() has run, O(n) on a copy before (nth_element).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace lvs {

/// The nearest rank k = max(1, ceil(p n)) in 1..n (see above). Throws
/// std::invalid_argument unless 0 <= p <= 1 and n >= 1.
std::uint64_t nearest_rank(double p, std::uint64_t n);

/// All samples of a quantity (any unit, e.g. seconds), for exact quantiles.
class OrderStatistics {
 public:
  /// Makes room for `n` samples in all, so that the next add()s do not reallocate.
  void reserve(std::size_t n) { values_.reserve(n); }
  /// Keeps `x`. Throws std::invalid_argument, naming the value, if `x` is NaN.
  void add(double x);
  /// Keeps all of `other`'s samples too (after these); sorted stays sorted.
  void merge(const OrderStatistics& other);
  /// Sorts the samples, so that quantile() is O(1) from now on.
  void sort();

  /// The number of samples.
  std::size_t count() const { return values_.size(); }
  /// True when the samples are in increasing order (always after sort()).
  bool sorted() const { return sorted_; }
  /// The samples, in the order added (increasing after sort()).
  std::span<const double> values() const { return values_; }
  /// The nearest-rank p-quantile (unit of the samples), exact; NaN when empty.
  /// Throws std::invalid_argument unless 0 <= p <= 1.
  double quantile(double p) const;

 private:
  std::vector<double> values_;
  bool sorted_ = true;
};

}  // namespace lvs
