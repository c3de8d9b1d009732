// Warnings: configurations that run but do what the user probably does not want, each the
// classic LVS mistake of its forwarding method (LVS-HOWTO: "the ARP problem", NAT's default
// route through the director) or a destination nobody listens on.

#include <algorithm>
#include <set>
#include <utility>

#include "scenario/validate_detail.hpp"

namespace lvs::scenario::checks {

namespace {

const HostSpec* director_of(const SpecIndex& index, const ServiceSpec& s) {
  const HostSpec* h = index.host(s.director);
  return h != nullptr && h->kind == HostKind::Director ? h : nullptr;
}

const HostSpec* server_of(const SpecIndex& index, const DestinationSpec& d) {
  const HostSpec* h = index.host(d.server);
  return h != nullptr && h->kind == HostKind::Server ? h : nullptr;
}

// Why replies from `server` to `client` do not go back through `director`, or "" if they do.
std::string nat_bypass(const HostSpec& server, const HostSpec& director, const HostSpec& client) {
  const Ipv4Address back = primary_address(client);
  const std::optional<RouteChoice> choice = route(server, back);
  const std::string to = "replies from " + label(server) + " to client " + client.name;
  if (!choice) return label(server) + " has no route to client " + client.name + " at " + back.str();
  if (choice->next_hop == back) return to + " go straight to it, not through " + label(director);
  if (!has_address(director, choice->next_hop))
    return to + " go via " + choice->next_hop.str() + ", not an address of " + label(director);
  return "";
}

// NAT rewrites replies on their way back, so they must come back through the director. Judged
// by the route to each client of the service, or by the gateway when no client uses it.
void warn_nat_return(const SpecIndex& index, const ServiceSpec& s, const HostSpec& director, const DestinationSpec& d,
                     const HostSpec& server, Findings& out) {
  const std::string consequence = ": NAT replies bypass the director and the client drops them";
  bool any_client = false;
  for (const ClientSpec& c : index.spec().workload.clients) {
    const HostSpec* client = index.host(c.host);
    const bool uses = c.target == s.vip && c.port == s.port && c.protocol == s.protocol;
    if (!uses || client == nullptr || client->kind != HostKind::Client) continue;
    any_client = true;
    if (const std::string why = nat_bypass(server, director, *client); !why.empty())
      return out.warning(d.origin, why + consequence);
  }
  if (any_client) return;
  if (!server.gateway)
    out.warning(d.origin, label(server) + " has no gateway" + consequence);
  else if (!has_address(director, *server.gateway))
    out.warning(d.origin, label(server) + " has gateway " + server.gateway->str() + ", not an address of " +
                              label(director) + consequence);
}

void warn_ip_forward(const SpecIndex& index, const ServiceSpec& s, const HostSpec& director,
                     std::set<const HostSpec*>& warned, Findings& out) {
  if (forwards(director) || !warned.insert(&director).second) return;
  const Origin ip_forward = index.key(director.origin, "sysctl.ip_forward");
  const Origin at = director.sysctl.ip_forward ? ip_forward : index.key(s.origin, "director");
  out.warning(at, "ip_forward is off on " + label(director) +
                      ": replies from the real servers are not forwarded (set sysctl ip_forward: true)");
}

// DR delivers frames for the VIP, TUN IPIP packets for it: the server must hold the VIP locally.
void warn_vip_missing(const DestinationSpec& d, const HostSpec& server, Ipv4Address vip, Findings& out) {
  const bool dr = d.method == Method::Dr;
  const std::vector<Ipv4Address>& local = dr ? server.loopback : server.tunnel;
  if (std::find(local.begin(), local.end(), vip) != local.end()) return;
  out.warning(d.origin, label(server) + " does not have the VIP " + vip.str() + " on " + (dr ? "lo" : "tunl0") +
                            ": it drops the " + (dr ? "frames DR" : "IPIP packets TUN") + " sends it for the VIP");
}

// The director's interface that carries `vip`, or nullptr.
const InterfaceSpec* vip_interface(const HostSpec& director, Ipv4Address vip) {
  for (const InterfaceSpec& i : director.interfaces) {
    if (i.address.address() == vip) return &i;
    for (const Ipv4Prefix& s : i.secondary)
      if (s.address() == vip) return &i;
  }
  return nullptr;
}

// What a real server holding the VIP does to its neighbours' caches (docs/arp.md).
std::string arp_consequence(int ignore, int announce) {
  std::string what;
  if (ignore == 0)
    what = "it answers ARP for the VIP, and the router keeps whichever answer comes first, the director's or a real "
           "server's";
  if (announce != 2)
    what += std::string(what.empty() ? "" : "; ") +
            "it gives the VIP as the sender of its own ARP requests, so resolving its gateway moves the gateway's "
            "entry for the VIP to it at once";
  return what + ": the router may send client traffic straight to it";
}

// A server holding the VIP answers ARP for it on the VIP's segment unless arp_ignore and
// arp_announce say otherwise (arp_ignore 0 answers for any local address).
void warn_arp(const SpecIndex& index, const HostSpec& director, const HostSpec& server, Ipv4Address vip,
              std::set<std::pair<const HostSpec*, std::uint32_t>>& warned, Findings& out) {
  const bool on_lo = std::find(server.loopback.begin(), server.loopback.end(), vip) != server.loopback.end();
  const bool holds = on_lo || std::find(server.tunnel.begin(), server.tunnel.end(), vip) != server.tunnel.end();
  const int ignore = server.sysctl.arp_ignore.value_or(0);
  const int announce = server.sysctl.arp_announce.value_or(0);
  if (!holds || (ignore != 0 && announce == 2)) return;
  const InterfaceSpec* vip_iface = vip_interface(director, vip);
  const bool on_vip_segment =
      vip_iface == nullptr ||
      std::any_of(server.interfaces.begin(), server.interfaces.end(),
                  [&](const InterfaceSpec& i) { return index.plugged(i) && l2_of(i) == l2_of(*vip_iface); });
  if (!on_vip_segment || !warned.insert({&server, vip.value()}).second) return;
  out.warning(index.key(server.origin, "sysctl"),
              label(server) + " has the VIP " + vip.str() + (on_lo ? " on lo" : " on tunl0") +
                  " but arp_ignore=" + std::to_string(ignore) + ", arp_announce=" + std::to_string(announce) +
                  " (need 1 and 2): " + arp_consequence(ignore, announce));
}

bool listening(const SpecIndex& index, const HostSpec& server, Protocol protocol, std::uint16_t port) {
  const std::vector<const ServerAppSpec*>& apps = index.apps_on(server.name);
  return std::any_of(apps.begin(), apps.end(),
                     [&](const ServerAppSpec* a) { return a->protocol == protocol && a->port == port; });
}

// Quiescing (weight 0) a destination of a persistent service does not drain it: with the
// default expire_quiescent_template = 0 the templates of its clients stay valid, and they
// keep coming for as long as they keep coming back within the timeout.
void warn_quiesce_persistent(const SpecIndex& index, Findings& out) {
  for (const EventSpec& e : index.spec().events) {
    const ServiceSpec& s = index.spec().services[e.service];
    if (!is_ipvsadm(e) || e.action != EventSpec::Action::Edit || e.weight != 0U || !s.persistent) continue;
    const HostSpec* director = director_of(index, s);
    if (director == nullptr || director->sysctl.expire_quiescent_template.value_or(false)) continue;
    out.warning(e.origin, "weight 0 does not drain " + s.destinations[e.destination].server + " of persistent service " +
                              s.name + ": its clients' templates stay valid (set sysctl expire_quiescent_template: "
                              "true on " + director->name + ")");
  }
}

// `warmup: auto` (run/warmup_auto.hpp): MSER-5 truncates in batches of 5 sample intervals,
// at most half of them, so fewer than 50 intervals (10 batches) leave it a coarse choice, and
// fewer than 10 none (docs/statistics.md).
void warn_auto_warmup(const ScenarioSpec& spec, Findings& out) {
  if (!spec.warmup_auto) return;
  const std::int64_t intervals = spec.duration.count() / spec.sample_interval.count();
  if (intervals >= 50) return;
  out.warning(Origin{"warmup", spec.positions.find("warmup").value_or(Position{})},
              "warmup: auto over " + std::to_string(intervals) + " sample intervals: MSER-5 drops whole batches of 5 (" +
                  to_string(spec.sample_interval * 5) + " here), at most half of them" +
                  (intervals < 10 ? ", and needs 2 batches to drop any" : "") +
                  ": lower sample_interval for at least 50 intervals");
}

}  // namespace

void check_warnings(const SpecIndex& index, Findings& out) {
  warn_auto_warmup(index.spec(), out);
  warn_quiesce_persistent(index, out);
  std::set<const HostSpec*> forward_warned;
  std::set<std::pair<const HostSpec*, std::uint32_t>> arp_warned;
  for (const ServiceSpec& s : index.spec().services) {
    if (s.fwmark) continue;  // validate_fwmark.cpp checks its real servers
    const HostSpec* director = director_of(index, s);
    for (const DestinationSpec& d : s.destinations) {
      const HostSpec* server = server_of(index, d);
      if (server == nullptr) continue;
      const std::uint16_t port = d.port.value_or(s.port);
      if (!listening(index, *server, s.protocol, port))
        out.warning(d.origin, "no server app listens on " + std::string(s.protocol == Protocol::Udp ? "udp" : "tcp") +
                                  " port " + std::to_string(port) + " of " + label(*server) +
                                  ": connections are refused");
      if (director == nullptr) continue;
      if (d.method == Method::Nat) warn_nat_return(index, s, *director, d, *server, out);
      if (d.method == Method::Nat) warn_ip_forward(index, s, *director, forward_warned, out);
      if (d.method == Method::Dr || d.method == Method::Tun) {
        warn_vip_missing(d, *server, s.vip, out);
        warn_arp(index, *director, *server, s.vip, arp_warned, out);
      }
    }
  }
}

}  // namespace lvs::scenario::checks
