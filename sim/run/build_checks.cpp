#include "run/build_checks.hpp"

#include <map>
#include <stdexcept>
#include <utility>

namespace lvs::run {

namespace {

using namespace lvs::scenario;

std::size_t director_index(const Model& m, const std::string& name) {
  for (std::size_t i = 0; i < m.directors.size(); ++i)
    if (m.directors[i]->name() == name) return i;
  throw std::runtime_error("health checks: no director " + name);
}

VirtualService* find_service(const Director& d, const ServiceSpec& s) {
  const IpProto proto = s.protocol == Protocol::Udp ? IpProto::Udp : IpProto::Tcp;
  for (const auto& vs : d.services())
    if (vs->protocol() == proto && vs->vip() == s.vip && vs->port() == s.port && vs->fwmark() == s.fwmark.value_or(0))
      return vs.get();
  return nullptr;
}

// The application answering on addr:port, by the real servers' addresses and ports.
control::HttpStatusLookup status_lookup(const Model& m) {
  return [servers = m.servers](Ipv4Address addr, std::uint16_t port) -> std::optional<int> {
    for (const RealServer* s : servers) {
      if (s->app().port != port) continue;
      for (const auto& i : s->interfaces())
        if (i->has_address(addr)) return s->http_status();
    }
    return std::nullopt;
  };
}

// The sorry server as a destination: the host's first address, the service's forwarding
// method (that of its first destination), weight 1.
DestinationConfig sorry_destination(const Model& m, const ServiceSpec& s, const HealthCheckSpec& hc) {
  const auto* host = dynamic_cast<const Host*>(m.net.node(*hc.sorry_server));
  if (host == nullptr || host->interfaces().empty())
    throw std::runtime_error(hc.origin.path + ": sorry_server " + *hc.sorry_server + " is not a host with an address");
  DestinationConfig d;
  d.name = *hc.sorry_server;
  d.addr = host->interfaces().front()->primary_address();
  d.port = hc.sorry_port.value_or(s.port);
  d.weight = 1;
  d.method = ForwardingMethod::DirectRouting;
  if (!s.destinations.empty()) {
    const Method method = s.destinations.front().method;
    d.method = method == Method::Nat   ? ForwardingMethod::Masquerade
               : method == Method::Tun ? ForwardingMethod::Tunnel
               : method == Method::FullNat ? ForwardingMethod::FullNat
                                           : ForwardingMethod::DirectRouting;
  }
  return d;
}

// The destinations as the builder put them in the service (their configured weights), matched
// to the spec by server name and port.
void add_servers(control::CheckedService& cs, const VirtualService& vs, const ServiceSpec& s) {
  std::map<std::pair<std::string, std::uint16_t>, DestId> present;
  for (const SchedDest& d : vs.destinations()) present[{vs.config(d.id).name, vs.config(d.id).port}] = d.id;
  for (const DestinationSpec& dest : s.destinations) {
    const auto it = present.find({dest.server, dest.port.value_or(s.port)});
    if (it != present.end()) cs.add_server(vs.config(it->second), dest.checks);
  }
}

}  // namespace

void build_checks(Model& m, const ScenarioSpec& spec, const ServiceLookup& service_on) {
  for (std::size_t i = 0; i < spec.services.size(); ++i) {
    const ServiceSpec& s = spec.services[i];
    if (!s.health_check) continue;
    std::vector<std::string> directors{s.director};
    directors.insert(directors.end(), s.also_on.begin(), s.also_on.end());
    for (const std::string& name : directors) {
      const std::size_t d = director_index(m, name);
      VirtualService* vs = service_on ? service_on(name, i) : find_service(*m.directors[d], s);
      if (vs == nullptr) throw std::runtime_error(s.origin.path + ": no service " + s.vip.str() + " on " + name);
      control::CheckContext ctx{m.sim, *m.director_transports[d], m.log, name, status_lookup(m)};
      auto cs = std::make_unique<control::CheckedService>(std::move(ctx), *vs, *s.health_check);
      add_servers(*cs, *vs, s);
      if (s.health_check->sorry_server) cs->set_sorry_server(sorry_destination(m, s, *s.health_check));
      m.checks.add(std::move(cs)).start();
    }
  }
  // keepalived runs on the director: it dies in a crash and starts again at boot.
  const auto each_on = [&m](const Host& h, auto f) {
    for (const auto& cs : m.checks.services())
      if (cs->context().director == h.name()) f(*cs);
  };
  m.failures.on_host_down([each_on](Host& h) { each_on(h, [](control::CheckedService& cs) { cs.stop(); }); });
  m.failures.on_host_up([each_on](Host& h) { each_on(h, [](control::CheckedService& cs) { cs.restart(); }); });
}

}  // namespace lvs::run
