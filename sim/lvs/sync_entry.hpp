#pragma once
// What IPVS connection synchronisation carries, and when a connection is sent
// (net/netfilter/ipvs/ip_vs_sync.c: struct ip_vs_sync_v4, ip_vs_sync_conn_needed). The
// daemon that batches and multicasts the entries is control/conn_sync.hpp; the director
// calls its sink on the master and installs what a backup receives (Director::install_synced).
// docs/conn-sync.md has the rules and their sources.

#include <cstdint>

#include "lvs/connection_table.hpp"

namespace lvs {

/// Bytes of one IPv4 entry on the wire (struct ip_vs_sync_v4: type, protocol, ver_size,
/// flags, state, three ports, fwmark, timeout, three addresses).
inline constexpr std::uint32_t kSyncEntryBytes = 36;

/// One synced connection, the fields of ip_vs_sync_v4 the model uses.
struct SyncEntry {
  IpProto proto = IpProto::Tcp;
  ConnState state = ConnState::None;
  ForwardingMethod method = ForwardingMethod::DirectRouting;  ///< IP_VS_CONN_F_FWD_MASK
  bool inactive = false;        ///< IP_VS_CONN_F_INACTIVE: not counted in activeconns
  bool no_output = false;       ///< IP_VS_CONN_F_NOOUTPUT
  Flavour flavour = Flavour::Mainline;
  Ipv4Address caddr, vaddr, daddr;
  std::uint16_t cport = 0, vport = 0, dport = 0;
  std::uint32_t fwmark = 0;     ///< the service's mark (cp->fwmark), looked up first on the backup
  std::uint32_t timeout_s = 0;  ///< the master's timeout for the state, seconds (cp->timeout / HZ)
};

/// The entry the master sends for `c`.
SyncEntry sync_entry(const Connection& c);

/// Where a master director hands the connections that need syncing (the sync daemon).
class ConnSyncSink {
 public:
  virtual ~ConnSyncSink() = default;
  /// `e` needs to reach the backups (called on the packet's path: it must be cheap).
  virtual void sync_conn(const SyncEntry& e) = 0;
};

/// ip_vs_sync_conn_needed with sync_refresh_period 0, for a connection that just took its
/// `pkts`-th inbound packet: TCP only in ESTABLISHED, FIN_WAIT, CLOSE, CLOSE_WAIT or
/// TIME_WAIT; a change into one of the last four at once; otherwise when pkts % period ==
/// threshold (period 0: only when pkts == threshold). Records the state synced in
/// c.old_state when it says yes.
bool sync_conn_needed(Connection& c, std::uint32_t pkts, std::uint32_t threshold, std::uint32_t period);

}  // namespace lvs
