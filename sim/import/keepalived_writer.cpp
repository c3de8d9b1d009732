#include "import/keepalived_writer.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>

namespace lvs::import {

namespace {

using namespace scenario;

// Seconds as keepalived reads them: "3", "0.5".
std::string secs(Time v) {
  const std::int64_t ms = v.count() / 1'000'000;
  std::string s = std::to_string(ms / 1000);
  if (ms % 1000) {
    std::string frac = std::to_string(1000 + ms % 1000).substr(1);
    while (frac.back() == '0') frac.pop_back();
    s += "." + frac;
  }
  return s;
}

// A MISC_CHECK script that exits 0 with probability p, as `lvslab import` reads it back
// (misc_success_of): true, false, or awk drawing a uniform number (one word: keepalived
// splits misc_path at blanks and runs it without a shell).
std::string misc_script(double p) {
  if (p >= 1.0) return "/bin/true";
  if (p <= 0.0) return "/bin/false";
  std::ostringstream o;
  o << "/usr/bin/awk BEGIN{srand();exit(rand()>=" << p << ")}";
  return o.str();
}

bool on(const ServiceSpec& s, const std::string& d) {
  return s.director == d || std::find(s.also_on.begin(), s.also_on.end(), d) != s.also_on.end();
}

Ipv4Address address_of(const ScenarioSpec& spec, const std::string& host) {
  for (const HostSpec& h : spec.topology.hosts)
    if (h.name == host && !h.interfaces.empty()) return h.interfaces.front().address.address();
  return Ipv4Address{};
}

const char* kind(Method m) {
  switch (m) {
    case Method::Nat: return "NAT";
    case Method::Tun: return "TUN";
    case Method::FullNat: return "FNAT";
    case Method::Dr: break;
  }
  return "DR";
}

void checker(std::ostream& o, const CheckSpec& c) {
  o << "        " << check_kind_name(c.kind) << " {\n";
  if (c.kind == CheckKind::Http)
    o << "            url {\n                path " << c.url_path << "\n                status_code " << c.status_code
      << "\n            }\n";
  if (c.kind == CheckKind::Misc)
    o << "            misc_path \"" << misc_script(c.misc_success) << "\"\n            misc_timeout " << secs(c.misc_timeout)
      << "\n";
  o << "            connect_timeout " << secs(c.connect_timeout) << "\n            retry " << c.retry
    << "\n            delay_before_retry " << secs(c.delay_before_retry) << "\n";
  if (c.connect_port) o << "            connect_port " << *c.connect_port << "\n";
  o << "        }\n";
}

// `iptables -t mangle -A PREROUTING [-p P] [-d PREFIX] [--dport N] -j MARK --set-mark M`.
std::string iptables_mark_rule(const MarkRuleSpec& r, std::uint32_t mark) {
  std::string out = "iptables -t mangle -A PREROUTING";
  if (r.protocol) out += *r.protocol == Protocol::Udp ? " -p udp" : " -p tcp";
  out += " -d " + Ipv4Prefix(r.destination.network(), r.destination.length()).str();
  if (r.port) out += " --dport " + std::to_string(*r.port);
  return out + " -j MARK --set-mark " + std::to_string(mark);
}

void virtual_server(std::ostream& o, const ScenarioSpec& spec, const ServiceSpec& s) {
  const Method vs_method = s.destinations.empty() ? Method::Dr : s.destinations.front().method;
  if (s.fwmark) {  // keepalived.conf(5): virtual_server fwmark <INT>; the mark rules are iptables', not keepalived's
    for (const MarkRuleSpec& r : s.marks) o << "! " << iptables_mark_rule(r, *s.fwmark) << "\n";
    o << "virtual_server fwmark " << *s.fwmark << " {\n";
  } else {
    o << "virtual_server " << s.vip.str() << " " << s.port << " {\n";
  }
  const HealthCheckSpec hc = s.health_check.value_or(HealthCheckSpec{});
  o << "    delay_loop " << secs(hc.delay_loop) << "\n    lb_algo " << s.scheduler << "\n    lb_kind "
    << kind(vs_method) << "\n";
  for (const std::string& f : s.sched_flags) o << "    " << f << "\n";
  if (s.persistent) o << "    persistence_timeout " << s.persistent->count() / 1'000'000'000 << "\n";
  if (s.netmask.value() != 0xffffffffU) o << "    persistence_granularity " << s.netmask.str() << "\n";
  o << "    protocol " << (s.protocol == Protocol::Udp ? "UDP" : "TCP") << "\n";
  if (hc.alpha) o << "    alpha\n";
  if (hc.warmup) o << "    warmup " << secs(*hc.warmup) << "\n";
  if (hc.quorum != 1) o << "    quorum " << hc.quorum << "\n";
  if (hc.hysteresis != 0) o << "    hysteresis " << hc.hysteresis << "\n";
  if (hc.sorry_server)
    o << "    sorry_server " << address_of(spec, *hc.sorry_server).str() << " " << hc.sorry_port.value_or(s.port) << "\n";
  for (const DestinationSpec& d : s.destinations) {
    const Ipv4Address rip = d.address.value_or(address_of(spec, d.server));
    o << "    real_server " << rip.str() << " " << d.port.value_or(s.port) << " {\n        weight " << d.weight << "\n";
    if (d.method != vs_method) o << "        lb_kind " << kind(d.method) << "\n";
    if (d.u_threshold) o << "        uthreshold " << d.u_threshold << "\n";
    if (d.l_threshold) o << "        lthreshold " << d.l_threshold << "\n";
    if (hc.inhibit_on_failure) o << "        inhibit_on_failure\n";
    for (const CheckSpec& c : d.checks) checker(o, c);
    o << "    }\n";
  }
  o << "}\n";
}

std::string script_of(const std::string& check) {
  if (check.starts_with("interface ")) return "/bin/grep -q up /sys/class/net/" + check.substr(10) + "/operstate";
  if (check.starts_with("service ")) return "/bin/nc -z 127.0.0.1 " + check.substr(8);
  return "/bin/true";
}

void instance(std::ostream& o, const VrrpInstanceSpec& v, const VrrpMemberSpec& m) {
  o << "vrrp_instance " << v.name << " {\n    state " << (m.state == VrrpInitialState::Master ? "MASTER" : "BACKUP")
    << "\n    interface " << m.interface << "\n    virtual_router_id " << v.virtual_router_id << "\n";
  if (m.priority) o << "    priority " << *m.priority << "\n";
  o << "    advert_int " << secs(v.advert_int) << "\n";
  if (v.version != 2) o << "    version " << v.version << "\n";
  if (m.nopreempt) o << "    nopreempt\n";
  if (m.preempt_delay != Time{}) o << "    preempt_delay " << secs(m.preempt_delay) << "\n";
  if (v.garp_master_delay != kDefaultGarpMasterDelay) o << "    garp_master_delay " << secs(v.garp_master_delay) << "\n";
  if (v.garp_master_repeat != kDefaultGarpMasterRepeat) o << "    garp_master_repeat " << v.garp_master_repeat << "\n";
  if (v.garp_master_refresh != Time{}) o << "    garp_master_refresh " << secs(v.garp_master_refresh) << "\n";
  if (!v.auth_pass.empty())
    o << "    authentication {\n        auth_type PASS\n        auth_pass " << v.auth_pass << "\n    }\n";
  o << "    virtual_ipaddress {\n";
  const std::string dev = m.vip_interface.empty() || m.vip_interface == m.interface ? "" : " dev " + m.vip_interface;
  for (const Ipv4Prefix& p : v.virtual_ipaddress)
    o << "        " << (p.length() == 32 ? p.address().str() : p.str()) << dev << "\n";
  o << "    }\n";
  if (!m.track_scripts.empty()) {
    o << "    track_script {\n";
    for (const VrrpTrackSpec& t : m.track_scripts)
      o << "        " << t.script << (t.weight ? " weight " + std::to_string(*t.weight) : "") << "\n";
    o << "    }\n";
  }
  o << "}\n";
}

}  // namespace

std::vector<std::string> exported_directors(const ScenarioSpec& spec) {
  std::vector<std::string> out;
  for (const HostSpec& h : spec.topology.hosts) {
    if (h.kind != HostKind::Director) continue;
    bool used = std::any_of(spec.services.begin(), spec.services.end(), [&](const ServiceSpec& s) { return on(s, h.name); });
    for (const VrrpInstanceSpec& v : spec.vrrp)
      for (const VrrpMemberSpec& m : v.members) used = used || m.director == h.name;
    if (used) out.push_back(h.name);
  }
  return out;
}

std::string keepalived_conf(const ScenarioSpec& spec, const std::string& director) {
  std::ostringstream o;
  o << "! keepalived.conf of " << director << ", written by lvslab export\nglobal_defs {\n    router_id " << director
    << "\n";
  if (const auto& d = spec.sync_daemon) {
    o << "    lvs_sync_daemon " << d->interface << " " << (d->instance.empty() ? spec.vrrp.front().name : d->instance);
    if (d->syncid) o << " id " << d->syncid;
    o << " maxlen " << d->maxlen << "\n";
  }
  o << "}\n";
  for (const VrrpScriptSpec& s : spec.vrrp_scripts)
    o << "vrrp_script " << s.name << " {\n    script \"" << script_of(s.check) << "\"\n    interval " << secs(s.interval)
      << "\n    rise " << s.rise << "\n    fall " << s.fall << "\n    weight " << s.weight << "\n}\n";
  for (const VrrpSyncGroupSpec& g : spec.vrrp_sync_groups) {
    o << "vrrp_sync_group " << g.name << " {\n    group {\n";
    for (const std::string& i : g.instances) o << "        " << i << "\n";
    o << "    }\n}\n";
  }
  for (const VrrpInstanceSpec& v : spec.vrrp)
    for (const VrrpMemberSpec& m : v.members)
      if (m.director == director) instance(o, v, m);
  for (const ServiceSpec& s : spec.services)
    if (on(s, director)) virtual_server(o, spec, s);
  return o.str();
}

std::string ipvsadm_save_n(const ScenarioSpec& spec, const std::string& director) {
  std::ostringstream o;
  for (const ServiceSpec& s : spec.services) {
    if (!on(s, director)) continue;
    const std::string svc = s.fwmark ? "-f " + std::to_string(*s.fwmark)
                                     : std::string(s.protocol == Protocol::Udp ? "-u " : "-t ") + s.vip.str() + ":" +
                                           std::to_string(s.port);
    o << "-A " << svc << " -s " << s.scheduler;
    if (s.persistent) o << " -p " << s.persistent->count() / 1'000'000'000;
    if (s.persistent && s.netmask.value() != 0xffffffffU) o << " -M " << s.netmask.str();
    if (!s.sched_flags.empty()) {
      o << " -b ";
      for (std::size_t i = 0; i < s.sched_flags.size(); ++i) o << (i ? "," : "") << s.sched_flags[i];
    }
    o << "\n";
    for (const DestinationSpec& d : s.destinations) {
      const char* sw = d.method == Method::Nat ? "-m" : d.method == Method::Tun ? "-i" : d.method == Method::FullNat ? "-b" : "-g";
      o << "-a " << svc << " -r " << d.address.value_or(address_of(spec, d.server)).str() << ":"
        << d.port.value_or(s.port) << " " << sw << " -w " << d.weight << "\n";
    }
  }
  return o.str();
}

std::string per_director_path(const std::string& file, const std::string& director, bool several) {
  if (!several) return file;
  const std::filesystem::path p(file);
  return (p.parent_path() / (p.stem().string() + "-" + director + p.extension().string())).string();
}

}  // namespace lvs::import
