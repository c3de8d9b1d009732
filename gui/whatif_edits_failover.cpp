// The what-if edits of failover: a failure and its repair on the scenario's timeline, the
// chosen service's keepalived checking, the VRRP advert interval (whatif_edits.hpp).

#include <algorithm>
#include <stdexcept>

#include "whatif_edits.hpp"

namespace lvs::gui {

namespace {

using Action = scenario::EventSpec::Action;

const char* failure_name(Action a) {
  switch (a) {
    case Action::Crash: return "crash";
    case Action::Stop: return "stop";
    case Action::LinkDown: return "link-down";
    default: return "";
  }
}

// The timeline's key words: each failure and the repair that undoes it.
std::string repair_of(const std::string& action) {
  if (action == "crash") return "recover";
  if (action == "stop") return "start";
  if (action == "link-down") return "link-up";
  throw std::invalid_argument("unknown failure '" + action + "': expected crash, stop or link-down");
}

Action repair_action(Action a) {
  return a == Action::Crash ? Action::Recover : a == Action::Stop ? Action::Start : Action::LinkUp;
}

// first_failure()'s entries as indices into spec.events (npos for a missing one).
std::pair<std::size_t, std::size_t> first_failure_entries(const scenario::ScenarioSpec& spec) {
  constexpr std::size_t none = std::string::npos;
  for (std::size_t i = 0; i < spec.events.size(); ++i) {
    const scenario::EventSpec& e = spec.events[i];
    if (*failure_name(e.action) == '\0') continue;
    for (std::size_t j = i + 1; j < spec.events.size(); ++j)
      if (spec.events[j].action == repair_action(e.action) && spec.events[j].component == e.component) return {i, j};
    return {i, none};
  }
  return {none, none};
}

// "timeline" or "events" (its older name), as the file writes it.
std::string timeline_key(const scenario::ScenarioSpec& spec) {
  if (spec.events.empty()) return "timeline";
  const std::string& path = spec.events.front().origin.path;
  const std::size_t bracket = path.find('[');
  return bracket == std::string::npos || bracket == 0 ? "timeline" : path.substr(0, bracket);
}

// Puts `flow` at `index` of the list `key` that has `count` items (ScenarioText has no
// insert: a copy of the item at `index` is made after it and the original overwritten).
void insert_item(scenario::ScenarioText& text, const std::string& key, std::size_t index, std::size_t count,
                 const std::string& flow) {
  if (count == 0) return text.set_flow(key, "[" + flow + "]");
  if (index >= count) return text.append_flow(key, flow);
  text.duplicate(key, index);
  text.set_flow(key + "[" + std::to_string(index) + "]", flow);
}

std::string seconds(double s) { return number_text(s) + "s"; }

}  // namespace

std::optional<InjectedFailure> first_failure(const scenario::ScenarioSpec& spec) {
  const auto [f, r] = first_failure_entries(spec);
  if (f == std::string::npos) return std::nullopt;
  InjectedFailure out{failure_name(spec.events[f].action), spec.events[f].component, spec.events[f].at.seconds(), {}};
  if (r != std::string::npos) out.repair_s = spec.events[r].at.seconds();
  return out;
}

std::vector<InjectedFailure> failure_choices(const scenario::ScenarioSpec& spec) {
  std::vector<std::string> servers;
  for (const scenario::ServiceSpec& s : spec.services)
    for (const scenario::DestinationSpec& d : s.destinations)
      if (std::find(servers.begin(), servers.end(), d.server) == servers.end()) servers.push_back(d.server);
  std::vector<InjectedFailure> out;
  for (const scenario::HostSpec& h : spec.topology.hosts)
    if (h.kind == scenario::HostKind::Director) out.push_back({"crash", h.name, 0, {}});
  for (const std::string& s : servers) out.push_back({"crash", s, 0, {}});
  for (const scenario::StorageSpec& s : spec.storage)
    if (!s.host.empty()) out.push_back({"crash", s.host, 0, {}});
  for (const std::string& s : servers) out.push_back({"stop", s, 0, {}});
  for (const scenario::LinkSpec& l : spec.topology.links) out.push_back({"link-down", l.name, 0, {}});
  for (const scenario::HostSpec& h : spec.topology.hosts)
    if (h.kind == scenario::HostKind::Director)
      for (const scenario::InterfaceSpec& i : h.interfaces) out.push_back({"link-down", h.name + "/" + i.name, 0, {}});
  return out;
}

void edit_failure(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec,
                  const std::optional<InjectedFailure>& failure) {
  const std::string key = timeline_key(spec);
  const auto [f, r] = first_failure_entries(spec);
  // A stop of the same service keeps the port it named (the panel offers host and action only).
  std::string port;
  if (failure && f != std::string::npos && failure_name(spec.events[f].action) == failure->action &&
      spec.events[f].component == failure->component && spec.events[f].port)
    port = ", port: " + std::to_string(*spec.events[f].port);
  std::vector<double> times;  // of the entries left, in order
  for (std::size_t i = 0; i < spec.events.size(); ++i)
    if (i != f && i != r) times.push_back(spec.events[i].at.seconds());
  if (r != std::string::npos) text.remove(key, r);
  if (f != std::string::npos) text.remove(key, f);
  if (!failure) return;
  const auto add = [&](double at, const std::string& action) {
    const auto pos = static_cast<std::size_t>(std::upper_bound(times.begin(), times.end(), at) - times.begin());
    insert_item(text, key, pos, times.size(),
                "{at: " + seconds(at) + ", " + action + ": " + failure->component + port + "}");
    times.insert(times.begin() + static_cast<std::ptrdiff_t>(pos), at);
  };
  const std::string repair = repair_of(failure->action);
  add(failure->at_s, failure->action);
  if (failure->repair_s && *failure->repair_s > failure->at_s) add(*failure->repair_s, repair);
}

void edit_health_check(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, std::size_t service, bool on,
                       double delay_loop_s, std::uint32_t retry, double connect_timeout_s, bool inhibit) {
  const scenario::ServiceSpec& s = service_at(spec, service);
  const std::string path = s.origin.path + ".health_check";
  if (!on) return text.erase(path);
  if (!s.health_check) {
    text.set_flow(path, "{delay_loop: " + seconds(delay_loop_s) + ", " + (inhibit ? "inhibit_on_failure: true, " : "") +
                            "check: {type: TCP_CHECK, connect_timeout: " + seconds(connect_timeout_s) +
                            ", retry: " + std::to_string(retry) + "}}");
    return;
  }
  // Only what changed, so the editor shows one edit; a check written as a map takes the
  // check's keys there, otherwise they are the health_check's defaults for every check.
  if (s.health_check->delay_loop.seconds() != delay_loop_s) text.set(path + ".delay_loop", seconds(delay_loop_s));
  const std::string check = text.value(path + ".check.type") ? path + ".check" : path;
  const scenario::CheckSpec* current =
      s.destinations.empty() || s.destinations.front().checks.empty() ? nullptr : &s.destinations.front().checks.front();
  if (current == nullptr || current->retry != retry) text.set(check + ".retry", std::to_string(retry));
  if (current == nullptr || current->connect_timeout.seconds() != connect_timeout_s)
    text.set(check + ".connect_timeout", seconds(connect_timeout_s));
  if (inhibit != s.health_check->inhibit_on_failure) {
    if (inhibit)
      text.set(path + ".inhibit_on_failure", "true");
    else
      text.erase(path + ".inhibit_on_failure");
  }
}

void edit_advert_int(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, double advert_int_s) {
  if (spec.vrrp.empty()) throw std::invalid_argument("the scenario has no VRRP instance");
  for (const scenario::VrrpInstanceSpec& vi : spec.vrrp) text.set(vi.origin.path + ".advert_int", seconds(advert_int_s));
}

// The keys each kind takes (scenario_reader_storage.cpp): nfs's that rsync refuses go.
void edit_storage_kind(scenario::ScenarioText& text, const scenario::ScenarioSpec& spec, const std::string& kind) {
  if (spec.storage.empty()) throw std::invalid_argument("the scenario has no storage");
  const scenario::StorageSpec& s = spec.storage.front();
  const std::string from = scenario::storage_kind_name(s.kind), path = s.origin.path;
  if (kind == from) return;
  if (from == "nfs" && kind == "rsync") {
    for (const char* key : {"threads", "page_cache", "warm", "sync", "cpu"}) text.erase(path + "." + key);
    text.rename(path + ".host", "source");
    text.set(path + ".kind", "rsync");
    return;
  }
  if (from == "rsync" && kind == "nfs") {
    text.erase(path + ".interval");
    text.rename(path + ".source", "host");
    text.set(path + ".kind", "nfs");
    return;
  }
  throw std::invalid_argument("from " + from + " storage to " + kind +
                              " needs hosts this scenario lacks (a DRBD pair, GlusterFS bricks): see "
                              "scenarios/storage-alternatives*.yaml");
}

}  // namespace lvs::gui
