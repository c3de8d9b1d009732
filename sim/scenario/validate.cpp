// validate(): the cross-checks of a scenario that reading one key at a time cannot make.
// This file holds the index and the findings collector; the checks are in validate_*.cpp
// (see validate_detail.hpp).

#include <algorithm>

#include "scenario/validate_detail.hpp"

namespace lvs::scenario {

std::string Finding::str(const std::string& file) const {
  std::string out = file;
  if (origin.at != Position{})
    out.append(":").append(std::to_string(origin.at.line)).append(":").append(std::to_string(origin.at.column));
  out.append(": ");
  if (!origin.path.empty()) out.append(origin.path).append(": ");
  out.append(severity == Severity::Error ? "error: " : "warning: ");
  return out.append(message);
}

namespace {

std::vector<Finding> validate_as_given(const ScenarioSpec& spec) {
  const checks::SpecIndex index(spec);
  checks::Findings out(spec);
  checks::check_topology(index, out);
  checks::check_services(index, out);
  checks::check_fullnat(index, out);
  checks::check_workload(index, out);
  checks::check_reachability(index, out);
  checks::check_warnings(index, out);
  checks::check_capacity(index, out);
  checks::check_failover(index, out);
  checks::check_storage(index, out);
  checks::check_fwmark(index, out);
  return out.sorted();
}

}  // namespace

std::vector<Finding> validate(const ScenarioSpec& spec) {
  // The cluster as it starts: each VRRP instance's VIPs on its expected master.
  return spec.vrrp.empty() ? validate_as_given(spec) : validate_as_given(checks::with_vrrp_addresses(spec));
}

namespace checks {

// --- Findings ---

void Findings::error(const Origin& at, std::string message) {
  found_.push_back(Finding{Finding::Severity::Error, at, std::move(message)});
}

void Findings::warning(const Origin& at, std::string message) {
  found_.push_back(Finding{Finding::Severity::Warning, at, std::move(message)});
}

// A value set with --set has no position: it sorts at its nearest ancestor that has one.
Position Findings::sort_position(const Origin& origin) const {
  std::string path = origin.path;
  Position at = origin.at;
  while (at == Position{} && !path.empty()) {
    const std::size_t cut = path.find_last_of(".[");
    path.resize(cut == std::string::npos ? 0 : cut);
    if (const std::optional<Position> found = spec_.positions.find(path)) at = *found;
  }
  return at;
}

std::vector<Finding> Findings::sorted() const {
  struct Keyed {
    Position at;
    const Finding* finding;
  };
  std::vector<Keyed> keyed;
  for (const Finding& f : found_) keyed.push_back(Keyed{sort_position(f.origin), &f});
  std::stable_sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    if (a.finding->severity != b.finding->severity) return a.finding->severity == Finding::Severity::Error;
    return a.at.line != b.at.line ? a.at.line < b.at.line : a.at.column < b.at.column;
  });
  std::vector<Finding> out;
  for (const Keyed& k : keyed) out.push_back(*k.finding);
  return out;
}

// --- SpecIndex ---

SpecIndex::SpecIndex(const ScenarioSpec& spec) : spec_(spec) {
  for (const SegmentSpec& s : spec.topology.segments) l2_.emplace(s.name, true);
  for (const LinkSpec& l : spec.topology.links) l2_.emplace(l.name, false);
  const std::vector<HostSpec>& hosts = spec.topology.hosts;
  for (std::size_t k = 0; k < hosts.size(); ++k) {
    const HostSpec& h = hosts[k];
    hosts_.emplace(h.name, &h);
    for (const InterfaceSpec& i : h.interfaces) {
      if (plugged(i)) attached_[l2_of(i)].push_back(Attachment{&h, &i});
      const std::uint64_t first = i.address.address().value();
      if (i.sources > 0) ranges_.push_back(AddressRange{first, first + i.sources - 1, k});
      for (const Ipv4Prefix& p : i.secondary) ranges_.push_back(AddressRange{p.address().value(), p.address().value(), k});
    }
  }
  std::sort(ranges_.begin(), ranges_.end(), [](const AddressRange& a, const AddressRange& b) {
    return a.first != b.first ? a.first < b.first : a.host < b.host;
  });
  for (const AddressRange& r : ranges_) reach_.push_back(reach_.empty() ? r.last : std::max(reach_.back(), r.last));
  for (const ServerAppSpec& a : spec.servers)
    for (const std::string& h : a.hosts) {
      std::vector<const ServerAppSpec*>& on = apps_[h];
      if (on.empty() || on.back() != &a) on.push_back(&a);
    }
}

std::vector<const HostSpec*> SpecIndex::holders(Ipv4Address address) const {
  const std::uint64_t a = address.value();
  std::vector<std::size_t> found;
  auto k = static_cast<std::size_t>(std::upper_bound(ranges_.begin(), ranges_.end(), a,
                                                     [](std::uint64_t v, const AddressRange& r) { return v < r.first; }) -
                                    ranges_.begin());
  while (k-- > 0 && reach_[k] >= a)
    if (ranges_[k].last >= a) found.push_back(ranges_[k].host);
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  std::vector<const HostSpec*> out;
  for (std::size_t h : found) out.push_back(&spec_.topology.hosts[h]);
  return out;
}

const HostSpec* SpecIndex::neighbour(std::string_view l2, const HostSpec& from, Ipv4Address address) const {
  for (const HostSpec* h : holders(address)) {
    if (h == &from) continue;
    for (const InterfaceSpec& i : h->interfaces)
      if (plugged(i) && l2_of(i) == l2) return h;
  }
  return nullptr;
}

