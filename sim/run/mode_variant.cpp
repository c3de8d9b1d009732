#include "run/mode_variant.hpp"

#include <algorithm>
#include <utility>

namespace lvs::run {

namespace {

using scenario::HostKind;
using scenario::HostSpec;
using scenario::InterfaceSpec;
using scenario::Method;
using scenario::ScenarioSpec;
using scenario::ServiceSpec;

bool plugged(const InterfaceSpec& i) { return !i.segment.empty() || !i.link.empty(); }
bool same_l2(const InterfaceSpec& a, const InterfaceSpec& b) {
  return plugged(a) && plugged(b) && a.segment == b.segment && a.link == b.link;
}

bool contains(const std::vector<Ipv4Address>& v, Ipv4Address a) { return std::find(v.begin(), v.end(), a) != v.end(); }

bool holds(const HostSpec& h, Ipv4Address a) {
  for (const InterfaceSpec& i : h.interfaces) {
    if (i.address.address() == a) return true;
    for (const Ipv4Prefix& s : i.secondary)
      if (s.address() == a) return true;
  }
  return contains(h.loopback, a) || contains(h.tunnel, a);
}

// Taken by a host, or in a client population's block.
bool used(const ScenarioSpec& spec, Ipv4Address a) {
  for (const HostSpec& h : spec.topology.hosts) {
    if (holds(h, a)) return true;
    for (const InterfaceSpec& i : h.interfaces)
      if (a.value() >= i.address.address().value() && a.value() - i.address.address().value() < i.sources) return true;
  }
  return false;
}

// What was changed, grouped by the text around the hosts it was changed on: "VIP x on lo of " + "rs1, rs2".
class Changes {
 public:
  void add(const std::string& before, const std::string& host, const std::string& after = "") {
    for (Item& i : items_)
      if (i.before == before && i.after == after) {
        if (!contains_host(i, host)) i.hosts.push_back(host);
        return;
      }
    items_.push_back({before, after, {host}});
  }
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    for (const Item& i : items_) {
      std::string hosts;
      for (const std::string& h : i.hosts) hosts += (hosts.empty() ? "" : ", ") + h;
      out.push_back(i.before + hosts + i.after);
    }
    return out;
  }

 private:
  struct Item {
    std::string before, after;
    std::vector<std::string> hosts;
  };
  static bool contains_host(const Item& i, const std::string& h) {
    return std::find(i.hosts.begin(), i.hosts.end(), h) != i.hosts.end();
  }
  std::vector<Item> items_;
};

class Deriver {
 public:
  Deriver(ScenarioSpec& spec, Method mode) : spec_(spec), mode_(mode) {}

  // Every service's destinations switched, and each real server (and director) changed once.
  std::string run() {
    for (ServiceSpec& s : spec_.services) {
      HostSpec* director = host(s.director);
      if (director == nullptr) return "no director " + s.director;
      for (scenario::DestinationSpec& d : s.destinations) {
        d.method = mode_;
        HostSpec* server = host(d.server);
        if (server == nullptr) return "no real server " + d.server;
        if (std::string why = server_change(s, *director, *server); !why.empty()) return why;
      }
      if (mode_ == Method::FullNat)
        if (std::string why = local_address(s, *director); !why.empty()) return why;
    }
    return "";
  }
  std::vector<std::string> lines() const { return changes_.lines(); }

 private:
  HostSpec* host(const std::string& name) {
    for (HostSpec& h : spec_.topology.hosts)
      if (h.name == name) return &h;
    return nullptr;
  }

  std::string server_change(const ServiceSpec& s, HostSpec& director, HostSpec& server) {
    switch (mode_) {
      case Method::Nat: drop_vip(s, server); return nat(director, server);
      case Method::Dr: return dr(s, director, server);
      case Method::Tun: return tun(s, director, server);
      case Method::FullNat: drop_vip(s, server); return "";
    }
    return "";
  }

