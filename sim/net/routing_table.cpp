#include "net/routing_table.hpp"

#include <algorithm>

namespace lvs {

// The new route goes after every route with a prefix as long or longer, so that a scan from
// the front meets routes by decreasing length and equal lengths in the order added.
void RoutingTable::add(Route r) {
  const int length = r.destination.length();
  const auto at = std::find_if(by_length_.begin(), by_length_.end(), [&](const Candidate& o) {
    return routes_[o.route].destination.length() < length;
  });
  by_length_.insert(at, Candidate{r.destination.mask(), r.destination.network().value(),
                                  static_cast<std::uint32_t>(routes_.size())});
  routes_.push_back(r);
}

// Longest prefix wins, ties to the route added first: the first candidate containing `dst`.
const Route* RoutingTable::lookup(Ipv4Address dst) const {
  for (const Candidate& c : by_length_)
    if ((dst.value() & c.mask) == c.network) return &routes_[c.route];
  return nullptr;
}

}  // namespace lvs
