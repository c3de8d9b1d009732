#pragma once
// Che's approximation of an LRU cache's hit ratio under independent requests (the IRM):
// a file stays cached for a characteristic time T after its last request, the same for every
// file, so file i (popularity p_i, size s_i) is in the cache with probability
// 1 - exp(-p_i T), and T is where the cached bytes fill the cache:
//   sum_i s_i (1 - exp(-p_i T)) = C,        hit ratio = sum_i p_i (1 - exp(-p_i T)).
// Sources: H. Che, Y. Tung, Z. Wang, "Hierarchical Web caching systems: modeling, design
// and experimental results", IEEE JSAC 20(7), 2002; C. Fricker, P. Robert, J. Roberts, "A
// versatile and accurate approximation for LRU cache performance", ITC 24, 2012 (why it is
// accurate for Zipf popularity). docs/storage.md.

#include <cstdint>
#include <vector>

namespace lvs::storage {

struct CheEstimate {
  double characteristic_time = 0;  ///< T, in requests (p_i are per request)
  double hit_ratio = 0;            ///< request hit ratio
};

/// Che's approximation for popularities `p` (summing to 1) and sizes `bytes` (same length)
/// in a cache of `capacity` bytes. If everything fits, T is infinite and the hit ratio 1
/// (characteristic_time is then the largest finite double). Throws std::invalid_argument on
/// mismatched or empty input.
CheEstimate che_lru(const std::vector<double>& p, const std::vector<double>& bytes, double capacity);

/// The popularities of ranks 1..n under Zipf's law with exponent s: p_k = k^-s / H(n, s).
std::vector<double> zipf_popularity(std::uint32_t n, double s);

}  // namespace lvs::storage
