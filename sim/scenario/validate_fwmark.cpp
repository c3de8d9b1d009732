// Checks of firewall-mark services (docs/fwmark.md): each has a rule that sets its mark, its
// destinations are NAT, DR or TUN, and a DR or TUN real server accepts every address the
// rules send it (the packets keep the origin address as their destination), which takes a
// prefix on its lo (`loopback: [10.1.0.0/16]`, ip addr add 10.1.0.0/16 dev lo).

#include <algorithm>

#include "scenario/validate_detail.hpp"

namespace lvs::scenario::checks {

namespace {

bool rule_matches(const MarkRuleSpec& r, const ClientSpec& c) {
  if (r.protocol && *r.protocol != c.protocol) return false;
  return r.destination.contains(c.target) && (!r.port || *r.port == c.port);
}

// Whether `server` takes packets for every address of `to` as local: a prefix on its lo that
// covers it, or (a single address) the address on lo or, for TUN, on tunl0.
bool accepts(const HostSpec& server, const Ipv4Prefix& to, Method method) {
  const Ipv4Prefix net(to.network(), to.length());
  for (const Ipv4Prefix& p : server.loopback_prefixes)
    if (p.length() <= net.length() && p.contains(net.address())) return true;
  if (net.length() != 32) return false;
  const auto holds = [a = net.address()](const std::vector<Ipv4Address>& v) {
    return std::find(v.begin(), v.end(), a) != v.end();
  };
  return holds(server.loopback) || (method == Method::Tun && holds(server.tunnel));
}

std::string rule_text(const MarkRuleSpec& r) {
  const Ipv4Prefix net(r.destination.network(), r.destination.length());
  return net.str() + (r.port ? " port " + std::to_string(*r.port) : std::string());
}

void check_accepts(const SpecIndex& index, const ServiceSpec& s, const DestinationSpec& d, const HostSpec& server,
                   Findings& out) {
  for (const MarkRuleSpec& r : s.marks) {
    if (accepts(server, r.destination, d.method)) continue;
    const Ipv4Prefix net(r.destination.network(), r.destination.length());
    const std::string fix = (net.network().value() >> 24) == 0
                                ? "narrow the rule's destination to the origin servers' prefix: Linux makes no "
                                  "prefix in 0.0.0.0/8 local on lo"
                                : "add it to the server's lo (loopback: [" + net.str() + "], i.e. ip addr add " +
                                      net.str() + " dev lo)";
    out.error(index.key(d.origin, "server"),
              label(server) + " does not accept " + net.str() + " as local: " + method_name(d.method) +
                  " to it keeps the destination address of fwmark " + std::to_string(*s.fwmark) + "'s packets (" +
                  rule_text(r) + "); " + fix);
  }
}

// The ports a destination serves: its own, else the port of each rule (the connection keeps
// the packet's port: ip_vs_schedule, dest->port ?: vport).
void warn_listeners(const SpecIndex& index, const ServiceSpec& s, const DestinationSpec& d, const HostSpec& server,
                    Findings& out) {
  std::vector<std::uint16_t> ports;
  if (d.port && *d.port != 0) ports.push_back(*d.port);
  else
    for (const MarkRuleSpec& r : s.marks)
      if (r.port && std::find(ports.begin(), ports.end(), *r.port) == ports.end()) ports.push_back(*r.port);
  for (const std::uint16_t port : ports) {
    const auto& apps = index.apps_on(server.name);
    const bool listens = std::any_of(apps.begin(), apps.end(), [&](const ServerAppSpec* a) {
      return a->protocol == s.protocol && a->port == port;
    });
    if (!listens)
      out.warning(d.origin, "no server app listens on " + std::string(s.protocol == Protocol::Udp ? "udp" : "tcp") +
                                " port " + std::to_string(port) + " of " + label(server) +
                                ": connections are refused");
  }
}

void check_service(const SpecIndex& index, const ServiceSpec& s, Findings& out) {
  const std::string name = "fwmark " + std::to_string(*s.fwmark);
  if (s.marks.empty())
    out.error(index.key(s.origin, "fwmark"),
              name + " has no mark rule: no packet would carry the mark; add mark: {destination: PREFIX, port: "
                     "PORT} (iptables -t mangle -A PREROUTING ... -j MARK --set-mark " +
                  std::to_string(*s.fwmark) + ")");
  if (!s.local_addresses.empty())
    out.error(index.key(s.origin, "local_addresses"), name + ": FULLNAT is modelled for VIP:port services only");
  for (const DestinationSpec& d : s.destinations) {
    if (d.method == Method::FullNat) {
      out.error(index.key(d.origin, "method"), name + ": FULLNAT is modelled for VIP:port services only");
      continue;
    }
    const HostSpec* server = index.host(d.server);
    if (server == nullptr || server->kind != HostKind::Server) continue;  // check_services reports it
    if (d.method == Method::Dr || d.method == Method::Tun) check_accepts(index, s, d, *server, out);
    // Without tunl0 (the ipip module) an IPIP packet is dropped, protocol 4 unreachable.
    if (d.method == Method::Tun && server->tunnel.empty())
      out.error(index.key(d.origin, "method"),
                label(*server) + " has no tunl0 to decapsulate tun packets of " + name +
                    ": give it a `tunnel` address (modprobe ipip; ip addr add ADDRESS dev tunl0)");
    warn_listeners(index, s, d, *server, out);
  }
}

}  // namespace

bool service_takes(const ServiceSpec& s, const ClientSpec& c) {
  if (!s.fwmark) return s.vip == c.target && s.protocol == c.protocol && s.port == c.port;
  return std::any_of(s.marks.begin(), s.marks.end(), [&c](const MarkRuleSpec& r) { return rule_matches(r, c); });
}

void check_fwmark(const SpecIndex& index, Findings& out) {
  for (const ServiceSpec& s : index.spec().services)
    if (s.fwmark) check_service(index, s, out);
}

}  // namespace lvs::scenario::checks
