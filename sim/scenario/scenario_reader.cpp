// A scenario file read into a ScenarioSpec: the top level, `services` and `servers`, and the
// helpers every section shares. `topology` is in scenario_reader_topology.cpp, `workload` in
// scenario_reader_workload.cpp, distributions in distribution_reader.cpp. The file format is
// documented key by key in scenarios/README.md.

#include <algorithm>
#include <filesystem>
#include <iterator>

#include "scenario/overrides.hpp"
#include "scenario/routes.hpp"
#include "scenario/scenario_reader_detail.hpp"
#include "scenario/scenario_reader_failover.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/sched_flags.hpp"

namespace lvs::scenario {

namespace reader {

// --- shared helpers ---

Origin origin_of(const Cursor& c) { return Origin{c.path(), c.mark()}; }

std::string required_name(const Cursor& map, std::string_view key) {
  const Cursor value = map.at(key);
  std::string name = value.as<std::string>();
  if (name.empty()) value.fail("expected a name, got ''");
  return name;
}

std::vector<Cursor> required_items(const Cursor& map, std::string_view key, std::string_view noun) {
  const Cursor list = map.at(key);
  std::vector<Cursor> items = list.items();
  if (items.empty()) list.fail("expected at least one " + std::string(noun) + ", got an empty list");
  return items;
}

std::vector<Cursor> optional_items(const Cursor& map, std::string_view key) {
  const std::optional<Cursor> list = map.find(key);
  return list ? list->items() : std::vector<Cursor>{};
}

std::uint16_t optional_port(const Cursor& map, std::string_view key, std::uint16_t fallback) {
  return optional_count<std::uint16_t>(map, key, fallback, 1, 65535);
}

Time positive_duration(const Cursor& map, std::string_view key, Time fallback) {
  const std::optional<Cursor> value = map.find(key);
  if (!value) return fallback;
  const Time t = value->as<Time>();
  if (t == Time::zero()) value->fail("expected a duration > 0, got " + scenario::quoted(value->as<std::string>()));
  return t;
}

Protocol read_protocol(const Cursor& map) {
  return map.choice("protocol", {"tcp", "udp"}, "tcp") == "udp" ? Protocol::Udp : Protocol::Tcp;
}

std::string protocol_name(Protocol protocol) { return protocol == Protocol::Udp ? "udp" : "tcp"; }

void exactly_one_of(const Cursor& map, std::string_view a, std::string_view b, std::string_view why,
                    bool one_required) {
  const bool has_a = map.has(a);
  const bool has_b = map.has(b);
  const auto quoted = [](std::string_view k) { return std::string(1, '\'').append(k).append(1, '\''); };
  if (has_a && has_b) map.fail(std::string("both ").append(quoted(a)).append(" and ").append(quoted(b)).append(" are set; ").append(why));
  if (one_required && !has_a && !has_b)
    map.fail(std::string("missing ").append(quoted(a)).append(" or ").append(quoted(b)).append("; ").append(why));
}

namespace {

std::string joined_names(const std::vector<std::string>& names) {
  std::string list;
  for (const std::string& n : names) list.append(list.empty() ? "" : ", ").append(n);
  return list;
}

}  // namespace

std::string read_registered(const Cursor& c, std::string_view what, const std::vector<std::string>& names) {
  const std::string name = c.as<std::string>();
  if (std::find(names.begin(), names.end(), name) != names.end()) return name;
  const std::string hint = closest_name(name, names);
  c.fail(std::string(what) + " " + scenario::quoted(name) + " is not available" +
         (hint.empty() ? "" : " (did you mean '" + hint + "'?)") + "; registered: " + joined_names(names));
}

std::string read_scheduler(const Cursor& c) { return read_registered(c, "scheduler", scheduler_names()); }

namespace {

// --- services ---

Method read_method(const Cursor& dest) {
  return method_named(dest.choice("method", {"nat", "dr", "tun", "fullnat"}, "dr"));
}

DestinationSpec read_destination(const Cursor& c) {
  c.allow_keys({"server", "address", "port", "method", "weight", "u_threshold", "l_threshold", "initially", "checks"});
  DestinationSpec d;
  d.origin = origin_of(c);
  d.server = required_name(c, "server");
  if (c.has("address")) d.address = c.required<Ipv4Address>("address");
  read_destination_settings(c, d);
  return d;
}

}  // namespace

void read_destination_settings(const Cursor& c, DestinationSpec& d) {
  if (c.has("port")) d.port = optional_port(c, "port", 0);
  d.method = read_method(c);
  d.weight = optional_count<std::uint32_t>(c, "weight", 1, 0, 65535);
  constexpr std::int64_t int_max = 2147483647;  // ipvsadm accepts 0..INT_MAX
  d.u_threshold = optional_count<std::uint32_t>(c, "u_threshold", 0, 0, int_max);
  d.l_threshold = optional_count<std::uint32_t>(c, "l_threshold", 0, 0, int_max);
  if (d.l_threshold > d.u_threshold)
    c.at("l_threshold")
        .fail("l_threshold " + std::to_string(d.l_threshold) + " is above u_threshold " +
              std::to_string(d.u_threshold) + " (ipvsadm refuses it: ERANGE)");
  d.initially_present = c.choice("initially", {"present", "absent"}, "present") == "present";
  // `checks` are read with the service's health_check (read_health_check).
}

namespace {

// ipvsadm -b FLAGS: a list of names, or one string of them joined by commas as ipvsadm
// takes them ("sh-fallback,sh-port").
std::vector<std::string> read_sched_flags(const Cursor& service) {
  const std::optional<Cursor> c = service.find("sched_flags");
  if (!c) return {};
  std::vector<std::pair<std::string, Cursor>> named;
  if (c->is_sequence()) {
    for (const Cursor& item : optional_items(service, "sched_flags")) named.emplace_back(item.as<std::string>(), item);
  } else {
    std::string all = c->as<std::string>();
    for (std::size_t from = 0; from <= all.size();) {
      const std::size_t comma = std::min(all.find(',', from), all.size());
      named.emplace_back(all.substr(from, comma - from), *c);
      from = comma + 1;
    }
  }
  std::vector<std::string> out;
  for (const auto& [name, at] : named) {
    if (!sched_flag_bit(name))
      at.fail("unknown scheduler flag " + scenario::quoted(name) + "; valid: " + joined_names(sched_flag_names()));
    out.push_back(name);
  }
  return out;
}

// ipvsadm -p TIMEOUT -M NETMASK. A netmask must be contiguous ones, and means nothing
// without persistence (ipvsadm accepts it silently; here it is an error, not a no-op).
void read_persistence(const Cursor& c, ServiceSpec& s) {
  if (c.has("persistent")) s.persistent = positive_duration(c, "persistent", kDefaultPersistentTimeout);
  const std::optional<Cursor> mask = c.find("netmask");
  if (!mask) return;
  s.netmask = mask->as<Ipv4Address>();
  const std::uint32_t m = s.netmask.value();
  if ((~m & (~m + 1)) != 0) mask->fail("netmask " + s.netmask.str() + " is not a run of leading ones (e.g. 255.255.255.0)");
  if (!s.persistent) mask->fail("netmask only matters with persistence; set `persistent` (ipvsadm -p) too");
}

// The hand-written destinations, then the groups' (`destinations` may be left out when
// there are groups); `checks_from` gets the item each destination's `checks` are under.
void read_destinations(const Cursor& c, ServiceSpec& s, std::vector<Cursor>& checks_from, GroupMembers& members) {
  checks_from = c.has("groups") ? optional_items(c, "destinations") : required_items(c, "destinations", "destination");
  if (c.has("groups") && c.has("destinations") && checks_from.empty())
    c.at("destinations")
        .fail("expected at least one destination, got an empty list (leave the key out: the groups declare them)");
  for (const Cursor& item : checks_from) s.destinations.push_back(read_destination(item));
  read_groups(c, s, checks_from, members);
}

ServiceSpec read_service(const Cursor& c, GroupMembers& members) {
  c.allow_keys({"name", "director", "protocol", "vip", "port", "fwmark", "mark", "scheduler", "sched_flags",
                "persistent", "netmask", "local_addresses", "flavour", "destinations", "groups", "health_check"});
  ServiceSpec s;
  s.origin = origin_of(c);
  s.also_on = read_directors(c, s.director);
  s.protocol = read_protocol(c);
  if (!read_fwmark(c, s)) {
    s.vip = c.required<Ipv4Address>("vip");
    s.port = optional_port(c, "port", 80);
  }
  s.name = c.has("name")  ? required_name(c, "name")
           : s.fwmark ? "fwmark/" + std::to_string(*s.fwmark)
                      : protocol_name(s.protocol) + "/" + s.vip.str() + ":" + std::to_string(s.port);
  if (const std::optional<Cursor> scheduler = c.find("scheduler")) s.scheduler = read_scheduler(*scheduler);
  s.sched_flags = read_sched_flags(c);
  read_persistence(c, s);
  for (const Cursor& item : optional_items(c, "local_addresses")) s.local_addresses.push_back(item.as<Ipv4Address>());
  if (c.choice("flavour", {"alibaba", "dpvs"}, "alibaba") == "dpvs") s.flavour = FullNatFlavour::Dpvs;
  std::vector<Cursor> destinations;
  read_destinations(c, s, destinations, members);
  if (c.has("health_check"))
    s.health_check = read_health_check(c, s.destinations, destinations);
  else
    refuse_checks_without_health_check(destinations);
  return s;
}

}  // namespace

// --- servers ---

void read_app_settings(const Cursor& c, ServerAppSpec& a) {
  constexpr std::int64_t limit = 1'000'000'000;
  a.workers = optional_count<std::uint32_t>(c, "workers", kDefaultWorkers, 1, limit);
  a.backlog = optional_count<std::uint32_t>(c, "backlog", kDefaultBacklog, 1, limit);
  a.max_connections = optional_count<std::uint32_t>(c, "max_connections", kDefaultMaxConnections, 1, limit);
  a.service_time = optional_distribution<Time>(c, "service_time", a.service_time);
  a.response_size = optional_distribution<ByteSize>(c, "response_size", a.response_size);
  if (const std::optional<Cursor> mount = c.find("mount")) a.mount = read_mount(*mount);
}

namespace {

ServerAppSpec read_server_app(const Cursor& c) {
  c.allow_keys(
      {"host", "hosts", "protocol", "port", "workers", "backlog", "max_connections", "service_time", "response_size",
       "mount"});
  exactly_one_of(c, "host", "hosts", "give one host or a list of hosts");
  ServerAppSpec a;
  a.origin = origin_of(c);
  if (c.has("host")) a.hosts.push_back(required_name(c, "host"));
  for (const Cursor& item : c.has("hosts") ? required_items(c, "hosts", "host") : std::vector<Cursor>{}) {
    a.hosts.push_back(item.as<std::string>());
    if (a.hosts.back().empty()) item.fail("expected a name, got ''");
  }
  a.protocol = read_protocol(c);
  a.port = optional_port(c, "port", 80);
  read_app_settings(c, a);
  return a;
}

// --- the top level ---

void read_run_settings(const Cursor& root, ScenarioSpec& spec) {
  spec.name = root.has("name") ? required_name(root, "name") : std::filesystem::path(spec.file).stem().string();
  spec.description = root.optional<std::string>("description", "");
  spec.seed = static_cast<std::uint64_t>(root.optional<std::int64_t>("seed", 1, at_least<std::int64_t>(0)));
  spec.duration = positive_duration(root, "duration", spec.duration);
  // `warmup: auto`: MSER-5 picks the truncation point after a first run (run/warmup_auto.hpp).
  const std::optional<Cursor> warmup = root.find("warmup");
  spec.warmup_auto = warmup && warmup->is_scalar() && warmup->as<std::string>() == "auto";
  if (warmup && !spec.warmup_auto) {
    try {
      spec.warmup = warmup->as<Time>();
    } catch (const ScenarioError&) {
      warmup->fail("expected a duration (\"5s\", \"500ms\") or auto (MSER-5 chooses it)");
    }
  }
  if (spec.warmup >= spec.duration)
    root.at("warmup").fail("warmup " + to_string(spec.warmup) + " is not shorter than the duration " +
                           to_string(spec.duration) + ": no request would be measured");
  spec.sample_interval = positive_duration(root, "sample_interval", spec.sample_interval);
  const std::string samples = sample_count_problem(spec.duration, spec.sample_interval);
  if (!samples.empty()) (root.has("sample_interval") ? root.at("sample_interval") : root.at("duration")).fail(samples);
}

ScenarioSpec read_spec(const Cursor& root, const std::string& file) {
  root.allow_keys({"name", "description", "seed", "duration", "warmup", "sample_interval", "topology", "services",
                   "servers", "workload", "events", "timeline", "vrrp", "sync_daemon", "failures", "storage"});
  ScenarioSpec spec;
  spec.file = file;
  read_run_settings(root, spec);
  spec.topology = read_topology(root.at("topology"));
  GroupMembers members;  // the groups' hosts go after the topology's, their applications after `servers`
  for (const Cursor& item : required_items(root, "services", "service"))
    spec.services.push_back(read_service(item, members));
  std::move(members.hosts.begin(), members.hosts.end(), std::back_inserter(spec.topology.hosts));
  for (const Cursor& item : optional_items(root, "storage")) spec.storage.push_back(read_storage(item));
  for (const Cursor& item : optional_items(root, "servers")) spec.servers.push_back(read_server_app(item));
  std::move(members.apps.begin(), members.apps.end(), std::back_inserter(spec.servers));
  spec.workload = read_workload(root.at("workload"));
  exactly_one_of(root, "timeline", "events", "`events` is the older name of `timeline`; give one", false);
  for (const char* key : {"timeline", "events"})
    if (const std::optional<Cursor> events = root.find(key)) spec.events = read_events(*events, spec.services);
  if (const std::optional<Cursor> vrrp = root.find("vrrp")) read_vrrp(*vrrp, spec);
  if (const std::optional<Cursor> sync = root.find("sync_daemon")) {
    spec.sync_daemon = read_sync_daemon(*sync);  // read (and checked) even when off
    if (!sync->optional<bool>("enabled", true)) spec.sync_daemon.reset();
  }
  if (const std::optional<Cursor> failures = root.find("failures")) spec.failures = read_failures(*failures);
  spec.positions = key_positions(root);
  compute_routes(spec);  // `routes: auto`: validate() and the builder see ordinary routes
  return spec;
}

}  // namespace

}  // namespace reader

ScenarioSpec read_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  Document doc = Document::load(path);
  apply_overrides(doc, overrides);
  return reader::read_spec(doc.root(), path);
}

ScenarioSpec read_scenario_text(std::string_view text, const std::string& name,
                                const std::vector<std::string>& overrides) {
  Document doc = Document::from_string(text, name);
  apply_overrides(doc, overrides);
  return reader::read_spec(doc.root(), name);
}

}  // namespace lvs::scenario
