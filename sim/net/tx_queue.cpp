#include "net/tx_queue.hpp"

#include <algorithm>

namespace lvs {

Time TxQueue::serialisation(std::uint32_t wire_bytes) const {
  const std::uint64_t bits = std::uint64_t{wire_bytes} * 8;
  return Time::ns(static_cast<std::int64_t>((bits * 1'000'000'000 + params_.rate_bps - 1) / params_.rate_bps));
}

Time TxQueue::serialisation_slow(std::uint32_t wire_bytes) {
  recent_[1] = recent_[0];
  recent_[0] = Remembered{wire_bytes, serialisation(wire_bytes)};
  return recent_[0].time;
}

std::uint64_t TxQueue::backlog_bytes(Time now) const {
  settle();
  if (busy_until_ <= now) return 0;
  __extension__ using u128 = unsigned __int128;  // ns x bits/s overflows 64 bits
  const auto ns = static_cast<std::uint64_t>((busy_until_ - now).count());
  return static_cast<std::uint64_t>(u128{ns} * params_.rate_bps / 8'000'000'000);
}

double TxQueue::utilization(Time now) const {
  settle();
  if (now <= Time::zero()) return 0.0;
  // Work committed beyond `now` has not happened yet.
  const Time ahead = busy_until_ > now ? busy_until_ - now : Time::zero();
  return (stats_.busy - ahead).seconds() / now.seconds();
}

// The feed's frames since the last catch-up, as if each had been enqueued here: the
// counters add up, and busy_until is the feed's (the follower's queue equals the cohort's).
void TxQueue::catch_up() const {
  stats_.packets += feed_->packets - seen_packets_;
  stats_.bytes += feed_->bytes - seen_bytes_;
  stats_.busy += feed_->busy - seen_busy_;
  busy_until_ = feed_->busy_until;
  seen_packets_ = feed_->packets;
  seen_bytes_ = feed_->bytes;
  seen_busy_ = feed_->busy;
}

void TxQueue::follow(const TxFeed* feed) {
  settle();
  feed_ = feed;
  if (feed == nullptr) return;
  seen_packets_ = feed->packets;
  seen_bytes_ = feed->bytes;
  seen_busy_ = feed->busy;
}

}  // namespace lvs
