#include "timeline_lanes.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "run/failover_output.hpp"
#include "run/number_text.hpp"

namespace lvs::gui {

namespace {

using Kind = Lane::Kind;
using Action = scenario::EventSpec::Action;

// What a lane's state is made of; state_of() turns it into the one word drawn.
struct Flags {
  bool crashed = false;   // crash .. recover (a host powered off)
  bool stopped = false;   // stop .. start (its service answers SYNs with RST)
  bool link_down = false;
  std::set<std::string> removed_by, zeroed_by;  // directors whose checker took it out / set weight 0
  bool admin_removed = false, admin_zero = false;  // ipvsadm -d / ipvsadm -e -w 0 from the scenario
  std::string vrrp;       // the director's (first) VRRP instance state, "" without VRRP
};

std::string state_of(Kind kind, const Flags& f) {
  if (f.crashed || f.link_down) return "down";
  if (f.stopped) return kind == Kind::Server ? "down" : "stopped";
  if (!f.removed_by.empty() || f.admin_removed) return "removed";
  if (!f.zeroed_by.empty() || f.admin_zero) return "weight 0";
  if (kind == Kind::Director && !f.vrrp.empty()) return f.vrrp;
  return "up";
}

// "[192.168.1.102]:80" -> "192.168.1.102"; "" if the component is not a checker's.
std::string checked_address(const std::string& component) {
  if (component.size() < 3 || component.front() != '[') return {};
  const std::size_t close = component.find(']');
  return close == std::string::npos ? std::string() : component.substr(1, close - 1);
}

class Builder {
 public:
  Builder(const run::RunResult& r, const scenario::ScenarioSpec& spec) : r_(r), spec_(spec) {}

  std::vector<Lane> build() {
    add_lanes();
    std::size_t next_event = 0;
    for (std::size_t k = 0; k < r_.timeline.size(); ++k) {
      const run::TimelineEntry& e = r_.timeline[k];
      for (; next_event < spec_.events.size() && spec_.events[next_event].at.seconds() <= e.time_s; ++next_event)
        apply_ipvsadm(spec_.events[next_event]);
      apply(e, k);
    }
    for (; next_event < spec_.events.size(); ++next_event) apply_ipvsadm(spec_.events[next_event]);
    return finish();
  }

 private:
  std::size_t add(Kind kind, const std::string& name, const std::string& title) {
    lanes_.push_back(Lane{kind, name, title, {}, {}});
    flags_.emplace_back();
    if (!by_name_.count(name)) by_name_[name] = lanes_.size() - 1;
    return lanes_.size() - 1;
  }

  void add_lanes() {
    for (const std::string& vi : r_.vrrp_instances) masters_[vi] = add(Kind::Master, vi, vi + " master");
    for (const run::DirectorResult& d : r_.directors) add(Kind::Director, d.name, d.name);
    for (const run::ServerResult& s : r_.servers) add(Kind::Server, s.name, s.name);
    for (const scenario::StorageSpec& s : spec_.storage)
      if (!by_name_.count(s.host)) add(Kind::Storage, s.host, s.host + " (" + scenario::storage_kind_name(s.kind) + ")");
    for (const run::TimelineEntry& e : r_.timeline)
      if ((e.event == "link-down" || e.event == "link-up") && !by_name_.count(e.component))
        add(Kind::Link, e.component, e.component);
    map_checked_addresses();
    for (const scenario::ServiceSpec& s : spec_.services)
      for (const scenario::DestinationSpec& d : s.destinations)
        if (!d.initially_present && by_name_.count(d.server)) flags_[by_name_[d.server]].admin_removed = true;
    for (std::size_t i = 0; i < lanes_.size(); ++i) lanes_[i].spans.push_back({0, 0, initial_state(i), ""});
  }

  std::string initial_state(std::size_t i) const {
    return lanes_[i].kind == Kind::Master ? "none" : state_of(lanes_[i].kind, flags_[i]);
  }

  // A checker names its real server by address: the destination's, else its host's first.
  void map_checked_addresses() {
    std::map<std::string, std::string> first_address;
    for (const scenario::HostSpec& h : spec_.topology.hosts)
      if (!h.interfaces.empty()) first_address[h.name] = h.interfaces.front().address.address().str();
    for (const scenario::ServiceSpec& s : spec_.services)
      for (const scenario::DestinationSpec& d : s.destinations)
        checked_[d.address ? d.address->str() : first_address[d.server]] = d.server;
  }

  std::size_t lane_of(const run::TimelineEntry& e) {
    const std::size_t at = e.component.find('@');
    std::string name = at == std::string::npos ? e.component : e.component.substr(at + 1);
    const std::string address = checked_address(e.component);
    if (!address.empty() && checked_.count(address)) name = checked_[address];
    if (by_name_.count(name)) return by_name_[name];
    if (other_ == kNone) {
      other_ = add(Kind::Other, "other", "other records");
      lanes_[other_].spans = {{0, 0, "", ""}};
    }
    return other_;
  }

