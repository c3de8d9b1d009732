#include "metrics/order_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "metrics/numbers.hpp"

namespace lvs {

std::uint64_t nearest_rank(double p, std::uint64_t n) {
  if (!(p >= 0 && p <= 1)) throw std::invalid_argument("quantile: p must be in [0, 1], got " + shortest_decimal(p));
  if (n == 0) throw std::invalid_argument("quantile: no samples");
  const double product = p * static_cast<double>(n);
  const double whole = std::floor(product);
  const double rank = product - whole <= 4 * kEpsilon * whole ? whole : whole + 1;  // the subtraction is exact
  if (rank < 1) return 1;
  if (rank >= static_cast<double>(n)) return n;
  return static_cast<std::uint64_t>(rank);
}

void OrderStatistics::add(double x) {
  if (std::isnan(x)) throw std::invalid_argument("OrderStatistics::add: value must not be NaN");
  if (!values_.empty() && x < values_.back()) sorted_ = false;
  values_.push_back(x);
}

void OrderStatistics::merge(const OrderStatistics& other) {
  if (&other == this) {
    const OrderStatistics copy = other;
    merge(copy);
    return;
  }
  const auto middle = static_cast<std::ptrdiff_t>(values_.size());
  values_.insert(values_.end(), other.values_.begin(), other.values_.end());
  if (sorted_ && other.sorted_)
    std::inplace_merge(values_.begin(), values_.begin() + middle, values_.end());
  else
    sorted_ = false;
}

void OrderStatistics::sort() {
  if (!sorted_) std::sort(values_.begin(), values_.end());
  sorted_ = true;
}

double OrderStatistics::quantile(double p) const {
  if (values_.empty()) {
    (void)nearest_rank(p, 1);  // checks p
    return kNaN;
  }
  const std::size_t k = nearest_rank(p, values_.size()) - 1;
  if (sorted_) return values_[k];
  std::vector<double> copy = values_;
  std::nth_element(copy.begin(), copy.begin() + static_cast<std::ptrdiff_t>(k), copy.end());
  return copy[k];
}

}  // namespace lvs
