#include "run/vip_arp.hpp"

#include <algorithm>
#include <cstdio>

#include "net/host.hpp"
#include "run/builder.hpp"

namespace lvs::run {

namespace {

std::uint64_t mac_key(MacAddress m) {
  std::uint64_t k = 0;
  for (int i = 0; i < 6; ++i) k = k << 8 | m.octet(i);
  return k;
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

bool owns(const Host& h, const std::vector<Ipv4Address>& vips) {
  return std::any_of(vips.begin(), vips.end(), [&](Ipv4Address v) { return h.is_local(v); });
}

}  // namespace

VipArpLog::VipArpLog(Model& m, const std::vector<Ipv4Address>& vips) : vips_(vips) {
  for (const auto& n : m.net.nodes())
    for (const auto& i : n->interfaces())
      if (i->kind() == InterfaceKind::Ethernet) owners_[mac_key(i->mac())] = n->name() + "/" + i->name();
  for (const auto& n : m.net.nodes()) {
    auto* h = dynamic_cast<Host*>(n.get());
    if (h == nullptr || owns(*h, vips_)) continue;
    h->neighbours().set_listener([this, h](const NeighbourChange& c) { record(*h, c); });
  }
}

void VipArpLog::record(const Host& h, const NeighbourChange& c) {
  if (std::find(vips_.begin(), vips_.end(), c.ip) == vips_.end()) return;
  VipArpChange v;
  v.time_s = c.t.seconds();
  v.entry = h.name() + " " + c.iface->name() + " " + c.ip.str();
  v.from = c.from ? std::string(nud_state_name(*c.from)) : "NONE";
  v.to = std::string(nud_state_name(c.to));
  v.valid = c.to != NudState::Incomplete && c.to != NudState::Failed;
  if (v.valid) {
    v.mac = c.mac.str();
    const auto it = owners_.find(mac_key(c.mac));
    v.owner = it != owners_.end() ? it->second : "";
  }
  v.cause = std::string(c.cause);
  changes_.push_back(std::move(v));
}

std::map<std::string, double> held_by(const std::vector<VipArpChange>& changes, const std::string& entry,
                                      double end_s) {
  std::map<std::string, double> held;
  const VipArpChange* current = nullptr;
  for (const VipArpChange& c : changes) {
    if (c.entry != entry) continue;
    if (current != nullptr && current->valid) held[current->owner] += c.time_s - current->time_s;
    current = &c;
  }
  if (current != nullptr && current->valid) held[current->owner] += end_s - current->time_s;
  return held;
}

// Per entry: one line of who held it how long, then the changes of owner (a change of state
// that keeps the MAC, or a resolution under way, is not listed, but counted).
void print_vip_arp(std::ostream& os, const RunResult& r, std::size_t rows) {
  if (r.vip_arp.empty()) return;
  std::vector<std::string> entries;
  for (const VipArpChange& c : r.vip_arp)
    if (std::find(entries.begin(), entries.end(), c.entry) == entries.end()) entries.push_back(c.entry);
  os << "\nARP caches: who the VIP's traffic went to (ip neigh)\n";
  for (const std::string& e : entries) {
    os << e << ": ";
    const std::map<std::string, double> held = held_by(r.vip_arp, e, r.sim_time_s);
    std::vector<std::pair<std::string, double>> by_time(held.begin(), held.end());
    std::stable_sort(by_time.begin(), by_time.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string sep;
    for (const auto& [owner, s] : by_time) {
      os << sep << (owner.empty() ? "unknown MAC" : owner) << " " << seconds(s) << " s";
      sep = ", ";
    }
    os << "\n";
    std::string last_owner = "?";
    std::size_t owners = 0, states = 0;
    for (const VipArpChange& c : r.vip_arp) {
      if (c.entry != e) continue;
      ++states;
      if (c.to == "INCOMPLETE" || c.owner == last_owner) continue;  // resolving: the answer follows
      last_owner = c.owner;
      if (++owners > rows) continue;
      os << "  " << seconds(c.time_s) << " s  " << c.to << " " << (c.owner.empty() ? "(no MAC)" : c.owner) << "  ("
         << c.cause << ")\n";
    }
    os << "  " << states << " changes of state";
    if (owners > rows) os << "; " << owners - rows << " more changes of owner in --json";
    os << "\n";
  }
}

}  // namespace lvs::run