const std::vector<const ServerAppSpec*>& SpecIndex::apps_on(std::string_view name) const {
  static const std::vector<const ServerAppSpec*> none;
  const auto it = apps_.find(name);
  return it == apps_.end() ? none : it->second;
}

Origin SpecIndex::key(const Origin& item, std::string_view key) const {
  const std::string path = child_path(item.path, key);
  if (spec_.positions.empty()) return Origin{path, item.at};  // built in code: name the key anyway
  const std::optional<Position> at = spec_.positions.find(path);
  return at ? Origin{path, *at} : item;
}

bool SpecIndex::plugged(const InterfaceSpec& iface) const {
  return iface.segment.empty() ? is_link(iface.link) : is_segment(iface.segment);
}

const HostSpec* SpecIndex::host(std::string_view name) const {
  const auto it = hosts_.find(name);
  return it == hosts_.end() ? nullptr : it->second;
}

bool SpecIndex::is_segment(std::string_view name) const {
  const auto it = l2_.find(name);
  return it != l2_.end() && it->second;
}

bool SpecIndex::is_link(std::string_view name) const {
  const auto it = l2_.find(name);
  return it != l2_.end() && !it->second;
}

const std::vector<Attachment>& SpecIndex::attached(std::string_view name) const {
  static const std::vector<Attachment> none;
  const auto it = attached_.find(name);
  return it == attached_.end() ? none : it->second;
}

std::string SpecIndex::l2_label(std::string_view name) const {
  return (is_link(name) ? "link " : "segment ") + std::string(name);
}

const HostSpec* SpecIndex::owner(Ipv4Address address) const {
  const std::vector<const HostSpec*> h = holders(address);
  return h.empty() ? nullptr : h.front();
}

const ServiceSpec* SpecIndex::service_with_vip(Ipv4Address address) const {
  for (const ServiceSpec& s : spec_.services)
    if (s.vip == address) return &s;
  return nullptr;
}

// --- facts about one host ---

const std::string& l2_of(const InterfaceSpec& iface) { return iface.segment.empty() ? iface.link : iface.segment; }

bool has_address(const HostSpec& host, Ipv4Address address) {
  for (const InterfaceSpec& i : host.interfaces) {
    const std::uint64_t first = i.address.address().value();
    if (address.value() >= first && address.value() < first + i.sources) return true;
    for (const Ipv4Prefix& s : i.secondary)
      if (s.address() == address) return true;
  }
  return false;
}

bool on_link(const HostSpec& host, Ipv4Address address) {
  for (const InterfaceSpec& i : host.interfaces) {
    if (i.address.contains(address)) return true;
    for (const Ipv4Prefix& s : i.secondary)
      if (s.contains(address)) return true;
  }
  return false;
}

std::string subnets_of(const HostSpec& host) {
  std::vector<std::string> subnets;
  const auto add = [&subnets](const Ipv4Prefix& p) {
    const std::string s = Ipv4Prefix(p.network(), p.length()).str();
    if (std::find(subnets.begin(), subnets.end(), s) == subnets.end()) subnets.push_back(s);
  };
  for (const InterfaceSpec& i : host.interfaces) {
    add(i.address);
    for (const Ipv4Prefix& s : i.secondary) add(s);
  }
  std::string out;
  for (const std::string& s : subnets) out.append(out.empty() ? "" : ", ").append(s);
  return out;
}

Ipv4Address primary_address(const HostSpec& host) {
  return host.interfaces.empty() ? Ipv4Address() : host.interfaces.front().address.address();
}

bool forwards(const HostSpec& host) { return host.sysctl.ip_forward.value_or(host.kind == HostKind::Router); }

std::string label(const HostSpec& host) {
  switch (host.kind) {
    case HostKind::Router:
      return "router " + host.name;
    case HostKind::Client:
      return "client " + host.name;
    case HostKind::Server:
      return "real server " + host.name;
    case HostKind::Director:
      return "director " + host.name;
    case HostKind::Host:
      break;
  }
  return "host " + host.name;
}


std::string endpoint(Protocol protocol, Ipv4Address address, std::uint16_t port) {
  return std::string(protocol == Protocol::Udp ? "udp/" : "tcp/") + address.str() + ":" + std::to_string(port);
}

namespace {

// The interface whose subnet holds `address`, or nullptr.
const InterfaceSpec* egress(const HostSpec& host, Ipv4Address address) {
  for (const InterfaceSpec& i : host.interfaces) {
    if (i.address.contains(address)) return &i;
    for (const Ipv4Prefix& s : i.secondary)
      if (s.contains(address)) return &i;
  }
  return nullptr;
}

}  // namespace

// Longest prefix wins; on a tie a connected subnet beats a route, a route the gateway (0/0).
std::optional<RouteChoice> route(const HostSpec& host, Ipv4Address destination) {
  int best = -1;
  std::optional<RouteChoice> choice;
  const auto consider = [&](const Ipv4Prefix& prefix, const InterfaceSpec* iface, Ipv4Address next_hop) {
    if (!prefix.contains(destination) || prefix.length() <= best) return;
    best = prefix.length();
    choice = RouteChoice{iface, next_hop};
  };
  for (const InterfaceSpec& i : host.interfaces) {
    consider(i.address, &i, destination);
    for (const Ipv4Prefix& s : i.secondary) consider(s, &i, destination);
  }
  for (const RouteSpec& r : host.routes) consider(r.to, egress(host, r.via), r.via);
  if (host.gateway) consider(Ipv4Prefix(Ipv4Address(), 0), egress(host, *host.gateway), *host.gateway);
  return choice;
}

}  // namespace checks

}  // namespace lvs::scenario
