#include "import/scenario_yaml_writer.hpp"

#include <sstream>

namespace lvs::import {

namespace {

using namespace scenario;

std::string t(Time v) { return v == Time{} ? "0s" : to_string(v); }

std::string list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + "]";
}

template <typename T>
std::string addresses(const std::vector<T>& items) {
  std::vector<std::string> s;
  for (const T& a : items) s.push_back(a.str());
  return list(s);
}

void host(std::ostream& o, const HostSpec& h) {
  o << "    - name: " << h.name << "\n      kind: " << kind_name(h.kind) << "\n";
  if (h.gateway) o << "      gateway: " << h.gateway->str() << "\n";
  if (!h.loopback.empty()) o << "      loopback: " << addresses(h.loopback) << "\n";
  if (!h.tunnel.empty()) o << "      tunnel: " << addresses(h.tunnel) << "\n";
  std::vector<std::string> sysctl;
  if (h.sysctl.ip_forward) sysctl.push_back(std::string("ip_forward: ") + (*h.sysctl.ip_forward ? "true" : "false"));
  if (h.sysctl.arp_ignore) sysctl.push_back("arp_ignore: " + std::to_string(*h.sysctl.arp_ignore));
  if (h.sysctl.arp_announce) sysctl.push_back("arp_announce: " + std::to_string(*h.sysctl.arp_announce));
  if (h.sysctl.rp_filter) sysctl.push_back("rp_filter: " + std::to_string(*h.sysctl.rp_filter));
  if (!sysctl.empty()) {
    std::string s = "{";
    for (std::size_t i = 0; i < sysctl.size(); ++i) s += (i ? ", " : "") + sysctl[i];
    o << "      sysctl: " << s << "}\n";
  }
  o << "      interfaces:\n";
  for (const InterfaceSpec& f : h.interfaces) {
    o << "        - {name: " << f.name << ", segment: " << f.segment << ", address: " << f.address.str();
    if (f.sources != 1) o << ", sources: " << f.sources;
    if (!f.secondary.empty()) o << ", secondary: " << addresses(f.secondary);
    o << "}\n";
  }
}

std::string check(const CheckSpec& c) {
  std::ostringstream o;
  o << "{type: " << check_kind_name(c.kind);
  if (c.kind == CheckKind::Http) o << ", url: " << c.url_path << ", status_code: " << c.status_code;
  if (c.kind == CheckKind::Misc) o << ", success: " << c.misc_success << ", misc_timeout: " << t(c.misc_timeout);
  o << ", connect_timeout: " << t(c.connect_timeout) << ", retry: " << c.retry
    << ", delay_before_retry: " << t(c.delay_before_retry);
  if (c.connect_port) o << ", connect_port: " << *c.connect_port;
  return o.str() + "}";
}

void service(std::ostream& o, const ServiceSpec& s) {
  o << "  - director: " << (s.also_on.empty() ? s.director : list([&] {
      std::vector<std::string> d{s.director};
      d.insert(d.end(), s.also_on.begin(), s.also_on.end());
      return d;
    }())) << "\n";
  o << "    protocol: " << (s.protocol == Protocol::Udp ? "udp" : "tcp") << "\n    vip: " << s.vip.str()
    << "\n    port: " << s.port << "\n    scheduler: " << s.scheduler << "\n";
  if (!s.sched_flags.empty()) o << "    sched_flags: " << list(s.sched_flags) << "\n";
  if (s.persistent) o << "    persistent: " << t(*s.persistent) << "\n";
  if (s.netmask.value() != 0xffffffffU) o << "    netmask: " << s.netmask.str() << "\n";
  if (!s.local_addresses.empty()) o << "    local_addresses: " << addresses(s.local_addresses) << "\n";
  if (const auto& h = s.health_check) {
    o << "    health_check:\n      flavour: " << (h->flavour == CheckFlavour::Keepalived ? "keepalived" : "ldirectord")
      << "\n      delay_loop: " << t(h->delay_loop) << "\n";
    if (h->warmup) o << "      warmup: " << t(*h->warmup) << "\n";
    o << "      alpha: " << (h->alpha ? "true" : "false") << "\n      inhibit_on_failure: "
      << (h->inhibit_on_failure ? "true" : "false") << "\n";
    if (h->quorum != 1) o << "      quorum: " << h->quorum << "\n";
    if (h->hysteresis != 0) o << "      hysteresis: " << h->hysteresis << "\n";
    if (h->sorry_server) o << "      sorry_server: " << *h->sorry_server << "\n";
    if (h->sorry_port) o << "      sorry_port: " << *h->sorry_port << "\n";
  }
  o << "    destinations:\n";
  for (const DestinationSpec& d : s.destinations) {
    o << "      - server: " << d.server << "\n";
    if (d.port) o << "        port: " << *d.port << "\n";
    o << "        method: " << method_name(d.method) << "\n        weight: " << d.weight << "\n";
    if (d.u_threshold) o << "        u_threshold: " << d.u_threshold << "\n";
    if (d.l_threshold) o << "        l_threshold: " << d.l_threshold << "\n";
    if (!d.checks.empty()) o << "        checks:\n";
    for (const CheckSpec& c : d.checks) o << "          - " << check(c) << "\n";
  }
}

void member(std::ostream& o, const VrrpMemberSpec& m) {
  o << "        - {director: " << m.director << ", interface: " << m.interface << ", state: "
    << (m.state == VrrpInitialState::Master ? "MASTER" : "BACKUP");
  if (m.priority) o << ", priority: " << *m.priority;
  if (m.nopreempt) o << ", nopreempt: true";
  if (m.preempt_delay != Time{}) o << ", preempt_delay: " << t(m.preempt_delay);
  if (!m.track_scripts.empty()) {
    o << ", track_script: [";
    for (std::size_t i = 0; i < m.track_scripts.size(); ++i) {
      o << (i ? ", " : "") << "{script: " << m.track_scripts[i].script;
      if (m.track_scripts[i].weight) o << ", weight: " << *m.track_scripts[i].weight;
      o << "}";
    }
    o << "]";
  }
  o << "}\n";
}

void vrrp(std::ostream& o, const ScenarioSpec& s) {
  if (s.vrrp.empty() && s.vrrp_sync_groups.empty() && s.vrrp_scripts.empty()) return;
  o << "\nvrrp:\n";
  if (!s.vrrp.empty()) o << "  instances:\n";
  for (const VrrpInstanceSpec& v : s.vrrp) {
    o << "    - name: " << v.name << "\n      virtual_router_id: " << v.virtual_router_id << "\n      version: "
      << v.version << "\n      advert_int: " << t(v.advert_int) << "\n      virtual_ipaddress: "
      << addresses(v.virtual_ipaddress) << "\n";
    if (!v.auth_pass.empty()) o << "      auth_pass: \"" << v.auth_pass << "\"\n";
    o << "      garp_master_delay: " << t(v.garp_master_delay) << "\n      garp_master_repeat: " << v.garp_master_repeat
      << "\n";
    if (v.garp_master_refresh != Time{}) o << "      garp_master_refresh: " << t(v.garp_master_refresh) << "\n";
    o << "      members:\n";
    for (const VrrpMemberSpec& m : v.members) member(o, m);
  }
  if (!s.vrrp_sync_groups.empty()) o << "  sync_groups:\n";
  for (const VrrpSyncGroupSpec& g : s.vrrp_sync_groups)
    o << "    - {name: " << g.name << ", instances: " << list(g.instances) << "}\n";
  if (!s.vrrp_scripts.empty()) o << "  scripts:\n";
  for (const VrrpScriptSpec& sc : s.vrrp_scripts)
    o << "    - {name: " << sc.name << ", check: " << sc.check << ", interval: " << t(sc.interval)
      << ", rise: " << sc.rise << ", fall: " << sc.fall << ", weight: " << sc.weight << "}\n";
}

void header(std::ostream& o, const ImportResult& r) {
  o << "# Imported by lvslab import from: ";
  for (std::size_t i = 0; i < r.sources.size(); ++i) o << (i ? ", " : "") << r.sources[i];
  o << "\n# Filled in (not in the sources; change them to match the site):\n";
  for (const std::string& f : r.filled) o << "#   - " << f << "\n";
}

}  // namespace

