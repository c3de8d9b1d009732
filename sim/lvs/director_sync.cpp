// Director: IPVS connection synchronisation, both ends (net/netfilter/ipvs/ip_vs_core.c:
// ip_vs_in; ip_vs_sync.c: ip_vs_sync_conn, ip_vs_proc_conn). The master side is one test
// on the packet path; the batching and the multicast are control/conn_sync.hpp's.

#include "lvs/director.hpp"
#include "net/network.hpp"

namespace lvs {

// ip_vs_in, after the packet went on: with a master sync daemon, the connection is handed
// to it when ip_vs_sync_conn_needed says so for its in_pkts (FULLNAT connections are not:
// mainline's message has no local address for them).
void Director::sync_in_packet(Connection& c) {
  if (c.method == ForwardingMethod::FullNat) return;
  if (sync_conn_needed(c, c.in_pkts, ipvs_.sync_threshold, ipvs_.sync_period)) sync_->sync_conn(sync_entry(c));
}

bool Director::install_synced(const SyncEntry& e) {
  Connection* c = conns_.find_in(e.proto, e.caddr, e.cport, e.vaddr, e.vport);
  if (c != nullptr && (c->daddr != e.daddr || c->dport != e.dport)) {
    if (e.inactive) return false;  // the expiry message of a connection already replaced: ignored
    expire_now(*c);
    c = nullptr;
  }
  if (c == nullptr) c = new_synced(e);
  else update_synced(*c, e);
  if (c == nullptr) return false;
  // What every message sets: in_pkts = sync_threshold, the state, and the master's timeout.
  c->in_pkts = ipvs_.sync_threshold;
  c->state = e.state;
  c->old_state = e.state;
  c->synced = true;
  c->expires = sim().now() + Time::s(e.timeout_s);
  arm_expiry(*c);
  return true;
}

// ip_vs_find_dest: the destination by address and port; on a fwmark service a DR or TUN
// destination is looked up with port 0 first (its connections carry the packet's port), then
// with the other port of the two.
std::optional<DestId> Director::synced_dest(const VirtualService& svc, const SyncEntry& e) {
  const std::uint16_t port = svc.fwmark() != 0 && e.method != ForwardingMethod::Masquerade ? 0 : e.dport;
  const std::optional<DestId> id = svc.find(e.daddr, port);
  if (id || svc.fwmark() == 0) return id;  // port ^ dport is 0 on a VIP:port service: no destination has it
  return svc.find(e.daddr, static_cast<std::uint16_t>(port ^ e.dport));
}

// A new connection, bound to the destination the master used if this director has it
// (ip_vs_find_dest: the service's live destinations); counted active or not as the flags say.
Connection* Director::new_synced(const SyncEntry& e) {
  VirtualService* svc = find_service(e.fwmark, e.proto, e.vaddr, e.vport);  // ip_vs_find_dest
  const std::optional<DestId> id = svc != nullptr ? synced_dest(*svc, e) : std::nullopt;
  if (!id || !svc->has(*id)) {
    ++counters_.synced_unbound;
    return nullptr;
  }
  Connection c;
  c.proto = e.proto;
  c.method = e.method;
  c.no_output = e.no_output;
  c.flavour = e.flavour;
  c.caddr = e.caddr;
  c.cport = e.cport;
  c.vaddr = e.vaddr;
  c.vport = e.vport;
  c.daddr = e.daddr;
  c.dport = e.dport;
  c.svc = svc;
  c.dest = *id;
  c.generation = next_generation_++;
  svc->bind(*id, false);
  c.counted_active = !e.inactive;
  if (c.counted_active) svc->set_active(*id, true);
  ++counters_.synced_new;
  Connection& conn = conns_.insert(c);
  conn.timer_at = Time::max();
  return &conn;
}

// An existing connection: its active/inactive count follows the flags (BACKUP_UPD_MASK:
// INACTIVE is the flag a message may change).
void Director::update_synced(Connection& c, const SyncEntry& e) {
  ++counters_.synced_updates;
  const bool active = !e.inactive;
  if (active != c.counted_active && c.svc->has(c.dest)) {
    c.svc->set_active(c.dest, active);
    c.counted_active = active;
  }
}

}  // namespace lvs
