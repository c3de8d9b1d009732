// Host: ARP (RFC 826) as Linux's arp_process does it, with the arp_ignore and
// arp_announce sysctls that decide the DR "ARP problem" (Documentation/networking/
// ip-sysctl.rst). The cache itself is the NeighbourTable; docs/arp.md has the rules.

#include "net/host.hpp"
#include "net/network.hpp"

namespace lvs {

void Host::resolve_and_send(Interface& out, Ipv4Address next_hop, PacketId p) {
  if (next_hop.is_multicast()) [[unlikely]] {  // arp_mc_map: the MAC follows from the group, no ARP
    Packet& pkt = network().packets()[p];
    pkt.eth_src = out.mac();
    pkt.eth_dst = ipv4_multicast_mac(next_hop);
    network().transmit(out, p);
    return;
  }
  neighbours_.output(out, next_hop, p);
}

// arp_solicit: the sender address of a request follows arp_announce. `source_hint` is the
// source of the packet waiting for the answer, if any (a DR real server's VIP on lo).
Ipv4Address Host::arp_sender(const Interface& out, Ipv4Address target, Ipv4Address source_hint) const {
  const bool local_hint = !source_hint.is_unspecified() && is_local(source_hint);
  if (sysctl_.arp_announce == 0 && local_hint) return source_hint;
  if (sysctl_.arp_announce == 1 && local_hint)  // inet_addr_onlink: one subnet of `out` holds both
    for (const Ipv4Prefix& a : out.addresses())
      if (a.contains(target) && a.contains(source_hint)) return source_hint;
  return source_for(out, target);
}

// A request for `target`: broadcast, or unicast to `dst` (a PROBE entry's cached MAC,
// with the target hardware address left zero as Linux sends it).
void Host::send_arp_request(Interface& out, Ipv4Address target, Ipv4Address source_hint, MacAddress dst) {
  const PacketId r = network().new_packet();
  Packet& req = network().packets()[r];
  req.ethertype = EtherType::Arp;
  req.eth_src = out.mac();
  req.eth_dst = dst;
  req.arp = ArpBody{ArpOp::Request, out.mac(), arp_sender(out, target, source_hint), MacAddress(), target};
  if (network().observed())
    network().action(*this, r,
                     std::string(dst.is_broadcast() ? "ARP request" : "ARP probe (unicast)") + ": who has " +
                         target.str() + "?");
  ++counters_.arp_requests_sent;
  network().transmit(out, r);
}

void Host::send_gratuitous_arp(Interface& iface, Ipv4Address ip) {
  const PacketId r = network().new_packet();
  Packet& g = network().packets()[r];
  g.ethertype = EtherType::Arp;
  g.eth_src = iface.mac();
  g.eth_dst = MacAddress::broadcast();
  g.arp = ArpBody{ArpOp::Request, iface.mac(), ip, MacAddress(), ip};
  network().action(*this, r, "gratuitous ARP for " + ip.str());
  ++counters_.arp_requests_sent;  // on the wire it is a request: "who-has VIP tell VIP"
  ++counters_.arp_gratuitous_sent;
  network().transmit(iface, r);
}

// The ARP broadcasts a segment delivered lazily (docs/arp.md, "Broadcasts on a large
// segment") count as received here as receive_arp would have counted them.
void Host::settle_lazy_arp() const {
  for (const auto& i : interfaces()) {
    if (i->segment() == nullptr) continue;
    counters_.arp_requests_received += i->take_lazy_arp_requests();
    counters_.arp_replies_received += i->take_lazy_arp_replies();
  }
}

void Host::receive_arp(Interface& in, PacketId p) {
  const Packet& pkt = network().packets()[p];
  const ArpBody arp = pkt.arp;
  const bool to_us = !pkt.eth_dst.is_broadcast();
  ++(arp.op == ArpOp::Request ? counters_.arp_requests_received : counters_.arp_replies_received);
  network().packets().release(p);
  process_arp(in, arp, to_us);
}

// arp_process: a request for one of this host's addresses is answered (unless arp_ignore
// says otherwise) and creates or overrides the sender's entry; anything else may only
// update an existing entry, within the locktime rule. A packet whose sender address is
// this host's own fails the route check (a martian source) and changes nothing.
void Host::process_arp(Interface& in, const ArpBody& arp, bool to_us) {
  if (arp.sender_ip.is_unspecified()) {  // duplicate address detection (RFC 5227): answer, learn nothing
    if (arp.op == ArpOp::Request && is_local(arp.target_ip) && !arp_ignored(in, arp)) send_arp_reply(in, arp);
    return;
  }
  if (is_local(arp.sender_ip)) return;
  if (arp.op == ArpOp::Request && is_local(arp.target_ip) && !martian_source(in, arp.sender_ip)) {
    if (arp_ignored(in, arp)) return;
    neighbours_.request_for_us(in, arp.sender_ip, arp.sender_mac);
    send_arp_reply(in, arp);
    return;
  }
  // arp_is_garp: sender = target; for a reply also the target MAC = the sender MAC.
  const bool gratuitous =
      arp.sender_ip == arp.target_ip && (arp.op == ArpOp::Request || arp.target_mac == arp.sender_mac);
  neighbours_.learn(in, arp.sender_ip, arp.sender_mac, arp.op == ArpOp::Reply && to_us, gratuitous);
}

// arp_ignore (the model has one value per host: Linux takes the larger of conf/all and
// the interface's).
bool Host::arp_ignored(const Interface& in, const ArpBody& arp) const {
  switch (sysctl_.arp_ignore) {
    case 1:
      return !in.has_address(arp.target_ip);
    case 2:
      for (const Ipv4Prefix& a : in.addresses())
        if (a.address() == arp.target_ip) return !a.contains(arp.sender_ip);
      return true;
    case 3: {  // addresses on lo are host scope
      const Interface* lo = interface("lo");
      return lo != nullptr && lo->has_address(arp.target_ip);
    }
    case 8:
      return true;
    default:
      return false;
  }
}

// ip_route_input's source validation for the request's sender: with strict rp_filter the
// route back must leave by the interface the request came in on.
bool Host::martian_source(const Interface& in, Ipv4Address src) const {
  if (sysctl_.rp_filter != 1) return false;
  const Route* back = routes_.lookup(src);
  return back == nullptr || back->out != &in;
}

// The reply leaves after the host's reply delay (the NIC's interrupt moderation): who
// answers a broadcast first is a race, as on a LAN.
void Host::send_arp_reply(Interface& in, const ArpBody& request) {
  const Time delay = neighbours_.reply_delay();
  if (delay > Time::zero()) {
    const PacketId held = network().new_packet();  // the request, kept until the reply goes
    network().packets()[held].arp = request;
    sim().schedule_in(delay, [this, &in, held] {
      const ArpBody req = network().packets()[held].arp;
      network().packets().release(held);
      transmit_arp_reply(in, req);
    });
    return;
  }
  transmit_arp_reply(in, request);
}

void Host::transmit_arp_reply(Interface& in, const ArpBody& request) {
  const PacketId r = network().new_packet();
  Packet& reply = network().packets()[r];
  reply.ethertype = EtherType::Arp;
  reply.eth_src = in.mac();
  reply.eth_dst = request.sender_mac;
  reply.arp = ArpBody{ArpOp::Reply, in.mac(), request.target_ip, request.sender_mac, request.sender_ip};
  if (network().observed())
    network().action(*this, r, "ARP reply: " + request.target_ip.str() + " is at " + in.mac().str());
  ++counters_.arp_replies_sent;
  network().transmit(in, r);
}

}  // namespace lvs