std::string scenario_yaml(const ImportResult& result) {
  const ScenarioSpec& s = result.spec;
  std::ostringstream o;
  header(o, result);
  o << "name: " << s.name << "\ndescription: " << s.description << "\nseed: " << s.seed << "\nduration: "
    << t(s.duration) << "\nwarmup: " << t(s.warmup) << "\n\ntopology:\n  segments:\n";
  for (const SegmentSpec& g : s.topology.segments) o << "    - {name: " << g.name << "}\n";
  o << "  hosts:\n";
  for (const HostSpec& h : s.topology.hosts) host(o, h);
  if (!s.services.empty()) o << "\nservices:\n";
  for (const ServiceSpec& v : s.services) service(o, v);
  vrrp(o, s);
  if (const auto& d = s.sync_daemon) {
    o << "\nsync_daemon: {interface: " << d->interface;
    if (!d->instance.empty()) o << ", instance: " << d->instance;
    if (d->syncid) o << ", syncid: " << d->syncid;
    o << ", maxlen: " << d->maxlen << "}\n";
  }
  if (!s.servers.empty()) o << "\nservers:\n";
  for (const ServerAppSpec& a : s.servers)
    o << "  - hosts: " << list(a.hosts) << "\n    protocol: " << (a.protocol == Protocol::Udp ? "udp" : "tcp")
      << "\n    port: " << a.port << "\n    service_time: {distribution: exponential, mean: "
      << to_string(kDefaultServiceTime) << "}\n";
  if (!s.workload.clients.empty()) o << "\nworkload:\n  clients:\n";
  for (const ClientSpec& c : s.workload.clients)
    o << "    - {host: " << c.host << ", protocol: " << (c.protocol == Protocol::Udp ? "udp" : "tcp")
      << ", target: " << c.target.str() << ", port: " << c.port << ", arrivals: {process: poisson, rate: "
      << c.rate.front().rate << "}}\n";
  return o.str();
}

}  // namespace lvs::import
