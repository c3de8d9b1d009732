// The failover keys of a scenario: a service's `health_check` and its destinations'
// `checks` (keepalived's checkers), the `vrrp` section, `sync_daemon` and `failures`. The
// keys are keepalived.conf's own names (lvs-models-reference.md §8), so a sysadmin can read
// a scenario against a keepalived.conf; defaults are keepalived 2.2's (failover_spec.hpp).
//
//   health_check: {delay_loop: 6s, connect_timeout: 3s, retry: 2, check: {type: TCP_CHECK}}
//   vrrp:
//     instances:
//       - name: VI_1
//         virtual_router_id: 51
//         virtual_ipaddress: [192.168.1.100/24]
//         members:
//           - {director: lvs1, state: MASTER, priority: 150}
//           - {director: lvs2, priority: 100}
//   sync_daemon: {interface: eth1, instance: VI_1}
//   failures:
//     - {crash: rs1, mtbf: 1000h, mttr: 1h}

#include "scenario/scenario_reader_failover.hpp"

#include <algorithm>

namespace lvs::scenario::reader {

namespace {

// --- health checks -------------------------------------------------------------------------

// What a virtual_server passes down to its real servers' checkers (keepalived: connect_timeout,
// retry and delay_before_retry may be set on the virtual_server; check_data.c).
struct CheckDefaults {
  std::optional<Time> connect_timeout;
  std::optional<std::uint32_t> retry;
  std::optional<Time> delay_before_retry;
};

CheckKind read_check_kind(const Cursor& c) {
  const std::string type = c.choice("type", {"TCP_CHECK", "HTTP_GET", "MISC_CHECK"});
  return type == "HTTP_GET" ? CheckKind::Http : type == "MISC_CHECK" ? CheckKind::Misc : CheckKind::Tcp;
}

CheckSpec read_check(const Cursor& c, const CheckDefaults& inherited) {
  c.allow_keys({"type", "connect_port", "connect_timeout", "retry", "nb_get_retry", "delay_before_retry", "url",
                "request_bytes", "status_code", "success", "misc_timeout"});
  if (c.has("retry") && c.has("nb_get_retry")) c.at("nb_get_retry").fail("give `retry` (nb_get_retry is its old name), not both");
  CheckSpec k;
  k.origin = origin_of(c);
  k.kind = read_check_kind(c);
  if (c.has("connect_port")) k.connect_port = optional_port(c, "connect_port", 0);
  k.connect_timeout = positive_duration(c, "connect_timeout", inherited.connect_timeout.value_or(kDefaultConnectTimeout));
  const std::uint32_t retry_default =
      inherited.retry.value_or(k.kind == CheckKind::Misc ? 0 : kDefaultRetry);  // check_misc.c: retry 0
  const std::string retry_key = c.has("nb_get_retry") ? "nb_get_retry" : "retry";
  k.retry = optional_count<std::uint32_t>(c, retry_key, retry_default, 0, 1'000'000);
  const Time delay_default = inherited.delay_before_retry.value_or(
      k.kind == CheckKind::Http ? kDefaultHttpDelayBeforeRetry : kDefaultDelayBeforeRetry);
  k.delay_before_retry = positive_duration(c, "delay_before_retry", delay_default);
  const bool http = k.kind == CheckKind::Http, misc = k.kind == CheckKind::Misc;
  for (const char* key : {"url", "request_bytes", "status_code"})
    if (!http && c.has(key)) c.at(key).fail(std::string(key) + " is an HTTP_GET setting");
  for (const char* key : {"success", "misc_timeout"})
    if (!misc && c.has(key)) c.at(key).fail(std::string(key) + " is a MISC_CHECK setting");
  k.url_path = c.optional<std::string>("url", "/");
  if (k.url_path.empty() || k.url_path.front() != '/') c.at("url").fail("a url path starts with '/'");
  k.request_bytes = optional_count<std::uint32_t>(c, "request_bytes", 0, 1, 65'536);
  k.status_code = static_cast<int>(c.optional<std::int64_t>("status_code", 200, Range<std::int64_t>{100, 599}));
  k.misc_success = c.optional<double>("success", 1.0, Range<double>{0.0, 1.0});
  k.misc_timeout = c.optional<Time>("misc_timeout", Time::zero());
  return k;
}

CheckDefaults read_check_defaults(const Cursor& c) {
  CheckDefaults d;
  if (c.has("connect_timeout")) d.connect_timeout = positive_duration(c, "connect_timeout", kDefaultConnectTimeout);
  if (c.has("retry")) d.retry = optional_count<std::uint32_t>(c, "retry", kDefaultRetry, 0, 1'000'000);
  if (c.has("delay_before_retry"))
    d.delay_before_retry = positive_duration(c, "delay_before_retry", kDefaultDelayBeforeRetry);
  return d;
}

HealthCheckSpec read_health_check_settings(const Cursor& c) {
  c.allow_keys({"flavour", "delay_loop", "warmup", "alpha", "inhibit_on_failure", "quorum", "hysteresis",
                "sorry_server", "sorry_port", "connect_timeout", "retry", "delay_before_retry", "check"});
  HealthCheckSpec h;
  h.origin = origin_of(c);
  if (c.choice("flavour", {"keepalived", "ldirectord"}, "keepalived") == "ldirectord")
    h.flavour = CheckFlavour::Ldirectord;
  h.delay_loop = positive_duration(c, "delay_loop", kDefaultDelayLoop);
  if (c.has("warmup")) h.warmup = c.required<Time>("warmup");
  h.alpha = c.optional<bool>("alpha", false);
  h.inhibit_on_failure = c.optional<bool>("inhibit_on_failure", false);
  // check_parser.c quorum_handler, hysteresis_handler: quorum 1..UINT_MAX, hysteresis 0..UINT_MAX.
  constexpr std::int64_t uint_max = 4294967295;
  h.quorum = optional_count<std::uint32_t>(c, "quorum", 1, 1, uint_max);
  h.hysteresis = optional_count<std::uint32_t>(c, "hysteresis", 0, 0, uint_max);
  if (c.has("sorry_server")) h.sorry_server = required_name(c, "sorry_server");
  if (c.has("sorry_port")) {
    if (!h.sorry_server) c.at("sorry_port").fail("sorry_port needs sorry_server");
    h.sorry_port = optional_port(c, "sorry_port", 0);
  }
  return h;
}

// --- VRRP ----------------------------------------------------------------------------------

std::vector<VrrpTrackSpec> read_track_scripts(const Cursor& member) {
  std::vector<VrrpTrackSpec> out;
  for (const Cursor& item : optional_items(member, "track_script")) {
    VrrpTrackSpec t;
    if (item.is_scalar()) {
      t.script = item.as<std::string>();
    } else {
      item.allow_keys({"script", "weight"});
      t.script = required_name(item, "script");
      if (item.has("weight"))
        t.weight = static_cast<int>(item.required<std::int64_t>("weight", Range<std::int64_t>{-253, 253}));
    }
    out.push_back(std::move(t));
  }
  return out;
}

VrrpMemberSpec read_member(const Cursor& c) {
  c.allow_keys({"director", "interface", "vip_interface", "state", "priority", "nopreempt", "preempt_delay",
                "track_script"});
  VrrpMemberSpec m;
  m.origin = origin_of(c);
  m.director = required_name(c, "director");
  m.interface = c.optional<std::string>("interface", "eth0");
  m.vip_interface = c.optional<std::string>("vip_interface", "");
  if (c.choice("state", {"MASTER", "BACKUP"}, "BACKUP") == "MASTER") m.state = VrrpInitialState::Master;
  if (c.has("priority")) m.priority = optional_count<std::uint32_t>(c, "priority", kDefaultVrrpPriority, 1, 255);
  m.nopreempt = c.optional<bool>("nopreempt", false);
  m.preempt_delay = c.optional<Time>("preempt_delay", Time::zero(), Range<Time>{Time::zero(), Time::s(1000)});
  // vrrp.c config checks: nopreempt and preempt_delay are ignored for state MASTER or the
  // address owner; keepalived clears them with a warning, here the file must not say them.
  const bool owner_or_master = m.state == VrrpInitialState::Master || m.priority == 255U;
  for (const char* key : {"nopreempt", "preempt_delay"})
    if (owner_or_master && c.has(key))
      c.at(key).fail(std::string(key) + " needs state BACKUP and a priority below 255 (keepalived ignores it otherwise)");
  m.track_scripts = read_track_scripts(c);
  return m;
}

Time read_advert_int(const Cursor& c, int version) {
  const Time t = positive_duration(c, "advert_int", kDefaultAdvertInt);
  // RFC 3768 §5.3.7: whole seconds, 8 bits; RFC 5798 §5.2.7: centiseconds, 12 bits.
  if (version == 2 && (t % Time::s(1) != Time::zero() || t > Time::s(255)))
    c.at("advert_int").fail("VRRP version 2 advertises whole seconds, 1s..255s (RFC 3768 5.3.7)");
  if (version == 3 && (t % Time::ms(10) != Time::zero() || t > Time::ms(40950)))
    c.at("advert_int").fail("VRRP version 3 advertises centiseconds, 10ms..40.95s (RFC 5798 5.2.7)");
  return t;
}

VrrpInstanceSpec read_instance(const Cursor& c) {
  c.allow_keys({"name", "virtual_router_id", "version", "advert_int", "virtual_ipaddress", "auth_pass",
                "garp_master_delay", "garp_master_repeat", "garp_master_refresh", "members"});
  VrrpInstanceSpec v;
  v.origin = origin_of(c);
  v.name = required_name(c, "name");
  v.virtual_router_id = static_cast<std::uint32_t>(c.required<std::int64_t>("virtual_router_id", Range<std::int64_t>{1, 255}));
  v.version = static_cast<int>(c.optional<std::int64_t>("version", 2, Range<std::int64_t>{2, 3}));
  v.advert_int = read_advert_int(c, v.version);
  for (const Cursor& item : required_items(c, "virtual_ipaddress", "address")) {
    const std::string text = item.as<std::string>();
    v.virtual_ipaddress.push_back(text.find('/') == std::string::npos ? Ipv4Prefix{item.as<Ipv4Address>(), 32}
                                                                       : item.as<Ipv4Prefix>());
  }
  v.auth_pass = c.optional<std::string>("auth_pass", "");
  if (v.version == 3 && !v.auth_pass.empty()) c.at("auth_pass").fail("VRRP version 3 has no authentication (RFC 5798)");
  if (v.auth_pass.size() > 8) c.at("auth_pass").fail("keepalived uses the first 8 characters of auth_pass; give at most 8");
  v.garp_master_delay = c.optional<Time>("garp_master_delay", kDefaultGarpMasterDelay);
  v.garp_master_repeat = optional_count<std::uint32_t>(c, "garp_master_repeat", kDefaultGarpMasterRepeat, 1, 1000);
  v.garp_master_refresh = c.optional<Time>("garp_master_refresh", Time::zero());
  const std::vector<Cursor> members = required_items(c, "members", "member");
  for (const Cursor& item : members) v.members.push_back(read_member(item));
  for (std::size_t i = 0; i < v.members.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (v.members[i].director == v.members[j].director)
        members[i].at("director").fail("director " + quoted(v.members[i].director) + " is already a member of " + v.name);
  return v;
}

VrrpSyncGroupSpec read_sync_group(const Cursor& c) {
  c.allow_keys({"name", "instances"});
  VrrpSyncGroupSpec g;
  g.origin = origin_of(c);
  g.name = required_name(c, "name");
  for (const Cursor& item : required_items(c, "instances", "instance")) g.instances.push_back(item.as<std::string>());
  return g;
}

VrrpScriptSpec read_script(const Cursor& c) {
  c.allow_keys({"name", "check", "interval", "rise", "fall", "weight"});
  VrrpScriptSpec s;
  s.origin = origin_of(c);
  s.name = required_name(c, "name");
  s.check = required_name(c, "check");
  const std::string kind = s.check.substr(0, s.check.find(' '));
  if ((kind != "interface" && kind != "service") || s.check.find(' ') == std::string::npos)
    c.at("check").fail("expected 'interface IFACE' (its carrier is up) or 'service PORT' (the director's service on "
                       "PORT has a live destination), got " + quoted(s.check));
  s.interval = positive_duration(c, "interval", Time::s(1));
  s.rise = optional_count<std::uint32_t>(c, "rise", 1, 1, 1'000'000);
  s.fall = optional_count<std::uint32_t>(c, "fall", 1, 1, 1'000'000);
  s.weight = static_cast<int>(c.optional<std::int64_t>("weight", 0, Range<std::int64_t>{-253, 253}));
  return s;
}

// --- random failures -----------------------------------------------------------------------

// Up for time_to_failure, down for time_to_repair: exponential with means mtbf and mttr, or
// given as distributions.
Distribution read_duration_or_mean(const Cursor& c, std::string_view dist_key, std::string_view mean_key) {
  exactly_one_of(c, dist_key, mean_key, "give a mean (" + std::string(mean_key) + ") or a distribution (" +
                                            std::string(dist_key) + ")");
  if (c.has(dist_key)) return read_distribution<Time>(c.at(dist_key));
  return Distribution::exponential(positive_duration(c, mean_key, Time::s(1)).seconds());
}

FailureProcessSpec read_failure(const Cursor& c) {
  c.allow_keys({"crash", "stop", "link-down", "mtbf", "mttr", "time_to_failure", "time_to_repair"});
  FailureProcessSpec f;
  f.origin = origin_of(c);
  int kinds = 0;
  for (const auto& [key, kind] : {std::pair{"crash", FailureKind::Crash}, std::pair{"stop", FailureKind::Stop},
                                  std::pair{"link-down", FailureKind::LinkDown}})
    if (c.has(key)) {
      ++kinds;
      f.kind = kind;
      f.component = required_name(c, key);
    }
  if (kinds != 1) c.fail("expected exactly one of 'crash: HOST', 'stop: HOST:PORT' or 'link-down: LINK'");
  f.time_to_failure = read_duration_or_mean(c, "time_to_failure", "mtbf");
  f.time_to_repair = read_duration_or_mean(c, "time_to_repair", "mttr");
  return f;
}

}  // namespace

HealthCheckSpec read_health_check(const Cursor& service, std::vector<DestinationSpec>& destinations,
                                  const std::vector<Cursor>& destination_items) {
  const Cursor c = service.at("health_check");
  HealthCheckSpec h = read_health_check_settings(c);
  const CheckDefaults inherited = read_check_defaults(c);
  const std::optional<Cursor> common = c.find("check");
  for (std::size_t i = 0; i < destinations.size(); ++i) {
    const std::vector<Cursor> own = optional_items(destination_items[i], "checks");
    for (const Cursor& item : own) destinations[i].checks.push_back(read_check(item, inherited));
    if (own.empty() && common) destinations[i].checks.push_back(read_check(*common, inherited));
  }
  return h;
}

void refuse_checks_without_health_check(const std::vector<Cursor>& destination_items) {
  for (const Cursor& d : destination_items)
    if (d.has("checks")) d.at("checks").fail("checks need the service's `health_check` (delay_loop and the rest)");
}

void read_vrrp(const Cursor& c, ScenarioSpec& spec) {
  c.allow_keys({"instances", "sync_groups", "scripts"});
  for (const Cursor& item : required_items(c, "instances", "vrrp instance")) spec.vrrp.push_back(read_instance(item));
  for (const Cursor& item : optional_items(c, "sync_groups")) spec.vrrp_sync_groups.push_back(read_sync_group(item));
  for (const Cursor& item : optional_items(c, "scripts")) spec.vrrp_scripts.push_back(read_script(item));
}

SyncDaemonSpec read_sync_daemon(const Cursor& c) {
  c.allow_keys({"enabled", "interface", "instance", "syncid", "maxlen"});
  SyncDaemonSpec s;
  s.origin = origin_of(c);
  s.interface = c.optional<std::string>("interface", "eth0");
  s.instance = c.optional<std::string>("instance", "");
  s.syncid = optional_count<std::uint32_t>(c, "syncid", 0, 0, 255);
  // sync_maxlen: at least one 8-byte header and one 36-byte entry; at most a 64 KiB datagram.
  s.maxlen = optional_count<std::uint32_t>(c, "maxlen", 1472, 44, 65'507);
  return s;
}

std::vector<FailureProcessSpec> read_failures(const Cursor& list) {
  std::vector<FailureProcessSpec> out;
  for (const Cursor& item : list.items()) out.push_back(read_failure(item));
  return out;
}

std::vector<std::string> read_directors(const Cursor& service, std::string& first) {
  const Cursor c = service.at("director");
  if (!c.is_sequence()) {
    first = required_name(service, "director");
    return {};
  }
  const std::vector<Cursor> items = required_items(service, "director", "director");
  std::vector<std::string> names;
  for (const Cursor& item : items) {
    names.push_back(item.as<std::string>());
    if (names.back().empty()) item.fail("expected a director's name, got ''");
    if (std::count(names.begin(), names.end(), names.back()) > 1) item.fail("director " + quoted(names.back()) + " is listed twice");
  }
  first = names.front();
  return {names.begin() + 1, names.end()};
}

}  // namespace lvs::scenario::reader
