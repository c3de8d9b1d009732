#pragma once
// Pacemaker/corosync running an NFS server on a DRBD pair (docs/storage-alternatives.md): the
// resource group drbd (promotable) -> Filesystem -> exportfs/nfsserver -> IPaddr2 runs on the
// primary. When the primary's host crashes: corosync notices after token + consensus, the
// node is fenced, the survivor's DRBD is promoted, the file system mounted and exported,
// the service address added to its interface with gratuitous ARPs (IPaddr2), and nfsd
// starts with an empty page cache. The old primary, once back, rejoins as DRBD Secondary
// (resource stickiness: no failback). Each step is a timeline record in Pacemaker's words
// (UNVERIFIED wording: plausible, not copied from a log). Timings: storage/pacemaker_timing.hpp.

#include <array>
#include <string>

#include "control/event_log.hpp"
#include "control/failures.hpp"
#include "net/host.hpp"
#include "storage/drbd.hpp"
#include "storage/nfs_server.hpp"
#include "storage/pacemaker_timing.hpp"

namespace lvs::control {

/// IPaddr2's gratuitous ARPs: ARP_REPEAT 5, ARP_INTERVAL_MS 200 (resource-agents
/// heartbeat/IPaddr2 defaults; UNVERIFIED against a current release).
inline constexpr int kIpaddr2ArpRepeat = 5;
inline constexpr Time kIpaddr2ArpInterval = Time::ms(200);

/// One node of the pair: its host, the interface that carries the service address, its
/// nfsd and its DRBD device.
struct PacemakerNode {
  Host* host = nullptr;
  Interface* iface = nullptr;
  storage::NfsServer* nfs = nullptr;
  storage::DrbdDevice* drbd = nullptr;
};

class Pacemaker {
 public:
  Pacemaker(Simulation& sim, EventLog& log, Failures& failures, std::string resource, Ipv4Prefix address,
            storage::PacemakerTiming timing, std::array<PacemakerNode, 2> nodes);

  /// The cluster is up: node 0 Primary with the address and nfsd, node 1 Secondary.
  void start();
  /// The node running the service now (0 or 1), or -1 while it moves.
  int primary() const { return primary_; }
  /// When the address last came up on a node (the start, or the end of a failover).
  Time address_up_at() const { return address_up_at_; }
  const storage::PacemakerTiming& timing() const { return timing_; }

 private:
  void node_lost(int node);
  void after(Time delay, void (Pacemaker::*step)());
  void node_lost_detected();
  void fenced();
  void promoted();
  void started();
  void take_over(int node);
  void send_garps(int left);
  void record(const std::string& component, const std::string& event, const std::string& detail, const std::string& line);
  std::string host_name(int node) const { return nodes_[static_cast<std::size_t>(node)].host->name(); }

  Simulation& sim_;
  EventLog& log_;
  Failures& failures_;
  std::string resource_;
  Ipv4Prefix address_;
  storage::PacemakerTiming timing_;
  std::array<PacemakerNode, 2> nodes_;
  int primary_ = -1;
  int survivor_ = -1;
  Time address_up_at_;
  Timer step_, garp_;
};

}  // namespace lvs::control
