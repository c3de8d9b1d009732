#include "lvs/sync_entry.hpp"

namespace lvs {

SyncEntry sync_entry(const Connection& c) {
  SyncEntry e;
  e.proto = c.proto;
  e.state = c.state;
  e.method = c.method;
  e.inactive = !c.counted_active;
  e.no_output = c.no_output;
  e.flavour = c.flavour;
  e.caddr = c.caddr;
  e.vaddr = c.vaddr;
  e.daddr = c.daddr;
  e.cport = c.cport;
  e.vport = c.vport;
  e.dport = c.dport;
  e.fwmark = c.svc != nullptr ? c.svc->fwmark() : 0;
  e.timeout_s = static_cast<std::uint32_t>(state_timeout(c.state, c.flavour) / Time::s(1));
  return e;
}

namespace {

// The TCP states a connection is synced in (ip_vs_sync_conn_needed's mask).
bool tcp_state_synced(ConnState s) {
  return s == ConnState::Established || s == ConnState::FinWait || s == ConnState::Close ||
         s == ConnState::CloseWait || s == ConnState::TimeWait;
}

}  // namespace

// Templates and sync_persist_mode are not modelled (persistence templates are not synced).
bool sync_conn_needed(Connection& c, std::uint32_t pkts, std::uint32_t threshold, std::uint32_t period) {
  if (c.proto == IpProto::Tcp) {
    if (!tcp_state_synced(c.state)) return false;
    const bool changed = c.state != c.old_state;
    if (changed && c.state != ConnState::Established) {  // "goto set": at once, whatever the count
      c.old_state = c.state;
      return true;
    }
  }
  const bool due = period > 0 ? pkts % period == threshold : pkts == threshold;
  if (!due) return false;
  c.old_state = c.state;
  return true;
}

}  // namespace lvs
