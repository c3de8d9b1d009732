#pragma once
// Turning sampled doubles into model quantities: durations (seconds -> Time) and message
// sizes (bytes, at least one).

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/distribution.hpp"
#include "core/time.hpp"

namespace lvs {

/// A duration drawn from `d` (in seconds); negative draws (a normal's tail) count as 0, and a
/// heavy tail's draws beyond kMaxSpan count as kMaxSpan (the clock must not overflow).
inline Time sample_duration(const Distribution& d, Rng& rng) {
  const double ns = std::clamp(d.sample(rng) * 1e9, 0.0, static_cast<double>(kMaxSpan.count()));
  return Time::ns(std::llround(ns));
}

/// A message size drawn from `d` (in bytes), rounded, at least 1 byte and at most 2 GiB.
inline std::uint32_t sample_bytes(const Distribution& d, Rng& rng) {
  return static_cast<std::uint32_t>(std::clamp(std::llround(d.sample(rng)), 1LL, 1LL << 31));
}

}  // namespace lvs
