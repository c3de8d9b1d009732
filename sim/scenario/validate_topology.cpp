// Checks of the topology alone: unique names, interfaces that plug into something that exists,
// links with two ends, unique addresses and MACs, client address ranges, reachable gateways.

#include <algorithm>

#include "net/packet.hpp"
#include "scenario/validate_detail.hpp"

namespace lvs::scenario::checks {

namespace {

// A named item: its name, and its origin (the error is at its `name` key, looked up only then).
struct Named {
  std::string_view name;
  const Origin* item;
};

void check_unique(const SpecIndex& index, const std::vector<Named>& named, std::string_view what,
                  std::string_view note, Findings& out) {
  std::map<std::string_view, const Named*> first;
  for (const Named& n : named) {
    const auto [it, inserted] = first.emplace(n.name, &n);
    if (!inserted)
      out.error(index.key(*n.item, "name"), std::string(what) + " name " + std::string(n.name) +
                                                " is already used by " + it->second->item->path + std::string(note));
  }
}

void check_names(const SpecIndex& index, Findings& out) {
  const TopologySpec& t = index.spec().topology;
  std::vector<Named> hosts;
  std::vector<Named> l2;
  for (const SegmentSpec& s : t.segments) l2.push_back(Named{s.name, &s.origin});
  for (const LinkSpec& l : t.links) l2.push_back(Named{l.name, &l.origin});
  for (const HostSpec& h : t.hosts) {
    hosts.push_back(Named{h.name, &h.origin});
    std::vector<Named> ifaces;
    for (const InterfaceSpec& i : h.interfaces) ifaces.push_back(Named{i.name, &i.origin});
    check_unique(index, ifaces, "interface", "", out);
  }
  check_unique(index, hosts, "host", "", out);
  check_unique(index, l2, "segment or link", " (segments and links share one namespace)", out);
}

std::string names_of(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out.append(out.empty() ? "" : ", ").append(n);
  return out;
}

// `name` under `key` of `iface` names no segment (or link) of that kind.
void unknown_l2(const SpecIndex& index, const InterfaceSpec& iface, bool segment, Findings& out) {
  const std::string& name = segment ? iface.segment : iface.link;
  const Origin at = index.key(iface.origin, segment ? "segment" : "link");
  const std::string kind = segment ? "segment" : "link";
  if (segment ? index.is_link(name) : index.is_segment(name)) {
    out.error(at, name + " is a " + (segment ? "link" : "segment") + ", not a " + kind + ": write '" +
                      (segment ? "link" : "segment") + ": " + name + "'");
    return;
  }
  std::vector<std::string> names;
  if (segment)
    for (const SegmentSpec& s : index.spec().topology.segments) names.push_back(s.name);
  else
    for (const LinkSpec& l : index.spec().topology.links) names.push_back(l.name);
  const std::string hint = closest_name(name, names);
  std::string message = "unknown " + kind + " " + name;
  if (!hint.empty())
    message += " (did you mean '" + hint + "'?)";
  else
    message += names.empty() ? "; there are no " + kind + "s" : "; " + kind + "s: " + names_of(names);
  out.error(at, message);
}

void check_attachments(const SpecIndex& index, Findings& out) {
  for (const HostSpec& h : index.spec().topology.hosts)
    for (const InterfaceSpec& i : h.interfaces) {
      if (!i.segment.empty() && !index.is_segment(i.segment)) unknown_l2(index, i, true, out);
      if (!i.link.empty() && !index.is_link(i.link)) unknown_l2(index, i, false, out);
    }
  for (const LinkSpec& l : index.spec().topology.links) {
    std::vector<Attachment> ends;
    for (const Attachment& a : index.attached(l.name))
      if (a.iface->link == l.name) ends.push_back(a);  // not the segment of the same (refused) name
    if (ends.size() == 2) continue;
    std::vector<std::string> names;
    for (const Attachment& a : ends) names.push_back(a.host->name + "." + a.iface->name);
    out.error(l.origin,
              "link " + l.name + " has " + std::to_string(ends.size()) + (ends.size() == 1 ? " end" : " ends") +
                  (names.empty() ? "" : " (" + names_of(names) + ")") + "; a link joins exactly two interfaces");
  }
}

// One address or range of addresses on a host's interface: its primary address (and sources),
// or secondary address `secondary`.
struct Owned {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  const HostSpec* host = nullptr;
  const InterfaceSpec* iface = nullptr;
  std::optional<std::size_t> secondary;
};

// Where an owned address is written; looked up only for an error.
Origin origin_of(const SpecIndex& index, const Owned& o) {
  return index.key(o.iface->origin, o.secondary ? "secondary[" + std::to_string(*o.secondary) + "]" : "address");
}

std::vector<Owned> owned_addresses(const SpecIndex& index) {
  std::vector<Owned> owned;
  for (const HostSpec& h : index.spec().topology.hosts)
    for (const InterfaceSpec& i : h.interfaces) {
      const std::uint64_t first = i.address.address().value();
      owned.push_back(Owned{first, first + i.sources - 1, &h, &i, std::nullopt});
      for (std::size_t k = 0; k < i.secondary.size(); ++k) {
        const std::uint64_t a = i.secondary[k].address().value();
        owned.push_back(Owned{a, a, &h, &i, k});
      }
    }
  return owned;
}

// Addresses on lo and tunl0 are left out: a DR or TUN real server holds the VIP there on purpose.
// The indexes of the ranges that overlap another, in file order: a sweep by first address
// marks each range that starts within the farthest-reaching range before it, and that one.
// Every range of an overlapping pair gets marked (the one starting later directly; the other
// either as the farthest-reaching range then, or because it overlaps that one itself).
std::vector<std::size_t> overlapping(const std::vector<Owned>& owned) {
  std::vector<std::size_t> order(owned.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&owned](std::size_t a, std::size_t b) {
    return owned[a].first != owned[b].first ? owned[a].first < owned[b].first : a < b;
  });
  std::vector<char> marked(owned.size(), 0);
  std::size_t farthest = owned.size();  // none yet
  for (std::size_t k : order) {
    if (farthest != owned.size() && owned[k].first <= owned[farthest].last) marked[k] = marked[farthest] = 1;
    if (farthest == owned.size() || owned[k].last > owned[farthest].last) farthest = k;
  }
  std::vector<std::size_t> out;
  for (std::size_t k = 0; k < owned.size(); ++k)
    if (marked[k] != 0) out.push_back(k);
  return out;
}

void check_duplicate_addresses(const SpecIndex& index, Findings& out) {
  const std::vector<Owned> all = owned_addresses(index);
  // Only ranges that overlap another can clash: the pairwise check runs on those alone.
  std::vector<Owned> owned;
  for (std::size_t k : overlapping(all)) owned.push_back(all[k]);
  for (std::size_t j = 0; j < owned.size(); ++j)
    for (std::size_t i = 0; i < j; ++i) {
      if (owned[i].last < owned[j].first || owned[j].last < owned[i].first) continue;
      const Ipv4Address shared(static_cast<std::uint32_t>(std::max(owned[i].first, owned[j].first)));
      out.error(origin_of(index, owned[j]), "address " + shared.str() + " is also on " + label(*owned[i].host) +
                                                " (" + origin_of(index, owned[i]).path +
                                                "): an address must belong to one interface");
      break;
    }
}

void check_macs(const SpecIndex& index, Findings& out) {
  std::map<MacAddress, std::string> first;
  for (const HostSpec& h : index.spec().topology.hosts)
    for (const InterfaceSpec& i : h.interfaces) {
      if (!i.mac) continue;
      const auto [it, inserted] = first.emplace(*i.mac, i.origin.path);
      if (!inserted)
        out.error(index.key(i.origin, "mac"), "MAC " + i.mac->str() + " is also on " + it->second +
                                                  ": the segment's switch could not tell the two apart");
    }
}

void check_sources(const SpecIndex& index, Findings& out) {
  for (const HostSpec& h : index.spec().topology.hosts)
    for (const InterfaceSpec& i : h.interfaces) {
      const auto at = [&] { return index.key(i.origin, "sources"); };
      if (h.kind != HostKind::Client) {
        if (i.sources != 1 || index.spec().positions.contains(child_path(i.origin.path, "sources")))
          out.error(at(), "sources is for client hosts only; " + label(h) + " is not a client");
        continue;
      }
      const std::uint64_t last = std::uint64_t{i.address.address().value()} + i.sources - 1;
      if (i.sources > 1 && last >= i.address.broadcast_address().value())
        out.error(at(), std::to_string(i.sources) + " sources from " + i.address.str() +
                          " run past the subnet's last host address " +
                          Ipv4Address(i.address.broadcast_address().value() - 1).str());
    }
}

// Whether `address` is in the subnet of an interface's own (primary) address: the model, as
// Host::set_default_gateway, reaches the default gateway only through such a connected route
// (a secondary address, a VIP say, adds no route of its own).
bool on_primary_subnet(const HostSpec& host, Ipv4Address address) {
  for (const InterfaceSpec& i : host.interfaces)
    if (i.address.contains(address)) return true;
  return false;
}

std::string primary_subnets_of(const HostSpec& host) {
  std::string out;
  for (const InterfaceSpec& i : host.interfaces)
    out.append(out.empty() ? "" : ", ").append(Ipv4Prefix(i.address.network(), i.address.length()).str());
  return out;
}

void check_gateways(const SpecIndex& index, Findings& out) {
  for (const HostSpec& h : index.spec().topology.hosts) {
    const auto at = [&] { return h.gateway_origin.path.empty() ? index.key(h.origin, "gateway") : h.gateway_origin; };
    if (h.gateway && !on_link(h, *h.gateway))
      out.error(at(), "gateway " + h.gateway->str() + " is not in a connected subnet of " + label(h) + " (" +
                        subnets_of(h) + "): packets for other networks cannot leave it");
    else if (h.gateway && !on_primary_subnet(h, *h.gateway))
      out.error(at(), "gateway " + h.gateway->str() + " is only in the subnet of a secondary address of " + label(h) +
                        ": a default gateway must be in the subnet of an interface's own address (" +
                        primary_subnets_of(h) + ")");
    for (const RouteSpec& r : h.routes)
      if (!on_link(h, r.via))
        out.error(index.key(r.origin, "via"), "via " + r.via.str() + " is not in a connected subnet of " + label(h) +
                                                  " (" + subnets_of(h) + "): the route to " + r.to.str() +
                                                  " cannot be used");
  }
}

// Every interface of a host that runs TCP (a client population or a server application) must
// carry a segment of Linux's smallest MSS: below that TCP cannot send its data at all.
void check_tcp_mtus(const SpecIndex& index, Findings& out) {
  const ScenarioSpec& spec = index.spec();
  std::map<std::string_view, std::string_view> tcp_users;  // host -> "a TCP client population", first one
  for (const ClientSpec& c : spec.workload.clients)
    if (c.protocol == Protocol::Tcp) tcp_users.emplace(c.host, "a TCP client population");
  for (const ServerAppSpec& a : spec.servers)
    if (a.protocol == Protocol::Tcp)
      for (const std::string& h : a.hosts) tcp_users.emplace(h, "a TCP server application");
  constexpr std::uint32_t least = kTcpMinMss + kIpv4Header + kTcpHeader;
  for (const HostSpec& h : spec.topology.hosts) {
    const auto user = tcp_users.find(h.name);
    if (user == tcp_users.end()) continue;
    for (const InterfaceSpec& i : h.interfaces)
      if (i.mtu < least)
        out.error(index.key(i.origin, "mtu"),
                  "MTU " + std::to_string(i.mtu) + " is too small for TCP, which " + h.name + " runs (" +
                      std::string(user->second) + "): at least " + std::to_string(least) + " (Linux's smallest MSS, " +
                      std::to_string(kTcpMinMss) + " bytes, TCP_MIN_MSS, + 20 IPv4 + 20 TCP header bytes)");
  }
}

}  // namespace

void check_topology(const SpecIndex& index, Findings& out) {
  check_tcp_mtus(index, out);
  check_names(index, out);
  check_attachments(index, out);
  check_duplicate_addresses(index, out);
  check_macs(index, out);
  check_sources(index, out);
  check_gateways(index, out);
}

}  // namespace lvs::scenario::checks
