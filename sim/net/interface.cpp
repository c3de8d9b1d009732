#include "net/interface.hpp"

namespace lvs {

bool Interface::has_address(Ipv4Address a) const {
  if (a.value() - block_first_.value() < block_count_) return true;
  for (const Ipv4Prefix& p : addresses_)
    if (p.address() == a) return true;
  return false;
}

Ipv4Address Interface::primary_address() const {
  return addresses_.empty() ? Ipv4Address() : addresses_.front().address();
}

}  // namespace lvs
