#include "storage/che.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace lvs::storage {

namespace {

double cached_bytes(const std::vector<double>& p, const std::vector<double>& bytes, double t) {
  double sum = 0;
  for (std::size_t i = 0; i < p.size(); ++i) sum += bytes[i] * -std::expm1(-p[i] * t);
  return sum;
}

double hit_ratio(const std::vector<double>& p, double t) {
  double sum = 0;
  for (double pi : p) sum += pi * -std::expm1(-pi * t);
  return sum;
}

}  // namespace

CheEstimate che_lru(const std::vector<double>& p, const std::vector<double>& bytes, double capacity) {
  if (p.empty() || p.size() != bytes.size()) throw std::invalid_argument("che_lru: popularities and sizes differ");
  double total = 0;
  for (double b : bytes) total += b;
  if (capacity >= total) return {std::numeric_limits<double>::max(), 1.0};
  // cached_bytes grows with t from 0 towards the total: bracket the root, then bisect.
  double lo = 0, hi = 1;
  while (cached_bytes(p, bytes, hi) < capacity) hi *= 2;
  for (int k = 0; k < 200 && hi - lo > 1e-9 * hi; ++k) {
    const double mid = 0.5 * (lo + hi);
    (cached_bytes(p, bytes, mid) < capacity ? lo : hi) = mid;
  }
  const double t = 0.5 * (lo + hi);
  return {t, hit_ratio(p, t)};
}

std::vector<double> zipf_popularity(std::uint32_t n, double s) {
  if (n == 0) throw std::invalid_argument("zipf_popularity: no files");
  std::vector<double> p(n);
  double h = 0;
  for (std::uint32_t k = 1; k <= n; ++k) h += p[k - 1] = std::pow(static_cast<double>(k), -s);
  for (double& x : p) x /= h;
  return p;
}

}  // namespace lvs::storage
