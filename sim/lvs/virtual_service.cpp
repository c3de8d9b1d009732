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
                               std::unique_ptr<Scheduler> scheduler, Rng& rng)
    : proto_(proto), vip_(vip), port_(port), scheduler_(std::move(scheduler)), rng_(rng) {
  scheduler_->init_service(list_);
}

std::optional<DestId> VirtualService::find(Ipv4Address addr, std::uint16_t port) const {
  const std::uint16_t p = port == 0 ? port_ : port;
  for (std::size_t id = 0; id < configs_.size(); ++id)
    if (configs_[id].addr == addr && (configs_[id].port == 0 ? port_ : configs_[id].port) == p)
      return static_cast<DestId>(id);
  return std::nullopt;
}

// __ip_vs_update_dest(add=1): last_weight = weight, linked at the head, then add_dest.
DestId VirtualService::add_destination(const DestinationConfig& cfg) {
  if (cfg.weight < 0 || cfg.weight > 65535) throw std::invalid_argument("weight must be in 0..65535");
  if (cfg.l_threshold > cfg.u_threshold && cfg.u_threshold != 0)
    throw std::invalid_argument("lower threshold above the upper one");
  SchedDest d;
  const std::optional<DestId> old = find(cfg.addr, cfg.port);
  if (old && has(*old)) throw std::invalid_argument("destination " + cfg.addr.str() + " is already in the service");
  if (old) {  // ip_vs_trash_get_dest: back with its counts and statistics
    d = trash_[*old];
    configs_[*old] = cfg;
  } else {
    d.id = static_cast<DestId>(configs_.size());
    configs_.push_back(cfg);
    dest_stats_.emplace_back();
    trash_.emplace_back();
    index_of_.push_back(-1);
    d.addr = InetAddr::v4(cfg.addr.value());
    d.port = cfg.port == 0 ? port_ : cfg.port;
  }
  d.weight = cfg.weight;
  d.last_weight = cfg.weight;
  d.overloaded = false;
  list_.insert(list_.begin(), d);  // list_add_rcu: at the head
  reindex();
  scheduler_->add_dest(list_, 0);
  return d.id;
}

void VirtualService::edit_destination(DestId id, std::int32_t weight, std::int32_t u_threshold,
                                      std::int32_t l_threshold) {
  SchedDest& d = list_[index(id)];
  DestinationConfig& cfg = configs_[id];
  // __ip_vs_update_dest: a raised or removed upper threshold clears the overload flag.
  if (u_threshold == 0 || u_threshold > cfg.u_threshold) d.overloaded = false;
  d.weight = weight;
  if (weight > 0) d.last_weight = weight;
  cfg.weight = weight;
  cfg.u_threshold = u_threshold;
  cfg.l_threshold = l_threshold;
  scheduler_->upd_dest(list_, index(id));
}

void VirtualService::remove_destination(DestId id) {
  const std::size_t i = index(id);
  const SchedDest removed = list_[i];
  trash_[id] = removed;
  list_.erase(list_.begin() + static_cast<std::ptrdiff_t>(i));
  index_of_[id] = -1;
  reindex();
  scheduler_->del_dest(list_, i, removed);
}

void VirtualService::reindex() {
  for (std::size_t i = 0; i < list_.size(); ++i) index_of_[list_[i].id] = static_cast<int>(i);
}

std::optional<DestId> VirtualService::pick(const SchedFlow& flow, Time now) {
  const SchedContext ctx{list_, flow, 0, now};
  const auto i = scheduler_->schedule(ctx, rng_);
  if (!i) return std::nullopt;
  return list_[*i].id;
}

void VirtualService::set_scheduler(std::unique_ptr<Scheduler> scheduler) {
  scheduler_ = std::move(scheduler);
  scheduler_->init_service(list_);
}

// ip_vs_bind_dest, after the counter went up: OVL is set when activeconns + inactconns
// (templates not counted) reaches -x.
void VirtualService::set_overload(DestId id) {
  SchedDest& d = counted(id);
  const std::int32_t u = configs_[id].u_threshold;
  if (u != 0 && d.activeconns + d.inactconns >= u) d.overloaded = true;
}

// ip_vs_unbind_dest, after the counter went down: clear OVL below -y, or below 3/4 of -x
// when -y is 0, or at once when there is no -x.
void VirtualService::clear_overload(DestId id) {
  SchedDest& d = counted(id);
  const std::int32_t total = d.activeconns + d.inactconns;
  const std::int32_t l = configs_[id].l_threshold;
  const std::int32_t u = configs_[id].u_threshold;
  if (l != 0) {
    if (total < l) d.overloaded = false;
  } else if (u != 0) {
    if (total * 4 < u * 3) d.overloaded = false;
  } else {
    d.overloaded = false;
  }
}

// New connections start inactive (IP_VS_CONN_F_INACTIVE).
void VirtualService::bind(DestId id) {
  ++counted(id).inactconns;
  set_overload(id);
  ++dest_stats_[id].conns;
  ++stats_.conns;
  counts_changed(id);
}

void VirtualService::unbind(DestId id, bool active) {
  SchedDest& d = counted(id);
  (active ? d.activeconns : d.inactconns) -= 1;
  clear_overload(id);
  counts_changed(id);
}

void VirtualService::bind_template(DestId id) {
  ++counted(id).persistconns;
  set_overload(id);
  counts_changed(id);
}

void VirtualService::unbind_template(DestId id) {
  --counted(id).persistconns;
  clear_overload(id);
  counts_changed(id);
}

void VirtualService::set_active(DestId id, bool active) {
  SchedDest& d = counted(id);
  if (active) {
    ++d.activeconns;
    --d.inactconns;
  } else {
    --d.activeconns;
    ++d.inactconns;
  }
  counts_changed(id);
}

}  // namespace lvs
