#include "run/builder.hpp"
#include "run/build_vrrp.hpp"
#include "run/build_sync.hpp"

#include <functional>
#include <map>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "run/build_failures.hpp"
#include "run/build_storage.hpp"
#include "run/build_fwmark.hpp"
#include "run/build_checks.hpp"
#include "scenario/director_cpu_spec.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/sched_flags.hpp"

namespace lvs::run {

namespace {

using namespace lvs::scenario;

TxParams tx_params(const TxSpec& s) { return TxParams{s.rate.bits_per_second(), s.delay, s.queue.count()}; }

IpProto ip_proto(Protocol p) { return p == Protocol::Udp ? IpProto::Udp : IpProto::Tcp; }

ForwardingMethod forwarding(Method m) {
  switch (m) {
    case Method::Nat: return ForwardingMethod::Masquerade;
    case Method::Dr: return ForwardingMethod::DirectRouting;
    case Method::Tun: return ForwardingMethod::Tunnel;
    case Method::FullNat: return ForwardingMethod::FullNat;
  }
  return ForwardingMethod::DirectRouting;
}

RealServerConfig server_config(const ServerAppSpec& s, const storage::Catalogue* content, Time warmup) {
  return RealServerConfig{ip_proto(s.protocol), s.port,         s.workers,         s.backlog,
                          s.max_connections,    s.service_time, s.response_size, content, warmup};
}

ClientConfig client_config(const ClientSpec& c, const HostSpec& host, Time warmup, const storage::Catalogue* content) {
  ClientConfig cfg;
  cfg.content = content;
  cfg.sites = c.sites;
  cfg.protocol = ip_proto(c.protocol);
  cfg.target = c.target;
  cfg.port = c.port;
  const InterfaceSpec* pop = &host.interfaces.front();
  for (const InterfaceSpec& i : host.interfaces)
    if (i.sources > 1) pop = &i;
  cfg.first_source = pop->address.address();
  cfg.sources = pop->sources;
  cfg.arrivals = c.process;
  cfg.rate = c.rate;
  cfg.users = c.users;
  cfg.think_time = c.think_time;
  cfg.requests_per_connection = c.requests_per_connection;
  cfg.request_size = c.request_size;
  cfg.timeout = c.timeout;
  cfg.max_open = std::uint64_t{c.max_open} * cfg.sources;
  cfg.start = c.start;
  cfg.stop = c.stop;
  cfg.warmup = warmup;
  return cfg;
}

class Builder {
 public:
  Builder(const ScenarioSpec& spec, Model& m) : spec_(spec), m_(m) {}

  void build() {
    index_apps();
    m_.content = build_content(m_.sim, spec_);
    for (const SegmentSpec& s : spec_.topology.segments) {
      segments_[s.name] = &m_.net.add_segment(s.name, tx_params(s.port));
      m_.links.push_back(NamedLink{s.name, nullptr, segments_[s.name]});
    }
    for (const HostSpec& h : spec_.topology.hosts) add_host(h);
    connect_links();
    for (const ServiceSpec& s : spec_.services) add_service(s);
    connect_latency_feeds();
    schedule_events();
    schedule_failures(m_, spec_);
    build_vrrp(m_, spec_);
    build_storage(m_, spec_);
    for (RealServer* s : m_.servers) s->start();
    for (Client* c : m_.clients) c->start();
  }

 private:
  void index_apps() {
    for (const ServerAppSpec& a : spec_.servers)
      for (const std::string& h : a.hosts) server_apps_[h] = &a;
    for (const ClientSpec& c : spec_.workload.clients) {
      if (client_specs_.count(c.host) != 0)
        throw std::runtime_error(c.origin.path + ": host " + c.host + " already runs a client population");
      client_specs_[c.host] = &c;
    }
  }

