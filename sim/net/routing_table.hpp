#pragma once
// A host's IPv4 routing table: connected routes, static routes and a default gateway,
// looked up by longest prefix (ties: the route added first).

#include <cstdint>
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
  void add(Route r);
  /// The best route to `dst`, or nullptr.
  const Route* lookup(Ipv4Address dst) const;
  /// The routes in the order they were added.
  const std::vector<Route>& routes() const { return routes_; }

 private:
  /// A route's prefix as lookup() tests it, and where the route is in routes_.
  struct Candidate {
    std::uint32_t mask;
    std::uint32_t network;  ///< the destination's address with the host bits cleared
    std::uint32_t route;
  };
  std::vector<Route> routes_;
  /// Every route, longest prefix first and, among equal lengths, in the order added: the
  /// first that contains a destination is the best route to it.
  std::vector<Candidate> by_length_;
};

}  // namespace lvs
