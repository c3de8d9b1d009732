// Checks of services, destinations, server apps and clients: the names they use resolve to
// hosts of the right kind, the addresses they use are where they must be, and nothing is
// defined twice.

#include <algorithm>
#include <set>
#include <tuple>

#include "scenario/director_cpu_spec.hpp"
#include "scenario/validate_detail.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/sched_flags.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs::scenario::checks {

namespace {

// The host called `name` if it is of `kind`; otherwise an error at `at()` and nullptr. `at` is
// asked only for an error: looking up a key's position for every destination cost more than
// the check.
template <class At>
const HostSpec* expect_host(const SpecIndex& index, const std::string& name, HostKind kind, std::string_view why,
                            const At& at, Findings& out) {
  const HostSpec* host = index.host(name);
  if (host == nullptr) {
    std::vector<std::string> names;
    for (const HostSpec& h : index.spec().topology.hosts) names.push_back(h.name);
    const std::string hint = closest_name(name, names);
    out.error(at(), "unknown host " + name + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    return nullptr;
  }
  if (host->kind == kind) return host;
  out.error(at(), label(*host) + " is not of kind " + kind_name(kind) + "; " + std::string(why));
  return nullptr;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out.append(out.empty() ? "" : ", ").append(n);
  return out;
}

// sh-port and the like name a flag bit for one scheduler: ipvsadm sets the bit whatever the
// scheduler (another may read it under its own name), keepalived ignores the keyword.
void check_sched_flags(const SpecIndex& index, const ServiceSpec& s, Findings& out) {
  for (const std::string& f : s.sched_flags) {
    const std::string_view owner = sched_flag_owner(f);
    if (owner.empty() || owner == s.scheduler) continue;
    const std::string generic = sched_flag_bit(f) == svc_f_sched1 ? "flag-1" : "flag-2";
    out.warning(index.key(s.origin, "sched_flags"),
                "scheduler flag " + f + " is for " + std::string(owner) + ", not " + s.scheduler +
                    ": ipvsadm sets " + generic + " all the same, keepalived ignores it");
  }
}

void check_scheduler(const SpecIndex& index, const ServiceSpec& s, Findings& out) {
  const std::vector<std::string> names = scheduler_names();
  if (std::find(names.begin(), names.end(), s.scheduler) == names.end())
    out.error(index.key(s.origin, "scheduler"),
              "scheduler " + s.scheduler + " is not available; registered: " + joined(names));
  check_sched_flags(index, s, out);
}

// DR rewrites only the destination MAC, so the frame must reach the server over one segment or link.
void check_dr_adjacent(const SpecIndex& index, const DestinationSpec& d, const HostSpec& director,
                       const HostSpec& server, Findings& out) {
  for (const InterfaceSpec& a : director.interfaces)
    for (const InterfaceSpec& b : server.interfaces)
      if (index.plugged(a) && index.plugged(b) && l2_of(a) == l2_of(b)) return;
  out.error(index.key(d.origin, "method"), "dr to " + label(server) + " needs a segment or link shared with " +
                                               label(director) + ": DR rewrites only the MAC address");
}

void check_destinations(const SpecIndex& index, const ServiceSpec& s, const HostSpec* director, Findings& out) {
  std::map<std::tuple<std::string, std::uint32_t, std::uint16_t>, std::string> seen;
  for (const DestinationSpec& d : s.destinations) {
    const HostSpec* server = expect_host(index, d.server, HostKind::Server, "destinations are real servers",
                                         [&] { return index.key(d.origin, "server"); }, out);
    if (server != nullptr && d.address && !has_address(*server, *d.address))
      out.error(index.key(d.origin, "address"),
                d.address->str() + " is not an address of " + label(*server) + " (" + subnets_of(*server) + ")");
    const Ipv4Address address = d.address ? *d.address : server ? primary_address(*server) : Ipv4Address();
    const std::uint16_t port = d.port.value_or(s.port);
    const auto key = std::make_tuple(server ? std::string() : d.server, address.value(), port);
    const auto [it, inserted] = seen.emplace(key, d.origin.path);
    if (!inserted)
      out.error(d.origin, "destination " + address.str() + ":" + std::to_string(port) +
                              " is already in this service (" + it->second + "): ipvsadm refuses it");
    if (server != nullptr && director != nullptr && d.method == Method::Dr)
      check_dr_adjacent(index, d, *director, *server, out);
  }
}

void check_service(const SpecIndex& index, const ServiceSpec& s, Findings& out) {
  const HostSpec* director = expect_host(index, s.director, HostKind::Director, "a virtual service runs on a director",
                                         [&] { return index.key(s.origin, "director"); }, out);
  if (director != nullptr && !s.fwmark && !has_address(*director, s.vip))
    out.error(index.key(s.origin, "vip"),
              "VIP " + s.vip.str() + " is not an address of " + label(*director) +
                  " (add it to the secondary addresses of one of its interfaces): clients' packets never reach it");
  check_scheduler(index, s, out);
  check_destinations(index, s, director, out);
}

// The methods `cpu` has a per-packet cost for: "tun", or "nat, dr, tun".
std::string methods_of(const DirectorCpuConfig& cpu) {
  std::vector<std::string> names;
  for (const Method m : {Method::Nat, Method::Dr, Method::Tun, Method::FullNat})
    if (packet_cost(cpu, m)) names.push_back(method_name(m));
  return names.empty() ? "none" : joined(names);
}

// A director runs a known profile, and the profile (or the scenario's cpu.cost) has a cost for
// every method its destinations use: Katran, say, only encapsulates. Once per director and method.
void check_director_cpu(const SpecIndex& index, const HostSpec& director, Findings& out) {
  if (find_director_profile(director.cpu.profile) == nullptr) {
    out.error(index.key(director.origin, "cpu"), "director profile " + director.cpu.profile +
                                                     " is not available; profiles: " + joined(director_profile_names()));
    return;
  }
  const DirectorCpuConfig cpu = director_cpu(director.cpu);
  std::set<Method> refused;
  for (const ServiceSpec& s : index.spec().services)
    for (const DestinationSpec& d : s.destinations) {
      if (s.director != director.name || packet_cost(cpu, d.method) || !refused.insert(d.method).second) continue;
      out.error(index.key(d.origin, "method"),
                method_name(d.method) + " has no cost on " + label(director) + ": its director profile " +
                    director.cpu.profile + " forwards by " + methods_of(cpu) +
                    " only; choose another profile (lvslab profiles) or set cpu.cost." + method_name(d.method));
    }
}

void check_service_identity(const SpecIndex& index, Findings& out) {
  std::map<std::string, std::string> endpoints;
  std::map<std::string, std::string> names;
  for (const ServiceSpec& s : index.spec().services) {
    const std::string key = s.fwmark ? "fwmark " + std::to_string(*s.fwmark) : endpoint(s.protocol, s.vip, s.port);
    const auto [e, new_endpoint] = endpoints.emplace(key, s.origin.path);
    if (!new_endpoint) {
      out.error(s.origin, "service " + e->first + " is already defined by " + e->second + ": ipvsadm refuses it");
      continue;
    }
    const auto [n, new_name] = names.emplace(s.name, s.origin.path);
    if (!new_name)
      out.error(index.key(s.origin, "name"), "service name " + s.name + " is already used by " + n->second);
  }
}

void check_server_apps(const SpecIndex& index, Findings& out) {
  // One application per real server: the builder gives each server host one RealServer
  // application (run/builder.cpp), so a second entry on the same host, even on another
  // port or protocol, would be silently dropped. Refuse it here.
  const auto what = [](const ServerAppSpec& a) {
    return std::string(a.protocol == Protocol::Udp ? "udp" : "tcp") + " port " + std::to_string(a.port);
  };
  std::map<std::string_view, const ServerAppSpec*> listening;  // host: its first server app
  for (const ServerAppSpec& a : index.spec().servers)
    for (std::size_t k = 0; k < a.hosts.size(); ++k) {
      const auto at = [&] {
        return index.key(a.origin, a.hosts.size() == 1 && index.spec().positions.contains(child_path(a.origin.path, "host"))
                                       ? std::string("host")
                                       : "hosts[" + std::to_string(k) + "]");
      };
      const HostSpec* host =
          expect_host(index, a.hosts[k], HostKind::Server, "server apps run on real servers", at, out);
      if (host == nullptr) continue;
      const auto [it, inserted] = listening.emplace(host->name, &a);
      if (!inserted)
        out.error(at(), label(*host) + " already has a server app on " + what(*it->second) + " (" +
                            it->second->origin.path + "); a real server runs one server app");
    }
}

// A client's target: a VIP with a service on that protocol and port, or a host's own address.
void check_target(const SpecIndex& index, const ClientSpec& c, Findings& out) {
  std::vector<std::string> on_vip;
  for (const ServiceSpec& s : index.spec().services)
    if (s.fwmark && service_takes(s, c)) return;  // a mark rule takes it to the director
  for (const ServiceSpec& s : index.spec().services) {
    if (s.vip != c.target) continue;
    if (s.protocol == c.protocol && s.port == c.port) return;
    on_vip.push_back(endpoint(s.protocol, s.vip, s.port));
  }
  if (!on_vip.empty()) {
    out.error(index.key(c.origin, "port"),
              "no service " + endpoint(c.protocol, c.target, c.port) + "; the services on this VIP: " + joined(on_vip));
    return;
  }
  if (index.owner(c.target) == nullptr)
    out.error(index.key(c.origin, "target"),
              "target " + c.target.str() + " is neither the VIP of a service nor an address of a host");
}

// Closed-loop users beyond what the population may hold open could never open a session
// (each would retry at once after its think time, forever).
void check_max_open(const SpecIndex& index, const ClientSpec& c, Findings& out) {
  const HostSpec* host = index.host(c.host);
  if (c.users == 0 || host == nullptr) return;
  std::uint64_t sources = 1;
  for (const InterfaceSpec& i : host->interfaces) sources = std::max<std::uint64_t>(sources, i.sources);
  const std::uint64_t open = std::uint64_t{c.max_open} * sources;
  if (c.users > open)
    out.error(index.key(c.origin, "users"),
              std::to_string(c.users) + " users are more than the " + std::to_string(open) +
                  " sessions the population may hold open (max_open " + std::to_string(c.max_open) + " x " +
                  std::to_string(sources) + (sources == 1 ? " source address" : " source addresses") +
                  "): raise max_open or add sources");
}

}  // namespace

void check_services(const SpecIndex& index, Findings& out) {
  check_service_identity(index, out);
  for (const ServiceSpec& s : index.spec().services) check_service(index, s, out);
  for (const HostSpec& h : index.spec().topology.hosts)
    if (h.kind == HostKind::Director) check_director_cpu(index, h, out);
  check_server_apps(index, out);
}

void check_workload(const SpecIndex& index, Findings& out) {
  std::map<std::string, std::string> names, hosts;
  std::uint64_t users = 0;
  for (const ClientSpec& c : index.spec().workload.clients) {
    expect_host(index, c.host, HostKind::Client, "a client population runs on a client host",
                [&] { return index.key(c.origin, "host"); }, out);
    check_target(index, c, out);
    const auto [n, inserted] = names.emplace(c.name, c.origin.path);
    if (!inserted) out.error(index.key(c.origin, "name"), "client name " + c.name + " is already used by " + n->second);
    const auto [h, first] = hosts.emplace(c.host, c.origin.path);
    if (!first)
      out.error(index.key(c.origin, "host"),
                "host " + c.host + " already runs the client population " + h->second + "; give each its own host");
    check_max_open(index, c, out);
    users += c.users;
    if (c.users > 0 && users > kMaxUsers)
      out.error(index.key(c.origin, "users"),
                std::to_string(users) + " users in all are more than the " + std::to_string(kMaxUsers) +
                    " a run holds (each keeps events pending; the event queue holds 2^26)");
  }
}

}  // namespace lvs::scenario::checks
