// Warnings about sizes and capacity, estimated from the spec alone (means of the
// distributions, the director profile's costs) as a capacity planner would:
//   - TUN: a client's full-size packets plus the 20-byte IPIP header do not fit the MTU of
//     the tunnel's path (RFC 2003; ip_vs_tunnel_xmit answers ICMP fragmentation needed);
//   - FULLNAT: fewer local ports (per local address and real server, the flavour's range)
//     than the connections the clients hold at once, the flavour's TIME_WAIT included;
//   - directors whose cores cannot forward every packet of the workload, and links that
//     cannot carry its bytes (validate_director.cpp);
//   - clients: more new connections from one source address to one VIP:port than its
//     ephemeral ports allow, each held 60 s in TIME_WAIT (docs/ports.md).

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <tuple>

#include "lvs/fullnat_pool.hpp"
#include "scenario/director_cpu_spec.hpp"
#include "lvs/conn_state.hpp"
#include "lvs/director_cpu.hpp"
#include "lvs/local_ports.hpp"
#include "net/packet.hpp"
#include "scenario/validate_detail.hpp"
#include "scenario/validate_load.hpp"
#include "transport/time_wait.hpp"

namespace lvs::scenario::checks {

namespace {

constexpr std::uint32_t kTcpIp = kIpv4Header + kTcpHeader;

// --- TUN: the MTU of the tunnel's path ---

struct Narrowest {
  std::uint32_t mtu = 0;  // 0: no path known
  const HostSpec* host = nullptr;
  const InterfaceSpec* iface = nullptr;
};

// The smallest MTU on the way from `from` to `to`, hop by hop along the routes.
Narrowest path_mtu(const SpecIndex& index, const HostSpec& from, Ipv4Address to) {
  Narrowest n;
  const HostSpec* host = &from;
  for (int hop = 0; hop < 32 && host != nullptr; ++hop) {
    const std::optional<RouteChoice> r = route(*host, to);
    if (!r || r->iface == nullptr) break;
    if (n.mtu == 0 || r->iface->mtu < n.mtu) n = Narrowest{r->iface->mtu, host, r->iface};
    if (r->next_hop == to) break;
    host = index.owner(r->next_hop);
  }
  return n;
}

// The MTU a host sends to `to` with: that of the interface its route leaves by.
std::uint32_t send_mtu(const HostSpec& host, Ipv4Address to) {
  const std::optional<RouteChoice> r = route(host, to);
  if (r && r->iface != nullptr) return r->iface->mtu;
  return host.interfaces.empty() ? 1500 : host.interfaces.front().mtu;
}

// The largest request, if the distribution has a bound (constant, uniform); else nullopt.
std::optional<double> largest(const Distribution& d) {
  if (d.variance() == 0) return d.mean();
  if (d.kind() == Distribution::Kind::Uniform) return d.mean() + std::sqrt(3 * d.variance());
  return std::nullopt;
}

using TunWarned = std::set<std::tuple<const HostSpec*, const HostSpec*, const InterfaceSpec*>>;

void warn_tun_mtu(const SpecIndex& index, const ServiceSpec& s, const HostSpec& director, const DestinationSpec& d,
                  TunWarned& warned, Findings& out) {
  const HostSpec* server = of_kind(index, d.server, HostKind::Server);
  if (server == nullptr) return;
  const Ipv4Address daddr = d.address.value_or(primary_address(*server));
  const Narrowest path = path_mtu(index, director, daddr);
  if (path.mtu == 0) return;
  for (const ClientSpec& c : index.spec().workload.clients) {
    const HostSpec* client = of_kind(index, c.host, HostKind::Client);
    if (client == nullptr || !uses(c, s) || c.protocol != Protocol::Tcp) continue;
    // MSS is negotiated: the smaller MTU of the two ends.
    const std::uint32_t mtu = std::min(send_mtu(*client, s.vip), send_mtu(*server, primary_address(*client)));
    const std::optional<double> request = largest(c.request_size);
    const bool full = !request || *request + kTcpIp >= mtu;
    const std::uint32_t packet = full ? mtu : static_cast<std::uint32_t>(std::ceil(*request)) + kTcpIp;
    // The tunnel adds an outer IPv4 header (IPIP, RFC 2003).
    if (packet + kIpv4Header <= path.mtu || !warned.insert({client, path.host, path.iface}).second) continue;
    const std::string what =
        full ? "full-size packets from client " + client->name + " (MTU " + std::to_string(mtu) + ")"
             : "packets of up to " + std::to_string(packet) + " bytes from client " + client->name;
    out.warning(d.origin, what + " plus the 20-byte IPIP header exceed MTU " + std::to_string(path.mtu) + " of " +
                              label(*path.host) + " " + path.iface->name +
                              ": large requests need fragmentation or path-MTU discovery; lower the clients' "
                              "MSS/MTU or raise the tunnel path's MTU");
  }
}

// --- FULLNAT: local ports against concurrent connections ---

// The local ports of one FULLNAT service (docs/fullnat.md). A port is free again when its
// connection's entry expires: the flavour's TIME_WAIT (7 s) after the last packet of a closed
// TCP connection, 300 s after a UDP one.
struct PortSpace {
  Flavour flavour = Flavour::Alibaba;
  std::uint32_t min = 0, max = 0;  // the local port range
  std::size_t laddrs = 0;          // distinct local addresses
  std::size_t servers = 0;         // distinct rip:rport in use
  std::size_t spaces = 0;          // what ports are counted per: real servers, or DPVS's pools they hash to
  std::size_t rr_servers = 0;      // Alibaba under rr: the destinations the two round robins step through
  double ports_per_laddr() const { return static_cast<double>(max - min + 1); }
  // Local addresses each real server gets: all, or under rr in lock-step with Alibaba's
  // round robin of local addresses, laddrs / gcd(laddrs, destinations) of them.
  std::size_t reach(std::size_t n) const { return rr_servers == 0 ? n : n / std::gcd(n, rr_servers); }
  double ports(std::size_t n) const { return ports_per_laddr() * static_cast<double>(spaces * reach(n)); }
};

PortSpace port_space(const SpecIndex& index, const ServiceSpec& s) {
  PortSpace p;
  p.flavour = s.flavour == FullNatFlavour::Dpvs ? Flavour::Dpvs : Flavour::Alibaba;
  const HostSpec* director = of_kind(index, s.director, HostKind::Director);
  const LportSysctl defaults;
  const SysctlSpec none;
  const SysctlSpec& sysctl = director != nullptr ? director->sysctl : none;
  p.min = p.flavour == Flavour::Dpvs ? kDpvsPortMin : sysctl.fullnat_lport_min.value_or(defaults.min);
  p.max = p.flavour == Flavour::Dpvs ? kDpvsPortMax : sysctl.fullnat_lport_max.value_or(defaults.max);
  std::set<std::uint32_t> addresses;  // a repeated address adds none
  for (const Ipv4Address a : s.local_addresses) addresses.insert(a.value());
  p.laddrs = addresses.size();
  std::set<std::pair<std::uint32_t, std::uint16_t>> servers;
  std::set<std::uint32_t> pools;
  bool all_fullnat = true;
  std::size_t in_rr = 0;
  for (const DestinationSpec& d : s.destinations) {
    const HostSpec* server = of_kind(index, d.server, HostKind::Server);
    if (d.weight == 0 || server == nullptr) continue;
    ++in_rr;
    all_fullnat = all_fullnat && d.method == Method::FullNat;
    if (d.method != Method::FullNat) continue;
    const Ipv4Address rip = d.address.value_or(primary_address(*server));
    servers.insert({rip.value(), d.port.value_or(s.port)});
    pools.insert(dpvs_pool_of(rip, d.port.value_or(s.port)));
  }
  p.servers = servers.size();
  p.spaces = p.flavour == Flavour::Dpvs ? pools.size() : servers.size();
  if (p.flavour == Flavour::Alibaba && s.scheduler == "rr" && !s.persistent && all_fullnat) p.rr_servers = in_rr;
  return p;
}

// "2 local addresses x 4 real servers give 242144 FULLNAT ports (alibaba: 5000..65535 per
// local address and real server)", and what DPVS's pools and rr's lock-step take away.
std::string capacity_text(const PortSpace& p) {
  const bool dpvs = p.flavour == Flavour::Dpvs;
  std::string out = plural(static_cast<long long>(p.laddrs), "local address") + " x " +
                    plural(static_cast<long long>(p.servers), "real server") + " give " +
                    count(p.ports_per_laddr() * static_cast<double>(p.laddrs * p.servers)) + " FULLNAT ports (" +
                    std::string(flavour_name(p.flavour)) + ": " + std::to_string(p.min) + ".." + std::to_string(p.max) +
                    " per local address and " + (dpvs ? "port pool" : "real server") + ")";
  if (dpvs && p.spaces < p.servers)
    out += ", only " + count(p.ports(p.laddrs)) + " usable: the real servers fall in " + std::to_string(p.spaces) +
           " of DPVS's " + std::to_string(kDpvsPoolHash) + " port pools and share them";
  if (p.reach(p.laddrs) < p.laddrs)
    out += ", only " + count(p.ports(p.laddrs)) + " usable: rr steps through the " +
           std::to_string(p.rr_servers) + " real servers in lock-step with the round robin of the local addresses, "
           "so each real server gets " + std::to_string(p.reach(p.laddrs)) + " of them";
  return out;
}

void warn_fullnat_ports(const SpecIndex& index, const ServiceSpec& s, Findings& out) {
  const PortSpace space = port_space(index, s);
  if (space.laddrs == 0 || space.spaces == 0) return;
  const double hold = state_timeout(s.protocol == Protocol::Udp ? ConnState::Udp : ConnState::TimeWait, space.flavour)
                          .seconds();
  const Serving srv = serving(index, s);
  double connections = 0;
  for (const ClientSpec& c : index.spec().workload.clients) {
    if (!uses(c, s)) continue;
    const Load l = load_of(index.spec(), c, srv);
    connections += std::min(l.sessions, l.rate * (l.session_s + hold));
  }
  if (connections <= space.ports(space.laddrs)) return;
  constexpr std::size_t kMostAddresses = 1'000'000;
  std::size_t needed = space.laddrs;
  while (space.ports(needed) < connections && needed <= kMostAddresses) ++needed;
  out.warning(index.key(s.origin, "local_addresses"),
              capacity_text(space) + ", but the clients may hold " + rough(connections) +
                  " connections at once (each keeps its port " + count(hold) +
                  " s after it closes): new connections are refused once the ports run out; use " +
                  at_least(static_cast<double>(needed), kMostAddresses, "local address"));
}

// --- clients: ephemeral ports ---

// The ports connect() can use: ip_local_port_range, cut to an even count (tcp_ports.cpp).
double ephemeral_ports(const SysctlSpec& sysctl) {
  const auto [first, last] = sysctl.ip_local_port_range.value_or(std::pair{32768, 60999});
  return static_cast<double>((last - first + 1) & ~1);
}

// tcp_tw_reuse 1 with timestamps lets connect() take over a TIME_WAIT tuple after 1 s:
// the 60 s no longer bounds the rate.
bool reuses_time_wait(const SysctlSpec& sysctl) {
  return sysctl.tcp_tw_reuse.value_or(2) == 1 && sysctl.tcp_timestamps.value_or(1) != 0;
}

std::uint32_t source_count(const HostSpec& host) {
  std::uint32_t n = host.interfaces.empty() ? 1 : host.interfaces.front().sources;
  for (const InterfaceSpec& i : host.interfaces)
    if (i.sources > 1) n = i.sources;  // the population the client draws from (builder.cpp)
  return n;
}

// A client closes first, so each of its connections keeps its four-tuple 60 s in TIME_WAIT:
// in any 60 s one source address opens each port to one VIP:port once. A host's sources
// take turns, so each sees 1/sources of its connections; the host's clients of one
// VIP:port share its ports.
struct PortDemand {
  const ClientSpec* first = nullptr;  // where the warning points
  double rate = 0;                    // connections/s at the peak, all sources
  double held = 0;                    // connections in the 60 s a port is held, all sources
};

void add_client_demand(const SpecIndex& index, const ClientSpec& c, PortDemand& d) {
  const ServiceSpec* service = nullptr;
  for (const ServiceSpec& s : index.spec().services)
    if (uses(c, s)) service = &s;
  const Load l = load_of(index.spec(), c, service != nullptr ? serving(index, *service) : Serving{});
  if (d.first == nullptr) d.first = &c;
  d.rate += l.rate;
  d.held += std::min(l.sessions, l.rate * (l.session_s + kTimeWaitLength.seconds()));
}

void warn_client_ports(const SpecIndex& index, const HostSpec& host, const PortDemand& d, Findings& out) {
  const ClientSpec& c = *d.first;
  const std::uint32_t sources = source_count(host);
  const double ports = ephemeral_ports(host.sysctl);
  if (d.held / sources <= ports) return;
  const double hold = kTimeWaitLength.seconds();
  const double needed = std::ceil(d.held / ports);
  out.warning(index.key(c.origin, c.users > 0 ? "users" : "arrivals"),
              "client " + c.name + " opens " + rough(d.rate / sources) + " connections/s from each of its " +
                  plural(sources, "source address") + " to " + c.target.str() + ":" + std::to_string(c.port) +
                  ", but one address can open at most " + count(std::floor(ports / hold)) + "/s (" + count(ports) +
                  " ports of ip_local_port_range, each held " + count(hold) +
                  " s in TIME_WAIT, the client closing first): requests fail with no-ephemeral-port once the "
                  "ports run out; use " + at_least(needed, 1LL << 32, "source address") +
                  " (interfaces[].sources) or a wider ip_local_port_range");
}

void check_client_ports(const SpecIndex& index, Findings& out) {
  std::map<std::tuple<std::string, Ipv4Address, std::uint16_t>, PortDemand> demand;
  for (const ClientSpec& c : index.spec().workload.clients) {
    const HostSpec* host = of_kind(index, c.host, HostKind::Client);
    if (host == nullptr || c.protocol != Protocol::Tcp || reuses_time_wait(host->sysctl)) continue;
    add_client_demand(index, c, demand[{c.host, c.target, c.port}]);
  }
  for (const auto& [key, d] : demand) warn_client_ports(index, *index.host(std::get<0>(key)), d, out);
}

}  // namespace

// Open-loop clients offering a service more requests at their peak than all its real
// servers can serve (workers / mean service time, summed): the queues grow without bound
// (a queue is stable only below utilisation 1). Closed-loop users slow down instead.
void warn_server_capacity(const SpecIndex& index, const ServiceSpec& s, Findings& out) {
  const Serving srv = serving(index, s);
  if (srv.capacity <= 0 || !std::isfinite(srv.capacity)) return;
  double offered = 0;
  const ClientSpec* first = nullptr;
  for (const ClientSpec& c : index.spec().workload.clients) {
    if (!uses(c, s) || c.users > 0) continue;
    offered += load_of(index.spec(), c, srv).rate * c.requests_per_connection;
    if (first == nullptr) first = &c;
  }
  if (first == nullptr || offered <= srv.capacity) return;
  out.warning(index.key(first->origin, "arrivals"),
              "the clients offer service " + s.name + " up to " + rough(offered) + " requests/s, but its real servers "
                  "serve at most " + rough(srv.capacity) + " (workers / mean service time, summed): they saturate and "
                  "the queues grow until requests time out; add servers or workers");
}

void check_capacity(const SpecIndex& index, Findings& out) {
  TunWarned tun_warned;
  for (const ServiceSpec& s : index.spec().services) {
    const HostSpec* director = of_kind(index, s.director, HostKind::Director);
    if (director == nullptr) continue;
    warn_server_capacity(index, s, out);
    for (const DestinationSpec& d : s.destinations)
      if (d.method == Method::Tun) warn_tun_mtu(index, s, *director, d, tun_warned, out);
    warn_fullnat_ports(index, s, out);
  }
  for (const HostSpec& h : index.spec().topology.hosts)
    if (h.kind == HostKind::Director) warn_director_cpu(index, h, out);
  warn_links(index, out);
  check_client_ports(index, out);
}

}  // namespace lvs::scenario::checks
