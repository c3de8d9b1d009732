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

/// Running totals of the frames a switch offers to a group of ports at once (Segment's lazy
/// broadcast delivery, docs/arp.md): each was accepted by an idle-equivalent queue, and
/// every follower's busy_until equals `busy_until` after it.
struct TxFeed {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  Time busy{};
  Time busy_until{};
};

class TxQueue {
 public:
  explicit TxQueue(TxParams params = {}) : params_(params) {}

  /// Enqueues a frame at `now`: returns when its last bit reaches the far end, or
  /// nothing if the backlog plus the frame would exceed the queue limit (tail drop).
  /// Inline: every hop calls it, and its result then stays in registers.
  std::optional<Time> enqueue(Time now, std::uint32_t frame_bytes, std::uint32_t wire_bytes) {
    settle();
    if (over_limit(now, wire_bytes)) [[unlikely]] {
      ++stats_.drops;
      return std::nullopt;
    }
    const Time ser = serialisation_cached(wire_bytes);
    busy_until_ = (now > busy_until_ ? now : busy_until_) + ser;
    stats_.busy += ser;
    ++stats_.packets;
    stats_.bytes += frame_bytes;
    return busy_until_ + params_.delay;
  }
  /// Time to put `wire_bytes` on the line, rounded up to whole nanoseconds.
  Time serialisation(std::uint32_t wire_bytes) const;
  /// Bytes waiting or being sent at `now`.
  std::uint64_t backlog_bytes(Time now) const;
  /// Fraction of [0, now] spent serialising (counts work already committed up to now).
  double utilization(Time now) const;

  /// When the last committed frame leaves the queue.
  Time busy_until() const {
    settle();
    return busy_until_;
  }
  /// Follows `feed` from now on (nullptr: stops, after catching up): every frame added to it
  /// counts as enqueued here. The caller guarantees this queue's busy_until equals the feed's
  /// after each such frame (Segment's cohort of equal ports).
  void follow(const TxFeed* feed);

  const TxParams& params() const { return params_; }
  const TxStats& stats() const {
    settle();
    return stats_;
  }

 private:
  /// serialisation(wire_bytes), remembered for the last two sizes asked: a port's frames
  /// come in few sizes (a full segment, a bare ACK, often alternating), so most frames skip
  /// the 64-bit division (docs/hot-path.md).
  Time serialisation_cached(std::uint32_t wire_bytes) {
    if (wire_bytes == recent_[0].wire_bytes) return recent_[0].time;
    if (wire_bytes == recent_[1].wire_bytes) return recent_[1].time;
    return serialisation_slow(wire_bytes);
  }
  /// Computes serialisation(wire_bytes) and remembers it as the most recent size.
  [[gnu::noinline]] Time serialisation_slow(std::uint32_t wire_bytes);
  /// True when the backlog at `now` plus `wire_bytes` exceeds the queue limit:
  /// backlog_bytes(now) + wire_bytes > limit, without backlog_bytes()'s 128-bit division.
  /// With X = ns x rate_bps and D = 8e9, floor(X / D) + w > L holds exactly when w > L,
  /// or else when X >= (L - w + 1) x D (docs/hot-path.md). Both sides fit in 128 bits.
  bool over_limit(Time now, std::uint32_t wire_bytes) const {
    if (wire_bytes > params_.queue_limit_bytes) [[unlikely]] return true;
    if (busy_until_ <= now) return false;
    __extension__ using u128 = unsigned __int128;
    const auto ns = static_cast<std::uint64_t>((busy_until_ - now).count());
    return u128{ns} * params_.rate_bps >= (u128{params_.queue_limit_bytes} - wire_bytes + 1) * 8'000'000'000;
  }

  /// Catches up with the followed feed (lazy: reads and enqueue call it).
  void settle() const {
    if (feed_ != nullptr && feed_->packets != seen_packets_) [[unlikely]] catch_up();
  }
  void catch_up() const;

  /// A size and its serialisation time.
  struct Remembered {
    std::uint32_t wire_bytes = 0;  // serialisation(0) is 0 ns: the initial pairs are true
    Time time{};
  };

  // What enqueue() reads comes first; the feed's totals, read only on a catch-up, last.
  TxParams params_;
  mutable Time busy_until_{};
  const TxFeed* feed_ = nullptr;
  mutable std::uint64_t seen_packets_ = 0;  // the feed's totals already counted here
  Remembered recent_[2];                    // [0] the most recently computed
  mutable TxStats stats_;
  mutable std::uint64_t seen_bytes_ = 0;
  mutable Time seen_busy_{};
};

}  // namespace lvs
