#include "net/routing_table.hpp"

namespace lvs {

const Route* RoutingTable::lookup(Ipv4Address dst) const {
  const Route* best = nullptr;
  for (const Route& r : routes_)
    if (r.destination.contains(dst) && (best == nullptr || r.destination.length() > best->destination.length()))
      best = &r;
  return best;
}

}  // namespace lvs
