// Can the hosts that talk to each other reach each other? First at layer 2: the topology as
// a graph (hosts and segments/links as vertices, interface attachments as edges), whose
// connected components say which hosts have any path at all. Then at layer 3: the packets of
// each client are walked hop by hop to their target, and the replies back, through each
// host's connected subnets, routes and gateway, as the kernel's FIB lookup would choose.

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>

#include "scenario/validate_detail.hpp"

namespace lvs::scenario::checks {

namespace {

// Which hosts share a connected component of the L2 graph.
class L2Graph {
 public:
  explicit L2Graph(const SpecIndex& index) {
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
    const std::vector<HostSpec>& hosts = index.spec().topology.hosts;
    std::map<std::string, std::size_t> l2_vertex;
    for (const HostSpec& h : hosts)
      for (const InterfaceSpec& i : h.interfaces)
        if (index.plugged(i)) l2_vertex.emplace(l2_of(i), 0);
    std::size_t next = hosts.size();
    for (auto& [name, vertex] : l2_vertex) vertex = next++;
    Graph graph(next);
    for (std::size_t h = 0; h < hosts.size(); ++h)
      for (const InterfaceSpec& i : hosts[h].interfaces)
        if (index.plugged(i)) boost::add_edge(h, l2_vertex.at(l2_of(i)), graph);
    std::vector<int> component(next);
    boost::connected_components(graph, component.data());
    for (std::size_t h = 0; h < hosts.size(); ++h) component_.emplace(&hosts[h], component[h]);
  }

  bool connected(const HostSpec& a, const HostSpec& b) const { return component_.at(&a) == component_.at(&b); }

