// The `timeline` section (`events` is its older name): changes to a service while the
// scenario runs, as an operator with ipvsadm or keepalived makes them, and failures. Each
// names one action on one destination of a service (`edit`, `remove`, `add`, with the
// destination's server), a new scheduler, or a failure or repair of a component.
//
//   events:
//     - {at: 10s, edit: rs2, weight: 0}   # ipvsadm -e -w 0: quiesce
//     - {at: 20s, remove: rs2}            # ipvsadm -d
//     - {at: 30s, add: rs2}               # ipvsadm -a: back at the head of the list
//     - {at: 40s, scheduler: wrr}         # ipvsadm -E -s wrr

#include <algorithm>

#include "scenario/scenario_reader_detail.hpp"

namespace lvs::scenario::reader {

namespace {

using Action = EventSpec::Action;

std::size_t read_service_ref(const Cursor& c, const std::vector<ServiceSpec>& services) {
  const std::optional<Cursor> key = c.find("service");
  if (!key) {
    if (services.size() == 1) return 0;
    c.fail("missing required key 'service': the scenario has " + std::to_string(services.size()) + " services");
  }
  const std::string name = key->as<std::string>();
  std::string names;
  for (std::size_t i = 0; i < services.size(); ++i) {
    if (services[i].name == name) return i;
    names.append(names.empty() ? "" : ", ").append(services[i].name);
  }
  key->fail("no service called " + scenario::quoted(name) + "; the services are: " + names);
}

// The destination of `service` on `server` (and `port`, when the server has several).
std::size_t read_destination_ref(const Cursor& c, const Cursor& server_key, const ServiceSpec& service) {
  const std::string server = server_key.as<std::string>();
  const std::optional<std::uint16_t> port =
      c.has("port") ? std::optional<std::uint16_t>(optional_port(c, "port", 0)) : std::nullopt;
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < service.destinations.size(); ++i) {
    const DestinationSpec& d = service.destinations[i];
    if (d.server == server && (!port || d.port.value_or(service.port) == *port)) found.push_back(i);
  }
  if (found.empty())
    server_key.fail("service " + service.name + " has no destination on server " + scenario::quoted(server) +
                    (port ? " port " + std::to_string(*port) : std::string()) +
                    " (declare it under the service's destinations, with `initially: absent` if it joins later)");
  if (found.size() > 1)
    server_key.fail("server " + scenario::quoted(server) + " has " + std::to_string(found.size()) + " destinations in service " +
                    service.name + "; give `port` too");
  return found.front();
}

// The action keys, in the order of EventSpec::Action.
constexpr std::string_view kActionKeys[] = {"edit",  "remove",  "add",   "scheduler", "crash",
                                            "recover", "stop", "start", "link-down", "link-up"};

Action read_action(const Cursor& c, std::optional<Cursor>& subject) {
  int count = 0;
  Action action = Action::Edit;
  for (std::size_t k = 0; k < std::size(kActionKeys); ++k) {
    if (!c.has(kActionKeys[k])) continue;
    ++count;
    action = static_cast<Action>(k);
    if (action != Action::Scheduler) subject = c.at(kActionKeys[k]);
  }
  if (count != 1)
    c.fail("expected exactly one of 'edit', 'remove', 'add' (each with a server), 'scheduler', 'crash', 'recover', "
           "'stop', 'start' (each with a host), 'link-down' or 'link-up' (with a link or HOST/IFACE)");
  return action;
}

// crash/recover HOST, stop/start HOST [port], link-down/link-up LINK|HOST/IFACE.
EventSpec read_failure_event(const Cursor& c, EventSpec e, const Cursor& subject) {
  const std::string key(kActionKeys[static_cast<std::size_t>(e.action)]);
  const bool service = e.action == Action::Stop || e.action == Action::Start;
  if (service)
    c.allow_keys({"at", key, "port"});
  else
    c.allow_keys({"at", key});
  e.component = subject.as<std::string>();
  if (e.component.empty()) subject.fail("expected a name, got ''");
  if (service && c.has("port")) e.port = optional_port(c, "port", 0);
  return e;
}

void read_changes(const Cursor& c, EventSpec& e) {
  constexpr std::int64_t int_max = 2147483647;
  if (c.has("weight")) e.weight = optional_count<std::uint32_t>(c, "weight", 0, 0, 65535);
  if (e.action == Action::Add) {
    c.allow_keys({"at", "service", "add", "port", "weight"});
    return;
  }
  c.allow_keys({"at", "service", "edit", "port", "weight", "u_threshold", "l_threshold"});
  if (c.has("u_threshold")) e.u_threshold = optional_count<std::uint32_t>(c, "u_threshold", 0, 0, int_max);
  if (c.has("l_threshold")) e.l_threshold = optional_count<std::uint32_t>(c, "l_threshold", 0, 0, int_max);
  if (!e.weight && !e.u_threshold && !e.l_threshold) c.fail("an edit needs 'weight', 'u_threshold' or 'l_threshold'");
}

EventSpec read_event(const Cursor& c, const std::vector<ServiceSpec>& services) {
  EventSpec e;
  e.origin = origin_of(c);
  e.at = c.required<Time>("at");
  std::optional<Cursor> server_key;
  e.action = read_action(c, server_key);
  if (!is_ipvsadm(e)) return read_failure_event(c, e, *server_key);
  e.service = read_service_ref(c, services);
  if (e.action == Action::Scheduler) {
    c.allow_keys({"at", "service", "scheduler"});
    e.scheduler = read_scheduler(c.at("scheduler"));
    return e;
  }
  if (e.action == Action::Remove) c.allow_keys({"at", "service", "remove", "port"});
  e.destination = read_destination_ref(c, *server_key, services[e.service]);
  if (e.action != Action::Remove) read_changes(c, e);
  return e;
}

// Replays the adds and removes in order: an edit or a remove needs the destination in the
// service, an add needs it out. An edit's thresholds must keep -y <= -x.
void check_sequence(const std::vector<Cursor>& items, const std::vector<EventSpec>& events,
                    const std::vector<ServiceSpec>& services) {
  std::vector<std::vector<bool>> present;
  for (const ServiceSpec& s : services) {
    present.emplace_back();
    for (const DestinationSpec& d : s.destinations) present.back().push_back(d.initially_present);
  }
  for (std::size_t k = 0; k < events.size(); ++k) {
    const EventSpec& e = events[k];
    if (k > 0 && e.at < events[k - 1].at)
      items[k].at("at").fail("events must be in time order; " + to_string(e.at) + " is before the previous event's " +
                             to_string(events[k - 1].at));
    if (e.action == Action::Scheduler || !is_ipvsadm(e)) continue;
    const DestinationSpec& d = services[e.service].destinations[e.destination];
    const bool in = present[e.service][e.destination];
    const std::string what = "destination " + d.server + " of service " + services[e.service].name;
    if (e.action == Action::Add && in) items[k].fail(what + " is already in the service at " + to_string(e.at));
    if (e.action != Action::Add && !in) items[k].fail(what + " is not in the service at " + to_string(e.at));
    present[e.service][e.destination] = e.action != Action::Remove;
    const std::uint32_t u = e.u_threshold.value_or(d.u_threshold), l = e.l_threshold.value_or(d.l_threshold);
    if (e.action == Action::Edit && u != 0 && l > u)
      items[k].fail("l_threshold " + std::to_string(l) + " is above u_threshold " + std::to_string(u) +
                    " (ipvsadm refuses it: ERANGE)");
  }
}

}  // namespace

std::vector<EventSpec> read_events(const Cursor& list, const std::vector<ServiceSpec>& services) {
  const std::vector<Cursor> items = list.items();
  std::vector<EventSpec> events;
  for (const Cursor& item : items) events.push_back(read_event(item, services));
  check_sequence(items, events, services);
  return events;
}

}  // namespace lvs::scenario::reader
