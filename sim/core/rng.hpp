#pragma once
// Named, independent random streams.
//
// Every component draws from its own stream, derived from (run seed, stable name),
// so adding a server or changing the scheduler never shifts the draws of another
// component (DESIGN.md, "Randomness"). The generator is xoshiro256++ (Blackman and
// Vigna, "Scrambled linear pseudorandom number generators", 2021), seeded through
// SplitMix64 as its authors recommend. Everything here is defined bit for bit, so a
// seed gives the same draws with any compiler or standard library (std::*_distribution
// is implementation-defined and is not used).

#include <cstdint>
#include <limits>
#include <string_view>

namespace lvs {

/// SplitMix64's output function: a bijective 64-bit mixer.
constexpr std::uint64_t splitmix64_mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// FNV-1a 64-bit hash of a name: stable across runs, platforms and releases.
constexpr std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

/// The seed of the stream called `name` in a run seeded with `run_seed`.
constexpr std::uint64_t stream_seed(std::uint64_t run_seed, std::string_view name) {
  return splitmix64_mix(splitmix64_mix(run_seed) ^ fnv1a64(name));
}

/// A xoshiro256++ generator; satisfies std::uniform_random_bit_generator.
class Rng {
 public:
  using result_type = std::uint64_t;

  /// A generator whose 256-bit state is filled from `seed` by SplitMix64.
  explicit Rng(std::uint64_t seed = 0);
  /// The stream called `name` of the run seeded with `run_seed`.
  Rng(std::uint64_t run_seed, std::string_view name) : Rng(stream_seed(run_seed, name)) {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  /// The next 64 random bits.
  result_type operator()() {
    const std::uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform on [0, 1), 53 random bits.
  double uniform01() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }
  /// Uniform on (0, 1]: safe to take the logarithm of.
  double uniform_pos01() { return static_cast<double>(((*this)() >> 11) + 1) * 0x1.0p-53; }
  /// Uniform integer in [0, n), without bias (Lemire's multiply-and-reject). n > 0.
  std::uint64_t below(std::uint64_t n);

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace lvs
