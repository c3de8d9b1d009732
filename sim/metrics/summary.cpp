#include "metrics/summary.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "metrics/numbers.hpp"

namespace lvs {

// Welford's update: with d = x - mean_old, mean_new = mean_old + d/n and
// M2_new = M2_old + d (x - mean_new). Both terms stay of the size of the spread,
// not of the values, which is what keeps the variance stable.
void Summary::add(double x) {
  if (n_ == 0) shift_ = x;
  ++n_;
  const double y = x - shift_;
  const double d = y - mean_;
  mean_ += d / static_cast<double>(n_);
  m2_ += d * (y - mean_);
  min_ = n_ == 1 ? x : std::min(min_, x);
  max_ = n_ == 1 ? x : std::max(max_, x);
  add_to_sum(x);
}

// Chan, Golub and LeVeque's pairwise combination of (n_a, mean_a, M2_a) and
// (n_b, mean_b, M2_b), with delta = mean_b - mean_a and n = n_a + n_b:
//   mean = mean_a + delta n_b / n,   M2 = M2_a + M2_b + delta^2 n_a n_b / n.
// The means are of shifted values, so delta = (K_b - K_a) + (mean_b - mean_a).
void Summary::merge(const Summary& other) {
  const Summary b = other;  // a copy, so that s.merge(s) is well defined
  if (b.n_ == 0) return;
  if (n_ == 0) {
    *this = b;
    return;
  }
  const double na = static_cast<double>(n_);
  const double nb = static_cast<double>(b.n_);
  const double n = na + nb;
  const double delta = (b.shift_ - shift_) + (b.mean_ - mean_);
  mean_ += delta * (nb / n);
  m2_ += b.m2_ + delta * delta * (na * nb / n);
  n_ += b.n_;
  min_ = std::min(min_, b.min_);
  max_ = std::max(max_, b.max_);
  add_to_sum(b.sum_);
  sum_error_ += b.sum_error_;
}

double Summary::mean() const { return n_ == 0 ? kNaN : shift_ + mean_; }

double Summary::variance() const {
  if (n_ < 2) return 0;
  return std::max(0.0, m2_ / static_cast<double>(n_ - 1));
}

double Summary::stddev() const { return std::sqrt(variance()); }

double Summary::min() const { return n_ == 0 ? kNaN : min_; }

double Summary::max() const { return n_ == 0 ? kNaN : max_; }

// Neumaier's variant of Kahan summation: the rounding error of each addition is
// recovered exactly from whichever operand is larger and kept apart.
void Summary::add_to_sum(double x) {
  const double t = sum_ + x;
  if (std::fabs(sum_) >= std::fabs(x))
    sum_error_ += (sum_ - t) + x;
  else
    sum_error_ += (x - t) + sum_;
  sum_ = t;
}

Summary summary_of(std::span<const double> values) {
  Summary s;
  for (double x : values) s.add(x);
  return s;
}

TimeWeighted::TimeWeighted(Time start, double initial)
    : start_(start), last_(start), value_(initial), max_(initial) {
  if (!std::isfinite(initial))
    throw std::invalid_argument("TimeWeighted: initial value must be finite, got " + std::to_string(initial));
}

void TimeWeighted::set(Time now, double value) {
  if (!std::isfinite(value))
    throw std::invalid_argument("TimeWeighted::set: value must be finite, got " + std::to_string(value));
  integral_ns_ = integral_ns_through(now);  // checks that time does not go backwards
  last_ = now;
  value_ = value;
  max_ = std::max(max_, value);
}

long double TimeWeighted::integral_ns_through(Time now) const {
  if (now < last_)
    throw std::invalid_argument("TimeWeighted: time went backwards, from " + to_string(last_) + " to " +
                                to_string(now));
  const auto span_ns = static_cast<long double>((now - last_).count());
  return integral_ns_ + static_cast<long double>(value_) * span_ns;
}

double TimeWeighted::integral(Time now) const {
  return static_cast<double>(integral_ns_through(now) / 1e9L);
}

double TimeWeighted::mean(Time now) const {
  const long double integral_ns = integral_ns_through(now);
  const std::int64_t elapsed_ns = (now - start_).count();
  if (elapsed_ns == 0) return value_;
  return static_cast<double>(integral_ns / static_cast<long double>(elapsed_ns));
}

}  // namespace lvs
