// set_server_count: the GUI's "number of real servers" as an edit of the scenario's text.
// A new server is a copy of the service's last one, so that it behaves the same (kind,
// gateway, VIP on lo or tunl0, sysctls, application) and differs only where it must: its
// name and its addresses. The scenario is read before each step, so the steps work on the
// spec's view of the file (defaults applied, names resolved) and edit its text by key path.
// A service whose servers come from a group (`groups`) has its group's `count` changed instead.

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "scenario/scenario_spec.hpp"
#include "scenario/scenario_text.hpp"

namespace lvs::scenario {

namespace {

// The addresses a scenario uses, as closed ranges (a client population covers several).
class UsedAddresses {
 public:
  explicit UsedAddresses(const ScenarioSpec& spec) {
    for (const HostSpec& h : spec.topology.hosts) add_host(h);
    for (const ServiceSpec& s : spec.services) {
      add(s.vip);
      for (const Ipv4Address& a : s.local_addresses) add(a);
      for (const DestinationSpec& d : s.destinations)
        if (d.address) add(*d.address);
    }
    for (const ClientSpec& c : spec.workload.clients) add(c.target);
  }

  void add(Ipv4Address a, std::uint32_t count = 1) { ranges_.emplace_back(a.value(), a.value() + (count - 1)); }
  bool contains(std::uint32_t a) const {
    return std::any_of(ranges_.begin(), ranges_.end(), [a](const auto& r) { return r.first <= a && a <= r.second; });
  }

  /// The first free address after `p`'s in its subnet (wrapping round), network and broadcast excluded.
  std::optional<Ipv4Address> next_free(const Ipv4Prefix& p) const {
    const std::uint32_t first = p.network().value() + (p.length() < 31 ? 1 : 0);
    const std::uint32_t last = p.broadcast_address().value() - (p.length() < 31 ? 1 : 0);
    if (p.length() == 32) return std::nullopt;
    std::uint32_t a = p.address().value();
    for (std::uint64_t tries = 0; tries <= std::uint64_t{last} - first; ++tries) {
      a = a >= last ? first : a + 1;
      if (!contains(a)) return Ipv4Address(a);
    }
    return std::nullopt;
  }

 private:
  void add_host(const HostSpec& h) {
    for (const InterfaceSpec& i : h.interfaces) {
      add(i.address.address(), std::max<std::uint32_t>(i.sources, 1));
      for (const Ipv4Prefix& p : i.secondary) add(p.address());
    }
    for (const Ipv4Address& a : h.loopback) add(a);
    for (const Ipv4Address& a : h.tunnel) add(a);
    if (h.gateway) add(*h.gateway);
    for (const RouteSpec& r : h.routes) add(r.via);
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ranges_;
};

// A host name like `like` not yet taken: its trailing number counted up ("rs4" -> "rs5",
// "web09" -> "web10"; "rs-b" -> "rs-b2").
std::string fresh_name(const ScenarioSpec& spec, const std::string& like) {
  const std::size_t digits = like.size() - 1 - like.find_last_not_of("0123456789");
  const std::string prefix = like.substr(0, like.size() - digits);
  const std::uint64_t number = digits == 0 || digits > 9 ? 1 : std::stoull(like.substr(prefix.size()));
  const auto taken = [&spec](const std::string& name) {
    return std::any_of(spec.topology.hosts.begin(), spec.topology.hosts.end(),
                       [&name](const HostSpec& h) { return h.name == name; });
  };
  for (std::uint64_t n = number + 1;; ++n) {
    std::string suffix = std::to_string(n);
    if (suffix.size() < digits) suffix.insert(0, digits - suffix.size(), '0');
    if (!taken(prefix + suffix)) return prefix + suffix;
  }
}

std::string indexed(std::string_view list, std::size_t index) { return item_path(list, index); }

// Adds or removes one server of a service, editing `text`.
class ServerCount {
 public:
  ServerCount(ScenarioText& text, std::size_t service, std::size_t target)
      : text_(text), service_(service), target_(target) {}

  void add_one();
  void remove_last();

 private:
  ScenarioSpec read() const { return read_scenario_text(text_.text(), text_.name()); }
  std::string destinations() const { return indexed("services", service_) + ".destinations"; }
  std::size_t host_index(const ScenarioSpec& spec, const DestinationSpec& d) const;
  void link_to_segment(const ScenarioSpec& spec, const std::string& link);
  std::string clone_host(const ScenarioSpec& spec, std::size_t host, std::vector<Ipv4Prefix>& addresses);
  void add_to_servers(const ScenarioSpec& spec, const std::string& original, const std::string& name);
  void check_events(const ScenarioSpec& spec, std::size_t destination) const;
  void remove_from_servers(const ScenarioSpec& spec, const std::string& name);

