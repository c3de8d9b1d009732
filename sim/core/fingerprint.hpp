#pragma once
// A trajectory fingerprint: a running 64-bit hash of what happened in a run, for golden
// tests in the manner of OMNeT++'s fingerprints. Any unintended change in behaviour
// (an event at another time, one more or one fewer) changes it. Simulation feeds it the
// event times run-length encoded (docs/fingerprint.md).

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "core/rng.hpp"

namespace lvs {

class Fingerprint {
 public:
  /// Mixes one value into the hash; order matters.
  void mix(std::uint64_t v) { h_ = splitmix64_mix(h_ ^ v) + 0x9e3779b97f4a7c15ULL; }
  /// Mixes a string (its FNV-1a hash).
  void mix(std::string_view s) { mix(fnv1a64(s)); }
  /// The hash so far.
  std::uint64_t value() const { return h_; }
  /// The hash as 16 lowercase hex digits.
  std::string hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h_));
    return buf;
  }

 private:
  std::uint64_t h_ = 0x6c76736c61620000ULL;  // "lvslab"
};

}  // namespace lvs
