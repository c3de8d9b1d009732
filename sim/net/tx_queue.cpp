#include "net/tx_queue.hpp"

#include <algorithm>

namespace lvs {

Time TxQueue::serialisation(std::uint32_t wire_bytes) const {
  const std::uint64_t bits = std::uint64_t{wire_bytes} * 8;
  return Time::ns(static_cast<std::int64_t>((bits * 1'000'000'000 + params_.rate_bps - 1) / params_.rate_bps));
}

Time TxQueue::serialisation_slow(std::uint32_t wire_bytes) {
  last_wire_bytes_ = wire_bytes;
  last_serialisation_ = serialisation(wire_bytes);
  return last_serialisation_;
}

std::uint64_t TxQueue::backlog_bytes(Time now) const {
  if (busy_until_ <= now) return 0;
  __extension__ using u128 = unsigned __int128;  // ns x bits/s overflows 64 bits
  const auto ns = static_cast<std::uint64_t>((busy_until_ - now).count());
  return static_cast<std::uint64_t>(u128{ns} * params_.rate_bps / 8'000'000'000);
}

double TxQueue::utilization(Time now) const {
  if (now <= Time::zero()) return 0.0;
  // Work committed beyond `now` has not happened yet.
  const Time ahead = busy_until_ > now ? busy_until_ - now : Time::zero();
  return (stats_.busy - ahead).seconds() / now.seconds();
}

}  // namespace lvs