  ScenarioText& text_;
  std::size_t service_;
  std::size_t target_;
};

std::size_t ServerCount::host_index(const ScenarioSpec& spec, const DestinationSpec& d) const {
  for (std::size_t h = 0; h < spec.topology.hosts.size(); ++h)
    if (spec.topology.hosts[h].name == d.server) return h;
  throw ScenarioError(text_.name(), d.origin.at.line, d.origin.at.column, d.origin.path,
                      "server " + d.server + " is not a host of the topology");
}

void ServerCount::add_one() {
  const ScenarioSpec spec = read();
  const ServiceSpec& service = spec.services[service_];
  const DestinationSpec last = service.destinations.back();
  const std::size_t host = host_index(spec, last);
  for (const InterfaceSpec& i : spec.topology.hosts[host].interfaces)
    if (!i.link.empty()) link_to_segment(spec, i.link);  // a link joins two interfaces, a segment any number
  std::vector<Ipv4Prefix> addresses;
  const std::string name = clone_host(spec, host, addresses);
  const std::string copy = indexed(destinations(), text_.duplicate(destinations(), service.destinations.size() - 1));
  text_.set(copy + ".server", name);
  text_.erase(copy + ".initially");  // the new server is in the service from the start
  if (last.address) {
    const std::vector<InterfaceSpec>& old = spec.topology.hosts[host].interfaces;
    std::size_t i = 0;
    while (i + 1 < old.size() && old[i].address.address() != *last.address) ++i;
    text_.set(copy + ".address", addresses[i].address().str());
  }
  add_to_servers(spec, last.server, name);
}

// Copies topology host `host` under a new name with new addresses (returned in `addresses`, one per interface).
std::string ServerCount::clone_host(const ScenarioSpec& spec, std::size_t host, std::vector<Ipv4Prefix>& addresses) {
  const HostSpec& h = spec.topology.hosts[host];
  UsedAddresses used(spec);
  for (const InterfaceSpec& i : h.interfaces) {
    const std::optional<Ipv4Address> a = used.next_free(i.address);
    if (!a)
      throw ScenarioError(text_.name(), i.origin.at.line, i.origin.at.column, i.origin.path,
                          "no free address left in " + i.address.str() + " for a copy of " + h.name);
    used.add(*a);
    addresses.emplace_back(*a, i.address.length());
  }
  const std::string name = fresh_name(spec, h.name);
  const std::string copy = indexed("topology.hosts", text_.duplicate("topology.hosts", host));
  text_.set(copy + ".name", name);
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    const std::string iface = indexed(copy + ".interfaces", i);
    text_.set(iface + ".address", addresses[i].str());
    text_.erase(iface + ".mac");
  }
  return name;
}

// Makes the point-to-point link `link` a segment of the same name, rate, delay and queue.
void ServerCount::link_to_segment(const ScenarioSpec& spec, const std::string& link) {
  std::size_t k = 0;
  while (k < spec.topology.links.size() && spec.topology.links[k].name != link) ++k;
  if (k == spec.topology.links.size()) return;  // not a link (validate reports it)
  const std::string item = text_.flow_text(indexed("topology.links", k));
  if (text_.count("topology.segments") > 0)
    text_.append_flow("topology.segments", item);
  else
    text_.set_flow("topology.segments", "[" + item + "]");
  if (spec.topology.links.size() == 1)
    text_.erase("topology.links");
  else
    text_.remove("topology.links", k);
  for (std::size_t h = 0; h < spec.topology.hosts.size(); ++h)
    for (std::size_t i = 0; i < spec.topology.hosts[h].interfaces.size(); ++i)
      if (spec.topology.hosts[h].interfaces[i].link == link)
        text_.rename(indexed(indexed("topology.hosts", h) + ".interfaces", i) + ".link", "segment");
}

// Adds `name` to every `servers` entry that runs `original`.
void ServerCount::add_to_servers(const ScenarioSpec& spec, const std::string& original, const std::string& name) {
  for (std::size_t j = 0; j < spec.servers.size(); ++j) {
    const std::vector<std::string>& hosts = spec.servers[j].hosts;
    if (std::find(hosts.begin(), hosts.end(), original) == hosts.end()) continue;
    const std::string entry = indexed("servers", j);
    if (!text_.value(entry + ".host")) {
      text_.append(entry + ".hosts", name);
      continue;
    }
    text_.rename(entry + ".host", "hosts");  // `host: rs1` -> `hosts: [rs1, rs2]`
    std::string list = "[";
    list.append(text_scan::render_scalar(original, true, 0)).append(", ").append(text_scan::render_scalar(name, true, 0));
    text_.set_flow(entry + ".hosts", list + "]");
  }
}

void ServerCount::remove_last() {
  const ScenarioSpec spec = read();
  const std::size_t last = spec.services[service_].destinations.size() - 1;
  const DestinationSpec& d = spec.services[service_].destinations[last];
  check_events(spec, last);
  text_.remove(destinations(), last);
  std::size_t uses = 0;
  for (const ServiceSpec& s : spec.services)
    uses += std::count_if(s.destinations.begin(), s.destinations.end(),
                          [&d](const DestinationSpec& other) { return other.server == d.server; });
  if (uses > 1) return;  // another destination still runs on this host
  remove_from_servers(spec, d.server);
  text_.remove("topology.hosts", host_index(spec, d));
}

void ServerCount::check_events(const ScenarioSpec& spec, std::size_t destination) const {
  const ServiceSpec& service = spec.services[service_];
  for (const EventSpec& e : spec.events) {
    if (!is_ipvsadm(e) || e.service != service_ || e.action == EventSpec::Action::Scheduler || e.destination != destination) continue;
    throw ScenarioError(text_.name(), e.origin.at.line, e.origin.at.column, e.origin.path,
                        "cannot reduce service " + service.name + " to " + std::to_string(target_) +
                            (target_ == 1 ? " server" : " servers") + ": this event names " +
                            service.destinations[destination].server + ", the destination that would go; change the event first");
  }
}

// Takes `name` out of the `servers` entries; an entry left with no host goes too.
void ServerCount::remove_from_servers(const ScenarioSpec& spec, const std::string& name) {
  for (std::size_t j = spec.servers.size(); j-- > 0;) {
    const std::vector<std::string>& hosts = spec.servers[j].hosts;
    const auto it = std::find(hosts.begin(), hosts.end(), name);
    if (it == hosts.end()) continue;
    const std::string entry = indexed("servers", j);
    if (hosts.size() > 1)
      text_.remove(entry + ".hosts", static_cast<std::size_t>(it - hosts.begin()));
    else if (text_.count("servers") > 1)
      text_.remove("servers", j);
    else
      text_.erase("servers");
  }
}

// A service with server groups (ServerGroupSpec): the last group's `count` changes, its servers
// being the service's last destinations. False, with nothing done, for a service without groups.
bool set_group_count(ScenarioText& text, const ScenarioSpec& spec, std::size_t service, std::size_t n) {
  const ServiceSpec& s = spec.services[service];
  if (s.groups.empty()) return false;
  const ServerGroupSpec& g = s.groups.back();
  const std::size_t others = s.destinations.size() - g.count;
  const std::string count = g.origin.path + ".count";
  const Position where = spec.positions.find(count).value_or(g.origin.at);
  if (n < others)
    throw ScenarioError(text.name(), where.line, where.column, count,
                        "cannot reduce service " + s.name + " to " + std::to_string(n) +
                            (n == 1 ? " server" : " servers") + ": " + std::to_string(others) +
                            " of its destinations are not in its last group");
  text.set(count, std::to_string(n - others));
  read_scenario_text(text.text(), text.name());  // what the new count breaks (an event naming a server that goes)
  return true;
}

}  // namespace

void set_server_count(ScenarioText& text, std::size_t service, std::size_t n) {
  ScenarioText work = text;  // all or nothing
  const ScenarioSpec spec = read_scenario_text(work.text(), work.name());
  const std::string path = item_path("services", service);
  if (service >= spec.services.size())
    throw ScenarioError(work.name(), 0, 0, path, "the scenario has " + std::to_string(spec.services.size()) +
                                                     (spec.services.size() == 1 ? " service" : " services"));
  if (n == 0) throw ScenarioError(work.name(), 0, 0, path + ".destinations", "a service needs at least one destination");
  if (set_group_count(work, spec, service, n)) {
    text = work;
    return;
  }
  ServerCount count(work, service, n);
  for (std::size_t have = spec.services[service].destinations.size(); have < n; ++have) count.add_one();
  for (std::size_t have = spec.services[service].destinations.size(); have > n; --have) count.remove_last();
  text = work;
}

}  // namespace lvs::scenario
