#include "lvs/virtual_service.hpp"

#include <stdexcept>

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

std::optional<DestId> VirtualService::find(Ipv4Address addr, std::uint16_t port) const {
  const std::uint16_t p = port == 0 ? port_ : port;
  for (std::size_t id = 0; id < configs_.size(); ++id)
    if (configs_[id].addr == addr && (configs_[id].port == 0 ? port_ : configs_[id].port) == p)
      return static_cast<DestId>(id);
  return std::nullopt;
}

// ipvsadm -a: a destination removed earlier with this address and port comes back with
// its id (ip_vs_trash_get_dest), so its connections and templates count on it again.
DestId VirtualService::add_destination(const DestinationConfig& cfg) {
  if (cfg.weight < 0 || cfg.weight > 65535) throw std::invalid_argument("weight must be in 0..65535");
  if (cfg.l_threshold > cfg.u_threshold && cfg.u_threshold != 0)
    throw std::invalid_argument("lower threshold above the upper one");
  const std::optional<DestId> old = find(cfg.addr, cfg.port);
  if (old && has(*old)) throw std::invalid_argument("destination " + cfg.addr.str() + " is already in the service");
  SchedDest d;
  if (old) {
    d.id = *old;
    configs_[*old] = cfg;
  } else {
    d.id = static_cast<DestId>(configs_.size());
    configs_.push_back(cfg);
    dest_stats_.emplace_back();
  }
  d.addr = InetAddr::v4(cfg.addr.value());
  d.port = cfg.port == 0 ? port_ : cfg.port;
  d.weight = cfg.weight;
  table_.add(d, DestThresholds{cfg.u_threshold, cfg.l_threshold});
  return d.id;
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