 private:
  std::map<const HostSpec*, int> component_;
};

// The host other than `from` on the segment or link of `iface` that has `address`, or nullptr.
const HostSpec* neighbour(const SpecIndex& index, const HostSpec& from, const InterfaceSpec& iface,
                          Ipv4Address address) {
  return index.neighbour(l2_of(iface), from, address);
}

std::string trail(const std::vector<const HostSpec*>& hops) {
  std::string out;
  for (const HostSpec* h : hops) out.append(out.empty() ? "" : " -> ").append(label(*h));
  return out;
}

// Where packets from `from` to `target` get lost, or "" if they arrive.
// `intercept`: a host that takes the packets on their way (a fwmark director), or nullptr.
std::string walk(const SpecIndex& index, const HostSpec& from, Ipv4Address target,
                 const HostSpec* intercept = nullptr) {
  std::vector<const HostSpec*> hops{&from};
  for (const HostSpec* at = &from; !has_address(*at, target);) {
    const std::optional<RouteChoice> choice = route(*at, target);
    if (!choice) return label(*at) + " has no route";
    const std::string hop = choice->next_hop.str();
    if (choice->iface == nullptr) return "the next hop " + hop + " of " + label(*at) + " is not on a connected subnet";
    const HostSpec* next = neighbour(index, *at, *choice->iface, choice->next_hop);
    const std::string where = index.l2_label(l2_of(*choice->iface));
    if (next == nullptr && choice->next_hop == target)
      return "no host on " + where + " has " + hop + " (" + label(*at) + " delivers it there directly)";
    if (next == nullptr) return "no host on " + where + " has " + hop + ", the next hop of " + label(*at);
    const bool loop = std::find(hops.begin(), hops.end(), next) != hops.end();
    hops.push_back(next);
    if (loop) return "routing loop " + trail(hops);
    if (has_address(*next, target) || next == intercept) break;
    if (!forwards(*next)) return label(*next) + " receives the packets but does not forward them (ip_forward off)";
    at = next;
  }
  return "";
}

// A client resolved to hosts: where its packets go, and which hosts send the replies.
struct Conversation {
  const HostSpec* client = nullptr;
  const HostSpec* peer = nullptr;         // the director, or the host that owns the target
  std::vector<const HostSpec*> repliers;  // who sends replies to the client
};

std::optional<Conversation> conversation(const SpecIndex& index, const ClientSpec& c) {
  Conversation talk{index.host(c.host), nullptr, {}};
  if (talk.client == nullptr || talk.client->kind != HostKind::Client) return std::nullopt;
  for (const ServiceSpec& s : index.spec().services) {
    if (!service_takes(s, c)) continue;
    talk.peer = index.host(s.director);
    if (talk.peer == nullptr || talk.peer->kind != HostKind::Director) return std::nullopt;
    for (const DestinationSpec& d : s.destinations) {
      const HostSpec* server = index.host(d.server);
      const bool direct = d.method == Method::Dr || d.method == Method::Tun;
      if (direct && server != nullptr && server->kind == HostKind::Server) talk.repliers.push_back(server);
      if (!direct && std::find(talk.repliers.begin(), talk.repliers.end(), talk.peer) == talk.repliers.end())
        talk.repliers.push_back(talk.peer);
    }
    return talk;
  }
  talk.peer = index.owner(c.target);
  if (talk.peer == nullptr) return std::nullopt;
  talk.repliers.push_back(talk.peer);
  return talk;
}

void check_client(const SpecIndex& index, const L2Graph& graph, const ClientSpec& c, Findings& out) {
  const std::optional<Conversation> talk = conversation(index, c);
  if (!talk) return;
  const Origin at = index.key(c.origin, "target");
  if (!graph.connected(*talk->client, *talk->peer)) {
    out.error(at,
              "client " + c.name + " and " + label(*talk->peer) + " are not connected: no path of segments and links");
    return;
  }
  const bool marked = std::any_of(index.spec().services.begin(), index.spec().services.end(),
                                  [&c](const ServiceSpec& s) { return s.fwmark && service_takes(s, c); });
  if (const std::string lost = walk(index, *talk->client, c.target, marked ? talk->peer : nullptr); !lost.empty()) {
    out.error(at, "client " + c.name + " cannot reach " + c.target.str() + ": " + lost);
    return;
  }
  const Ipv4Address back = primary_address(*talk->client);
  for (const HostSpec* replier : talk->repliers)
    if (graph.connected(*replier, *talk->client))
      if (const std::string lost = walk(index, *replier, back); !lost.empty())
        out.error(at, "replies from " + label(*replier) + " cannot reach client " + c.name + " at " + back.str() +
                          ": " + lost);
}

void check_destinations(const SpecIndex& index, const L2Graph& graph, const ServiceSpec& s, Findings& out) {
  const HostSpec* director = index.host(s.director);
  if (director == nullptr || director->kind != HostKind::Director) return;
  for (const DestinationSpec& d : s.destinations) {
    const HostSpec* server = index.host(d.server);
    if (server == nullptr || server->kind != HostKind::Server) continue;
    const auto at = [&] { return index.key(d.origin, "server"); };
    if (!graph.connected(*director, *server)) {
      out.error(at(), label(*director) + " and " + label(*server) + " are not connected: no path of segments and links");
      continue;
    }
    // DR frames go straight over the shared segment (checked with the services); the others are routed.
    const Ipv4Address address = d.address.value_or(primary_address(*server));
    if (d.method == Method::Dr || !has_address(*server, address)) continue;
    if (const std::string lost = walk(index, *director, address); !lost.empty())
      out.error(at(), label(*director) + " cannot reach " + label(*server) + " at " + address.str() + ": " + lost);
  }
}

// A web server and the NFS server it mounts from, both ways.
void check_mount_path(const SpecIndex& index, const L2Graph& graph, const ServerAppSpec& app, Findings& out) {
  const HostSpec* nfs = index.owner(app.mount->server);
  if (nfs == nullptr) return;  // validate_storage.cpp says so
  const Origin at = index.key(app.mount->origin, "from");
  for (const std::string& name : app.hosts) {
    const HostSpec* web = index.host(name);
    if (web == nullptr || web == nfs) continue;
    if (!graph.connected(*web, *nfs)) {
      out.error(at, label(*web) + " and " + label(*nfs) + " are not connected: no path of segments and links");
      continue;
    }
    if (const std::string lost = walk(index, *web, app.mount->server); !lost.empty())
      out.error(at, label(*web) + " cannot reach its NFS server " + app.mount->server.str() + ": " + lost);
    else if (const std::string back = walk(index, *nfs, primary_address(*web)); !back.empty())
      out.error(at, "NFS replies from " + label(*nfs) + " cannot reach " + label(*web) + ": " + back);
  }
}

}  // namespace

void check_reachability(const SpecIndex& index, Findings& out) {
  const L2Graph graph(index);
  for (const ServerAppSpec& app : index.spec().servers)
    if (app.mount) check_mount_path(index, graph, app, out);
  for (const ServiceSpec& s : index.spec().services) check_destinations(index, graph, s, out);
  for (const ClientSpec& c : index.spec().workload.clients) check_client(index, graph, c, out);
}

}  // namespace lvs::scenario::checks
