// `services[i].groups`: `count` real servers declared once. A group is read as one template
// (a host, a destination and an application, through the same reader functions as the
// hand-written `topology.hosts`, `destinations` and `servers` entries) and expanded into
// NAME1 .. NAMEcount, whose addresses count upwards from `address` in its subnet. What
// comes out is exactly what the hand-written form gives, so the checks, the builder and
// every output see ordinary hosts. Every generated item's origin is the group: a check about
// a server's `gateway` or `address` points at the group's key of that name. The hand-written
// `destinations` come first in the service's list, then each group's in file order
// (docs/server-groups.md).

#include <string>

#include "scenario/scenario_reader_detail.hpp"

namespace lvs::scenario::reader {

namespace {

// The lowest and highest host addresses of `p`'s subnet: all but the network and broadcast
// addresses, except in a /31 (both usable, RFC 3021 section 2.1) and a /32 (the one).
std::pair<std::uint64_t, std::uint64_t> host_range(const Ipv4Prefix& p) {
  const std::uint64_t ends = p.length() < 31 ? 1 : 0;
  return {p.network().value() + ends, p.broadcast_address().value() - ends};
}

// `address` must be a host address of its subnet, and the count - 1 above it too.
void check_address_range(const Cursor& g, const Ipv4Prefix& first, std::uint32_t count) {
  const auto [lowest, highest] = host_range(first);
  const std::string subnet = Ipv4Prefix(first.network(), first.length()).str();
  const std::uint64_t a = first.address().value();
  if (a < lowest || a > highest)
    g.at("address").fail(first.address().str() + " is the " + (a < lowest ? "network" : "broadcast") +
                         " address of " + subnet + ": expected a host address");
  if (count == 0 || a + count - 1 <= highest) return;
  g.at("count").fail("count " + std::to_string(count) + " from " + first.address().str() + " runs past " +
                     Ipv4Address(static_cast<std::uint32_t>(highest)).str() + ", the last host address of " +
                     subnet + ": at most " + std::to_string(highest - a + 1) + " servers fit");
}

// The host every server of the group copies; its name and address are set per server.
HostSpec template_host(const Cursor& g, const ServerGroupSpec& group) {
  HostSpec h;
  h.origin = group.origin;
  h.name = "group " + group.name;  // what a sysctl error calls it
  h.kind = HostKind::Server;
  InterfaceSpec i;
  i.origin = group.origin;
  i.name = g.has("interface") ? required_name(g, "interface") : "eth0";
  i.segment = required_name(g, "segment");
  i.address = group.first_address;
  i.mtu = optional_count<std::uint32_t>(g, "mtu", 1500, 68, 65535);
  h.interfaces.push_back(std::move(i));
  if (const std::optional<Cursor> gateway = g.find("gateway")) {
    h.gateway = gateway->as<Ipv4Address>();
    h.gateway_origin = origin_of(*gateway);
  }
  read_host_sysctl(g, h);
  read_loopback(g, h);
  h.tunnel = read_addresses(g, "tunnel");
  return h;
}

// The group's application: the service's protocol, on the destination port (default the service's).
ServerAppSpec template_app(const Cursor& g, const ServiceSpec& s, const DestinationSpec& d, const Origin& origin) {
  ServerAppSpec a;
  a.origin = origin;
  a.protocol = s.protocol;
  a.port = d.port.value_or(s.port != 0 ? s.port : std::uint16_t{80});
  read_app_settings(g, a);
  return a;
}

ServerGroupSpec read_group_head(const Cursor& g, std::size_t first_destination, std::size_t servers_so_far) {
  g.allow_keys({"name", "count", "segment", "interface", "address", "mtu", "gateway", "loopback", "tunnel", "sysctl",
                "port", "method", "weight", "u_threshold", "l_threshold", "initially", "checks", "workers", "backlog",
                "max_connections", "service_time", "response_size", "mount"});
  ServerGroupSpec group;
  group.origin = origin_of(g);
  group.name = required_name(g, "name");
  group.count = static_cast<std::uint32_t>(g.required<std::int64_t>("count", Range<std::int64_t>{0, kMaxGroupServers}));
  if (servers_so_far + group.count > kMaxGroupServers)
    g.at("count").fail("the groups declare " + std::to_string(servers_so_far + group.count) +
                       " servers with this one; at most " + std::to_string(kMaxGroupServers) + " in all");
  group.first_address = read_primary_address(g);
  group.first_destination = first_destination;
  check_address_range(g, group.first_address, group.count);
  return group;
}

// One group: its servers' hosts, destinations and application, NAME1 upwards.
void read_group(const Cursor& g, ServiceSpec& s, std::vector<Cursor>& checks_from, GroupMembers& members) {
  const ServerGroupSpec group = read_group_head(g, s.destinations.size(), members.hosts.size());
  const HostSpec host = template_host(g, group);
  DestinationSpec destination;
  destination.origin = group.origin;
  read_destination_settings(g, destination);
  ServerAppSpec app = template_app(g, s, destination, group.origin);
  const std::uint32_t first = group.first_address.address().value();
  for (std::uint32_t k = 0; k < group.count; ++k) {
    HostSpec& h = members.hosts.emplace_back(host);
    h.name = group.name + std::to_string(k + 1);
    h.interfaces.front().address = Ipv4Prefix(Ipv4Address(first + k), group.first_address.length());
    s.destinations.push_back(destination);
    s.destinations.back().server = h.name;
    checks_from.push_back(g);
    app.hosts.push_back(h.name);
  }
  if (group.count > 0) members.apps.push_back(std::move(app));
  s.groups.push_back(group);
}

}  // namespace

void read_groups(const Cursor& service, ServiceSpec& s, std::vector<Cursor>& checks_from, GroupMembers& members) {
  const std::optional<Cursor> list = service.find("groups");
  if (!list) return;
  const std::vector<Cursor> groups = list->items();
  if (groups.empty()) list->fail("expected at least one group, got an empty list (leave the key out)");
  for (const Cursor& g : groups) read_group(g, s, checks_from, members);
  if (s.destinations.empty())
    groups.front().at("count").fail("service " + s.name +
                                    " has no destination: a group's count may be 0 only beside other destinations");
}

}  // namespace lvs::scenario::reader