  void apply(const run::TimelineEntry& e, std::size_t k) {
    const std::size_t lane = lane_of(e);
    lanes_[lane].marks.push_back({e.time_s, k, timeline_text(e)});
    Flags& f = flags_[lane];
    const std::string who = e.detail.substr(0, e.detail.find(':'));  // checker records: "lvs1: removed"
    if (e.event == "crash") f.crashed = true;
    if (e.event == "recover") f.crashed = false;
    if (e.event == "stop") f.stopped = true;
    if (e.event == "start") f.stopped = false;
    if (e.event == "link-down") f.link_down = true;
    if (e.event == "link-up") f.link_down = false;
    if (e.event == "realserver-down") (e.detail.find("weight 0") != std::string::npos ? f.zeroed_by : f.removed_by).insert(who);
    if (e.event == "realserver-up") f.removed_by.erase(who), f.zeroed_by.erase(who);
    if (e.event == "vrrp-state") {
      const std::size_t arrow = e.detail.find("->");
      if (arrow != std::string::npos) f.vrrp = e.detail.substr(arrow + 2);
      if (arrow != std::string::npos && e.component.find('@') != std::string::npos)
        member_state_[e.component] = f.vrrp;
    }
    const std::string why = timeline_text(e);
    change(lane, e.time_s, why);
    if (lanes_[lane].kind == Kind::Director) update_masters(e.time_s, why);
  }

  // An ipvsadm edit of the scenario's timeline, on every lane of its destination's server.
  void apply_ipvsadm(const scenario::EventSpec& e) {
    if (!is_ipvsadm(e) || e.action == Action::Scheduler || e.service >= spec_.services.size()) return;
    const scenario::ServiceSpec& s = spec_.services[e.service];
    if (e.destination >= s.destinations.size() || !by_name_.count(s.destinations[e.destination].server)) return;
    const std::size_t lane = by_name_[s.destinations[e.destination].server];
    Flags& f = flags_[lane];
    std::string what = "ipvsadm -e -w " + std::to_string(e.weight.value_or(0));
    if (e.action == Action::Remove) f.admin_removed = true, what = "ipvsadm -d";
    if (e.action == Action::Add) f.admin_removed = false, f.admin_zero = e.weight == 0u, what = "ipvsadm -a";
    if (e.action == Action::Edit && e.weight) f.admin_zero = *e.weight == 0;
    change(lane, e.at.seconds(), run::fixed(e.at.seconds(), 3) + " s  " + what + " " + s.destinations[e.destination].server +
                                     " (the scenario's timeline)");
  }

  // Each instance's master: its members in MASTER state whose host is not powered off.
  void update_masters(double t, const std::string& why) {
    for (const auto& [vi, lane] : masters_) {
      std::string masters;
      for (const run::DirectorResult& d : r_.directors) {
        const auto it = member_state_.find(vi + "@" + d.name);
        if (it != member_state_.end() && it->second == "MASTER" && !flags_[by_name_[d.name]].crashed)
          masters += (masters.empty() ? "" : "+") + d.name;
      }
      set_state(lane, t, masters.empty() ? "none" : masters, why);
    }
  }

  void change(std::size_t lane, double t, const std::string& why) {
    if (lanes_[lane].kind != Kind::Other) set_state(lane, t, state_of(lanes_[lane].kind, flags_[lane]), why);
  }

  void set_state(std::size_t lane, double t, const std::string& state, const std::string& why) {
    std::vector<LaneSpan>& spans = lanes_[lane].spans;
    if (spans.back().state == state) return;
    if (spans.back().from_s == t) {  // several records at one instant: the last one's state holds
      spans.back().state = state;
      spans.back().why = why;
      if (spans.size() > 1 && spans[spans.size() - 2].state == state) spans.pop_back();
      return;
    }
    spans.push_back({t, 0, state, why});
  }

  std::vector<Lane> finish() {
    const double end = std::max(r_.sim_time_s, r_.timeline.empty() ? 0.0 : r_.timeline.back().time_s);
    for (Lane& lane : lanes_)
      for (std::size_t i = 0; i < lane.spans.size(); ++i)
        lane.spans[i].to_s = i + 1 < lane.spans.size() ? lane.spans[i + 1].from_s : end;
    return lanes_;
  }

  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  const run::RunResult& r_;
  const scenario::ScenarioSpec& spec_;
  std::vector<Lane> lanes_;
  std::vector<Flags> flags_;
  std::map<std::string, std::size_t> by_name_;
  std::map<std::string, std::size_t> masters_;       // instance -> its master lane
  std::map<std::string, std::string> member_state_;  // "VI_1@lvs1" -> "MASTER"
  std::map<std::string, std::string> checked_;       // checked address -> real server
  std::size_t other_ = kNone;
};

}  // namespace

std::vector<Lane> timeline_lanes(const run::RunResult& r, const scenario::ScenarioSpec& spec) {
  return Builder(r, spec).build();
}

std::string state_at(const Lane& lane, double time_s) {
  for (const LaneSpan& s : lane.spans)
    if (time_s >= s.from_s && time_s < s.to_s) return s.state;
  if (!lane.spans.empty() && time_s == lane.spans.back().to_s) return lane.spans.back().state;  // the run's end
  return {};
}

std::string timeline_text(const run::TimelineEntry& e) {
  return run::fixed(e.time_s, 3) + " s  " + run::timeline_line(e);
}

}  // namespace lvs::gui
