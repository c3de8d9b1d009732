#pragma once
// A virtual service (ipvsadm -A -t VIP:port -s SCHED) and its destinations (ipvsadm -a -r
// RIP:port -m|-g|-i -w W -x U -y L). The destinations are kept in the kernel's list
// order, newest first (ipvs-semantics.md §1), in the very array the scheduler reads.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/address.hpp"
#include "net/packet.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

/// How packets reach a real server (ipvsadm -m, -g, -i; FULLNAT as in Alibaba's LVS).
enum class ForwardingMethod : std::uint8_t { Masquerade, DirectRouting, Tunnel, FullNat };

/// "Masq", "Route", "Tunnel", "FullNat": the Forward column of ipvsadm -Ln.
std::string_view forwarding_name(ForwardingMethod m);

/// A destination as configured.
struct DestinationConfig {
  std::string name;                 ///< the real server's node name, for output
  Ipv4Address addr;                 ///< RIP
  std::uint16_t port = 0;           ///< 0: the VIP's port
  ForwardingMethod method = ForwardingMethod::DirectRouting;
  std::int32_t weight = 1;          ///< 0..65535
  std::int32_t u_threshold = 0;     ///< -x, 0 = none
  std::int32_t l_threshold = 0;     ///< -y, 0 = none
};

/// ipvsadm --stats counters of a destination or a service.
struct IpvsStats {
  std::uint64_t conns = 0;
  std::uint64_t in_packets = 0;
  std::uint64_t out_packets = 0;
  std::uint64_t in_bytes = 0;   ///< IP bytes, as ipvsadm counts
  std::uint64_t out_bytes = 0;
};

class VirtualService {
 public:
  /// `tcp|udp VIP:port` scheduled by `scheduler`; `rng` feeds schedulers that draw.
  VirtualService(IpProto proto, Ipv4Address vip, std::uint16_t port, std::unique_ptr<Scheduler> scheduler, Rng& rng);

  IpProto protocol() const { return proto_; }
  Ipv4Address vip() const { return vip_; }
  std::uint16_t port() const { return port_; }
  const Scheduler& scheduler() const { return *scheduler_; }

  /// Adds a destination at the head of the list; returns its id.
  DestId add_destination(const DestinationConfig& cfg);
  /// Changes weight and thresholds (ipvsadm -e); clears OVL as __ip_vs_update_dest does.
  void edit_destination(DestId id, std::int32_t weight, std::int32_t u_threshold, std::int32_t l_threshold);
  /// Unlinks a destination; its connections keep their id and are dropped by the director.
  void remove_destination(DestId id);

  /// The scheduler's pick for a new connection, or nothing (ICMP port unreachable).
  std::optional<DestId> pick(const SchedFlow& flow, Time now);
  /// A connection (or template) was bound to `id`: inactconns++ and the -x check.
  void bind(DestId id);
  /// A connection left `id`, counted active or not: the counter--, and the OVL clear rules.
  void unbind(DestId id, bool active);
  /// A connection bound to `id` moved between inactive and active.
  void set_active(DestId id, bool active);

  /// Whether `id` is still in the list.
  bool has(DestId id) const { return id < index_of_.size() && index_of_[id] >= 0; }
  const SchedDest& dest(DestId id) const { return list_[index(id)]; }
  const DestinationConfig& config(DestId id) const { return configs_[id]; }
  IpvsStats& stats(DestId id) { return dest_stats_[id]; }
  const IpvsStats& stats(DestId id) const { return dest_stats_[id]; }
  IpvsStats& stats() { return stats_; }
  const IpvsStats& stats() const { return stats_; }
  /// The destinations in list order.
  DestList destinations() const { return list_; }

 private:
  std::size_t index(DestId id) const { return static_cast<std::size_t>(index_of_[id]); }
  void reindex();
  void counts_changed(DestId id) { scheduler_->on_counts_changed(list_, index(id)); }

  IpProto proto_;
  Ipv4Address vip_;
  std::uint16_t port_;
  std::unique_ptr<Scheduler> scheduler_;
  Rng& rng_;
  std::vector<SchedDest> list_;             // kernel list order
  std::vector<int> index_of_;               // DestId -> index in list_, -1 when removed
  std::vector<DestinationConfig> configs_;  // by DestId
  std::vector<IpvsStats> dest_stats_;       // by DestId
  IpvsStats stats_;
};

}  // namespace lvs
