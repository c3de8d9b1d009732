// lvs::Rng: bit-exact outputs, stream independence and the uniform helpers.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/rng.hpp"

namespace {

using lvs::Rng;

std::vector<std::uint64_t> first_outputs(Rng rng, std::size_t count) {
  std::vector<std::uint64_t> out(count);
  for (auto& x : out) x = rng();
  return out;
}

/// Pearson correlation of `n` paired uniform01 draws from two generators.
double correlation(Rng a, Rng b, int n) {
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  for (int i = 0; i < n; ++i) {
    const double x = a.uniform01() - 0.5;  // centred: keeps the sums well conditioned
    const double y = b.uniform01() - 0.5;
    sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y;
  }
  const double cov = sxy / n - (sx / n) * (sy / n);
  const double vx = sxx / n - (sx / n) * (sx / n);
  const double vy = syy / n - (sy / n) * (sy / n);
  return cov / std::sqrt(vx * vy);
}

}  // namespace

// The expected values below were computed by an independent reference implementation in
// Python, written from the published definitions (SplitMix64: Steele, Lea and Flood 2014
// and Vigna's splitmix64.c; xoshiro256++: Blackman and Vigna 2021; FNV-1a 64-bit:
// Fowler, Noll and Vo), not by running the C++ code:
//
//   M = (1 << 64) - 1
//   def mix(z):
//       z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
//       z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
//       return z ^ (z >> 31)
//   def fnv1a(s):
//       h = 0xcbf29ce484222325
//       for c in s.encode(): h = ((h ^ c) * 0x100000001b3) & M
//       return h
//   def rotl(x, k): return ((x << k) | (x >> (64 - k))) & M
//   def xoshiro(seed):                    # state filled by SplitMix64 from seed
//       x, s = seed, []
//       for _ in range(4):
//           x = (x + 0x9e3779b97f4a7c15) & M
//           s.append(mix(x))
//       while True:
//           r = (rotl((s[0] + s[3]) & M, 23) + s[0]) & M
//           t = (s[1] << 17) & M
//           s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t
//           s[3] = rotl(s[3], 45)
//           yield r
//   stream seed of (1, "clients") = mix(mix(1) ^ fnv1a("clients"))
TEST_CASE("Rng: outputs match an independent reference bit for bit", "[rng]") {
  // Published test vectors of the building blocks.
  CHECK(lvs::fnv1a64("") == 0xcbf29ce484222325ULL);
  CHECK(lvs::fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
  CHECK(lvs::fnv1a64("foobar") == 0x85944171f73967e8ULL);
  CHECK(lvs::splitmix64_mix(0x9e3779b97f4a7c15ULL) == 0xe220a8397b1dcdafULL);  // SplitMix64(0), 1st
  CHECK(lvs::stream_seed(1, "clients") == 0x9aea93b316282170ULL);

  const std::vector<std::uint64_t> seed42 = {0xd0764d4f4476689fULL, 0x519e4174576f3791ULL, 0xfbe07cfb0c24ed8cULL,
                                             0xb37d9f600cd835b8ULL, 0xcb231c3874846a73ULL};
  CHECK(first_outputs(Rng(42), 5) == seed42);
  const std::vector<std::uint64_t> clients = {0xd7e2883eb4547f03ULL, 0xfa8f289ab118260aULL, 0xe68e1b9da4a7a6f9ULL,
                                              0x1d8abe471c9ad7a4ULL, 0x2ea94105507c26cdULL};
  CHECK(first_outputs(Rng(1, "clients"), 5) == clients);
}

TEST_CASE("Rng: same seed and name repeat, other seeds or names differ", "[rng]") {
  const auto a = first_outputs(Rng(7, "clients"), 100);
  CHECK(first_outputs(Rng(7, "clients"), 100) == a);
  CHECK(first_outputs(Rng(lvs::stream_seed(7, "clients")), 100) == a);
  CHECK(first_outputs(Rng(7, "client"), 100) != a);
  CHECK(first_outputs(Rng(7, "Clients"), 100) != a);
  CHECK(first_outputs(Rng(8, "clients"), 100) != a);
  CHECK(first_outputs(Rng(7), 100) != a);
  CHECK(first_outputs(Rng(7), 100) != first_outputs(Rng(8), 100));
}

TEST_CASE("Rng: adding a stream never shifts another", "[rng]") {
  Rng alone(3, "clients");
  std::vector<double> expected;
  for (int i = 0; i < 1000; ++i) expected.push_back(alone.uniform01());

  // The same stream, interleaved with streams created and drawn from in between.
  Rng clients(3, "clients");
  std::vector<double> got;
  for (int i = 0; i < 1000; ++i) {
    Rng server(3, "server" + std::to_string(i % 7));
    Rng scheduler(3, "scheduler");
    for (int j = 0; j < i % 5; ++j) server(), scheduler.below(10);
    got.push_back(clients.uniform01());
  }
  CHECK(got == expected);
}

TEST_CASE("Rng: streams are uncorrelated", "[rng]") {
  struct Pair {
    std::uint64_t seed_a;
    const char* name_a;
    std::uint64_t seed_b;
    const char* name_b;
  };
  const auto [seed_a, name_a, seed_b, name_b] = GENERATE(Pair{11, "a", 11, "b"}, Pair{11, "clients", 12, "clients"},
                                                         Pair{0, "clients", 1, "clients"});
  CAPTURE(seed_a, name_a, seed_b, name_b);
  constexpr int n = 1'000'000;
  // Under independence the sample correlation is about N(0, 1/n): 5/sqrt(n) is 5 sigma.
  CHECK(std::abs(correlation(Rng(seed_a, name_a), Rng(seed_b, name_b), n)) < 5 / std::sqrt(double{n}));
}

TEST_CASE("Rng: uniform01 is in [0, 1) and uniform_pos01 in (0, 1], on a 2^-53 grid", "[rng]") {
  Rng rng(5, "uniform");
  constexpr int n = 1'000'000;
  double sum = 0;
  int outside = 0;   // assertions per draw would dominate the run time: count, then check once
  int off_grid = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform01();
    const double v = rng.uniform_pos01();
    outside += !(u >= 0.0 && u < 1.0) + !(v > 0.0 && v <= 1.0);
    off_grid += (std::ldexp(u, 53) != std::floor(std::ldexp(u, 53))) + (std::ldexp(v, 53) != std::floor(std::ldexp(v, 53)));
    sum += u + v;
  }
  CHECK(outside == 0);
  CHECK(off_grid == 0);  // every value is exactly k / 2^53
  // Mean of U(0,1) is 1/2 with standard deviation sqrt(1/12); 2n draws, 5 sigma.
  CHECK(std::abs(sum / (2.0 * n) - 0.5) < 5 * std::sqrt(1.0 / 12 / (2.0 * n)));
}