  // The director's address on a subnet of `server`'s, over a segment or link they share.
  static std::optional<std::pair<Ipv4Address, const InterfaceSpec*>> director_on_segment(const HostSpec& director,
                                                                                          const HostSpec& server) {
    for (const InterfaceSpec& b : server.interfaces)
      for (const InterfaceSpec& a : director.interfaces) {
        if (!same_l2(a, b)) continue;
        if (b.address.contains(a.address.address())) return std::make_pair(a.address.address(), &b);
        for (const Ipv4Prefix& p : a.secondary)
          if (b.address.contains(p.address())) return std::make_pair(p.address(), &b);
      }
    return std::nullopt;
  }

  void forward(HostSpec& director) {
    if (director.sysctl.ip_forward.value_or(false)) return;
    director.sysctl.ip_forward = true;
    changes_.add("ip_forward=1 on ", director.name);
  }

  std::string nat(HostSpec& director, HostSpec& server) {
    const auto gw = director_on_segment(director, server);
    if (!gw)
      return director.name + " has no address on a segment of real server " + server.name +
             " to be its gateway: NAT replies must come back through the director";
    forward(director);
    if (server.gateway == gw->first) return "";
    server.gateway = gw->first;
    changes_.add("gateway of ", server.name, std::string(" ") + gw->first.str() + " (" + director.name + ")");
    return "";
  }

  static bool adjacent(const HostSpec& a, const HostSpec& b) {
    for (const InterfaceSpec& i : a.interfaces)
      for (const InterfaceSpec& j : b.interfaces)
        if (same_l2(i, j)) return true;
    return false;
  }

  void vip_arp(HostSpec& server) {
    const int ignore = server.sysctl.arp_ignore.value_or(0), announce = server.sysctl.arp_announce.value_or(0);
    if (ignore != 0 && announce == 2) return;
    if (ignore == 0) server.sysctl.arp_ignore = 1;
    server.sysctl.arp_announce = 2;
    changes_.add("arp_ignore=" + std::to_string(*server.sysctl.arp_ignore) + " arp_announce=2 on ", server.name);
  }

  // A router with an address on the subnet of one of `server`'s interfaces, on that segment.
  std::optional<std::pair<Ipv4Address, std::string>> router_for(const HostSpec& server) const {
    for (const InterfaceSpec& b : server.interfaces)
      for (const HostSpec& r : spec_.topology.hosts) {
        if (r.kind != HostKind::Router) continue;
        for (const InterfaceSpec& a : r.interfaces)
          if (same_l2(a, b) && b.address.contains(a.address.address()))
            return std::make_pair(a.address.address(), r.name);
      }
    return std::nullopt;
  }

  // DR and TUN replies go from the real server to the client with the VIP as their source:
  // through a router of its segment. Through the director they would not pass: Linux drops
  // a packet arriving with one of its own addresses as the source (fib_validate_source,
  // "martian source", unless accept_local=1, which lvslab does not model), so such a
  // variant is not derived.
  std::string direct_return(HostSpec& director, HostSpec& server) {
    if (server.gateway && !holds(director, *server.gateway)) return "";
    if (const auto router = router_for(server)) {
      server.gateway = router->first;
      changes_.add("gateway of ", server.name, std::string(" ") + router->first.str() + " (" + router->second + ")");
      return "";
    }
    return "real server " + server.name + " has no router on its segment but the director: its replies, from the VIP, " +
           "would reach " + director.name + ", which drops a packet from its own address (martian source; " +
           "accept_local=0)";
  }

  // A real server without a gateway (FULLNAT needs none): a router of its segment, else
  // the director's address there.
  void set_gateway(HostSpec& director, HostSpec& server) {
    if (const auto router = router_for(server)) {
      server.gateway = router->first;
      changes_.add("gateway of ", server.name, std::string(" ") + router->first.str() + " (" + router->second + ")");
      return;
    }
    const auto gw = director_on_segment(director, server);
    if (!gw) return;  // validate says the replies cannot reach the client
    server.gateway = gw->first;
    forward(director);
    changes_.add("gateway of ", server.name,
                 std::string(" ") + gw->first.str() + " (" + director.name + ": no router, it forwards the replies)");
  }

