// Director: the four forwarding methods (ip_vs_xmit.c: ip_vs_nat_xmit, ip_vs_dr_xmit,
// ip_vs_tunnel_xmit; FULLNAT after Alibaba's LVS) and the reply paths of NAT and FULLNAT.

#include "lvs/director.hpp"

#include <stdexcept>
#include <utility>

#include "lvs/fullnat_tcp.hpp"
#include "net/network.hpp"

namespace lvs {

namespace {

std::string endpoint(Ipv4Address a, std::uint16_t port) { return a.str() + ":" + std::to_string(port); }

const std::optional<Time>& cost_of(const DirectorCpuConfig& cfg, ForwardingMethod m) {
  switch (m) {
    case ForwardingMethod::Masquerade: return cfg.masquerade;
    case ForwardingMethod::DirectRouting: return cfg.direct_routing;
    case ForwardingMethod::Tunnel: return cfg.tunnel;
    case ForwardingMethod::FullNat: return cfg.full_nat;
  }
  return cfg.masquerade;
}

}  // namespace

// The packet occupies a core for its method's cost, plus the cost of creating its connection
// if it just did; it leaves when the core is done. validate refuses a method the profile lacks.
bool Director::admit(ForwardingMethod m, PacketId p) {
  const std::optional<Time>& cost = cost_of(cpu_.config(), m);
  if (!cost)
    throw std::logic_error("director profile " + cpu_.config().profile + " has no cost for " +
                           std::string(forwarding_name(m)));
  const auto done = cpu_.admit(sim().now(), *cost + std::exchange(setup_cost_, Time::zero()));
  if (!done) {
    ++counters_.backlog_drops;
    network().drop(*this, p, "director CPU backlog full");
    return false;
  }
  cpu_done_ = *done;
  return true;
}

template <class F>
void Director::after_cpu(F&& send) {
  sim().schedule_at(cpu_done_, std::forward<F>(send));
}

void Director::transmit_in(Connection& c, PacketId p) {
  if (!admit(c.method, p)) return;
  Packet& pkt = network().packets()[p];
  switch (c.method) {
    case ForwardingMethod::Masquerade:
      if (network().observed())
        network().action(*this, p, "DNAT " + endpoint(pkt.ip.dst, pkt.dport) + " -> " + endpoint(c.daddr, c.dport));
      pkt.ip.dst = c.daddr;
      pkt.dport = c.dport;
      break;
    case ForwardingMethod::DirectRouting:
      if (network().observed())
        network().action(*this, p, "DR: destination MAC rewritten towards " + c.daddr.str() + ", IP header unchanged");
      break;
    case ForwardingMethod::Tunnel:
      transmit_tunnel(c, p);
      return;
    case ForwardingMethod::FullNat:
      rewrite_fullnat_in(c, p);
      pkt.ip.src = c.laddr;
      pkt.sport = c.lport;
      pkt.ip.dst = c.daddr;
      pkt.dport = c.dport;
      break;
  }
  after_cpu([this, p, to = c.daddr] { ip_output_towards(p, to); });
}

// IPIP (RFC 2003): a second IP header to the real server. ip_vs_tunnel_xmit checks the
// MTU first: a DF packet that no longer fits is answered with ICMP fragmentation needed
// carrying the MTU minus the 20-byte header, which is how path MTU discovery learns it.
void Director::transmit_tunnel(const Connection& c, PacketId p) {
  Packet& pkt = network().packets()[p];
  const Route* route = routes().lookup(c.daddr);
  if (route == nullptr) {
    network().drop(*this, p, "IPVS TUN: no route to " + c.daddr.str());
    return;
  }
  const std::uint32_t mtu = route->out->mtu();
  if (pkt.ip_bytes() + kIpv4Header > mtu && pkt.ip.dont_fragment) {
    send_icmp_error(pkt, icmp_code::kFragNeeded, static_cast<std::uint16_t>(mtu - kIpv4Header));
    network().drop(*this, p, "IPVS TUN: " + std::to_string(pkt.ip_bytes() + kIpv4Header) + " bytes with the IPIP header > MTU " +
                                 std::to_string(mtu) + ", DF set (ICMP fragmentation needed sent)");
    return;
  }
  pkt.encapsulated = true;
  pkt.outer = Ipv4Header{route->out->primary_address(), c.daddr, IpProto::IpIp, pkt.ip.ttl, pkt.ip.dont_fragment, 0};
  if (network().observed())
    network().action(*this, p, "encapsulate IPIP " + pkt.outer.src.str() + " -> " + c.daddr.str());
  after_cpu([this, p] { ip_send(p); });
}

void Director::reply_nat(Connection& c, PacketId p) {
  Packet& pkt = network().packets()[p];
  track(c, ConnDirection::Output, pkt);
  if (!admit(ForwardingMethod::Masquerade, p)) return;
  if (network().observed())
    network().action(*this, p, "SNAT " + endpoint(pkt.ip.src, pkt.sport) + " -> " + endpoint(c.vaddr, c.vport));
  pkt.ip.src = c.vaddr;
  pkt.sport = c.vport;
  after_cpu([this, p] { forward(p); });
}

// FULLNAT towards the real server: addresses and ports, and the TCP options of
// tcp_fnat_in_handler (fullnat_tcp.hpp) for a route of the MTU it will leave by.
void Director::rewrite_fullnat_in(const Connection& c, PacketId p) {
  Packet& pkt = network().packets()[p];
  const Route* route = routes().lookup(c.daddr);
  const bool ts = pkt.is_tcp() && pkt.tcp.has_option(tcp_option::kTimestamps);
  const bool toa = fullnat_rewrite_in(c, pkt, route != nullptr ? route->out->mtu() : 0);
  if (!network().observed()) return;
  std::string text = "FULLNAT SNAT " + endpoint(pkt.ip.src, pkt.sport) + " -> " + endpoint(c.laddr, c.lport) +
                     ", DNAT " + endpoint(pkt.ip.dst, pkt.dport) + " -> " + endpoint(c.daddr, c.dport);
  if (ts && !pkt.tcp.has_option(tcp_option::kTimestamps)) text += ", timestamps stripped";
  if (toa) text += ", TOA " + endpoint(c.caddr, c.cport) + " added";
  network().action(*this, p, text);
}

void Director::reply_fullnat(Connection& c, PacketId p) {
  Packet& pkt = network().packets()[p];
  track(c, ConnDirection::Output, pkt);
  if (!admit(ForwardingMethod::FullNat, p)) return;
  const std::uint16_t mss = pkt.tcp.mss;
  fullnat_rewrite_out(c, pkt);
  if (network().observed()) {
    const std::string lowered = ", MSS " + std::to_string(mss) + " -> " + std::to_string(pkt.tcp.mss);
    network().action(*this, p, "FULLNAT reverse " + endpoint(pkt.ip.src, pkt.sport) + " -> " + endpoint(c.vaddr, c.vport) +
                                 ", " + endpoint(pkt.ip.dst, pkt.dport) + " -> " + endpoint(c.caddr, c.cport) +
                                 (pkt.tcp.mss != mss ? lowered : std::string()));
  }
  pkt.ip.src = c.vaddr;
  pkt.sport = c.vport;
  pkt.ip.dst = c.caddr;
  pkt.dport = c.cport;
  after_cpu([this, p] { ip_send(p); });
}

}  // namespace lvs
