#include "lvs/virtual_service.hpp"

#include <stdexcept>
#include <unordered_set>

namespace lvs {

std::string_view forwarding_name(ForwardingMethod m) {
  switch (m) {
    case ForwardingMethod::Masquerade: return "Masq";
    case ForwardingMethod::DirectRouting: return "Route";
    case ForwardingMethod::Tunnel: return "Tunnel";
    case ForwardingMethod::FullNat: return "FullNat";
  }
  return "?";
}

VirtualService::VirtualService(IpProto proto, Ipv4Address vip, std::uint16_t port,
                               std::unique_ptr<Scheduler> scheduler, Rng& rng, std::uint32_t fwmark)
    : proto_(proto),
      fwmark_(fwmark),
      vip_(vip),
      port_(port),
      scheduler_(std::move(scheduler)),
      rng_(rng),
      table_(*scheduler_) {}

std::uint64_t VirtualService::key(Ipv4Address addr, std::uint16_t port) const {
  return (std::uint64_t{addr.value()} << 16) | (port == 0 ? port_ : port);
}

// ids_ holds every (address, port) ever added: add_destination gives a key its id once and
// reuses it, so the first id with the key, the old linear search's answer, is the only one.
std::optional<DestId> VirtualService::find(Ipv4Address addr, std::uint16_t port) const {
  const auto it = ids_.find(key(addr, port));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

void VirtualService::check(const DestinationConfig& cfg) const {
  if (cfg.weight < 0 || cfg.weight > 65535) throw std::invalid_argument("weight must be in 0..65535");
  if (cfg.l_threshold > cfg.u_threshold && cfg.u_threshold != 0)
    throw std::invalid_argument("lower threshold above the upper one");
}

// Records `cfg` under `id` (a new id is the next one) and gives the scheduler's view of it.
SchedDest VirtualService::sched_dest(DestId id, const DestinationConfig& cfg) {
  ++config_generation_;
  if (id == configs_.size()) {
    configs_.push_back(cfg);
    dest_stats_.emplace_back();
    ids_.emplace(key(cfg.addr, cfg.port), id);
  } else {
    configs_[id] = cfg;
  }
  SchedDest d;
  d.id = id;
  d.addr = InetAddr::v4(cfg.addr.value());
  d.port = cfg.port == 0 ? port_ : cfg.port;
  d.weight = cfg.weight;
  return d;
}

// ipvsadm -a: a destination removed earlier with this address and port comes back with
// its id (ip_vs_trash_get_dest), so its connections and templates count on it again.
DestId VirtualService::add_destination(const DestinationConfig& cfg) {
  check(cfg);
  const std::optional<DestId> old = find(cfg.addr, cfg.port);
  if (old && has(*old)) throw std::invalid_argument("destination " + cfg.addr.str() + " is already in the service");
  const SchedDest d = sched_dest(old.value_or(static_cast<DestId>(configs_.size())), cfg);
  table_.add(d, DestThresholds{cfg.u_threshold, cfg.l_threshold});
  return d.id;
}

// The ids add_destination would give one by one (a key seen earlier in the batch is
// "already in the service", as the second add would be told), all checked before any
// change; then one DestTable::add_batch.
std::vector<DestId> VirtualService::add_destinations(std::span<const DestinationConfig> cfgs) {
  std::vector<DestId> ids;
  ids.reserve(cfgs.size());
  std::unordered_set<std::uint64_t> seen;  // keys earlier in this batch
  DestId next = static_cast<DestId>(configs_.size());
  for (const DestinationConfig& cfg : cfgs) {
    check(cfg);
    const std::optional<DestId> old = find(cfg.addr, cfg.port);
    if ((old && has(*old)) || !seen.insert(key(cfg.addr, cfg.port)).second)
      throw std::invalid_argument("destination " + cfg.addr.str() + " is already in the service");
    ids.push_back(old ? *old : next++);
  }
  std::vector<SchedDest> dests;
  std::vector<DestThresholds> thresholds;
  dests.reserve(cfgs.size());
  thresholds.reserve(cfgs.size());
  for (std::size_t i = 0; i < cfgs.size(); ++i) {
    dests.push_back(sched_dest(ids[i], cfgs[i]));
    thresholds.push_back(DestThresholds{cfgs[i].u_threshold, cfgs[i].l_threshold});
  }
  table_.add_batch(dests, thresholds);
  return ids;
}

void VirtualService::edit_destination(DestId id, std::int32_t weight, std::int32_t u_threshold,
                                      std::int32_t l_threshold) {
  DestinationConfig& cfg = configs_[id];
  cfg.weight = weight;
  cfg.u_threshold = u_threshold;
  cfg.l_threshold = l_threshold;
  table_.edit(id, weight, DestThresholds{u_threshold, l_threshold});
}

void VirtualService::remove_destination(DestId id) { table_.remove(id); }

std::optional<DestId> VirtualService::pick(const SchedFlow& flow, Time now) {
  const auto i = table_.schedule(rng_, flow, now);
  if (!i) return std::nullopt;
  return table_.dests()[*i].id;
}

void VirtualService::set_scheduler(std::unique_ptr<Scheduler> scheduler) {
  scheduler_ = std::move(scheduler);
  table_.bind_scheduler(*scheduler_);
}

void VirtualService::bind(DestId id, bool scheduled) {
  table_.bind_connection(id);
  if (!scheduled) return;  // ip_vs_conn_stats counts in ip_vs_schedule only
  ++dest_stats_[id].conns;
  ++stats_.conns;
}

void VirtualService::unbind(DestId id, bool active) { table_.unbind_connection(id, active); }

void VirtualService::bind_template(DestId id) { table_.bind_template(id); }

void VirtualService::unbind_template(DestId id) { table_.unbind_template(id); }

void VirtualService::set_active(DestId id, bool active) { table_.set_active(id, active); }

}  // namespace lvs
