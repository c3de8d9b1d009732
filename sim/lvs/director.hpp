#pragma once
// An LVS director: a Linux host running IPVS. Packets for a virtual service are taken at
// LOCAL_IN, scheduled to a destination, tracked in the connection table, rewritten for
// the destination's forwarding method and sent on; NAT replies are taken at FORWARD and
// FULLNAT replies at LOCAL_IN (they are addressed to a local address of the pool).
// Every IPVS packet costs CPU time on one of a finite number of cores, and creating a
// connection costs more (the figures of a named profile, director_profiles.hpp).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lvs/connection_table.hpp"
#include "lvs/director_cpu.hpp"
#include "lvs/director_profiles.hpp"
#include "lvs/fullnat_pool.hpp"
#include "lvs/fwmark.hpp"
#include "lvs/persistence.hpp"
#include "lvs/rate_estimator.hpp"
#include "lvs/sync_entry.hpp"
#include "lvs/virtual_service.hpp"
#include "net/host.hpp"

namespace lvs {

/// Why IPVS refused or lost packets, for the summary.
struct DirectorCounters {
  std::uint64_t no_destination = 0;   ///< scheduler returned none: ICMP port unreachable
  std::uint64_t not_syn = 0;          ///< TCP packet with no connection and no SYN: left to the local stack (RST)
  std::uint64_t no_local_port = 0;    ///< FULLNAT: no local port found, connection refused
  std::uint64_t backlog_drops = 0;    ///< CPU backlog full
  std::uint64_t dead_destination = 0; ///< packet for a connection whose destination was removed
  std::uint64_t expired = 0;          ///< connections expired
  std::uint64_t rescheduled = 0;      ///< SYNs that found an old connection and were scheduled afresh (conn_reuse_mode)
  std::uint64_t reuse_drops = 0;      ///< such SYNs dropped because the old conntrack entry was confirmed
  std::uint64_t synced_new = 0;       ///< connections a sync message created (backup)
  std::uint64_t synced_updates = 0;   ///< sync messages that updated a connection (backup)
  std::uint64_t synced_unbound = 0;   ///< sync entries for no service or destination here, not installed
};

/// The net.ipv4.vs sysctls the model honours.
struct IpvsSysctl {
  /// Templates whose destination has weight 0 are invalid (default 0: persistent clients
  /// keep going to a quiesced server).
  bool expire_quiescent_template = false;
  /// net.ipv4.vs.conn_reuse_mode, a bitmap (default 1): 0, a SYN that finds an old
  /// connection of its four-tuple goes with it, to the same real server; bit 1, it is
  /// scheduled afresh when the old one is in TIME_WAIT or CLOSE; bit 2, also from FIN_WAIT
  /// of a connection that never saw a reply (DR, TUN). See docs/ports.md.
  int conn_reuse_mode = 1;
  /// net.ipv4.vs.expire_nodest_conn (default off): a packet for a connection whose real
  /// server is gone expires the connection at once; a SYN for one whose server has weight
  /// 0 is scheduled afresh.
  bool expire_nodest_conn = false;
  /// net.ipv4.vs.conntrack (default off): connections keep netfilter conntrack entries, so
  /// a SYN that would be scheduled afresh meets the old, confirmed entry and is dropped
  /// (the client retransmits it 1 s later).
  bool conntrack = false;
  /// Alibaba LVS's fullnat_lport_min, _max, _tries (FULLNAT services of that flavour).
  LportSysctl fullnat_lport;
  /// net.ipv4.vs.sync_threshold "3 50": a connection is synced on its 3rd inbound packet and
  /// every 50th after (period 0: only the 3rd). docs/conn-sync.md.
  std::uint32_t sync_threshold = 3;
  std::uint32_t sync_period = 50;
};

class Director : public Host {
 public:
  Director(Network& net, std::string name,
           DirectorCpuConfig cpu = cpu_config(director_profile(kDefaultDirectorProfile)));

  /// ipvsadm -A: a virtual service scheduled by `scheduler` (a registry name).
  VirtualService& add_service(IpProto proto, Ipv4Address vip, std::uint16_t port, std::string_view scheduler);
  /// ipvsadm -A -f MARK: the service of packets marked `mark` (any address and port).
  /// `proto` is what ipvsadm records (-f services are TCP unless told otherwise).
  VirtualService& add_fwmark_service(std::uint32_t mark, std::string_view scheduler, IpProto proto = IpProto::Tcp);
  /// The mangle PREROUTING MARK rules (iptables -t mangle -A PREROUTING ... -j MARK).
  MarkTable& marks() { return marks_; }
  const MarkTable& marks() const { return marks_; }
  /// The FULLNAT local addresses of `svc`, which runs `flavour` (Alibaba or DPVS); made on
  /// the first call. Add the addresses to it (they must also be on an interface).
  FullNatPool& add_fullnat_pool(VirtualService& svc, Flavour flavour);

