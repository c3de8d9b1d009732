#pragma once
// A virtual service (ipvsadm -A -t VIP:port -s SCHED -b FLAGS) and its destinations
// (ipvsadm -a -r RIP:port -m|-g|-i -w W -x U -y L). The list itself, its order, trash,
// thresholds and counts, is schedulers/dest_table.hpp's, the one implementation of the
// kernel's rules; this class adds what ipvsadm configures and counts around it.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "lvs/ipvs_defaults.hpp"
#include "net/address.hpp"
#include "net/packet.hpp"
#include "schedulers/dest_table.hpp"
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

/// ipvsadm -p TIMEOUT -M NETMASK: clients of one network keep their destination.
struct Persistence {
  Time timeout = kDefaultPersistentTimeout;
  Ipv4Address netmask{0xffffffffU};     ///< -M, default 255.255.255.255
};

class VirtualService {
 public:
  /// `tcp|udp VIP:port` scheduled by `scheduler`; `rng` feeds schedulers that draw. With a
  /// `fwmark` (ipvsadm -f), the service of packets with that mark: vip and port are 0.
  VirtualService(IpProto proto, Ipv4Address vip, std::uint16_t port, std::unique_ptr<Scheduler> scheduler, Rng& rng,
                 std::uint32_t fwmark = 0);

  IpProto protocol() const { return proto_; }
  /// The firewall mark of a fwmark service (ipvsadm -f MARK), 0 for `proto VIP:port`.
  std::uint32_t fwmark() const { return fwmark_; }
  Ipv4Address vip() const { return vip_; }
  std::uint16_t port() const { return port_; }
  const Scheduler& scheduler() const { return *scheduler_; }
  /// ipvsadm -E -s: binds another scheduler, whose init_service sees the current list.
  void set_scheduler(std::unique_ptr<Scheduler> scheduler);
  /// ipvsadm -b: the scheduler flags (svc_f_sched1..3) every pick sees.
  std::uint32_t sched_flags() const { return table_.svc_flags(); }
  void set_sched_flags(std::uint32_t flags) { table_.set_svc_flags(flags); }
  /// The persistence settings, or nullopt for a service without -p.
  const std::optional<Persistence>& persistence() const { return persistence_; }
  void set_persistence(std::optional<Persistence> p) { persistence_ = p; }
  /// Latency feedback for the schedulers that learn from it (not an IPVS hook).
  void request_done(DestId id, Time latency, Time now) { scheduler_->on_request_done(id, latency, now); }

  /// Adds a destination at the head of the list (list_add_rcu); returns its id. A
  /// destination removed earlier with the same address and port comes back with its id,
  /// counts and statistics, as the kernel restores it from its trash, so its surviving
  /// connections and persistence templates work again.
  DestId add_destination(const DestinationConfig& cfg);
  /// ipvsadm -a for each of `cfgs` in order, as one change (DestTable::add_batch): the
  /// same list, ids and scheduler state as add_destination on each, in O(N + batch).
  /// Throws std::invalid_argument, adding none, if one would be refused.
  std::vector<DestId> add_destinations(std::span<const DestinationConfig> cfgs);
  /// Changes weight and thresholds (ipvsadm -e); clears OVL as __ip_vs_update_dest does.
  void edit_destination(DestId id, std::int32_t weight, std::int32_t u_threshold, std::int32_t l_threshold);
  /// Unlinks a destination (to the trash); its connections keep their id and counts, and the
  /// director drops their packets while it is out (expire_nodest_conn = 0).
  void remove_destination(DestId id);

  /// The scheduler's pick for a new connection, or nothing (ICMP port unreachable).
  std::optional<DestId> pick(const SchedFlow& flow, Time now);
  /// A connection (or template) was bound to `id`: inactconns++ and the -x check; the
  /// --stats connection count too, unless the sync daemon made it (`scheduled` false).
  void bind(DestId id, bool scheduled = true);
  /// A connection left `id`, counted active or not: the counter--, and the OVL clear rules.
  void unbind(DestId id, bool active);
  /// A persistence template was bound to `id`: persistconns++ and the -x check.
  void bind_template(DestId id);
  /// A persistence template bound to `id` expired: persistconns--, and the OVL clear rules.
  void unbind_template(DestId id);
  /// A connection bound to `id` moved between inactive and active.
  void set_active(DestId id, bool active);

  /// Whether `id` is still in the list.
  bool has(DestId id) const { return table_.has(id); }
  /// Destination `id`, in the list or in the trash.
  const SchedDest& dest(DestId id) const { return table_.at(id); }
  /// The id of the destination with this address and port (in the list or the trash); O(1).
  std::optional<DestId> find(Ipv4Address addr, std::uint16_t port) const;
  const DestinationConfig& config(DestId id) const { return configs_[id]; }
  /// Counts the adds (single or batch): a destination's configuration, its name included,
  /// changes only when it is added, so a cache of config(id) is valid while this is unchanged.
  std::uint64_t config_generation() const { return config_generation_; }
  IpvsStats& stats(DestId id) { return dest_stats_[id]; }
  const IpvsStats& stats(DestId id) const { return dest_stats_[id]; }
  IpvsStats& stats() { return stats_; }
  const IpvsStats& stats() const { return stats_; }
  /// The destinations in list order.
  DestList destinations() const { return table_.dests(); }

 private:
  std::uint64_t key(Ipv4Address addr, std::uint16_t port) const;
  void check(const DestinationConfig& cfg) const;
  SchedDest sched_dest(DestId id, const DestinationConfig& cfg);

  IpProto proto_;
  std::uint32_t fwmark_;
  Ipv4Address vip_;
  std::uint16_t port_;
  std::unique_ptr<Scheduler> scheduler_;
  Rng& rng_;
  DestTable table_;
  std::optional<Persistence> persistence_;
  std::vector<DestinationConfig> configs_;  // by DestId
  std::vector<IpvsStats> dest_stats_;       // by DestId
  /// (address, port) -> DestId: one id per address and port for the service's life, as
  /// a re-added destination takes its old id back.
  std::unordered_map<std::uint64_t, DestId> ids_;
  std::uint64_t config_generation_ = 0;
  IpvsStats stats_;
};

}  // namespace lvs
