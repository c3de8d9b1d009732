#include "net/host.hpp"

#include <stdexcept>

#include "net/network.hpp"

namespace lvs {

Host::Host(Network& net, std::string name) : Node(net, std::move(name)) {}

Simulation& Host::sim() const { return network().sim(); }

Interface& Host::add_ethernet(std::string name, MacAddress mac, Ipv4Prefix addr, std::uint32_t mtu) {
  Interface& i = add_interface(std::move(name), InterfaceKind::Ethernet, mac, mtu);
  i.add_address(addr);
  routes_.add(Route{Ipv4Prefix(addr.network(), addr.length()), Ipv4Address(), &i});
  return i;
}

void Host::add_loopback_address(Ipv4Address addr) {
  Interface* lo = interface("lo");
  if (lo == nullptr) lo = &add_interface("lo", InterfaceKind::Loopback, MacAddress(), 65536);
  lo->add_address(Ipv4Prefix(addr, 32));
}

void Host::add_tunnel_address(Ipv4Address addr) {
  Interface* tun = interface("tunl0");
  if (tun == nullptr) tun = &add_interface("tunl0", InterfaceKind::Tunnel, MacAddress(), 1480);
  tun->add_address(Ipv4Prefix(addr, 32));
}

void Host::add_route(Ipv4Prefix destination, Ipv4Address gateway, Interface& out) {
  routes_.add(Route{destination, gateway, &out});
}

void Host::set_default_gateway(Ipv4Address gateway) {
  const Route* via = routes_.lookup(gateway);
  if (via == nullptr || !via->gateway.is_unspecified())
    throw std::invalid_argument(name() + ": default gateway " + gateway.str() + " is not on a connected subnet");
  routes_.add(Route{Ipv4Prefix(Ipv4Address(), 0), gateway, via->out});
}

bool Host::is_local(Ipv4Address a) const {
  for (const auto& i : interfaces())
    if (i->has_address(a)) return true;
  return false;
}

std::optional<MacAddress> Host::arp_lookup(const Interface& iface, Ipv4Address ip) const {
  const auto it = arp_.find(arp_key(iface, ip));
  if (it == arp_.end() || !it->second.resolved || it->second.expires <= sim().now()) return std::nullopt;
  return it->second.mac;
}

void Host::receive(Interface& in, PacketId p) {
  const Packet& pkt = network().packets()[p];
  if (!pkt.eth_dst.is_broadcast() && pkt.eth_dst != in.mac()) {
    network().packets().release(p);  // flooded unicast for another host: the NIC filters it
    return;
  }
  if (pkt.ethertype == EtherType::Arp)
    receive_arp(in, p);
  else
    receive_ip(in, p);
}

void Host::receive_ip(Interface& in, PacketId p) {
  const Packet& pkt = network().packets()[p];
  const Ipv4Address dst = pkt.encapsulated ? pkt.outer.dst : pkt.ip.dst;
  if (sysctl_.rp_filter == 1 && rp_filter_drops(in, pkt)) {
    network().drop(*this, p, "rp_filter: the route back to the source leaves by another interface than " + in.name());
    return;
  }
  if (is_local(dst)) {
    if (pkt.encapsulated) {
      decapsulate(p);
      return;
    }
    if (on_local_in(in, p)) return;
    deliver_local(in, p);
    return;
  }
  if (!sysctl_.ip_forward) {
    network().drop(*this, p, "not for this host and ip_forward is off");
    return;
  }
  if (on_forward(in, p)) return;
  forward(p);
}

// Strict reverse-path filtering (RFC 3704): the best route back to the source must
// leave by the interface the packet came in on.
bool Host::rp_filter_drops(const Interface& in, const Packet& pkt) const {
  const Ipv4Address src = pkt.encapsulated ? pkt.outer.src : pkt.ip.src;
  if (is_local(src)) return false;
  const Route* back = routes_.lookup(src);
  return back == nullptr || back->out != &in;
}

// IPIP (RFC 2003): strip the outer header and receive the inner packet on tunl0.
void Host::decapsulate(PacketId p) {
  Interface* tun = interface("tunl0");
  if (tun == nullptr) {
    network().drop(*this, p, "IPIP packet but no tunl0 (protocol 4 unreachable)");
    return;
  }
  Packet& pkt = network().packets()[p];
  pkt.encapsulated = false;
  pkt.outer = Ipv4Header{};
  network().action(*this, p, "decapsulate IPIP on tunl0");
  receive_ip(*tun, p);
}

void Host::forward(PacketId p) {
  Packet& pkt = network().packets()[p];
  Ipv4Header& hdr = pkt.encapsulated ? pkt.outer : pkt.ip;
  if (hdr.ttl <= 1) {
    network().drop(*this, p, "TTL exceeded");
    return;
  }
  --hdr.ttl;
  const Route* route = routes_.lookup(hdr.dst);
  if (route == nullptr) {
    send_icmp_error(pkt, icmp_code::kNetUnreachable);
    network().drop(*this, p, "no route to " + hdr.dst.str());
    return;
  }
  network().action(*this, p, "forward");
  output(p, *route, hdr.dst);
}

void Host::ip_send(PacketId p) {
  Packet& pkt = network().packets()[p];
  Ipv4Header& hdr = pkt.encapsulated ? pkt.outer : pkt.ip;
  const Route* route = routes_.lookup(hdr.dst);
  if (route == nullptr) {
    network().drop(*this, p, "no route to host " + hdr.dst.str());
    return;
  }
  if (hdr.src.is_unspecified()) hdr.src = source_for(*route->out, hdr.dst);
  if (hdr.id == 0) hdr.id = next_ip_id_++;
  output(p, *route, hdr.dst);
}

void Host::ip_output_towards(PacketId p, Ipv4Address via) {
  const Route* route = routes_.lookup(via);
  if (route == nullptr) {
    network().drop(*this, p, "no route to " + via.str());
    return;
  }
  output(p, *route, via);
}

void Host::output(PacketId p, const Route& route, Ipv4Address dst_for_route) {
  Interface& out = *route.out;
  if (!fits_mtu(p, out)) return;
  const Ipv4Address next_hop = route.gateway.is_unspecified() ? dst_for_route : route.gateway;
  resolve_and_send(out, next_hop, p);
}

// A datagram larger than the MTU with DF set is dropped with ICMP "fragmentation
// needed" carrying the MTU (RFC 1191). Without DF it would be fragmented (RFC 791).
bool Host::fits_mtu(PacketId p, const Interface& out) {
  const Packet& pkt = network().packets()[p];
  if (pkt.ip_bytes() <= out.mtu()) return true;
  const bool df = pkt.encapsulated ? pkt.outer.dont_fragment : pkt.ip.dont_fragment;
  if (df) send_icmp_error(pkt, icmp_code::kFragNeeded, static_cast<std::uint16_t>(out.mtu()));
  network().drop(*this, p,
                 std::string(df ? "fragmentation needed and DF set: " : "fragmentation is not modelled: ") +
                     std::to_string(pkt.ip_bytes()) + " > MTU " + std::to_string(out.mtu()) + " of " + out.name());
  return false;
}

void Host::send_icmp_error(const Packet& offending, std::uint8_t code, std::uint16_t mtu) {
  if (offending.ethertype != EtherType::Ipv4 || offending.ip.proto == IpProto::Icmp) return;  // RFC 1122 3.2.2
  const Ipv4Header& quoted = offending.encapsulated ? offending.outer : offending.ip;
  if (is_local(quoted.src)) return;
  const PacketId r = network().new_packet();
  Packet& icmp = network().packets()[r];
  icmp.ip.dst = quoted.src;
  icmp.ip.proto = IpProto::Icmp;
  icmp.ip.dont_fragment = false;
  icmp.icmp.type = IcmpType::DestUnreachable;
  icmp.icmp.code = code;
  icmp.icmp.next_hop_mtu = mtu;
  icmp.icmp.quoted_ip = offending.ip;  // the inner header: what the sender recognises
  icmp.icmp.quoted_sport = offending.sport;
  icmp.icmp.quoted_dport = offending.dport;
  ip_send(r);
}

void Host::deliver_local(Interface& /*in*/, PacketId p) {
  network().drop(*this, p, "no service listening");
}

Ipv4Address Host::source_for(const Interface& out, Ipv4Address dst) const {
  for (const Ipv4Prefix& a : out.addresses())
    if (a.contains(dst)) return a.address();
  return out.primary_address();
}

}  // namespace lvs
