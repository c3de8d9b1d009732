// The network the sources imply: a segment per subnet seen, the directors on the subnets of
// their VIPs and (for NAT, DR, FULLNAT) their real servers, a real server host per RIP set up
// for its forwarding method, a router on every segment and on a client network, a client
// population per service, and the application on the real servers.

#include <algorithm>
#include <set>

#include "import/to_scenario_detail.hpp"

namespace lvs::import::detail {

namespace {

using scenario::HostKind;
using scenario::HostSpec;
using scenario::InterfaceSpec;
using scenario::Method;

struct Builder {
  Builder(const Plan& p, ImportResult& r, Diagnostics& d) : plan(p), result(r), diagnostics(d) {}
  const Plan& plan;
  ImportResult& result;
  Diagnostics& diagnostics;
  std::vector<Ipv4Prefix> subnets;       // networks, in the order first seen
  std::set<std::uint32_t> used;          // addresses taken
  std::map<std::uint32_t, std::string> host_of_rip;
  std::vector<HostSpec> directors, servers;
  HostSpec router;

  // The subnet of `a`: a VRRP address's prefix when one covers it, else /24.
  Ipv4Prefix subnet_of(Ipv4Address a) const {
    for (const scenario::VrrpInstanceSpec& v : plan.vrrp)
      for (const Ipv4Prefix& p : v.virtual_ipaddress)
        if (p.length() < 32 && p.contains(a)) return Ipv4Prefix(p.network(), p.length());
    const Ipv4Prefix p(a, kDefaultPrefix);
    return Ipv4Prefix(p.network(), kDefaultPrefix);
  }
  std::size_t subnet_index(Ipv4Address a) {
    const Ipv4Prefix p = subnet_of(a);
    used.insert(a.value());
    for (std::size_t i = 0; i < subnets.size(); ++i)
      if (subnets[i] == p) return i;
    subnets.push_back(p);
    return subnets.size() - 1;
  }
  // A free host address of subnet `i`, from the top (the router) or the bottom.
  Ipv4Address pick(std::size_t i, bool from_top) {
    const Ipv4Prefix p = subnets[i];
    const std::uint32_t first = p.network().value() + 1, last = p.broadcast_address().value() - 1;
    for (std::uint32_t k = 0; first + k <= last; ++k) {
      const std::uint32_t a = from_top ? last - k : first + k;
      if (used.insert(a).second) return Ipv4Address(a);
    }
    throw ImportError({result.sources.front(), 0}, "no free address left in " + p.str() + " for the inferred hosts");
  }
  std::string segment_name(std::size_t i) const {
    std::string s = "net-" + subnets[i].network().str();
    std::replace(s.begin(), s.end(), '.', '-');
    return s;
  }
  HostSpec* director(const std::string& name) {
    for (HostSpec& h : directors)
      if (h.name == name) return &h;
    return nullptr;
  }
  const InterfaceSpec* interface_on(const HostSpec& h, std::size_t subnet) const {
    for (const InterfaceSpec& i : h.interfaces)
      if (i.segment == segment_name(subnet)) return &i;
    return nullptr;
  }

