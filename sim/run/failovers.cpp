#include "run/failovers.hpp"

#include <algorithm>
#include <limits>
#include <optional>

namespace lvs::run {

namespace {

enum class Part { Director, Server, Link };

const char* repair_of(const std::string& cause) {
  return cause == "crash" ? "recover" : cause == "stop" ? "start" : "link-up";
}

bool is_failure(const std::string& event) { return event == "crash" || event == "stop" || event == "link-down"; }

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// "VI_1@lvs2" -> "lvs2"; a checker's detail "lvs1: removed" -> "lvs1".
std::string director_of(const TimelineEntry& e) {
  if (e.event == "vrrp-state") return e.component.substr(e.component.find('@') + 1);
  return e.detail.substr(0, e.detail.find(": "));
}

bool entering_master(const TimelineEntry& e) { return e.event == "vrrp-state" && ends_with(e.detail, "->MASTER"); }

// What the run's log says about who holds the VIP: owner[k] is the VRRP MASTER just before
// record k ("" when none, or no VRRP).
std::vector<std::string> owners_before(const std::vector<TimelineEntry>& t) {
  std::vector<std::string> owner(t.size());
  std::string now;
  for (std::size_t k = 0; k < t.size(); ++k) {
    owner[k] = now;
    const TimelineEntry& e = t[k];
    if (entering_master(e)) {
      now = director_of(e);
    } else if (e.event == "vrrp-state" && e.detail.rfind("MASTER->", 0) == 0 && director_of(e) == now) {
      now.clear();
    } else if (e.event == "crash" && e.component == now) {
      now.clear();
    }
  }
  return owner;
}

class Analysis {
 public:
  Analysis(const std::vector<TimelineEntry>& t, const std::vector<VipArpChange>& arp, const FailoverInputs& in)
      : t_(t), arp_(arp), in_(in), owner_(owners_before(t)) {
    has_vrrp_ = std::any_of(t.begin(), t.end(), [](const TimelineEntry& e) { return e.event == "vrrp-state"; });
    outcomes_ = in.outcomes;
    std::sort(outcomes_.begin(), outcomes_.end(),
              [](const RequestOutcome& a, const RequestOutcome& b) { return a.issued < b.issued; });
  }

  FailoverResult failover(std::size_t i) const {
    const TimelineEntry& e = t_[i];
    FailoverResult f{e.event, e.component, e.time_s, {}, {}, {}, {}, 0, 0};
    std::size_t repair = t_.size();
    for (std::size_t k = i + 1; k < t_.size() && repair == t_.size(); ++k)
      if (t_[k].component == e.component && t_[k].event == repair_of(e.event)) repair = k;
    if (repair < t_.size()) f.recovered_s = t_[repair].time_s;
    const std::string host = e.component.substr(0, e.component.find('/'));
    const Part part = is_director(host) ? Part::Director : in_.server_addresses.count(host) ? Part::Server : Part::Link;
    // The VIP's owner as the failure struck (before any record of that instant).
    std::size_t first = i;
    while (first > 0 && t_[first - 1].time_s == e.time_s) --first;
    const std::string owner = owner_[first];
    for (std::size_t k = i + 1; k < repair && !f.detected_s; ++k) {
      const bool server_down = t_[k].event == "realserver-down" && part != Part::Director &&
                               (part == Part::Link || names(host, t_[k]));
      const bool takeover = entering_master(t_[k]) && part != Part::Server && director_of(t_[k]) != host &&
                            (part == Part::Link || owner == host);
      if (!server_down && !takeover) continue;
      f.detected_s = t_[k].time_s;
      f.detected_by = director_of(t_[k]) + ": " + t_[k].line;
      f.traffic_moved_s = server_down ? removed_on_owner(k, repair, part == Part::Server ? host : "")
                                      : arp_moved(e.time_s, f.recovered_s, owner);
    }
    count_requests(f, f.traffic_moved_s ? *f.traffic_moved_s : f.recovered_s ? *f.recovered_s : in_.end_s);
    return f;
  }

 private:
  bool is_director(const std::string& name) const {
    return std::find(in_.directors.begin(), in_.directors.end(), name) != in_.directors.end();
  }

  // Whether checker record `e` ("[192.168.1.101]:80") is about a real server of host `host`.
  bool names(const std::string& host, const TimelineEntry& e) const {
    for (const std::string& a : in_.server_addresses.at(host))
      if (e.component.rfind(a + ":", 0) == 0) return true;
    return false;
  }

  // The first removal (from `from`, before `repair`) of `host`'s server ("": any) on the
  // director that held the VIP then; with no VRRP, or no MASTER at the time, on any director.
  std::optional<double> removed_on_owner(std::size_t from, std::size_t repair, const std::string& host) const {
    for (std::size_t k = from; k < repair; ++k) {
      if (t_[k].event != "realserver-down" || (!host.empty() && !names(host, t_[k]))) continue;
      if (!has_vrrp_ || owner_[k].empty() || owner_[k] == director_of(t_[k])) return t_[k].time_s;
    }
    return std::nullopt;
  }

  // The first change, after `at` and before the repair, of a VIP entry to a valid MAC of a
  // director other than `owner`.
  std::optional<double> arp_moved(double at, std::optional<double> repaired, const std::string& owner) const {
    for (const VipArpChange& c : arp_) {
      if (c.time_s < at || (repaired && c.time_s >= *repaired) || !c.valid) continue;
      const std::string who = c.owner.substr(0, c.owner.find('/'));
      if (is_director(who) && who != owner) return c.time_s;
    }
    return std::nullopt;
  }

  void count_requests(FailoverResult& f, double until) const {
    const auto begin = std::lower_bound(outcomes_.begin(), outcomes_.end(), f.at_s,
                                        [](const RequestOutcome& o, double s) { return o.issued.seconds() < s; });
    for (auto o = begin; o != outcomes_.end() && o->issued.seconds() < until; ++o) ++(o->failed ? f.requests_failed : f.requests_delayed);
  }

  const std::vector<TimelineEntry>& t_;
  const std::vector<VipArpChange>& arp_;
  const FailoverInputs& in_;
  std::vector<std::string> owner_;
  std::vector<RequestOutcome> outcomes_;
  bool has_vrrp_ = false;
};

}  // namespace

std::vector<FailoverResult> find_failovers(const std::vector<TimelineEntry>& timeline,
                                           const std::vector<VipArpChange>& vip_arp, const FailoverInputs& in) {
  const Analysis a(timeline, vip_arp, in);
  std::vector<FailoverResult> out;
  for (std::size_t i = 0; i < timeline.size(); ++i)
    if (is_failure(timeline[i].event)) out.push_back(a.failover(i));
  return out;
}

}  // namespace lvs::run