TEST_CASE("Rng: below(n) stays below n and is uniform (chi-square)", "[rng]") {
  const std::uint64_t n = GENERATE(6, 10);
  // Chi-square 99.9% quantiles: 20.515 for 5 degrees of freedom, 27.877 for 9.
  const double critical = n == 6 ? 20.515 : 27.877;
  CAPTURE(n);
  Rng rng(9, "below");
  constexpr int draws = 1'000'000;
  std::vector<int> counts(n + 1, 0);  // the last slot catches out-of-range values
  for (int i = 0; i < draws; ++i) ++counts[std::min(rng.below(n), n)];
  CHECK(counts[n] == 0);
  const double expected = double{draws} / static_cast<double>(n);
  double chi2 = 0;
  for (std::uint64_t k = 0; k < n; ++k) chi2 += (counts[k] - expected) * (counts[k] - expected) / expected;
  CHECK(chi2 < critical);
}

TEST_CASE("Rng: below(n) edge cases", "[rng]") {
  Rng rng(13, "below-edges");
  const std::uint64_t big = (std::uint64_t{1} << 63) + 1;  // rejects almost half of all draws
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t three_quarters = 3 * (std::uint64_t{1} << 62);
  int wrong = 0;
  std::uint64_t max_big = 0;
  for (int i = 0; i < 10'000; ++i) {
    wrong += (rng.below(1) != 0) + (rng.below(2) >= 2) + (rng.below(max) >= max);
    wrong += rng.below(three_quarters) >= three_quarters;
    const std::uint64_t k = rng.below(big);
    wrong += k >= big;
    max_big = std::max(max_big, k);
  }
  CHECK(wrong == 0);
  CHECK(max_big > (std::uint64_t{1} << 62));  // the upper half of [0, 2^63] is reached
}
