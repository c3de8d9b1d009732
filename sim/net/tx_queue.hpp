#pragma once
// One direction of a link or switch port: a drop-tail FIFO in front of a serialiser.
//
// A FIFO needs no event per queued frame: when a frame is enqueued its departure is
// already known, max(now, busy_until) + serialisation time, and so is its arrival at
// the far end (+ propagation delay). The backlog in bytes at any instant follows from
// busy_until, so tail drop needs no list of queued frames either.

#include <cstdint>
#include <optional>

#include "core/time.hpp"

namespace lvs {

/// Static properties of one transmit direction.
struct TxParams {
  std::uint64_t rate_bps = 1'000'000'000;   ///< line rate, bits per second
  Time delay = Time::us(5);                 ///< propagation delay
  std::uint64_t queue_limit_bytes = 1'000'000;  ///< drop-tail limit on the backlog, bytes
};

/// Counters of one transmit direction.
struct TxStats {
  std::uint64_t packets = 0;  ///< frames sent
  std::uint64_t bytes = 0;    ///< frame bytes sent (FCS included, preamble and gap not)
  std::uint64_t drops = 0;    ///< frames dropped at the tail
  Time busy{};                ///< total serialisation time
};

class TxQueue {
 public:
  explicit TxQueue(TxParams params = {}) : params_(params) {}

  /// Enqueues a frame at `now`: returns when its last bit reaches the far end, or
  /// nothing if the backlog plus the frame would exceed the queue limit (tail drop).
  std::optional<Time> enqueue(Time now, std::uint32_t frame_bytes, std::uint32_t wire_bytes);
  /// Time to put `wire_bytes` on the line, rounded up to whole nanoseconds.
  Time serialisation(std::uint32_t wire_bytes) const;
  /// Bytes waiting or being sent at `now`.
  std::uint64_t backlog_bytes(Time now) const;
  /// Fraction of [0, now] spent serialising (counts work already committed up to now).
  double utilization(Time now) const;

  const TxParams& params() const { return params_; }
  const TxStats& stats() const { return stats_; }

 private:
  /// serialisation(wire_bytes), remembered for the last size asked.
  Time serialisation_cached(std::uint32_t wire_bytes);
  /// True when the backlog at `now` plus `wire_bytes` exceeds the queue limit.
  bool over_limit(Time now, std::uint32_t wire_bytes) const;

  TxParams params_;
  TxStats stats_;
  Time busy_until_{};
  std::uint32_t last_wire_bytes_ = 0;   // serialisation(0) is 0 ns: the initial pair is true
  Time last_serialisation_{};
};

}  // namespace lvs