  Host& make_host(const HostSpec& h) {
    switch (h.kind) {
      case HostKind::Director: {
        Director& d = m_.net.add_node<Director>(h.name, director_cpu(h.cpu));
        m_.directors.push_back(&d);
        m_.director_transports.push_back(std::make_unique<Transport>(d));
        m_.failures.add_transport(d, *m_.director_transports.back());
        return d;
      }
      case HostKind::Server:
        if (const auto it = server_apps_.find(h.name); it != server_apps_.end()) {
          RealServer& s = m_.net.add_node<RealServer>(h.name, server_config(*it->second, m_.content.get(), spec_.warmup));
          m_.servers.push_back(&s);
          return s;
        }
        return m_.net.add_node<EndHost>(h.name);
      case HostKind::Client:
        if (const auto it = client_specs_.find(h.name); it != client_specs_.end()) {
          Client& c = m_.net.add_node<Client>(h.name, client_config(*it->second, h, spec_.warmup, m_.content.get()));
          m_.clients.push_back(&c);
          return c;
        }
        return m_.net.add_node<EndHost>(h.name);
      case HostKind::Router:
      case HostKind::Host: break;
    }
    return m_.net.add_node<Host>(h.name);
  }

  void add_host(const HostSpec& h) {
    Host& host = make_host(h);
    for (const InterfaceSpec& i : h.interfaces) {
      const MacAddress mac = i.mac ? *i.mac : MacAddress::local(++next_mac_);
      Interface& iface = host.add_ethernet(i.name, mac, i.address, i.mtu);
      for (const Ipv4Prefix& a : i.secondary) iface.add_address(a);
      if (i.sources > 1) iface.add_address_block(i.address.address(), i.sources);
      if (!i.segment.empty()) segments_.at(i.segment)->attach(iface);
      if (!i.link.empty()) link_ends_[i.link].push_back(&iface);
    }
    for (Ipv4Address a : h.loopback) host.add_loopback_address(a);
    for (const Ipv4Prefix& p : h.loopback_prefixes) host.add_loopback_address(p);
    for (Ipv4Address a : h.tunnel) host.add_tunnel_address(a);
    for (const RouteSpec& r : h.routes) host.add_route(r.to, r.via, interface_towards(host, r.via, r.origin));
    if (h.gateway) host.set_default_gateway(*h.gateway);
    apply_sysctl(host, h);
  }

  static Interface& interface_towards(Host& host, Ipv4Address via, const Origin& origin) {
    for (const auto& i : host.interfaces())
      for (const Ipv4Prefix& p : i->addresses())
        if (p.contains(via)) return *i;
    throw std::runtime_error(origin.path + ": " + via.str() + " is on no subnet of " + host.name());
  }

  static void apply_sysctl(Host& host, const HostSpec& h) {
    HostSysctl& s = host.sysctl();
    s.ip_forward = h.sysctl.ip_forward.value_or(h.kind == HostKind::Router);
    s.arp_ignore = h.sysctl.arp_ignore.value_or(0);
    s.arp_announce = h.sysctl.arp_announce.value_or(0);
    s.rp_filter = h.sysctl.rp_filter.value_or(0) == 1 ? 1 : 0;
    if (auto* director = dynamic_cast<Director*>(&host)) apply_ipvs_sysctl(director->ipvs_sysctl(), h.sysctl);
    if (auto* end_host = dynamic_cast<EndHost*>(&host)) apply_tcp_sysctl(end_host->tcp_config(), h.sysctl);
  }

  static void apply_ipvs_sysctl(IpvsSysctl& ipvs, const SysctlSpec& s) {
    ipvs.expire_quiescent_template = s.expire_quiescent_template.value_or(false);
    ipvs.expire_nodest_conn = s.expire_nodest_conn.value_or(false);
    ipvs.conn_reuse_mode = s.conn_reuse_mode.value_or(ipvs.conn_reuse_mode);
    ipvs.conntrack = s.conntrack.value_or(false);
    LportSysctl& lport = ipvs.fullnat_lport;
    if (s.fullnat_lport_min) lport.min = static_cast<std::uint16_t>(*s.fullnat_lport_min);
    if (s.fullnat_lport_max) lport.max = static_cast<std::uint16_t>(*s.fullnat_lport_max);
    if (s.fullnat_lport_tries) lport.tries = static_cast<std::uint32_t>(*s.fullnat_lport_tries);
  }

