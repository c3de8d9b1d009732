// The failover checks: the names the health checks, VRRP instances, the sync daemon, the
// timeline's failures and the random failure processes refer to exist and are of the right
// kind; a VRRP instance is well formed (one virtual router per id on a segment, its scripts
// and sync groups declared). And the view of the cluster at start-up the other checks see:
// each instance's VIPs on its expected master (keepalived adds them there; nowhere in the file).

#include <algorithm>
#include <set>

#include "scenario/validate_detail.hpp"

namespace lvs::scenario::checks {

namespace {

const InterfaceSpec* find_interface(const HostSpec& host, std::string_view name) {
  for (const InterfaceSpec& i : host.interfaces)
    if (i.name == name) return &i;
  return nullptr;
}

std::string interface_names(const HostSpec& host) {
  std::string out;
  for (const InterfaceSpec& i : host.interfaces) out.append(out.empty() ? "" : ", ").append(i.name);
  return out;
}

// The host called `name`, which must be of `kind` (any kind when nullopt); an error otherwise.
const HostSpec* expect(const SpecIndex& index, const std::string& name, std::optional<HostKind> kind,
                       const Origin& at, std::string_view role, Findings& out) {
  const HostSpec* h = index.host(name);
  if (h == nullptr) {
    out.error(at, std::string(role) + ": no host called " + quoted(name));
    return nullptr;
  }
  if (kind && h->kind != *kind) {
    out.error(at, std::string(role) + ": " + label(*h) + " is not a " + kind_name(*kind));
    return nullptr;
  }
  return h;
}

void check_service_directors(const SpecIndex& index, const ServiceSpec& s, Findings& out) {
  for (const std::string& d : s.also_on)
    expect(index, d, HostKind::Director, index.key(s.origin, "director"), "a virtual service runs on a director", out);
  if (!s.health_check || !s.health_check->sorry_server) return;
  const HealthCheckSpec& h = *s.health_check;
  expect(index, *h.sorry_server, std::nullopt, index.key(h.origin, "sorry_server"), "sorry_server", out);
}

// The expected master of `v` at start-up: state MASTER first, then the highest priority
// (keepalived: the owner, 255, or whoever's down timer runs out first).
const VrrpMemberSpec* expected_master(const VrrpInstanceSpec& v) {
  const VrrpMemberSpec* best = nullptr;
  const auto rank = [](const VrrpMemberSpec& m) {
    const std::uint32_t prio = m.priority.value_or(m.state == VrrpInitialState::Master ? 255U : kDefaultVrrpPriority);
    return std::pair{m.state == VrrpInitialState::Master ? 1 : 0, prio};
  };
  for (const VrrpMemberSpec& m : v.members)
    if (best == nullptr || rank(m) > rank(*best)) best = &m;
  return best;
}

void check_member(const SpecIndex& index, const VrrpInstanceSpec& v, const VrrpMemberSpec& m,
                  const std::set<std::string>& scripts, Findings& out) {
  const HostSpec* d = expect(index, m.director, HostKind::Director, index.key(m.origin, "director"),
                             "a VRRP member is a director", out);
  if (d == nullptr) return;
  if (find_interface(*d, m.interface) == nullptr)
    out.error(index.key(m.origin, "interface"),
              label(*d) + " has no interface " + quoted(m.interface) + " (it has " + interface_names(*d) + ")");
  if (!m.vip_interface.empty() && find_interface(*d, m.vip_interface) == nullptr)
    out.error(index.key(m.origin, "vip_interface"),
              label(*d) + " has no interface " + quoted(m.vip_interface) + " (it has " + interface_names(*d) + ")");
  for (const VrrpTrackSpec& t : m.track_scripts)
    if (!scripts.count(t.script))
      out.error(index.key(m.origin, "track_script"), "no vrrp script called " + quoted(t.script) + " in " + v.name);
}

// RFC 3768 §5.3.3: a VRID names one virtual router on a LAN; two instances with one id on
// one segment would take each other's adverts.
void check_router_ids(const SpecIndex& index, Findings& out) {
  std::map<std::pair<std::string, std::uint32_t>, std::string> seen;
  for (const VrrpInstanceSpec& v : index.spec().vrrp)
    for (const VrrpMemberSpec& m : v.members) {
      const HostSpec* d = index.host(m.director);
      const InterfaceSpec* i = d == nullptr ? nullptr : find_interface(*d, m.interface);
      if (i == nullptr) continue;
      const auto [it, fresh] = seen.emplace(std::pair{l2_of(*i), v.virtual_router_id}, v.name);
      if (!fresh && it->second != v.name)
        out.error(index.key(v.origin, "virtual_router_id"),
                  "virtual_router_id " + std::to_string(v.virtual_router_id) + " is also " + it->second + "'s on " +
                      index.l2_label(l2_of(*i)) + " (RFC 3768 5.3.3: one virtual router per id on a LAN)");
    }
}

void check_vrrp(const SpecIndex& index, Findings& out) {
  const ScenarioSpec& spec = index.spec();
  std::set<std::string> instances, scripts;
  for (const VrrpScriptSpec& s : spec.vrrp_scripts)
    if (!scripts.insert(s.name).second) out.error(index.key(s.origin, "name"), "a second vrrp script called " + s.name);
  for (const VrrpInstanceSpec& v : spec.vrrp) {
    if (!instances.insert(v.name).second) out.error(index.key(v.origin, "name"), "a second vrrp instance called " + v.name);
    for (const VrrpMemberSpec& m : v.members) check_member(index, v, m, scripts, out);
  }
  check_router_ids(index, out);
  std::map<std::string, std::string> group_of;
  for (const VrrpSyncGroupSpec& g : spec.vrrp_sync_groups)
    for (const std::string& i : g.instances) {
      if (!instances.count(i)) out.error(index.key(g.origin, "instances"), "no vrrp instance called " + quoted(i));
      const auto [it, fresh] = group_of.emplace(i, g.name);
      if (!fresh) out.error(index.key(g.origin, "instances"), i + " is already in sync group " + it->second);
    }
}

const VrrpInstanceSpec* instance_named(const ScenarioSpec& spec, const std::string& name) {
  for (const VrrpInstanceSpec& v : spec.vrrp)
    if (v.name == name || name.empty()) return &v;
  return nullptr;
}

void check_sync_daemon(const SpecIndex& index, Findings& out) {
  const SyncDaemonSpec& s = *index.spec().sync_daemon;
  const VrrpInstanceSpec* v = instance_named(index.spec(), s.instance);
  if (v == nullptr) {
    out.error(index.key(s.origin, "instance"),
              s.instance.empty() ? "the sync daemon follows a VRRP instance; the scenario has none"
                                 : "no vrrp instance called " + quoted(s.instance));
    return;
  }
  for (const VrrpMemberSpec& m : v->members) {
    const HostSpec* d = index.host(m.director);
    if (d != nullptr && find_interface(*d, s.interface) == nullptr)
      out.error(index.key(s.origin, "interface"),
                label(*d) + " has no interface " + quoted(s.interface) + " for the sync daemon");
  }
}

// A failure's component: a host; HOST or HOST:PORT for a service; a link, a segment or HOST/IFACE.
void check_component(const SpecIndex& index, FailureKind kind, const std::string& name, std::optional<std::uint16_t> port,
                     const Origin& at, Findings& out) {
  if (kind == FailureKind::LinkDown) {
    const std::size_t slash = name.find('/');
    if (slash == std::string::npos) {
      if (!index.is_link(name) && !index.is_segment(name))
        out.error(at, "no link or segment called " + quoted(name) + " (or give HOST/IFACE for one cable)");
      return;
    }
    const HostSpec* h = expect(index, name.substr(0, slash), std::nullopt, at, "link-down", out);
    if (h != nullptr && find_interface(*h, name.substr(slash + 1)) == nullptr)
      out.error(at, label(*h) + " has no interface " + quoted(name.substr(slash + 1)) + " (it has " +
                        interface_names(*h) + ")");
    return;
  }
  const std::size_t colon = kind == FailureKind::Stop ? name.find(':') : std::string::npos;
  const std::string host = name.substr(0, colon);
  const HostSpec* h = expect(index, host, std::nullopt, at, failure_kind_name(kind), out);
  if (h == nullptr || kind != FailureKind::Stop) return;
  if (colon != std::string::npos) {
    const std::string digits = name.substr(colon + 1);
    if (digits.empty() || digits.size() > 5 || !std::all_of(digits.begin(), digits.end(), ::isdigit) ||
        std::stoi(digits) < 1 || std::stoi(digits) > 65535)
      return out.error(at, "expected HOST:PORT, got " + quoted(name));
    port = static_cast<std::uint16_t>(std::stoi(digits));
  }
  const auto& apps = index.apps_on(host);
  const bool found = std::any_of(apps.begin(), apps.end(), [&](const ServerAppSpec* a) { return !port || a->port == *port; });
  if (!found)
    out.error(at, label(*h) + " runs no server application" + (port ? " on port " + std::to_string(*port) : std::string()) +
                      " to stop");
}

// Each failure undone only after it happened: recover a crashed host, start a stopped service,
// bring up a link that is down.
void check_timeline_failures(const SpecIndex& index, Findings& out) {
  using A = EventSpec::Action;
  std::map<std::string, bool> down;
  for (const EventSpec& e : index.spec().events) {
    if (is_ipvsadm(e)) continue;
    const Origin at{e.origin.path, e.origin.at};
    check_component(index, failure_kind(e.action), e.component, e.port, at, out);
    const std::string key = std::to_string(static_cast<int>(failure_kind(e.action))) + e.component;
    const bool failing = !is_repair(e.action);
    if (down[key] == failing)
      out.error(at, std::string(failing ? "already " : "not ") +
                        (e.action == A::Crash || e.action == A::Recover ? "crashed"
                         : e.action == A::Stop || e.action == A::Start  ? "stopped"
                                                                          : "down") +
                        ": " + e.component + " at " + to_string(e.at));
    down[key] = failing;
  }
}

}  // namespace

void check_failover(const SpecIndex& index, Findings& out) {
  const ScenarioSpec& spec = index.spec();
  for (const ServiceSpec& s : spec.services) check_service_directors(index, s, out);
  check_vrrp(index, out);
  if (spec.sync_daemon) check_sync_daemon(index, out);
  for (const FailureProcessSpec& f : spec.failures)
    check_component(index, f.kind, f.component, std::nullopt, f.origin, out);
  check_timeline_failures(index, out);
}

ScenarioSpec with_vrrp_addresses(const ScenarioSpec& spec) {
  ScenarioSpec view = spec;
  for (const VrrpInstanceSpec& v : spec.vrrp) {
    const VrrpMemberSpec* m = expected_master(v);
    if (m == nullptr) continue;
    for (HostSpec& h : view.topology.hosts) {
      if (h.name != m->director) continue;
      for (InterfaceSpec& i : h.interfaces)
        if (i.name == (m->vip_interface.empty() ? m->interface : m->vip_interface))
          for (const Ipv4Prefix& vip : v.virtual_ipaddress)
            if (i.address.address() != vip.address() &&
                std::none_of(i.secondary.begin(), i.secondary.end(),
                             [&](const Ipv4Prefix& p) { return p.address() == vip.address(); }))
              i.secondary.push_back(vip);
    }
  }
  return view;
}

}  // namespace lvs::scenario::checks
