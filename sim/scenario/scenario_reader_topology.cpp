// The `topology` section: segments, links and hosts with their interfaces, routes, sysctls
// and (directors) CPU. Names are resolved later by validate(), which can see the whole file.

#include <sstream>

#include "lvs/local_ports.hpp"
#include "scenario/scenario_reader_detail.hpp"

namespace lvs::scenario::reader {

namespace {

constexpr std::uint64_t kMinQueue = 1518;  // one full Ethernet frame

TxSpec read_tx(const Cursor& c) {
  TxSpec tx;
  if (const std::optional<Cursor> rate = c.find("rate")) {
    tx.rate = rate->as<DataRate>();
    if (tx.rate == DataRate()) rate->fail("expected a data rate > 0, got " + scenario::quoted(rate->as<std::string>()));
  }
  tx.delay = c.optional<Time>("delay", tx.delay);
  if (const std::optional<Cursor> queue = c.find("queue")) {
    tx.queue = queue->as<ByteSize>();
    if (tx.queue.count() < kMinQueue)
      queue->fail("expected a byte size >= 1518B (one full Ethernet frame), got " +
                  scenario::quoted(queue->as<std::string>()));
  }
  return tx;
}

SegmentSpec read_segment(const Cursor& c) {
  c.allow_keys({"name", "rate", "delay", "queue"});
  return SegmentSpec{origin_of(c), required_name(c, "name"), read_tx(c)};
}

LinkSpec read_link(const Cursor& c) {
  c.allow_keys({"name", "rate", "delay", "queue"});
  return LinkSpec{origin_of(c), required_name(c, "name"), read_tx(c)};
}

}  // namespace

// The primary address must say its prefix length: a bare address would silently be a /32.
Ipv4Prefix read_primary_address(const Cursor& iface) {
  const Cursor value = iface.at("address");
  const Ipv4Prefix prefix = value.as<Ipv4Prefix>();
  if (value.as<std::string>().find('/') == std::string::npos)
    value.fail("expected an address with its prefix length (e.g. 192.168.10.101/24), got " +
               scenario::quoted(value.as<std::string>()));
  return prefix;
}

namespace {

InterfaceSpec read_interface(const Cursor& c) {
  c.allow_keys({"name", "segment", "link", "address", "secondary", "sources", "mac", "mtu"});
  exactly_one_of(c, "segment", "link", "an interface plugs into a segment or is one end of a link");
  InterfaceSpec i;
  i.origin = origin_of(c);
  i.name = required_name(c, "name");
  if (c.has("segment")) i.segment = required_name(c, "segment");
  if (c.has("link")) i.link = required_name(c, "link");
  i.address = read_primary_address(c);
  for (const Cursor& item : optional_items(c, "secondary")) i.secondary.push_back(item.as<Ipv4Prefix>());
  i.sources = optional_count<std::uint32_t>(c, "sources", 1, 1, 1 << 24);
  if (c.has("mac")) i.mac = c.required<MacAddress>("mac");
  i.mtu = optional_count<std::uint32_t>(c, "mtu", 1500, 68, 65535);
  return i;
}

RouteSpec read_route(const Cursor& c) {
  if (c.is_scalar() && c.as<std::string>() == "auto")
    c.fail("'auto' cannot be combined with a list of routes: write 'routes: auto' alone to have them all "
           "computed, or list every route");
  c.allow_keys({"to", "via"});
  return RouteSpec{origin_of(c), c.required<Ipv4Prefix>("to"), c.required<Ipv4Address>("via")};
}

// `routes:` is a list of routes, or the scalar `auto` for routes computed on the topology (routes.hpp).
void read_routes(const Cursor& c, HostSpec& h) {
  if (!c.is_scalar()) {
    for (const Cursor& item : c.items()) h.routes.push_back(read_route(item));
    return;
  }
  const std::string value = c.as<std::string>();
  if (value != "auto") {
    const std::string hint = closest_name(value, {"auto"});
    c.fail("expected a list of routes ({to: prefix, via: address}) or 'auto', got " + scenario::quoted(value) +
           (hint.empty() ? "" : " (did you mean 'auto'?)"));
  }
  h.auto_routes = true;
  h.routes_origin = origin_of(c);
}

// Alibaba LVS's local port range (ip_vs_ctl.c checks each bound alone; a minimum above
// the maximum would leave ip_vs_hbind_laddr an empty range, so it is refused here).
void read_lport_sysctls(const Cursor& c, SysctlSpec& s) {
  const Range<int> port{LportSysctl::kLowest, LportSysctl::kHighest};
  if (c.has("fullnat_lport_min")) s.fullnat_lport_min = c.required<int>("fullnat_lport_min", port);
  if (c.has("fullnat_lport_max")) s.fullnat_lport_max = c.required<int>("fullnat_lport_max", port);
  if (c.has("fullnat_lport_tries"))
    s.fullnat_lport_tries = c.required<int>(
        "fullnat_lport_tries", Range<int>{LportSysctl::kTriesLowest, static_cast<int>(LportSysctl::kTriesHighest)});
  const LportSysctl defaults;
  const int min = s.fullnat_lport_min.value_or(defaults.min);
  const int max = s.fullnat_lport_max.value_or(defaults.max);
  if (min > max)
    c.at(s.fullnat_lport_max ? "fullnat_lport_max" : "fullnat_lport_min")
        .fail("fullnat_lport_min " + std::to_string(min) + " is above fullnat_lport_max " + std::to_string(max) +
              ": no local port would be left");
}

// ip_local_port_range as Linux writes it ("32768 60999") or as a YAML pair ([32768, 60999]).
std::pair<int, int> read_port_range(const Cursor& c) {
  std::pair<int, int> r;
  if (c.is_sequence()) {
    const std::vector<Cursor> ends = c.items();
    if (ends.size() != 2) c.fail("expected two ports, first and last (as in \"32768 60999\" or [32768, 60999])");
    r = {ends[0].as<int>(Range{1, 65535}), ends[1].as<int>(Range{1, 65535})};
  } else {
    const std::string text = c.as<std::string>();
    std::istringstream in(text);
    std::string extra;
    const auto port = [](int p) { return p >= 1 && p <= 65535; };
    if (!(in >> r.first >> r.second) || (in >> extra) || !port(r.first) || !port(r.second))
      c.fail("expected two ports in 1..65535, first and last (as in \"32768 60999\"), got '" + text + "'");
  }
  if (r.first > r.second)
    c.fail("the first port " + std::to_string(r.first) + " is above the last " + std::to_string(r.second) +
           " (Linux refuses it: EINVAL)");
  return r;
}

void read_tcp_sysctls(const Cursor& c, SysctlSpec& s) {
  if (c.has("tcp_timestamps")) s.tcp_timestamps = c.required<int>("tcp_timestamps", Range{0, 2});
  if (c.has("tcp_sack")) s.tcp_sack = c.required<int>("tcp_sack", Range{0, 1});
  if (c.has("tcp_window_scaling")) s.tcp_window_scaling = c.required<int>("tcp_window_scaling", Range{0, 1});
  if (const std::optional<Cursor> range = c.find("ip_local_port_range")) s.ip_local_port_range = read_port_range(*range);
  if (c.has("tcp_tw_reuse")) s.tcp_tw_reuse = c.required<int>("tcp_tw_reuse", Range{0, 2});
  if (c.has("tcp_fin_timeout")) s.tcp_fin_timeout = c.required<int>("tcp_fin_timeout", Range{1, 86400});
}

SysctlSpec read_sysctl(const Cursor& c) {
  c.allow_keys({"ip_forward", "arp_ignore", "arp_announce", "rp_filter", "expire_quiescent_template",
                "expire_nodest_conn", "conn_reuse_mode", "conntrack", "fullnat_lport_min", "fullnat_lport_max",
                "fullnat_lport_tries", "tcp_timestamps", "tcp_sack", "tcp_window_scaling", "ip_local_port_range",
                "tcp_tw_reuse", "tcp_fin_timeout"});
  SysctlSpec s;
  if (c.has("ip_forward")) s.ip_forward = c.required<bool>("ip_forward");
  if (c.has("arp_ignore")) s.arp_ignore = c.required<int>("arp_ignore", Range{0, 8});
  if (c.has("arp_announce")) s.arp_announce = c.required<int>("arp_announce", Range{0, 2});
  if (c.has("rp_filter")) s.rp_filter = c.required<int>("rp_filter", Range{0, 2});
  if (c.has("expire_quiescent_template")) s.expire_quiescent_template = c.required<bool>("expire_quiescent_template");
  if (c.has("expire_nodest_conn")) s.expire_nodest_conn = c.required<bool>("expire_nodest_conn");
  if (c.has("conn_reuse_mode")) s.conn_reuse_mode = c.required<int>("conn_reuse_mode", Range{0, 3});
  if (c.has("conntrack")) s.conntrack = c.required<bool>("conntrack");
  read_lport_sysctls(c, s);
  read_tcp_sysctls(c, s);
  return s;
}

// The model runs TCP on clients and real servers only: a TCP sysctl elsewhere would be
// silently ignored, so it is an error.
void check_tcp_sysctls(const Cursor& sysctl, const HostSpec& h) {
  if (h.kind == HostKind::Client || h.kind == HostKind::Server) return;
  for (const char* key :
       {"tcp_timestamps", "tcp_sack", "tcp_window_scaling", "ip_local_port_range", "tcp_tw_reuse", "tcp_fin_timeout"})
    if (sysctl.has(key))
      sysctl.at(key).fail(std::string("a TCP sysctl is for hosts that run TCP (kind client or server); ") + h.name +
                          " is of kind " + kind_name(h.kind));
}

// A director's CPU: a named profile (lvs/director_profiles.hpp) and overrides of its figures.
DirectorCpuSpec read_cpu(const Cursor& c) {
  c.allow_keys({"profile", "cores", "backlog", "cost"});
  DirectorCpuSpec cpu;
  if (const std::optional<Cursor> profile = c.find("profile"))
    cpu.profile = read_registered(*profile, "director profile", director_profile_names());
  if (c.has("cores")) cpu.cores = optional_count<std::uint32_t>(c, "cores", 1, 1, 1024);
  cpu.backlog = optional_count<std::uint32_t>(c, "backlog", cpu.backlog, 1, 1'000'000'000);
  if (const std::optional<Cursor> cost = c.find("cost")) {
    cost->allow_keys({"nat", "dr", "tun", "fullnat", "connection"});
    const auto read = [&cost](std::string_view key, std::optional<Time>& out) {
      if (cost->has(key)) out = cost->required<Time>(key, Range{Time::zero(), Time::s(1)});
    };
    read("nat", cpu.cost_nat);
    read("dr", cpu.cost_dr);
    read("tun", cpu.cost_tun);
    read("fullnat", cpu.cost_fullnat);
    read("connection", cpu.cost_connection);
  }
  return cpu;
}

HostKind read_kind(const Cursor& c) {
  const std::string kind = c.choice("kind", {"host", "router", "client", "server", "director"}, "host");
  if (kind == "router") return HostKind::Router;
  if (kind == "client") return HostKind::Client;
  if (kind == "server") return HostKind::Server;
  if (kind == "director") return HostKind::Director;
  return HostKind::Host;
}

}  // namespace

std::vector<Ipv4Address> read_addresses(const Cursor& c, std::string_view key) {
  std::vector<Ipv4Address> out;
  for (const Cursor& item : optional_items(c, key)) out.push_back(item.as<Ipv4Address>());
  return out;
}

void read_host_sysctl(const Cursor& c, HostSpec& h) {
  const std::optional<Cursor> sysctl = c.find("sysctl");
  if (!sysctl) return;
  h.sysctl = read_sysctl(*sysctl);
  for (const char* key :
       {"expire_quiescent_template", "expire_nodest_conn", "conn_reuse_mode", "conntrack", "fullnat_lport_min",
        "fullnat_lport_max", "fullnat_lport_tries"})
    if (sysctl->has(key) && h.kind != HostKind::Director)
      sysctl->at(key).fail("an IPVS sysctl (net.ipv4.vs.*) is for directors only; " + h.name +
                           " is not of kind director");
  check_tcp_sysctls(*sysctl, h);
}

namespace {

HostSpec read_host(const Cursor& c) {
  c.allow_keys({"name", "kind", "interfaces", "gateway", "routes", "sysctl", "loopback", "tunnel", "cpu"});
  HostSpec h;
  h.origin = origin_of(c);
  h.name = required_name(c, "name");
  h.kind = read_kind(c);
  for (const Cursor& item : required_items(c, "interfaces", "interface")) h.interfaces.push_back(read_interface(item));
  if (const std::optional<Cursor> gateway = c.find("gateway")) {
    h.gateway = gateway->as<Ipv4Address>();
    h.gateway_origin = origin_of(*gateway);
  }
  if (const std::optional<Cursor> routes = c.find("routes")) read_routes(*routes, h);
  read_host_sysctl(c, h);
  read_loopback(c, h);
  h.tunnel = read_addresses(c, "tunnel");
  if (const std::optional<Cursor> cpu = c.find("cpu")) {
    if (h.kind != HostKind::Director)
      c.at("cpu").fail("cpu is for directors only; " + h.name + " is not of kind director");
    h.cpu = read_cpu(*cpu);
  }
  return h;
}

}  // namespace

TopologySpec read_topology(const Cursor& c) {
  c.allow_keys({"segments", "links", "hosts"});
  TopologySpec t;
  for (const Cursor& item : optional_items(c, "segments")) t.segments.push_back(read_segment(item));
  for (const Cursor& item : optional_items(c, "links")) t.links.push_back(read_link(item));
  for (const Cursor& item : required_items(c, "hosts", "host")) t.hosts.push_back(read_host(item));
  return t;
}

}  // namespace lvs::scenario::reader
