#include "run/build_vrrp.hpp"

#include <charconv>
#include <stdexcept>

#include "lvs/director.hpp"
#include "run/builder.hpp"

namespace lvs::run {

namespace {

using namespace lvs::scenario;

constexpr std::uint32_t kOwnerPriority = 255;  // VRRP_PRIO_OWNER

Director& find_director(Model& m, const std::string& name, const Origin& origin) {
  for (Director* d : m.directors)
    if (d->name() == name) return *d;
  throw std::runtime_error(origin.path + ": vrrp member " + name + " is not a director");
}

const VrrpScriptSpec& find_script(const ScenarioSpec& spec, const std::string& name) {
  for (const VrrpScriptSpec& s : spec.vrrp_scripts)
    if (s.name == name) return s;
  throw std::runtime_error("track_script " + name + ": no vrrp_script of that name");
}

control::VrrpDaemon& daemon_of(Model& m, Director& d) {
  for (const auto& v : m.vrrp)
    if (&v->host() == &d) return *v;
  m.vrrp.push_back(std::make_unique<control::VrrpDaemon>(d, m.log));
  return *m.vrrp.back();
}

control::VrrpScript& script_on(control::VrrpDaemon& daemon, Director& d, const VrrpScriptSpec& s,
                               const VrrpCheckFactory& check) {
  if (control::VrrpScript* existing = daemon.script(s.name)) return *existing;
  return daemon.add_script(control::VrrpScriptConfig{s.name, s.interval, s.rise, s.fall, s.weight}, check(d, s));
}

// keepalived tracks the instance's own interface unless told `dont_track_primary`: when it
// loses carrier the instance goes to FAULT (its VIPs removed), when carrier is back it is a
// BACKUP again (vrrp_track.c, netlink link events). keepalived hears of it from netlink at
// once; here the carrier is looked at every 10 ms.
constexpr Time kCarrierPoll = Time::ms(10);

control::VrrpScript& carrier_of(control::VrrpDaemon& daemon, const Interface& iface) {
  const std::string name = "carrier " + iface.name();
  if (control::VrrpScript* existing = daemon.script(name)) return *existing;
  return daemon.add_script(control::VrrpScriptConfig{name, kCarrierPoll, 1, 1, 0}, [&iface] { return iface.up(); });
}

void add_member(Model& m, const ScenarioSpec& spec, const VrrpInstanceSpec& vi, const VrrpMemberSpec& member,
                const VrrpCheckFactory& check) {
  Director& d = find_director(m, member.director, member.origin);
  Interface* iface = d.interface(member.interface);
  if (iface == nullptr)
    throw std::runtime_error(member.origin.path + ": director " + d.name() + " has no interface " + member.interface);
  control::VrrpDaemon& daemon = daemon_of(m, d);
  Interface* vip_iface = member.vip_interface.empty() ? iface : d.interface(member.vip_interface);
  if (vip_iface == nullptr)
    throw std::runtime_error(member.origin.path + ": director " + d.name() + " has no interface " + member.vip_interface);
  control::VrrpInstance& instance = daemon.add_instance(*iface, vrrp_config(vi, member), vip_iface);
  instance.track(carrier_of(daemon, *iface), 0);
  for (const VrrpTrackSpec& t : member.track_scripts) {
    const VrrpScriptSpec& s = find_script(spec, t.script);
    instance.track(script_on(daemon, d, s, check), t.weight.value_or(s.weight));  // track weight, else the script's
  }
}

}  // namespace

control::VrrpConfig vrrp_config(const VrrpInstanceSpec& vi, const VrrpMemberSpec& member) {
  control::VrrpConfig c;
  c.name = vi.name;
  c.vrid = static_cast<std::uint8_t>(vi.virtual_router_id);
  c.version = vi.version;
  c.advert_int = vi.advert_int;
  c.virtual_ipaddress = vi.virtual_ipaddress;
  c.auth_pass = vi.auth_pass.substr(0, 8);  // keepalived uses the first 8 characters
  c.initial_master = member.state == VrrpInitialState::Master;
  // vrrp.c: priority 255 for state MASTER without a priority, else VRRP_PRIO_DFL.
  c.priority = static_cast<std::uint8_t>(member.priority.value_or(c.initial_master ? kOwnerPriority : kDefaultVrrpPriority));
  // vrrp.c config checks: nopreempt and preempt_delay are cleared for state MASTER or the owner.
  const bool may_hold_back = !c.initial_master && c.priority != kOwnerPriority;
  c.nopreempt = member.nopreempt && may_hold_back;
  c.preempt_delay = may_hold_back ? member.preempt_delay : Time::zero();
  c.garp_master_delay = vi.garp_master_delay;
  c.garp_master_repeat = vi.garp_master_repeat;
  c.garp_master_refresh = vi.garp_master_refresh;
  return c;
}

std::function<bool()> default_vrrp_check(Director& director, const VrrpScriptSpec& script) {
  const std::string& check = script.check;
  if (check.rfind("service ", 0) == 0) {
    unsigned port = 0;
    std::from_chars(check.data() + 8, check.data() + check.size(), port);
    return [&director, port] {
      for (const auto& vs : director.services())
        if (vs->port() == port)
          for (const SchedDest& d : vs->destinations())
            if (d.weight > 0) return true;
      return false;
    };
  }
  if (check.rfind("interface ", 0) == 0) {
    const Interface* iface = director.interface(check.substr(10));
    return [iface] { return iface != nullptr && iface->up() && iface->channel() != nullptr && iface->channel()->up(); };
  }
  return [] { return true; };
}

void build_vrrp(Model& m, const ScenarioSpec& spec, const VrrpCheckFactory& check) {
  for (const VrrpInstanceSpec& vi : spec.vrrp)
    for (const VrrpMemberSpec& member : vi.members) add_member(m, spec, vi, member, check);
  for (const VrrpSyncGroupSpec& g : spec.vrrp_sync_groups)
    for (const auto& daemon : m.vrrp) {
      std::vector<control::VrrpInstance*> members;
      for (const std::string& name : g.instances)
        if (control::VrrpInstance* i = daemon->instance(name)) members.push_back(i);
      if (!members.empty()) daemon->add_sync_group(g.name, std::move(members));
    }
  for (const auto& daemon : m.vrrp) daemon->start();
  // keepalived dies with a crashed director (silent: no priority-0 advert) and starts again
  // at boot, as at the start of the run.
  const auto each_on = [&m](const Host& h, auto f) {
    for (const auto& daemon : m.vrrp)
      if (&daemon->host() == &h) f(*daemon);
  };
  m.failures.on_host_down([each_on](Host& h) { each_on(h, [](control::VrrpDaemon& d) { d.stop(); }); });
  m.failures.on_host_up([each_on](Host& h) { each_on(h, [](control::VrrpDaemon& d) { d.start(); }); });
}

}  // namespace lvs::run
