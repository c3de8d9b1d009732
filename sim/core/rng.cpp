#include "core/rng.hpp"

namespace lvs {

namespace {
__extension__ using u128 = unsigned __int128;  // GCC/Clang builtin; __extension__ keeps -Wpedantic quiet
}  // namespace

Rng::Rng(std::uint64_t seed) {
  std::uint64_t x = seed;
  for (auto& word : s_) {
    x += 0x9e3779b97f4a7c15ULL;  // SplitMix64's increment
    word = splitmix64_mix(x);
  }
}

std::uint64_t Rng::below(std::uint64_t n) {
  // Lemire, "Fast random integer generation in an interval", ACM TOMACS 2019.
  u128 m = static_cast<u128>((*this)()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<u128>((*this)()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

}  // namespace lvs
