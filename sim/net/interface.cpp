#include "net/interface.hpp"

#include <algorithm>

namespace lvs {

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
  return true;
}

Ipv4Address Interface::primary_address() const {
  return addresses_.empty() ? Ipv4Address() : addresses_.front().address();
}

}  // namespace lvs