  const std::vector<std::unique_ptr<VirtualService>>& services() const { return services_; }
  const ConnectionTable& connections() const { return conns_; }
  const DirectorCpu& cpu() const { return cpu_; }
  const DirectorCounters& counters() const { return counters_; }
  /// The FULLNAT pool of `svc`, or nullptr.
  const FullNatPool* fullnat_pool(const VirtualService& svc) const;
  /// Every FULLNAT pool, in the order they were made.
  const std::vector<std::unique_ptr<FullNatPool>>& fullnat_pools() const { return pools_; }
  const PersistenceTable& templates() const { return templates_; }
  IpvsSysctl& ipvs_sysctl() { return ipvs_; }
  /// A reboot: the connection table and the persistence templates (kernel memory) are gone,
  /// each connection unbound from its destination as if it had expired. The services and
  /// their destinations stay: keepalived or the init scripts configure them again at boot.
  void flush_connections();
  /// Runs the 2 s rate estimator's ticks due by `now` (rate_estimator.hpp); read the rates after.
  void update_estimators(Time now) { estimators_.advance(now, services_); }
  /// The rates of ipvsadm --rate as of the last update_estimators().
  const DirectorEstimators& estimators() const { return estimators_; }
  /// The master sync daemon that takes the connections needing sync (nullptr: this director
  /// is not a sync master, and the packet path pays one test).
  void set_sync_sink(ConnSyncSink* sink) { sync_ = sink; }
  /// ip_vs_proc_conn: a backup takes a synced connection in, creating it or updating its
  /// state, counting and timeout (the master's timeout for the state, from now). A different
  /// real server in an active entry replaces the old connection. False if no service and
  /// destination here match it (the kernel would keep it unbound; the model does not).
  bool install_synced(const SyncEntry& e);

 protected:
  bool on_local_in(Interface& in, PacketId p) override;
  void early_demux(const Packet& pkt) const override;
  bool on_forward(Interface& in, PacketId p) override;
  bool local_by_policy(const Packet& pkt) const override;

 private:
  bool relay_frag_needed(PacketId p);
  VirtualService* find_service(const Packet& pkt) const;
  VirtualService* find_service(std::uint32_t mark, IpProto proto, Ipv4Address vaddr, std::uint16_t vport) const;
  VirtualService* find_fwmark_service(std::uint32_t mark) const;
  static bool opens_connection(const Packet& pkt);
  Connection* new_connection(VirtualService& svc, PacketId p);
  bool leave_dead_destination(Connection& c, PacketId p);
  Connection* reuse(Connection& c, PacketId p, bool& drop);
  bool new_conn_expected(const Connection& c) const;
  void expire_now(Connection& c);
  bool bind_local(VirtualService& svc, Connection& c, PacketId p);
  FullNatPool* pool_of(const VirtualService& svc) const;
  bool owns_local_address(Ipv4Address a) const;
  std::optional<DestId> pick_destination(VirtualService& svc, const SchedFlow& flow, Connection& c);
  std::optional<DestId> schedule_persistent(VirtualService& svc, const SchedFlow& flow, Connection& c);
  bool template_valid(const PersistTemplate& t) const;
  void arm_template(PersistTemplate& t);
  void on_template_expiry(std::uint32_t slot, std::uint64_t generation);
  void release_template(const Connection& c);
  void track(Connection& c, ConnDirection dir, const Packet& pkt);
  void sync_in_packet(Connection& c);
  Connection* new_synced(const SyncEntry& e);
  static std::optional<DestId> synced_dest(const VirtualService& svc, const SyncEntry& e);
  void update_synced(Connection& c, const SyncEntry& e);
  void arm_expiry(Connection& c);
  void on_expiry(std::uint32_t slot, std::uint64_t generation);
  void transmit_in(Connection& c, PacketId p);
  void transmit_tunnel(const Connection& c, PacketId p);
  void reply_nat(Connection& c, PacketId p);
  void rewrite_fullnat_in(const Connection& c, PacketId p);
  void reply_fullnat(Connection& c, PacketId p);
  bool admit(ForwardingMethod m, PacketId p);
  template <class F>
  void after_cpu(F&& send);

  std::vector<std::unique_ptr<VirtualService>> services_;
  MarkTable marks_;
  ConnectionTable conns_;
  DirectorCpu cpu_;
  LocalPorts local_ports_;
  std::vector<std::unique_ptr<FullNatPool>> pools_;
  PersistenceTable templates_;
  IpvsSysctl ipvs_;
  DirectorEstimators estimators_;
  DirectorCounters counters_;
  ConnSyncSink* sync_ = nullptr;
  std::uint64_t next_generation_ = 1;
  Time cpu_done_;  // when the packet being handled leaves the CPU
  Time setup_cost_;  // the cost of the connection just created, charged to its first packet
};

}  // namespace lvs
