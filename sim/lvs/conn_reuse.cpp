// Director: a SYN that finds an old connection of its four-tuple (a client reusing its
// port), as ip_vs_in() decides it (net/netfilter/ipvs/ip_vs_core.c: is_new_conn,
// is_new_conn_expected, ip_vs_conn_uses_old_conntrack; ipvs-sysctl.rst: conn_reuse_mode,
// expire_nodest_conn, conntrack). docs/ports.md has the rules and what follows from them.

#include "lvs/director.hpp"
#include "net/network.hpp"

namespace lvs {

// With conn_reuse_mode on, the old connection is expected to be reused when, for TCP, it is
// in TIME_WAIT or CLOSE, or (bit 2) in FIN_WAIT without ever having seen a reply: the last
// state a DR or TUN director sees. Other protocols never: UDP has no SYN to tell a new
// connection by.
bool Director::new_conn_expected(const Connection& c) const {
  if (ipvs_.conn_reuse_mode == 0 || c.proto != IpProto::Tcp) return false;
  return c.state == ConnState::TimeWait || c.state == ConnState::Close ||
         ((ipvs_.conn_reuse_mode & 2) != 0 && c.state == ConnState::FinWait && c.no_output);
}

// A SYN (not a fragment) on a connection no template controls is scheduled afresh if
// expire_nodest_conn is on and its real server has weight 0 (Linux 5.15 and later, also
// with conn_reuse_mode 0), or if the old connection is expected to be reused. Returns the
// connection the packet goes on with, or nullptr to schedule it afresh (the old one expired
// at once); `drop` when the SYN must be dropped instead (conntrack).
Connection* Director::reuse(Connection& c, PacketId p, bool& drop) {
  const Packet& pkt = network().packets()[p];
  const bool syn = pkt.ip.proto == IpProto::Tcp && pkt.has_flag(tcp_flags::kSyn) && !pkt.ip.is_fragment();
  if (!syn || c.tmpl != Connection::kNoTemplate) return &c;
  const bool quiesced = ipvs_.expire_nodest_conn && c.svc->has(c.dest) && c.svc->dest(c.dest).weight == 0;
  if (!quiesced && !new_conn_expected(c)) return &c;
  if (network().observed())
    network().action(*this, p, "IPVS: the SYN reuses the four-tuple of a connection in " +
                                   std::string(state_name(c.state)) + ": that one expires, this one is scheduled afresh");
  expire_now(c);  // no connection of ours controls others (templates do, and are not looked up here)
  if (ipvs_.conntrack) {
    ++counters_.reuse_drops;
    drop = true;
    return nullptr;
  }
  ++counters_.rescheduled;
  return nullptr;
}

}  // namespace lvs
