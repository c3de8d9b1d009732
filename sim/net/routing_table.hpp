#pragma once
// A host's IPv4 routing table: connected routes, static routes and a default gateway,
// looked up by longest prefix (ties: the route added first).

#include <optional>
#include <vector>

#include "net/address.hpp"

namespace lvs {

class Interface;

struct Route {
  Ipv4Prefix destination;
  Ipv4Address gateway;  ///< 0.0.0.0: directly connected
  Interface* out = nullptr;
};

class RoutingTable {
 public:
  void add(Route r) { routes_.push_back(r); }
  /// The best route to `dst`, or nullptr.
  const Route* lookup(Ipv4Address dst) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace lvs
