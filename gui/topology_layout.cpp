#include "topology_layout.hpp"

#include <algorithm>
#include <deque>
#include <map>

namespace lvs::gui {

namespace {

// Every node of the topology graph, in scenario order (the order within a column).
std::vector<TopologyNode> nodes_of(const scenario::TopologySpec& t) {
  std::vector<TopologyNode> nodes;
  for (std::size_t i = 0; i < t.segments.size(); ++i)
    nodes.push_back({TopologyNode::Kind::Segment, i, t.segments[i].name, -1});
  for (std::size_t i = 0; i < t.links.size(); ++i) nodes.push_back({TopologyNode::Kind::Link, i, t.links[i].name, -1});
  for (std::size_t i = 0; i < t.hosts.size(); ++i) nodes.push_back({TopologyNode::Kind::Host, i, t.hosts[i].name, -1});
  return nodes;
}

// Neighbours by node number: each host with the segments and links its interfaces plug into.
std::vector<std::vector<std::size_t>> adjacency(const scenario::TopologySpec& t) {
  const std::size_t hosts_from = t.segments.size() + t.links.size();
  std::map<std::string, std::size_t> segment, link;
  for (std::size_t i = 0; i < t.segments.size(); ++i) segment.emplace(t.segments[i].name, i);
  for (std::size_t i = 0; i < t.links.size(); ++i) link.emplace(t.links[i].name, t.segments.size() + i);
  std::vector<std::vector<std::size_t>> adj(hosts_from + t.hosts.size());
  for (std::size_t h = 0; h < t.hosts.size(); ++h)
    for (const scenario::InterfaceSpec& i : t.hosts[h].interfaces) {
      const auto s = segment.find(i.segment);
      const auto l = link.find(i.link);
      const std::size_t net = s != segment.end() ? s->second : l != link.end() ? l->second : adj.size();
      if (net == adj.size()) continue;  // plugs into nothing the spec declares (validate reports it)
      adj[hosts_from + h].push_back(net);
      adj[net].push_back(hosts_from + h);
    }
  return adj;
}

}  // namespace

std::vector<std::vector<TopologyNode>> topology_columns(const scenario::TopologySpec& t) {
  std::vector<TopologyNode> nodes = nodes_of(t);
  if (nodes.empty()) return {};
  const std::vector<std::vector<std::size_t>> adj = adjacency(t);
  const std::size_t hosts_from = t.segments.size() + t.links.size();
  std::deque<std::size_t> queue;
  for (std::size_t h = 0; h < t.hosts.size(); ++h)
    if (t.hosts[h].kind == scenario::HostKind::Client) queue.push_back(hosts_from + h);
  if (queue.empty()) queue.push_back(t.hosts.empty() ? 0 : hosts_from);
  for (std::size_t n : queue) nodes[n].column = 0;
  while (!queue.empty()) {  // breadth first: each node's column is its hop distance
    const std::size_t n = queue.front();
    queue.pop_front();
    for (std::size_t m : adj[n])
      if (nodes[m].column < 0) {
        nodes[m].column = nodes[n].column + 1;
        queue.push_back(m);
      }
  }
  int last = 0;
  for (const TopologyNode& n : nodes) last = std::max(last, n.column);
  for (TopologyNode& n : nodes)
    if (n.column < 0) n.column = last + 1;
  std::vector<std::vector<TopologyNode>> columns;
  for (const TopologyNode& n : nodes) {  // nodes are in scenario order, so each column is too
    if (static_cast<std::size_t>(n.column) >= columns.size()) columns.resize(n.column + 1);
    columns[n.column].push_back(n);
  }
  return columns;
}

}  // namespace lvs::gui