  void collect_subnets();
  void make_directors();
  void make_servers();
  void vrrp_host_routes();
  void make_services();
  void make_router_and_clients();
  void make_apps();
  void fill_notes();
  std::optional<Ipv4Address> nat_gateway(std::size_t subnet, const std::string& director_name);
  void add_secondary(const std::string& director_name, Ipv4Address a);
  scenario::ServiceSpec service(const MergedService& m);
  Ipv4Address router_on(const InterfaceSpec& f) const;
};

// A DR real server carries the VIP on lo, a TUN one on tunl0; neither answers ARP for it.
void setup_server(HostSpec& h, Method m, Ipv4Address vip) {
  const auto add = [](std::vector<Ipv4Address>& v, Ipv4Address a) {
    if (std::find(v.begin(), v.end(), a) == v.end()) v.push_back(a);
  };
  if (m != Method::Dr && m != Method::Tun) return;
  add(m == Method::Dr ? h.loopback : h.tunnel, vip);
  h.sysctl.arp_ignore = 1, h.sysctl.arp_announce = 2;
  if (m == Method::Tun) h.sysctl.rp_filter = 0;
}

InterfaceSpec iface(const std::string& name, const std::string& segment, Ipv4Prefix address, std::uint32_t sources) {
  InterfaceSpec f;
  f.name = name, f.segment = segment, f.address = address, f.sources = sources;
  return f;
}

Method method_of(const ImportedService& s, const ImportedReal& r) { return r.method.value_or(s.method); }

bool vrrp_holds(const Plan& plan, Ipv4Address a) {
  for (const scenario::VrrpInstanceSpec& v : plan.vrrp)
    for (const Ipv4Prefix& p : v.virtual_ipaddress)
      if (p.address() == a) return true;
  return false;
}

void Builder::collect_subnets() {
  for (const MergedService& m : plan.services) subnet_index(m.service.vip);
  for (const scenario::VrrpInstanceSpec& v : plan.vrrp)
    for (const Ipv4Prefix& p : v.virtual_ipaddress) subnet_index(p.address());
  for (const MergedService& m : plan.services) {
    for (const ImportedReal& r : m.service.reals) subnet_index(r.address);
    if (m.service.sorry_server) subnet_index(m.service.sorry_server->first);
    for (Ipv4Address a : m.service.local_addresses) subnet_index(a);
  }
  if (std::any_of(subnets.begin(), subnets.end(), [](const Ipv4Prefix& p) {
        return kClientNetwork.contains(p.network()) || p.contains(kClientNetwork.network());
      }))
    throw ImportError({result.sources.front(), 0},
                      "the sources use addresses in " + kClientNetwork.str() + ", the client network of the import");
}

// The VRRP interface name `director` uses on subnet `i`, or "".
std::string vrrp_interface(const Plan& plan, const std::string& director, const Ipv4Prefix& subnet) {
  for (const scenario::VrrpInstanceSpec& v : plan.vrrp)
    for (const scenario::VrrpMemberSpec& m : v.members)
      if (m.director == director)
        for (const Ipv4Prefix& p : v.virtual_ipaddress)
          if (subnet.contains(p.address())) return m.interface;
  return "";
}

void Builder::make_directors() {
  for (const std::string& name : plan.directors) {
    HostSpec h;
    h.name = name;
    h.kind = HostKind::Director;
    std::vector<std::size_t> on;
    const auto add = [&](Ipv4Address a) {
      const std::size_t i = subnet_index(a);
      if (std::find(on.begin(), on.end(), i) == on.end()) on.push_back(i);
    };
    for (const MergedService& m : plan.services) {
      if (m.director != name && std::find(m.also_on.begin(), m.also_on.end(), name) == m.also_on.end()) continue;
      add(m.service.vip);
      for (const ImportedReal& r : m.service.reals) {
        const Method method = method_of(m.service, r);
        if (method != Method::Tun) add(r.address);
        // NAT and FULLNAT replies come back through the director, which forwards them.
        if (method == Method::Nat || method == Method::FullNat) h.sysctl.ip_forward = true;
      }
      if (m.service.method != Method::Tun && m.service.sorry_server) add(m.service.sorry_server->first);
      if (m.service.method == Method::Nat || m.service.method == Method::FullNat) h.sysctl.ip_forward = true;
    }
    for (const scenario::VrrpInstanceSpec& v : plan.vrrp)
      for (const scenario::VrrpMemberSpec& m : v.members)
        if (m.director == name)
          for (const Ipv4Prefix& p : v.virtual_ipaddress) add(p.address());
    std::set<std::string> taken;
    for (std::size_t i : on)
      if (const std::string v = vrrp_interface(plan, name, subnets[i]); !v.empty()) taken.insert(v);
    std::set<std::string> assigned;
    int next = 0;
    for (std::size_t i : on) {
      InterfaceSpec f;
      f.name = vrrp_interface(plan, name, subnets[i]);
      if (f.name.empty() || assigned.contains(f.name))
        do f.name = "eth" + std::to_string(next++);
        while (taken.contains(f.name));
      assigned.insert(f.name), taken.insert(f.name);
      f.segment = segment_name(i);
      f.address = Ipv4Prefix(pick(i, false), subnets[i].length());
      h.interfaces.push_back(f);
    }
    directors.push_back(std::move(h));
  }
}

// keepalived adds every address of an instance to the member's interface, with its prefix
// (and so a connected route). An address on another subnet than that interface's (a NAT
// gateway VIP meant for `dev eth1`, which the import does not model) would make the director
// route that whole subnet out of the wrong interface: it is kept as a /32.
void Builder::vrrp_host_routes() {
  for (scenario::VrrpInstanceSpec& v : result.spec.vrrp)
    for (Ipv4Prefix& p : v.virtual_ipaddress) {
      if (p.length() == 32) continue;
      const std::string segment = segment_name(subnet_index(p.address()));
      const bool off_subnet = std::any_of(v.members.begin(), v.members.end(), [&](const scenario::VrrpMemberSpec& m) {
        const HostSpec* d = director(m.director);
        if (d == nullptr) return false;
        for (const InterfaceSpec& f : d->interfaces)
          if (f.name == m.interface) return f.segment != segment;
        return false;
      });
      if (!off_subnet) continue;
      result.filled.push_back("VRRP address " + p.str() + " of " + v.name + " as " + p.address().str() +
                              "/32: keepalived adds it to " + v.members.front().interface +
                              ", on another subnet (give it `dev IFACE` in keepalived.conf)");
      p = Ipv4Prefix(p.address(), 32);
    }
}

void Builder::make_servers() {
  int reals = 0, sorries = 0;
  // The host with address `a`, made (named by `name_for`) when it is the first time.
  const auto host = [&](Ipv4Address a, bool sorry) -> HostSpec& {
    if (const auto it = host_of_rip.find(a.value()); it != host_of_rip.end())
      for (HostSpec& h : servers)
        if (h.name == it->second) return h;
    HostSpec h;
    h.name = sorry ? (sorries++ == 0 ? "sorry" : "sorry" + std::to_string(sorries)) : "rs" + std::to_string(++reals);
    h.kind = HostKind::Server;
    const std::size_t i = subnet_index(a);
    h.interfaces.push_back(iface("eth0", segment_name(i), Ipv4Prefix(a, subnets[i].length()), 1));
    host_of_rip[a.value()] = h.name;
    servers.push_back(std::move(h));
    return servers.back();
  };
  for (const MergedService& m : plan.services) {
    for (const ImportedReal& r : m.service.reals) setup_server(host(r.address, false), method_of(m.service, r), m.service.vip);
    if (m.service.sorry_server) setup_server(host(m.service.sorry_server->first, true), m.service.method, m.service.vip);
  }
}

// The address NAT real servers on subnet `i` route through: a VRRP address there, else the
// service's director's own address on that subnet.
std::optional<Ipv4Address> Builder::nat_gateway(std::size_t i, const std::string& director_name) {
  for (const scenario::VrrpInstanceSpec& v : plan.vrrp)
    for (const Ipv4Prefix& p : v.virtual_ipaddress)
      if (subnets[i].contains(p.address())) return p.address();
  if (const HostSpec* d = director(director_name))
    if (const InterfaceSpec* f = interface_on(*d, i)) return f->address.address();
  return std::nullopt;
}

void Builder::add_secondary(const std::string& director_name, Ipv4Address a) {
  HostSpec* d = director(director_name);
  const std::size_t i = subnet_index(a);
  for (InterfaceSpec& f : d->interfaces)
    if (f.segment == segment_name(i)) {
      const Ipv4Prefix p(a, subnets[i].length());
      if (std::find(f.secondary.begin(), f.secondary.end(), p) == f.secondary.end()) f.secondary.push_back(p);
      return;
    }
}

scenario::ServiceSpec Builder::service(const MergedService& m) {
  const ImportedService& s = m.service;
  scenario::ServiceSpec out;
  out.director = m.director;
  out.also_on = m.also_on;
  out.protocol = s.protocol, out.vip = s.vip, out.port = s.port;
  out.scheduler = s.scheduler, out.sched_flags = s.sched_flags;
  out.persistent = s.persistent, out.netmask = s.netmask;
  out.local_addresses = s.local_addresses;
  bool checks = false;
  for (const ImportedReal& r : s.reals) {
    scenario::DestinationSpec d;
    d.server = host_of_rip.at(r.address.value());
    if (r.port != s.port) d.port = r.port;
    d.method = method_of(s, r);
    d.weight = r.weight, d.u_threshold = r.u_threshold, d.l_threshold = r.l_threshold;
    d.checks = r.checks;
    checks = checks || !d.checks.empty();
    if (d.method == Method::Nat)
      for (HostSpec& h : servers)
        if (h.name == d.server && !h.gateway)
          h.gateway = nat_gateway(subnet_index(r.address), m.director);
    out.destinations.push_back(std::move(d));
  }
  if (s.health_check && (checks || s.sorry_server)) {
    out.health_check = s.health_check;
    if (s.sorry_server) {
      out.health_check->sorry_server = host_of_rip.at(s.sorry_server->first.value());
      if (s.sorry_server->second != s.port) out.health_check->sorry_port = s.sorry_server->second;
    }
  }
  if (!vrrp_holds(plan, s.vip)) add_secondary(m.director, s.vip);
  if (scenario::has_fullnat(out) && out.local_addresses.empty()) {
    const std::size_t i = subnet_index(s.reals.front().address);
    const Ipv4Address laddr = pick(i, false);
    out.local_addresses.push_back(laddr);
    result.filled.push_back("FULLNAT local address of " + s.vip.str() + ":" + std::to_string(s.port) + ": " +
                            laddr.str() + " on " + m.director);
  }
  for (Ipv4Address a : out.local_addresses) add_secondary(m.director, a);
  return out;
}

void Builder::make_services() {
  for (const MergedService& m : plan.services) result.spec.services.push_back(service(m));
}

// The router's address on the segment of `f`.
Ipv4Address Builder::router_on(const InterfaceSpec& f) const {
  for (const InterfaceSpec& r : router.interfaces)
    if (r.segment == f.segment) return r.address.address();
  return kClientNetwork.address();
}

void Builder::make_router_and_clients() {
  for (HostSpec& h : directors)
    if (!h.gateway && !h.interfaces.empty()) h.gateway = router_on(h.interfaces.front());
  for (HostSpec& h : servers)
    if (!h.gateway) h.gateway = router_on(h.interfaces.front());
  std::vector<HostSpec>& hosts = result.spec.topology.hosts;
  const std::size_t n = std::min<std::size_t>(plan.services.size(), 254);
  if (n < plan.services.size())
    diagnostics.warn({result.sources.front(), 0}, "more than 254 services: clients only for the first 254");
  for (std::size_t k = 0; k < n; ++k) {
    const scenario::ServiceSpec& s = result.spec.services[k];
    HostSpec c;
    c.name = "client" + std::to_string(k + 1);
    c.kind = HostKind::Client;
    c.gateway = kClientNetwork.address();
    const Ipv4Address a(kClientNetwork.network().value() + ((k + 1) << 8) + 10);
    c.interfaces.push_back(iface("eth0", "internet", Ipv4Prefix(a, kClientNetwork.length()), kDefaultClientSources));
    hosts.push_back(std::move(c));
    scenario::ClientSpec w;
    w.host = hosts.back().name;
    w.protocol = s.protocol, w.target = s.vip, w.port = s.port;
    w.process = ArrivalProcess::Poisson;
    w.rate = {{Time{}, kDefaultClientRate}};
    result.spec.workload.clients.push_back(std::move(w));
  }
  hosts.push_back(router);
  for (HostSpec& h : directors) hosts.push_back(std::move(h));
  for (HostSpec& h : servers) hosts.push_back(std::move(h));
  scenario::TopologySpec& t = result.spec.topology;
  for (std::size_t i = 0; i <= subnets.size(); ++i) {
    t.segments.emplace_back();
    t.segments.back().name = i == 0 ? "internet" : segment_name(i - 1);
  }
}

void Builder::make_apps() {
  for (const scenario::ServiceSpec& s : result.spec.services) {
    const auto serve = [&](const std::string& host, std::uint16_t port) {
      for (scenario::ServerAppSpec& a : result.spec.servers)
        if (a.protocol == s.protocol && a.port == port) {
          if (std::find(a.hosts.begin(), a.hosts.end(), host) == a.hosts.end()) a.hosts.push_back(host);
          return;
        }
      scenario::ServerAppSpec a;
      a.hosts = {host};
      a.protocol = s.protocol, a.port = port;
      a.service_time = Distribution::exponential(kDefaultServiceTime.count() / 1e9);
      result.spec.servers.push_back(std::move(a));
    };
    for (const scenario::DestinationSpec& d : s.destinations) serve(d.server, d.port.value_or(s.port));
    if (s.health_check && s.health_check->sorry_server)
      serve(*s.health_check->sorry_server, s.health_check->sorry_port.value_or(s.port));
  }
}

void Builder::fill_notes() {
  std::vector<std::string>& f = result.filled;
  std::string segs = "segments: one per subnet seen (/" + std::to_string(kDefaultPrefix) +
                     " where the source gives no prefix), the scenario's default port rate and delay:";
  for (const Ipv4Prefix& p : subnets) segs += " " + p.str();
  f.insert(f.begin(), segs);
  std::string addrs = "director addresses (the sources do not give them):";
  for (const HostSpec& h : result.spec.topology.hosts)
    if (h.kind == HostKind::Director)
      for (const InterfaceSpec& i : h.interfaces) addrs += " " + h.name + "/" + i.name + " " + i.address.address().str();
  f.insert(f.begin() + 1, addrs);
  f.insert(f.begin() + 2, "router 'router': on every segment and on 'internet' " + kClientNetwork.str() +
                              "; real servers route through it (NAT ones through the director)");
  f.push_back("clients: one population per service on 'internet', " + std::to_string(kDefaultClientSources) +
              " addresses, Poisson arrivals at " + std::to_string(static_cast<int>(kDefaultClientRate)) + " sessions/s");
  f.push_back("application on the real servers: exponential service time, mean " + to_string(kDefaultServiceTime) +
              ", the scenario's defaults otherwise");
  f.push_back("run: duration " + to_string(result.spec.duration) + ", warmup " + to_string(result.spec.warmup) +
              ", seed " + std::to_string(result.spec.seed));
  if (!diagnostics.port_names.empty()) f.push_back("port names looked up in " + diagnostics.port_names);
}

}  // namespace

void build_topology(const Plan& plan, ImportResult& result, Diagnostics& diagnostics) {
  Builder b{plan, result, diagnostics};
  b.collect_subnets();
  b.router.name = "router";
  b.router.kind = HostKind::Router;
  b.router.interfaces.push_back(iface("eth0", "internet", kClientNetwork, 1));
  for (std::size_t i = 0; i < b.subnets.size(); ++i)
    b.router.interfaces.push_back(
        iface("eth" + std::to_string(i + 1), b.segment_name(i), Ipv4Prefix(b.pick(i, true), b.subnets[i].length()), 1));
  b.make_directors();
  b.vrrp_host_routes();
  b.make_servers();
  b.make_services();
  b.make_router_and_clients();
  b.make_apps();
  b.fill_notes();
}

}  // namespace lvs::import::detail