  static void apply_tcp_sysctl(TcpConfig& tcp, const SysctlSpec& s) {
    if (s.tcp_timestamps) tcp.timestamps = *s.tcp_timestamps;
    if (s.tcp_sack) tcp.sack = *s.tcp_sack != 0;
    if (s.tcp_window_scaling) tcp.window_scaling = *s.tcp_window_scaling != 0;
    if (s.ip_local_port_range) {
      tcp.ephemeral_first = static_cast<std::uint16_t>(s.ip_local_port_range->first);
      tcp.ephemeral_last = static_cast<std::uint16_t>(s.ip_local_port_range->second);
    }
    if (s.tcp_tw_reuse) tcp.tw_reuse = *s.tcp_tw_reuse;
    if (s.tcp_fin_timeout) tcp.fin_timeout = Time::s(*s.tcp_fin_timeout);
  }

  void connect_links() {
    for (const LinkSpec& l : spec_.topology.links) {
      const std::vector<Interface*>& ends = link_ends_[l.name];
      if (ends.size() != 2) throw std::runtime_error(l.origin.path + ": link " + l.name + " needs exactly two ends");
      const Link& link = m_.net.connect(l.name, *ends[0], *ends[1], tx_params(l.tx));
      m_.links.push_back(NamedLink{l.name, &link, nullptr});
    }
  }

  // The service on its director and on each of `also_on` (keepalived on each member of a
  // VRRP pair configures the same virtual server).
  void add_service(const ServiceSpec& s) {
    std::vector<VirtualService*> copies{&add_service_on(s, s.director)};
    for (const std::string& d : s.also_on) copies.push_back(&add_service_on(s, d));
    services_.push_back(std::move(copies));
  }

  VirtualService& add_service_on(const ServiceSpec& s, const std::string& director) {
    Director* d = dynamic_cast<Director*>(m_.net.node(director));
    if (d == nullptr) throw std::runtime_error(s.origin.path + ": " + director + " is not a director");
    VirtualService& vs =
        s.fwmark ? add_fwmark_service(*d, s) : d->add_service(ip_proto(s.protocol), s.vip, s.port, s.scheduler);
    if (s.persistent) vs.set_persistence(Persistence{*s.persistent, s.netmask});
    std::uint32_t flags = 0;
    for (const std::string& f : s.sched_flags) flags |= sched_flag_bit(f).value_or(0);
    vs.set_sched_flags(flags);
    if (has_fullnat(s) || !s.local_addresses.empty()) {
      FullNatPool& pool = d->add_fullnat_pool(vs, s.flavour == FullNatFlavour::Dpvs ? Flavour::Dpvs : Flavour::Alibaba);
      for (Ipv4Address a : s.local_addresses) pool.add(a);
    }
    // The initially present destinations are ipvsadm -a'd in file order, as one batch:
    // VirtualService::add_destinations leaves the list and the scheduler as the adds one by
    // one would, in O(N) instead of O(N) per add (tests/schedulers/test_batch_add.cpp,
    // tests/lvs/test_batch_add.cpp).
    std::vector<DestinationConfig> present;
    for (const DestinationSpec& dest : s.destinations) {
      const DestinationConfig cfg = destination_config(s, dest);
      if (dest.initially_present) present.push_back(cfg);
      feed_latency(vs, cfg);
    }
    vs.add_destinations(present);
    return vs;
  }

  DestinationConfig destination_config(const ServiceSpec& s, const DestinationSpec& dest) {
    DestinationConfig cfg;
    cfg.name = dest.server;
    cfg.addr = dest.address ? *dest.address : server_address(dest);
    cfg.port = dest.port.value_or(s.port);
    cfg.method = forwarding(dest.method);
    cfg.weight = static_cast<std::int32_t>(dest.weight);
    cfg.u_threshold = static_cast<std::int32_t>(dest.u_threshold);
    cfg.l_threshold = static_cast<std::int32_t>(dest.l_threshold);
    return cfg;
  }

