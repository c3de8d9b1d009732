#include "lvs/director.hpp"

#include "lvs/fullnat_tcp.hpp"
#include "net/network.hpp"
#include "schedulers/registry.hpp"

namespace lvs {

Director::Director(Network& net, std::string name, DirectorCpuConfig cpu)
    : Host(net, std::move(name)), cpu_(std::move(cpu)) {
  sysctl().ip_forward = true;  // a NAT director must forward; DR and TUN do not care
}

VirtualService& Director::add_service(IpProto proto, Ipv4Address vip, std::uint16_t port, std::string_view scheduler) {
  Rng& rng = sim().rng(name() + "/" + vip.str() + ":" + std::to_string(port) + "/scheduler");
  services_.push_back(std::make_unique<VirtualService>(proto, vip, port, make_scheduler(scheduler), rng));
  return *services_.back();
}

FullNatPool& Director::add_fullnat_pool(VirtualService& svc, Flavour flavour) {
  if (FullNatPool* pool = pool_of(svc)) return *pool;
  Rng& rng = sim().rng(name() + "/" + svc.vip().str() + ":" + std::to_string(svc.port()) + "/laddr");
  pools_.push_back(std::make_unique<FullNatPool>(svc, flavour, local_ports_, ipvs_.fullnat_lport, rng));
  return *pools_.back();
}

const FullNatPool* Director::fullnat_pool(const VirtualService& svc) const { return pool_of(svc); }

FullNatPool* Director::pool_of(const VirtualService& svc) const {
  for (const auto& pool : pools_)
    if (&pool->service() == &svc) return pool.get();
  return nullptr;
}

bool Director::owns_local_address(Ipv4Address a) const {
  for (const auto& pool : pools_)
    if (pool->owns(a)) return true;
  return false;
}

// Starts loading the connection index's slot that on_local_in's find_in reads first.
void Director::early_demux(const Packet& pkt) const {
  if (pkt.ip.proto == IpProto::Tcp || pkt.ip.proto == IpProto::Udp)
    conns_.prefetch_in(pkt.ip.proto, pkt.ip.src, pkt.sport, pkt.ip.dst, pkt.dport);
  Host::early_demux(pkt);
}

// LOCAL_IN (ip_vs_in): client packets for a virtual service, and FULLNAT replies.
bool Director::on_local_in(Interface& /*in*/, PacketId p) {
  const Packet& pkt = network().packets()[p];
  if (pkt.ip.proto == IpProto::Icmp) return relay_frag_needed(p);
  if (pkt.ip.proto != IpProto::Tcp && pkt.ip.proto != IpProto::Udp) return false;
  if (owns_local_address(pkt.ip.dst)) {
    Connection* c = conns_.find_out(pkt.ip.proto, pkt.ip.src, pkt.sport, pkt.ip.dst, pkt.dport);
    if (c == nullptr) return false;
    reply_fullnat(*c, p);
    return true;
  }
  Connection* c = conns_.find_in(pkt.ip.proto, pkt.ip.src, pkt.sport, pkt.ip.dst, pkt.dport);
  if (c != nullptr) {
    bool drop = false;
    c = reuse(*c, p, drop);
    if (drop) {
      network().drop(*this, p, "IPVS: a SYN reusing a connection whose conntrack entry is confirmed (conntrack=1)");
      return true;
    }
  }
  if (c != nullptr && !c->svc->has(c->dest)) {
    if (!leave_dead_destination(*c, p)) return true;
    c = nullptr;  // expired: the packet is scheduled afresh
  }
  if (c == nullptr) {
    VirtualService* svc = find_service(pkt);
    if (svc == nullptr) return false;
    if (!opens_connection(pkt)) {
      ++counters_.not_syn;
      return false;  // NF_ACCEPT: the local stack owns the VIP and has no socket (RST)
    }
    c = new_connection(*svc, p);
    if (c == nullptr) return true;  // refused; the packet is gone
  }
  track(*c, c->no_output ? ConnDirection::InputOnly : ConnDirection::Input, pkt);
  transmit_in(*c, p);
  ++c->in_pkts;
  if (sync_ != nullptr) [[unlikely]] sync_in_packet(*c);
  return true;
}

// tcp_conn_schedule / udp_conn_schedule: only a TCP SYN (without RST) or any UDP datagram
// is scheduled; another TCP packet without a connection is accepted as it is, for the host's
// own TCP, which owns the VIP, has no socket for it and answers RST (reference note 4.5;
// sloppy_tcp, which would schedule it, is not modelled).
bool Director::opens_connection(const Packet& pkt) {
  return pkt.ip.proto != IpProto::Tcp || (pkt.has_flag(tcp_flags::kSyn) && !pkt.has_flag(tcp_flags::kRst));
}

// ip_vs_in, a connection whose destination was removed: the packet is dropped, unless
// expire_nodest_conn is on; then the connection expires at once and, since Linux 5.9
// ("ipvs: allow connection reuse for unconfirmed conntrack"), the packet is scheduled afresh
// as a new connection would be (a SYN or a UDP datagram finds a live server; another TCP
// packet finds none), unless the old conntrack entry is confirmed (conntrack=1): dropped.
// Returns true when the packet goes on to be scheduled.
bool Director::leave_dead_destination(Connection& c, PacketId p) {
  ++counters_.dead_destination;
  if (ipvs_.expire_nodest_conn) expire_now(c);
  if (ipvs_.expire_nodest_conn && !ipvs_.conntrack) return true;
  network().drop(*this, p, "IPVS: the connection's destination was removed");
  return false;
}

// ip_vs_in_icmp for a tunnelled connection: a router beyond the director says an IPIP
// packet was too big. The client must learn it, with room for the 20-byte outer header
// the director adds, or its large packets vanish (a path-MTU black hole).
bool Director::relay_frag_needed(PacketId p) {
  const Packet& pkt = network().packets()[p];
  if (pkt.icmp.type != IcmpType::DestUnreachable || pkt.icmp.code != icmp_code::kFragNeeded) return false;
  const Ipv4Header& q = pkt.icmp.quoted_ip;
  Connection* c = conns_.find_in(q.proto, q.src, pkt.icmp.quoted_sport, q.dst, pkt.icmp.quoted_dport);
  if (c == nullptr || c->method != ForwardingMethod::Tunnel || pkt.icmp.next_hop_mtu <= kIpv4Header) return false;
  Packet offending;
  offending.ip = q;
  offending.sport = pkt.icmp.quoted_sport;
  offending.dport = pkt.icmp.quoted_dport;
  network().action(*this, p, "IPVS: relay fragmentation needed to the client, MTU - 20 for IPIP");
  send_icmp_error(offending, icmp_code::kFragNeeded, static_cast<std::uint16_t>(pkt.icmp.next_hop_mtu - kIpv4Header));
  network().packets().release(p);
  return true;
}

// FORWARD (ip_vs_out): replies from NAT real servers on their way to the client.
bool Director::on_forward(Interface& /*in*/, PacketId p) {
  const Packet& pkt = network().packets()[p];
  if (pkt.ip.proto != IpProto::Tcp && pkt.ip.proto != IpProto::Udp) return false;
  Connection* c = conns_.find_out(pkt.ip.proto, pkt.ip.src, pkt.sport, pkt.ip.dst, pkt.dport);
  if (c == nullptr || c->method != ForwardingMethod::Masquerade) return false;
  reply_nat(*c, p);
  return true;
}

// ip_vs_schedule + ip_vs_conn_new: the scheduler picks; the connection binds to the destination.
Connection* Director::new_connection(VirtualService& svc, PacketId p) {
  const Packet& pkt = network().packets()[p];
  const SchedFlow flow{static_cast<std::uint8_t>(pkt.ip.proto), InetAddr::v4(pkt.ip.src.value()), pkt.sport,
                       InetAddr::v4(pkt.ip.dst.value()), pkt.dport};
  Connection c;
  const auto id = pick_destination(svc, flow, c);
  if (!id) {
    ++counters_.no_destination;
    send_icmp_error(pkt, icmp_code::kPortUnreachable);
    network().drop(*this, p, "IPVS: the scheduler found no destination (ICMP port unreachable)");
    return nullptr;
  }
  c.proto = pkt.ip.proto;
  c.state = pkt.ip.proto == IpProto::Udp ? ConnState::Udp : ConnState::None;
  c.method = svc.config(*id).method;
  c.no_output = c.method == ForwardingMethod::DirectRouting || c.method == ForwardingMethod::Tunnel;
  c.caddr = pkt.ip.src;
  c.cport = pkt.sport;
  c.vaddr = pkt.ip.dst;
  c.vport = pkt.dport;
  c.daddr = svc.config(*id).addr;
  c.dport = svc.dest(*id).port != 0 ? svc.dest(*id).port : pkt.dport;  // ip_vs_schedule: dest->port ?: vport
  c.svc = &svc;
  c.dest = *id;
  if (c.method == ForwardingMethod::FullNat && !bind_local(svc, c, p)) return nullptr;
  c.generation = next_generation_++;
  c.expires = sim().now() + Time::s(3);  // ip_vs_conn_new, until the first state change
  estimators_.advance(sim().now(), services_);  // the ticks due before this connection counts
  svc.bind(*id);
  Connection& conn = conns_.insert(c);
  if (network().observed())
    network().action(*this, p, "IPVS schedule " + std::string(svc.scheduler().name()) + ": " + c.caddr.str() + ":" +
                                 std::to_string(c.cport) + " -> " + svc.config(*id).name + " " + c.daddr.str() + ":" +
                                 std::to_string(c.dport) + " (" + std::string(forwarding_name(c.method)) + ")");
  conn.timer_at = Time::max();
  arm_expiry(conn);
  setup_cost_ = cpu_.config().connection;
  return &conn;
}

// ip_vs_hbind_laddr (Alibaba) or dp_vs_laddr_bind (DPVS), in FullNatPool. With no port,
// Alibaba deletes the new connection ("bind local address: no port available") and
// tcp_conn_schedule / udp_conn_schedule hand the packet to ip_vs_leave, which answers ICMP
// port unreachable and drops it; DPVS's tcp_conn_sched just drops it (EDPVS_RESOURCE), and
// the client's SYN is retransmitted.
bool Director::bind_local(VirtualService& svc, Connection& c, PacketId p) {
  FullNatPool* pool = pool_of(svc);
  c.flavour = pool != nullptr ? pool->flavour() : Flavour::Alibaba;
  if (const auto local = pool != nullptr ? pool->allocate(c.proto, c.daddr, c.dport) : std::nullopt) {
    c.laddr = local->addr;
    c.lport = local->port;
    return true;
  }
  release_template(c);
  ++counters_.no_local_port;
  const std::string towards = " towards " + c.daddr.str() + ":" + std::to_string(c.dport);
  if (c.flavour == Flavour::Dpvs) {
    network().drop(*this, p, "DPVS: no lip/lport available" + towards + " (EDPVS_RESOURCE), packet dropped");
    return false;
  }
  send_icmp_error(network().packets()[p], icmp_code::kPortUnreachable);
  network().drop(*this, p, "IPVS: bind local address: no port available" + towards + " (ICMP port unreachable)");
  return false;
}

std::optional<DestId> Director::pick_destination(VirtualService& svc, const SchedFlow& flow, Connection& c) {
  if (svc.persistence()) return schedule_persistent(svc, flow, c);
  return svc.pick(flow, sim().now());
}

// set_tcp_state / udp_state_transition: the new state, the active/inactive counters
// and the timeout; ipvsadm --stats counters.
void Director::track(Connection& c, ConnDirection dir, const Packet& pkt) {
  if (dir == ConnDirection::Output) c.no_output = false;
  if (c.proto == IpProto::Tcp) {
    const ConnState next = next_tcp_state(c.state, dir, pkt.tcp.flags);
    if (next != c.state) {
      const bool active = is_active(next, c.flavour);
      if (active != c.counted_active) {
        c.svc->set_active(c.dest, active);
        c.counted_active = active;
      }
      c.state = next;
    }
  }
  c.expires = sim().now() + state_timeout(c.state, c.flavour);
  arm_expiry(c);
  const std::uint64_t bytes = pkt.ip_bytes();
  estimators_.advance(sim().now(), services_);  // the ticks due before this packet counts
  IpvsStats& ds = c.svc->stats(c.dest);
  IpvsStats& ss = c.svc->stats();
  if (dir == ConnDirection::Output) {
    ++ds.out_packets, ds.out_bytes += bytes, ++ss.out_packets, ss.out_bytes += bytes;
  } else {
    ++ds.in_packets, ds.in_bytes += bytes, ++ss.in_packets, ss.in_bytes += bytes;
  }
}

// One timer per connection, moved only when the deadline comes earlier; a later
// deadline is found when the timer fires and re-armed then.
void Director::arm_expiry(Connection& c) {
  if (c.expires >= c.timer_at && sim().pending(c.timer)) return;
  sim().cancel(c.timer);
  c.timer_at = c.expires;
  c.timer = sim().schedule_at(c.expires, [this, slot = c.slot, gen = c.generation] { on_expiry(slot, gen); });
}

void Director::on_expiry(std::uint32_t slot, std::uint64_t generation) {
  Connection& c = conns_.at(slot);
  if (c.svc == nullptr || c.generation != generation) return;
  if (c.expires > sim().now()) {
    c.timer_at = c.expires;
    c.timer = sim().schedule_at(c.expires, [this, slot, generation] { on_expiry(slot, generation); });
    return;
  }
  expire_now(c);
}

// The end of a connection (ip_vs_conn_expire): its counts leave its destination, its
// template and FULLNAT port are released, its entry goes.
void Director::expire_now(Connection& c) {
  sim().cancel(c.timer);
  c.svc->unbind(c.dest, c.counted_active);
  release_template(c);
  if (c.method == ForwardingMethod::FullNat)
    if (FullNatPool* pool = pool_of(*c.svc)) pool->release(c.proto, {c.laddr, c.lport}, c.daddr, c.dport);
  ++counters_.expired;
  conns_.erase(c.slot);
}

}  // namespace lvs
