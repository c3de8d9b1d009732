#pragma once
// Latency feedback for the latency-aware comparison schedulers (peak-ewma, lrt): a moving
// average of request latency per destination, and the per-destination state table that
// on_request_done (keyed by DestId) and the picks (by list index) both reach.
//
// The average is the EWMA of an unevenly spaced series (Eckner, "Algorithms for unevenly
// spaced time series", 2019), as Finagle's PeakEwma computes it: a sample arriving dt after
// the previous one enters with weight 1 - w, w = exp(-dt / tau). The first sample sets the
// average. In the "peak" form a sample above the average replaces it at once, so a latency
// spike is seen immediately and forgotten only over tau. Latencies are real-valued, so this
// average and the costs built on it are doubles (nanoseconds), unlike the integer
// connection loads of the IPVS schedulers.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/time.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

/// The time constant of the latency averages: Finagle's default decay time, 10 s.
inline constexpr Time latency_tau = Time::s(10);

/// A time-decayed moving average of one destination's request latency.
class LatencyEwma {
 public:
  /// Whether any sample has arrived yet.
  bool has_sample() const { return sampled_; }
  /// The average latency, ns; 0 before the first sample.
  double average_ns() const { return avg_ns_; }

  /// Plain EWMA: avg = avg * w + sample * (1 - w), w = exp(-dt / tau); latency >= 0.
  void add(Time latency, Time now) { update(latency, now, false); }
  /// Peak EWMA: a sample above the average replaces it, otherwise as add().
  void add_peak(Time latency, Time now) { update(latency, now, true); }

 private:
  void update(Time latency, Time now, bool peak) {
    const auto sample = static_cast<double>(latency.count());
    if (!sampled_ || (peak && sample > avg_ns_)) {
      avg_ns_ = sample;
    } else {
      const auto dt = static_cast<double>(std::max<std::int64_t>((now - stamp_).count(), 0));
      const double w = std::exp(-dt / static_cast<double>(latency_tau.count()));
      avg_ns_ = avg_ns_ * w + sample * (1.0 - w);
    }
    sampled_ = true;
    stamp_ = now;
  }

  double avg_ns_ = 0;
  Time stamp_{};
  bool sampled_ = false;
};

/// Per-destination state of type T in list order, with an id -> list index map kept by the
/// init/add/del hooks (O(N) there; O(1) lookups in on_request_done; no allocation per pick).
template <class T>
class PerDest {
 public:
  /// A fresh T for every destination of `dests`.
  void init(DestList dests) {
    state_.assign(dests.size(), T{});
    reindex(dests);
  }
  /// A fresh T for the destination just inserted at `index`.
  void add(DestList dests, std::size_t index) {
    state_.insert(state_.begin() + static_cast<std::ptrdiff_t>(index), T{});
    reindex(dests);
  }
  /// Drops the state of the destination unlinked from `index`.
  void del(DestList dests, std::size_t index) {
    state_.erase(state_.begin() + static_cast<std::ptrdiff_t>(index));
    reindex(dests);
  }
  /// The state of destination `id`, or nullptr if it is not in the list.
  T* find(DestId id) {
    const auto it = index_.find(id);
    return it == index_.end() ? nullptr : &state_[it->second];
  }
  /// The list index of destination `id`, or std::nullopt.
  std::optional<std::size_t> index_of(DestId id) const {
    const auto it = index_.find(id);
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }
  /// The state of the destination at list index `index`.
  const T& operator[](std::size_t index) const { return state_[index]; }
  /// The state of the destination at list index `index`.
  T& operator[](std::size_t index) { return state_[index]; }

 private:
  void reindex(DestList dests) {
    index_.clear();
    for (std::size_t i = 0; i < dests.size(); ++i) index_[dests[i].id] = i;
  }

  std::vector<T> state_;
  std::unordered_map<DestId, std::size_t> index_;
};

}  // namespace lvs
