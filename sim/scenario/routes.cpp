// compute_routes(): breadth-first search on the topology as a Boost.Graph graph.
//
// The graph is drawn backwards, from each subnet towards the hosts that can send to it:
//   subnet S -> every host connected to S (one of its prefixes covers S);
//   host R   -> every host X that can hand packets to R, if R forwards: X and R share a
//               segment or link and R's address there is on a connected subnet of X's interface.
// A host that does not forward has no outgoing edge, so it is never a transit hop. A search
// from S gives every host its distance to S in router hops (1: connected to S). A host X not
// connected to S routes it via its neighbour at the smallest distance, the lowest next-hop
// address among equals: every shortest path, one deterministic choice. Subnets reachable
// through the gateway anyway get their explicit route too, as a routing daemon would install.

#include "scenario/routes.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/visitors.hpp>
#include <limits>

#include "scenario/validate_detail.hpp"

namespace lvs::scenario {

namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
constexpr std::size_t kUnreached = std::numeric_limits<std::size_t>::max();

// A neighbour a host can hand packets to: the forwarding host `router` (an index) at `address`.
struct NextHop {
  std::size_t router = 0;
  Ipv4Address address;
};

// Whether `address` is on a connected subnet of `iface` (primary or secondary prefix).
bool on_link_through(const InterfaceSpec& iface, Ipv4Address address) {
  if (iface.address.contains(address)) return true;
  return std::any_of(iface.secondary.begin(), iface.secondary.end(),
                     [address](const Ipv4Prefix& p) { return p.contains(address); });
}

// Whether one of `host`'s prefixes covers `subnet`: the kernel has a connected route for it.
bool connected(const HostSpec& host, const Ipv4Prefix& subnet) {
  const auto covers = [&subnet](const Ipv4Prefix& p) {
    return p.length() <= subnet.length() && p.contains(subnet.network());
  };
  for (const InterfaceSpec& i : host.interfaces)
    if (covers(i.address) || std::any_of(i.secondary.begin(), i.secondary.end(), covers)) return true;
  return false;
}

// The subnets of the scenario: the networks of the primary addresses, sorted, each once. A /0
// is left out: a route to it would be a default route, which is what `gateway` is for.
std::vector<Ipv4Prefix> subnets_of(const TopologySpec& topology) {
  std::vector<Ipv4Prefix> out;
  for (const HostSpec& h : topology.hosts)
    for (const InterfaceSpec& i : h.interfaces)
      if (i.address.length() > 0) out.emplace_back(i.address.network(), i.address.length());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Hosts are vertices 0..n-1, subnets n.., in the order of `subnets`.
class RouteGraph {
 public:
  RouteGraph(const checks::SpecIndex& index, const std::vector<Ipv4Prefix>& subnets)
      : hosts_(index.spec().topology.hosts), graph_(hosts_.size() + subnets.size()), next_hops_(hosts_.size()) {
    for (std::size_t x = 0; x < hosts_.size(); ++x)
      for (const InterfaceSpec& i : hosts_[x].interfaces)
        if (index.plugged(i)) add_neighbours(index, x, i);
    for (std::size_t s = 0; s < subnets.size(); ++s)
      for (std::size_t h = 0; h < hosts_.size(); ++h)
        if (connected(hosts_[h], subnets[s])) boost::add_edge(hosts_.size() + s, h, graph_);
  }

  /// The distance of every host to subnet `s` (an index into the subnets), kUnreached if none.
  std::vector<std::size_t> distances(std::size_t s) const {
    const std::size_t source = hosts_.size() + s;
    std::vector<std::size_t> distance(boost::num_vertices(graph_), kUnreached);
    distance[source] = 0;
    boost::breadth_first_search(
        graph_, source,
        boost::visitor(boost::make_bfs_visitor(boost::record_distances(distance.data(), boost::on_tree_edge()))));
    return distance;
  }

  /// The next hop of host `x` towards the subnet at `distance`: the closest neighbour, the lowest address on a tie.
  std::optional<Ipv4Address> next_hop(std::size_t x, const std::vector<std::size_t>& distance) const {
    const NextHop* best = nullptr;
    for (const NextHop& n : next_hops_[x]) {
      if (distance[n.router] == kUnreached) continue;
      if (best == nullptr || distance[n.router] < distance[best->router] ||
          (distance[n.router] == distance[best->router] && n.address < best->address))
        best = &n;
    }
    return best ? std::optional(best->address) : std::nullopt;
  }

 private:
  // The forwarding hosts that host `x` can reach through its interface `iface`: an edge R -> x each.
  void add_neighbours(const checks::SpecIndex& index, std::size_t x, const InterfaceSpec& iface) {
    for (const checks::Attachment& a : index.attached(checks::l2_of(iface))) {
      const Ipv4Address address = a.iface->address.address();
      if (a.host == &hosts_[x] || !checks::forwards(*a.host) || !on_link_through(iface, address)) continue;
      const auto r = static_cast<std::size_t>(a.host - hosts_.data());
      next_hops_[x].push_back(NextHop{r, address});
      boost::add_edge(r, x, graph_);
    }
  }

  const std::vector<HostSpec>& hosts_;
  Graph graph_;
  std::vector<std::vector<NextHop>> next_hops_;  // by host
};

// The computed routes of each host (empty for hosts without `routes: auto`), by host index.
std::vector<std::vector<RouteSpec>> computed_routes(const ScenarioSpec& spec) {
  const std::vector<HostSpec>& hosts = spec.topology.hosts;
  std::vector<std::vector<RouteSpec>> out(hosts.size());
  const std::vector<Ipv4Prefix> subnets = subnets_of(spec.topology);
  const checks::SpecIndex index(spec);
  const RouteGraph graph(index, subnets);
  for (std::size_t s = 0; s < subnets.size(); ++s) {
    const std::vector<std::size_t> distance = graph.distances(s);
    for (std::size_t h = 0; h < hosts.size(); ++h) {
      if (!hosts[h].auto_routes || connected(hosts[h], subnets[s])) continue;
      if (const std::optional<Ipv4Address> via = graph.next_hop(h, distance))
        out[h].push_back(RouteSpec{hosts[h].routes_origin, subnets[s], *via});
    }
  }
  return out;
}

}  // namespace

void compute_routes(ScenarioSpec& spec) {
  const bool any = std::any_of(spec.topology.hosts.begin(), spec.topology.hosts.end(),
                               [](const HostSpec& h) { return h.auto_routes; });
  if (!any) return;
  std::vector<std::vector<RouteSpec>> routes = computed_routes(spec);
  for (std::size_t h = 0; h < routes.size(); ++h)
    if (spec.topology.hosts[h].auto_routes) spec.topology.hosts[h].routes = std::move(routes[h]);
}

}  // namespace lvs::scenario
