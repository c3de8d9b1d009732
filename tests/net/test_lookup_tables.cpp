// The receive path's lookup structures against the plain algorithms they replace, on
// random operations: the answers must be the same, exactly.

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <random>
#include <unordered_map>

#include "net/neighbour_index.hpp"
#include "net/routing_table.hpp"
#include "net_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

// The lookup RoutingTable had before it kept its routes by length: every route scanned,
// the longest containing prefix kept, ties to the route added first.
const Route* reference_lookup(const std::vector<Route>& routes, Ipv4Address dst) {
  const Route* best = nullptr;
  for (const Route& r : routes)
    if (r.destination.contains(dst) && (best == nullptr || r.destination.length() > best->destination.length()))
      best = &r;
  return best;
}

// Addresses drawn from a small space, so that prefixes overlap and destinations hit them.
Ipv4Address near_address(std::mt19937_64& g) {
  return Ipv4Address(10, static_cast<std::uint8_t>(g() % 3), static_cast<std::uint8_t>(g() % 4),
                     static_cast<std::uint8_t>(g() % 256));
}

}  // namespace

TEST_CASE("NeighbourIndex finds what std::unordered_map finds, through growth and clears", "[net][neighbour]") {
  std::mt19937_64 g(17);
  std::vector<int> entries(4096);
  NeighbourIndex<int> index;
  std::unordered_map<std::uint64_t, int*> reference;
  for (int step = 0; step < 40000; ++step) {
    // Keys as NeighbourTable makes them: interface index << 32 | IPv4 address, key 0 included.
    const std::uint64_t key = (g() % 3) << 32 | (g() % 2048);
    const int op = static_cast<int>(g() % 100);
    if (op < 40 && !reference.contains(key)) {
      int* e = &entries[reference.size() % entries.size()];
      index.insert(key, e);
      reference.emplace(key, e);
    } else if (op == 99) {  // the GC's sweep: some entries go, the rest are indexed again
      std::erase_if(reference, [&](const auto&) { return g() % 2 == 0; });
      index.clear();
      for (const auto& [k, e] : reference) index.insert(k, e);
    }
    const auto it = reference.find(key);
    REQUIRE(index.find(key) == (it == reference.end() ? nullptr : it->second));
    REQUIRE(index.size() == reference.size());
  }
  CHECK(index.find(0) == (reference.contains(0) ? reference[0] : nullptr));
}

TEST_CASE("RoutingTable picks the route the full scan picks: longest prefix, ties to the first added", "[net][routing]") {
  std::mt19937_64 g(5);
  for (int table = 0; table < 200; ++table) {
    RoutingTable routes;
    const int count = 1 + static_cast<int>(g() % 12);
    for (int i = 0; i < count; ++i) {
      const int length = std::array{0, 8, 16, 23, 24, 24, 25, 30, 32}[g() % 9];
      routes.add(Route{Ipv4Prefix(near_address(g), length), Ipv4Address(0, 0, 0, static_cast<std::uint8_t>(i)), nullptr});
    }
    for (int probe = 0; probe < 200; ++probe) {
      const Ipv4Address dst = probe % 10 == 0 ? Ipv4Address(192, 168, 0, 1) : near_address(g);
      REQUIRE(routes.lookup(dst) == reference_lookup(routes.routes(), dst));
    }
  }
}

TEST_CASE("RoutingTable keeps the routes in the order added and prefers the first of equal ones", "[net][routing]") {
  RoutingTable routes;
  routes.add(Route{prefix("0.0.0.0/0"), ip("10.0.0.1"), nullptr});
  routes.add(Route{prefix("10.0.0.0/24"), Ipv4Address(), nullptr});
  routes.add(Route{prefix("10.0.0.0/24"), ip("10.0.0.2"), nullptr});
  routes.add(Route{prefix("10.0.0.7/32"), ip("10.0.0.3"), nullptr});
  REQUIRE(routes.routes().size() == 4);
  CHECK(routes.routes()[0].gateway == ip("10.0.0.1"));
  CHECK(routes.lookup(ip("10.0.0.7")) == &routes.routes()[3]);
  CHECK(routes.lookup(ip("10.0.0.8")) == &routes.routes()[1]);
  CHECK(routes.lookup(ip("8.8.8.8")) == &routes.routes()[0]);
  RoutingTable empty;
  CHECK(empty.lookup(ip("10.0.0.1")) == nullptr);
}

TEST_CASE("Host::is_local agrees with every interface's has_address as addresses come and go", "[net][host]") {
  std::mt19937_64 g(11);
  Simulation sim{1};
  Network net{sim};
  ProbeHost& h = net.add_node<ProbeHost>("h");
  Interface& eth0 = h.add_ethernet("eth0", MacAddress::local(1), prefix("10.0.0.10/24"));
  const auto agrees = [&](Ipv4Address a) {
    return h.is_local(a) == std::any_of(h.interfaces().begin(), h.interfaces().end(),
                                        [a](const auto& i) { return i->has_address(a); });
  };
  const auto sweep = [&] {
    for (int k = 0; k < 500; ++k) REQUIRE(agrees(near_address(g)));
    for (const Ipv4Address a : {Ipv4Address(), Ipv4Address(255, 255, 255, 255), ip("10.0.0.10"), ip("10.1.255.255")})
      REQUIRE(agrees(a));
  };
  sweep();
  CHECK(h.is_local(ip("10.0.0.10")));
  CHECK_FALSE(h.is_local(ip("10.0.0.11")));
  eth0.add_address_block(ip("10.0.1.0"), 100);  // a client population
  sweep();
  CHECK(h.is_local(ip("10.0.1.99")));
  CHECK_FALSE(h.is_local(ip("10.0.1.100")));
  h.add_loopback_address(ip("10.2.0.5"));  // a VIP on lo
  h.add_loopback_address(prefix("10.1.0.0/16"));  // a whole prefix on lo
  h.add_tunnel_address(ip("10.0.3.1"));
  eth0.add_address(prefix("10.0.2.0/23"));  // a secondary: only its own address is local
  sweep();
  CHECK(h.is_local(ip("10.1.200.3")));
  CHECK_FALSE(h.is_local(ip("10.0.2.1")));
  for (int k = 0; k < 50; ++k) {
    const Ipv4Address a = near_address(g);
    if (g() % 2 == 0)
      eth0.add_address(Ipv4Prefix(a, 24));
    else
      eth0.remove_address(a);
    REQUIRE(agrees(a));
  }
  sweep();
  REQUIRE(eth0.remove_address(ip("10.0.0.10")));
  CHECK_FALSE(h.is_local(ip("10.0.0.10")));
  h.interface("lo")->add_address(prefix("0.0.0.0/0"));  // everything local
  sweep();
  CHECK(h.is_local(ip("192.168.7.7")));
}