  // NAT and FULLNAT send the real server packets for its own address: a VIP it holds
  // (left from DR or TUN) and would answer ARP for is taken off (docs/arp.md).
  void drop_vip(const ServiceSpec& s, HostSpec& server) {
    const int ignore = server.sysctl.arp_ignore.value_or(0), announce = server.sysctl.arp_announce.value_or(0);
    if (ignore != 0 && announce == 2) return;
    for (auto* where : {&server.loopback, &server.tunnel}) {
      const auto at = std::find(where->begin(), where->end(), s.vip);
      if (at == where->end()) continue;
      where->erase(at);
      changes_.add("VIP " + s.vip.str() + " off " + (where == &server.loopback ? "lo" : "tunl0") + " of ", server.name,
                   " (arp_ignore=" + std::to_string(ignore) + ": it would answer ARP for it)");
    }
  }

  std::string dr(const ServiceSpec& s, HostSpec& director, HostSpec& server) {
    if (!adjacent(director, server))
      return "real server " + server.name + " shares no segment or link with " + director.name +
             ": DR rewrites only the MAC address";
    if (!contains(server.loopback, s.vip)) {
      server.loopback.push_back(s.vip);
      changes_.add("VIP " + s.vip.str() + " on lo of ", server.name);
    }
    vip_arp(server);
    return direct_return(director, server);
  }

  // The director's interface that carries `vip`.
  static const InterfaceSpec* vip_interface(const HostSpec& director, Ipv4Address vip) {
    for (const InterfaceSpec& i : director.interfaces) {
      if (i.address.address() == vip) return &i;
      for (const Ipv4Prefix& p : i.secondary)
        if (p.address() == vip) return &i;
    }
    return nullptr;
  }

  std::string tun(const ServiceSpec& s, HostSpec& director, HostSpec& server) {
    if (!contains(server.tunnel, s.vip)) {
      server.tunnel.push_back(s.vip);
      changes_.add("VIP " + s.vip.str() + " on tunl0 of ", server.name);
    }
    // Strict rp_filter drops what tunl0 delivers: the route back to the client leaves by eth0.
    if (server.sysctl.rp_filter.value_or(0) == 1) {
      server.sysctl.rp_filter = 0;
      changes_.add("rp_filter=0 on ", server.name);
    }
    const InterfaceSpec* vip_iface = vip_interface(director, s.vip);
    const bool on_vip_segment =
        vip_iface != nullptr && std::any_of(server.interfaces.begin(), server.interfaces.end(),
                                            [&](const InterfaceSpec& i) { return same_l2(i, *vip_iface); });
    if (on_vip_segment) vip_arp(server);
    return direct_return(director, server);
  }

  // FULLNAT: a director address on the real servers' subnet for the connections to them.
  std::string local_address(ServiceSpec& s, HostSpec& director) {
    if (!s.local_addresses.empty() || s.destinations.empty()) return "";
    const HostSpec* server = host(s.destinations.front().server);
    for (const InterfaceSpec& b : server->interfaces)
      for (InterfaceSpec& a : director.interfaces) {
        if (!same_l2(a, b)) continue;
        const std::uint32_t net = b.address.network().value(), top = b.address.broadcast_address().value();
        for (std::uint32_t v = top - 1; v > net; --v)  // from the top of the subnet down
          if (!used(spec_, Ipv4Address(v))) {
            const Ipv4Address la(v);
            a.secondary.emplace_back(la, b.address.length());
            s.local_addresses.push_back(la);
            changes_.add("local address " + la.str() + " on ", director.name + "/" + a.name, " (local_addresses)");
            return "";
          }
      }
    return director.name + " has no interface on the segment of real server " + server->name +
           " with a free address for a FULLNAT local address";
  }

  ScenarioSpec& spec_;
  Method mode_;
  Changes changes_;
};

}  // namespace

ModeVariant derive_mode_variant(const ScenarioSpec& spec, Method mode) {
  ModeVariant v;
  ScenarioSpec derived = spec;
  Deriver d(derived, mode);
  v.reason = d.run();
  if (!v.reason.empty()) return v;
  v.changes = d.lines();
  v.spec = std::move(derived);
  return v;
}

}  // namespace lvs::run
