#include "net/interface.hpp"

#include <algorithm>

namespace lvs {

bool Interface::has_address(Ipv4Address a) const {
  if (a.value() - block_first_.value() < block_count_) return true;
  for (const Ipv4Prefix& p : addresses_)
    if (p.address() == a) return true;
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
