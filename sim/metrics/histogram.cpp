#include "metrics/histogram.hpp"

#include "metrics/numbers.hpp"
#include "metrics/order_statistics.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

namespace lvs {

namespace {

// A bucket key is the top 17 bits of a positive double below the sign: 11 exponent
// bits and 6 mantissa bits. Keys grow with the value, so a dense vector indexed by
// key is sorted by value, and key + 1 is always the next bucket up (a carry out of
// the mantissa bits steps the exponent).
constexpr int kSubBucketBits = 6;
constexpr int kShift = 52 - kSubBucketBits;
constexpr std::uint32_t kSubBuckets = 1u << kSubBucketBits;
constexpr double kSmallestNormal = std::numeric_limits<double>::min();

std::uint32_t key_of(double v) { return static_cast<std::uint32_t>(std::bit_cast<std::uint64_t>(v) >> kShift); }

double lower_bound_of(std::uint32_t key) { return std::bit_cast<double>(std::uint64_t{key} << kShift); }

// L + w/2: the mantissa bit just below the bucket bits, so the midpoint is exact.
double midpoint_of(std::uint32_t key) {
  return std::bit_cast<double>((std::uint64_t{key} << kShift) | (std::uint64_t{1} << (kShift - 1)));
}

}  // namespace

void Histogram::record(double v, std::uint64_t n) {
  if (!(v >= 0) || !std::isfinite(v))
    throw std::invalid_argument("Histogram::record: value must be finite and non-negative, got " + shortest_decimal(v));
  if (n == 0) return;
  if (v == 0) v = 0.0;  // -0.0 becomes +0.0
  if (v < kSmallestNormal)
    zero_count_ += n;
  else
    slot(key_of(v)) += n;
  min_ = count_ == 0 ? v : std::min(min_, v);
  max_ = count_ == 0 ? v : std::max(max_, v);
  count_ += n;
  sum_ += static_cast<long double>(v) * static_cast<long double>(n);
}

void Histogram::merge(const Histogram& other) {
  if (&other == this) {
    const Histogram copy = other;
    merge(copy);
    return;
  }
  if (other.count_ == 0) return;
  if (!other.counts_.empty()) {
    const auto other_last = static_cast<std::uint32_t>(other.first_key_ + other.counts_.size() - 1);
    cover(other.first_key_, other_last);
    const std::size_t offset = other.first_key_ - first_key_;
    for (std::size_t i = 0; i < other.counts_.size(); ++i) counts_[offset + i] += other.counts_[i];
  }
  zero_count_ += other.zero_count_;
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = count_ == 0 ? other.max_ : std::max(max_, other.max_);
  count_ += other.count_;
  sum_ += other.sum_;
}

void Histogram::reset() { *this = Histogram{}; }

double Histogram::min() const { return count_ == 0 ? kNaN : min_; }

double Histogram::max() const { return count_ == 0 ? kNaN : max_; }

double Histogram::mean() const {
  return count_ == 0 ? kNaN : static_cast<double>(sum_ / static_cast<long double>(count_));
}

double Histogram::percentile(double p) const {
  if (!(p >= 0 && p <= 1))
    throw std::invalid_argument("Histogram::percentile: p must be in [0, 1], got " + shortest_decimal(p));
  if (count_ == 0) return kNaN;
  const std::uint64_t rank = nearest_rank(p, count_);
  if (rank == 1) return min_;
  if (rank == count_) return max_;
  return value_at_rank(rank);
}

std::vector<Histogram::CdfPoint> Histogram::cdf() const {
  std::vector<CdfPoint> points;
  if (count_ == 0) return points;
  const auto total = static_cast<double>(count_);
  std::uint64_t cumulative = zero_count_;
  if (zero_count_ > 0) points.push_back({std::min(kSmallestNormal, max_), static_cast<double>(cumulative) / total});
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    cumulative += counts_[i];
    const double upper = lower_bound_of(static_cast<std::uint32_t>(first_key_ + i + 1));
    points.push_back({std::min(upper, max_), static_cast<double>(cumulative) / total});
  }
  return points;
}

std::uint64_t& Histogram::slot(std::uint32_t key) {
  if (counts_.empty() || key < first_key_ || key - first_key_ >= counts_.size()) cover(key, key);
  return counts_[key - first_key_];
}

// Widens the dense range to include [lo_key, hi_key], rounded out to whole powers
// of two so that a slowly drifting extreme does not reallocate on every record.
void Histogram::cover(std::uint32_t lo_key, std::uint32_t hi_key) {
  if (!counts_.empty()) {
    lo_key = std::min(lo_key, first_key_);
    hi_key = std::max(hi_key, static_cast<std::uint32_t>(first_key_ + counts_.size() - 1));
  }
  const std::uint32_t new_first = lo_key / kSubBuckets * kSubBuckets;
  const std::uint32_t new_last = hi_key / kSubBuckets * kSubBuckets + (kSubBuckets - 1);
  const std::size_t new_size = new_last - new_first + 1;
  if (!counts_.empty() && new_first == first_key_ && new_size == counts_.size()) return;
  std::vector<std::uint64_t> widened(new_size, 0);
  if (!counts_.empty()) std::copy(counts_.begin(), counts_.end(), widened.begin() + (first_key_ - new_first));
  counts_ = std::move(widened);
  first_key_ = new_first;
}

double Histogram::clamped(double v) const { return std::clamp(v, min_, max_); }

double Histogram::value_at_rank(std::uint64_t rank) const {
  std::uint64_t cumulative = zero_count_;
  if (rank <= cumulative) return clamped(0.0);
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    cumulative += counts_[i];
    if (rank <= cumulative) return clamped(midpoint_of(static_cast<std::uint32_t>(first_key_ + i)));
  }
  return max_;  // unreachable: the counts add up to count_
}

}  // namespace lvs
