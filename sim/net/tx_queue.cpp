#include "net/tx_queue.hpp"

#include <algorithm>

namespace lvs {

Time TxQueue::serialisation(std::uint32_t wire_bytes) const {
  const std::uint64_t bits = std::uint64_t{wire_bytes} * 8;
  return Time::ns(static_cast<std::int64_t>((bits * 1'000'000'000 + params_.rate_bps - 1) / params_.rate_bps));
}

// The last size's serialisation time, remembered: a flow's frames come in few sizes (a
// full segment, a bare ACK), so most frames skip the 64-bit division (docs/hot-path.md).
Time TxQueue::serialisation_cached(std::uint32_t wire_bytes) {
  if (wire_bytes != last_wire_bytes_) [[unlikely]] {
    last_wire_bytes_ = wire_bytes;
    last_serialisation_ = serialisation(wire_bytes);
  }
  return last_serialisation_;
}

std::uint64_t TxQueue::backlog_bytes(Time now) const {
  if (busy_until_ <= now) return 0;
  __extension__ using u128 = unsigned __int128;  // ns x bits/s overflows 64 bits
  const auto ns = static_cast<std::uint64_t>((busy_until_ - now).count());
  return static_cast<std::uint64_t>(u128{ns} * params_.rate_bps / 8'000'000'000);
}

// backlog_bytes(now) + wire_bytes > limit, without backlog_bytes()'s 128-bit division:
// with X = ns x rate_bps and D = 8e9, floor(X / D) + w > L holds exactly when w > L, or
// else when X >= (L - w + 1) x D (docs/hot-path.md). Both sides fit in 128 bits.
bool TxQueue::over_limit(Time now, std::uint32_t wire_bytes) const {
  if (wire_bytes > params_.queue_limit_bytes) return true;
  if (busy_until_ <= now) return false;
  __extension__ using u128 = unsigned __int128;
  const auto ns = static_cast<std::uint64_t>((busy_until_ - now).count());
  return u128{ns} * params_.rate_bps >= (u128{params_.queue_limit_bytes} - wire_bytes + 1) * 8'000'000'000;
}

std::optional<Time> TxQueue::enqueue(Time now, std::uint32_t frame_bytes, std::uint32_t wire_bytes) {
  if (over_limit(now, wire_bytes)) [[unlikely]] {
    ++stats_.drops;
    return std::nullopt;
  }
  const Time ser = serialisation_cached(wire_bytes);
  busy_until_ = std::max(now, busy_until_) + ser;
  stats_.busy += ser;
  ++stats_.packets;
  stats_.bytes += frame_bytes;
  return busy_until_ + params_.delay;
}

double TxQueue::utilization(Time now) const {
  if (now <= Time::zero()) return 0.0;
  // Work committed beyond `now` has not happened yet.
  const Time ahead = busy_until_ > now ? busy_until_ - now : Time::zero();
  return (stats_.busy - ahead).seconds() / now.seconds();
}

}  // namespace lvs
