#include "net/interface.hpp"

#include <algorithm>
#include <atomic>
#include <utility>

#include "net/segment.hpp"

namespace lvs {

namespace {
std::atomic<std::uint64_t> g_address_epoch{0};  // any simulation's change invalidates every index: only slower, never wrong
void address_changed() { g_address_epoch.fetch_add(1, std::memory_order_relaxed); }
}  // namespace

std::uint64_t address_epoch() { return g_address_epoch.load(std::memory_order_relaxed); }

void Interface::add_address(Ipv4Prefix a) {
  addresses_.push_back(a);
  address_changed();
}

void Interface::add_address_block(Ipv4Address first, std::uint32_t count) {
  block_first_ = first;
  block_count_ = count;
  address_changed();
}

void Interface::set_up(bool up) {
  if (up == up_) return;
  up_ = up;
  if (segment_ != nullptr) segment_->carrier_changed(segment_port_, up);
}

void Interface::follow_rx(const RxFeed* feed) {
  settle_rx();
  rx_feed_ = feed;
  if (feed != nullptr) rx_seen_ = *feed;
}

// The frames the segment delivered lazily since the last catch-up: what Network::deliver
// and Host::receive_arp would have counted for each.
void Interface::catch_up_rx() const {
  stats_.packets_in += rx_feed_->packets - rx_seen_.packets;
  stats_.bytes_in += rx_feed_->bytes - rx_seen_.bytes;
  lazy_arp_requests_ += rx_feed_->arp_requests - rx_seen_.arp_requests;
  lazy_arp_replies_ += rx_feed_->arp_replies - rx_seen_.arp_replies;
  rx_seen_ = *rx_feed_;
}

std::uint64_t Interface::take_lazy_arp_requests() {
  settle_rx();
  return std::exchange(lazy_arp_requests_, 0);
}

std::uint64_t Interface::take_lazy_arp_replies() {
  settle_rx();
  return std::exchange(lazy_arp_replies_, 0);
}

// An address with a prefix on lo makes the whole prefix local: fib_add_ifaddr
// (net/ipv4/fib_frontend.c) adds the prefix route as RTN_LOCAL, not RTN_UNICAST, when the
// device is IFF_LOOPBACK (`ip addr add 10.1.0.0/16 dev lo`; docs/fwmark.md).
bool Interface::has_address(Ipv4Address a) const {
  if (a.value() - block_first_.value() < block_count_) return true;
  for (const Ipv4Prefix& p : addresses_)
    if (p.address() == a || (kind_ == InterfaceKind::Loopback && p.length() < 32 && p.contains(a))) return true;
  return false;
}

bool Interface::remove_address(Ipv4Address a) {
  const auto it = std::find_if(addresses_.begin(), addresses_.end(), [a](const Ipv4Prefix& p) { return p.address() == a; });
  if (it == addresses_.end()) return false;
  addresses_.erase(it);
  address_changed();
  return true;
}

Ipv4Address Interface::primary_address() const {
  return addresses_.empty() ? Ipv4Address() : addresses_.front().address();
}

}  // namespace lvs