  // The real server reports each request's time at the server to the service's scheduler
  // (lrt and peak-ewma learn from it; the IPVS ones ignore it). A destination keeps its id
  // for the life of the service (a re-added one comes back with it), so the id is looked up
  // once, when the destination is first in the service, not per request.
  void feed_latency(VirtualService& vs, const DestinationConfig& cfg) {
    Simulation& sim = m_.sim;
    latency_feeds_[cfg.name].push_back(
        [&vs, &sim, addr = cfg.addr, port = cfg.port, id = std::optional<DestId>()](Time latency) mutable {
          if (!id) id = vs.find(addr, port);
          if (id && vs.has(*id)) vs.request_done(*id, latency, sim.now());
        });
  }

  void connect_latency_feeds() {
    for (RealServer* server : m_.servers) {
      const auto it = latency_feeds_.find(server->name());
      if (it == latency_feeds_.end()) continue;
      server->on_request_served([feeds = std::move(it->second)](Time latency) {
        for (const auto& feed : feeds) feed(latency);
      });
    }
  }

  // The scenario's events as ipvsadm commands on the control plane's timeline.
  void schedule_events() {
    for (const EventSpec& e : spec_.events) {
      if (!is_ipvsadm(e)) continue;  // build_failures.cpp
      for (VirtualService* copy : services_[e.service]) schedule_ipvsadm(e, *copy);
    }
  }

  void schedule_ipvsadm(const EventSpec& e, VirtualService& service) {
    {
      const ServiceSpec& s = spec_.services[e.service];
      control::IpvsadmCommand cmd;
      cmd.service = &service;
      if (e.action == EventSpec::Action::Scheduler) {
        cmd.op = control::IpvsadmCommand::Op::EditService;
        cmd.scheduler = e.scheduler;
      } else {
        cmd.dest = destination_config(s, s.destinations[e.destination]);
        if (e.weight) cmd.dest.weight = static_cast<std::int32_t>(*e.weight);
        cmd.op = e.action == EventSpec::Action::Add      ? control::IpvsadmCommand::Op::AddDest
                 : e.action == EventSpec::Action::Remove ? control::IpvsadmCommand::Op::DeleteDest
                                                         : control::IpvsadmCommand::Op::EditDest;
        const auto as_int = [](std::optional<std::uint32_t> v) {
          return v ? std::optional<std::int32_t>(static_cast<std::int32_t>(*v)) : std::nullopt;
        };
        cmd.weight = as_int(e.weight);
        cmd.u_threshold = as_int(e.u_threshold);
        cmd.l_threshold = as_int(e.l_threshold);
      }
      m_.timeline.at(e.at, std::move(cmd));
    }
  }

  // A host's first address, by name: indexed once, not a scan of the hosts per destination.
  Ipv4Address server_address(const DestinationSpec& dest) {
    if (host_by_name_.empty())
      for (const HostSpec& h : spec_.topology.hosts) host_by_name_.emplace(h.name, &h);  // the first of a name
    const auto it = host_by_name_.find(dest.server);
    if (it == host_by_name_.end()) throw std::runtime_error(dest.origin.path + ": no host " + dest.server);
    return it->second->interfaces.front().address.address();
  }

  const ScenarioSpec& spec_;
  Model& m_;
  std::uint64_t next_mac_ = 0;
  std::map<std::string, Segment*> segments_;
  std::map<std::string, std::vector<Interface*>> link_ends_;
  std::map<std::string, const ServerAppSpec*> server_apps_;
  std::map<std::string, const ClientSpec*> client_specs_;
  std::vector<std::vector<VirtualService*>> services_;  // by index in spec_.services: on each of its directors
  std::map<std::string, std::vector<std::function<void(Time)>>> latency_feeds_;  // by server name
  std::unordered_map<std::string_view, const HostSpec*> host_by_name_;  // server_address's index
};

}  // namespace

std::unique_ptr<Model> build_model(const ScenarioSpec& spec, std::uint64_t seed) {
  auto model = std::make_unique<Model>(seed);
  Builder(spec, *model).build();
  build_checks(*model, spec);
  build_sync(*model, spec);
  return model;
}

}  // namespace lvs::run
