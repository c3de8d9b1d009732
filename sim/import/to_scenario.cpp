// Merging the sources: directors named, the same virtual service on several directors made
// one service, vrrp_instance blocks of the same name made one instance with a member each.

#include "import/to_scenario.hpp"

#include <algorithm>
#include <filesystem>

#include "import/to_scenario_detail.hpp"

namespace lvs::import {

namespace {

using detail::MergedService;
using detail::Plan;

bool same_table(const ImportedService& a, const ImportedService& b) {
  if (a.scheduler != b.scheduler || a.method != b.method || a.persistent != b.persistent ||
      a.reals.size() != b.reals.size())
    return false;
  for (std::size_t i = 0; i < a.reals.size(); ++i)
    if (a.reals[i].address != b.reals[i].address || a.reals[i].port != b.reals[i].port ||
        a.reals[i].weight != b.reals[i].weight)
      return false;
  return true;
}

void add_services(Plan& plan, const std::string& director, const std::vector<ImportedService>& services,
                  Diagnostics& diagnostics) {
  for (const ImportedService& s : services) {
    if (s.reals.empty()) {  // a scenario's service has at least one destination
      diagnostics.warn(s.at, "virtual server " + s.vip.str() + " " + std::to_string(s.port) + " on " + director +
                                 " has no real server: skipped");
      continue;
    }
    MergedService* same = nullptr;
    for (MergedService& m : plan.services)
      if (m.service.protocol == s.protocol && m.service.vip == s.vip && m.service.port == s.port) same = &m;
    if (!same) {
      plan.services.push_back({s, director, {}});
      continue;
    }
    if (same->director == director) {
      diagnostics.warn(s.at, "virtual server " + s.vip.str() + " " + std::to_string(s.port) +
                                 " is defined twice on " + director + " (first at " + same->service.at.str() +
                                 "): this one is skipped");
      continue;
    }
    if (!same_table(same->service, s))
      diagnostics.warn(s.at, "virtual server " + s.vip.str() + " " + std::to_string(s.port) + " on " + director +
                                 " differs from the one on " + same->director + " (" + same->service.at.str() +
                                 "): the scenario keeps " + same->director + "'s");
    same->also_on.push_back(director);
  }
}

// The instance-level values of `in`, with global_defs' defaults applied.
scenario::VrrpInstanceSpec instance_of(const KeepalivedConfig& c, const KeepalivedConfig::Instance& in,
                                       const std::string& director) {
  scenario::VrrpInstanceSpec s = in.spec;
  if (!in.explicit_version && c.vrrp_version) s.version = *c.vrrp_version;
  if (!in.explicit_garp_delay && c.garp_master_delay) s.garp_master_delay = *c.garp_master_delay;
  if (!in.explicit_garp_repeat && c.garp_master_repeat) s.garp_master_repeat = *c.garp_master_repeat;
  s.members[0].director = director;
  return s;
}

void add_instances(Plan& plan, const KeepalivedConfig& c, const std::string& director, Diagnostics& diagnostics) {
  for (const KeepalivedConfig::Instance& in : c.instances) {
    scenario::VrrpInstanceSpec s = instance_of(c, in, director);
    scenario::VrrpInstanceSpec* same = nullptr;
    for (scenario::VrrpInstanceSpec& v : plan.vrrp)
      if (v.name == s.name) same = &v;
    if (!same) {
      plan.vrrp.push_back(std::move(s));
      continue;
    }
    for (const scenario::VrrpMemberSpec& m : same->members)
      if (m.director == director) {
        diagnostics.warn(in.at, "vrrp_instance " + s.name + " is defined twice on " + director + ": this one is skipped");
        goto next;
      }
    if (same->virtual_router_id != s.virtual_router_id || same->virtual_ipaddress != s.virtual_ipaddress ||
        same->advert_int != s.advert_int || same->auth_pass != s.auth_pass || same->version != s.version)
      diagnostics.warn(in.at, "vrrp_instance " + s.name + " on " + director + " differs from the one on " +
                                  same->members[0].director + " (virtual_router_id, virtual_ipaddress, advert_int, "
                                  "authentication or version): the scenario keeps " + same->members[0].director + "'s");
    same->members.push_back(s.members[0]);
  next:;
  }
}

template <typename T>
void merge_named(std::vector<T>& into, const std::vector<T>& from) {
  for (const T& x : from) {
    bool seen = false;
    for (const T& y : into) seen = seen || y.name == x.name;
    if (!seen) into.push_back(x);
  }
}

// The director that holds `vip` at start-up: the expected master of the VRRP instance with
// that address (state MASTER first, then the highest priority; validate_failover.cpp's
// expected_master), or "" when no instance has it.
std::string vrrp_holder(const std::vector<scenario::VrrpInstanceSpec>& vrrp, Ipv4Address vip) {
  const auto rank = [](const scenario::VrrpMemberSpec& m) {
    const bool master = m.state == scenario::VrrpInitialState::Master;
    return std::pair{master ? 1 : 0, m.priority.value_or(master ? 255U : scenario::kDefaultVrrpPriority)};
  };
  for (const scenario::VrrpInstanceSpec& v : vrrp) {
    if (std::none_of(v.virtual_ipaddress.begin(), v.virtual_ipaddress.end(),
                     [&](const Ipv4Prefix& p) { return p.address() == vip; }))
      continue;
    const scenario::VrrpMemberSpec* best = nullptr;
    for (const scenario::VrrpMemberSpec& m : v.members)
      if (best == nullptr || rank(m) > rank(*best)) best = &m;
    if (best != nullptr) return best->director;
  }
  return "";
}

// Each service's directors with the one that holds its VIP first: the scenario's first
// director is where validate and the builder expect the VIP, whatever order the files came in.
void master_first(Plan& plan) {
  for (MergedService& m : plan.services) {
    const std::string holder = vrrp_holder(plan.vrrp, m.service.vip);
    const auto it = std::find(m.also_on.begin(), m.also_on.end(), holder);
    if (holder.empty() || it == m.also_on.end()) continue;
    m.also_on.erase(it);
    m.also_on.insert(m.also_on.begin(), m.director);
    m.director = holder;
  }
}

std::string unique_name(const std::vector<std::string>& taken, std::string name) {
  const std::string base = name;
  for (int n = 2; std::find(taken.begin(), taken.end(), name) != taken.end(); ++n) name = base + "-" + std::to_string(n);
  return name;
}

}  // namespace

std::string director_name(const KeepalivedConfig& config) {
  return config.router_id.empty() ? std::filesystem::path(config.file).stem().string() : config.router_id;
}

ImportResult to_scenario(const ImportInput& input, Diagnostics& diagnostics) {
  ImportResult result;
  Plan plan;
  for (const KeepalivedConfig& c : input.keepalived) {
    const std::string name = unique_name(plan.directors, director_name(c));
    plan.directors.push_back(name);
    result.sources.push_back(c.file);
    add_services(plan, name, c.services, diagnostics);
    add_instances(plan, c, name, diagnostics);
    merge_named(result.spec.vrrp_sync_groups, c.sync_groups);
    merge_named(result.spec.vrrp_scripts, c.scripts);
    if (c.sync_daemon && !plan.sync_daemon) plan.sync_daemon = c.sync_daemon;
  }
  for (const ImportedTable& t : input.tables) {
    if (std::find(plan.directors.begin(), plan.directors.end(), t.director) == plan.directors.end())
      plan.directors.push_back(t.director);
    result.sources.push_back(t.file);
    add_services(plan, t.director, t.services, diagnostics);
  }
  if (plan.services.empty() && plan.vrrp.empty()) {
    const std::string first = result.sources.empty() ? "" : result.sources.front();
    throw ImportError({first, 0}, "no virtual server with a real server and no vrrp_instance: nothing to import");
  }
  master_first(plan);
  if (plan.sync_daemon && plan.sync_daemon->instance.empty() && !plan.vrrp.empty())
    plan.sync_daemon->instance = plan.vrrp.front().name;
  result.spec.vrrp = plan.vrrp;
  result.spec.sync_daemon = plan.sync_daemon;
  result.spec.name = std::filesystem::path(result.sources.front()).stem().string();
  result.spec.description = "imported by lvslab import";
  result.spec.warmup = Time::s(1);
  detail::build_topology(plan, result, diagnostics);
  return result;
}

}  // namespace lvs::import
