// Host: ARP (RFC 826) as Linux does it, with the arp_ignore and arp_announce sysctls
// that decide the DR "ARP problem" (Documentation/networking/ip-sysctl.rst).

#include "net/host.hpp"
#include "net/network.hpp"

namespace lvs {

void Host::resolve_and_send(Interface& out, Ipv4Address next_hop, PacketId p) {
  Packet& pkt = network().packets()[p];
  pkt.eth_src = out.mac();
  ArpEntry& e = arp_[arp_key(out, next_hop)];
  if (e.resolved && e.expires > sim().now()) {
    pkt.eth_dst = e.mac;
    network().transmit(out, p);
    return;
  }
  e.resolved = false;
  if (e.pending.size() >= sysctl_.arp_queue_packets) {
    network().drop(*this, e.pending.front(), "ARP queue full for " + next_hop.str());
    e.pending.erase(e.pending.begin());
  }
  e.pending.push_back(p);
  if (sim().pending(e.retry)) return;  // a request is already out
  e.tries = 1;
  const Ipv4Address hint = pkt.encapsulated ? pkt.outer.src : pkt.ip.src;
  send_arp_request(out, next_hop, hint);
  const std::uint64_t key = arp_key(out, next_hop);
  e.retry = sim().schedule_in(sysctl_.arp_retry, [this, key, o = &out, next_hop] { arp_retry(key, o, next_hop); });
}

void Host::arp_retry(std::uint64_t key, Interface* out, Ipv4Address target) {
  ArpEntry& e = arp_[key];
  if (e.resolved) return;
  if (e.tries >= sysctl_.arp_tries) {
    for (PacketId q : e.pending) network().drop(*this, q, "ARP: no reply from " + target.str() + " (host unreachable)");
    e.pending.clear();
    return;
  }
  ++e.tries;
  const Ipv4Address hint = e.pending.empty() ? Ipv4Address() : network().packets()[e.pending.front()].ip.src;
  send_arp_request(*out, target, hint);
  e.retry = sim().schedule_in(sysctl_.arp_retry, [this, key, out, target] { arp_retry(key, out, target); });
}

// arp_announce picks the sender IP of the request: 0 uses the packet's own source if it
// is local (on a DR real server: the VIP on lo, which then poisons the gateway's cache);
// 2 always uses an address of the outgoing interface.
void Host::send_arp_request(Interface& out, Ipv4Address target, Ipv4Address source_hint) {
  const bool use_hint = sysctl_.arp_announce < 2 && !source_hint.is_unspecified() && is_local(source_hint);
  const PacketId r = network().new_packet();
  Packet& req = network().packets()[r];
  req.ethertype = EtherType::Arp;
  req.eth_src = out.mac();
  req.eth_dst = MacAddress::broadcast();
  req.arp = ArpBody{ArpOp::Request, out.mac(), use_hint ? source_hint : source_for(out, target), MacAddress(), target};
  network().action(*this, r, "ARP request: who has " + target.str() + "?");
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
  network().transmit(iface, r);
}

// arp_ignore = 0 answers for any local address, on any interface, lo included (the
// weak host model); 1 answers only for addresses configured on the incoming interface.
void Host::receive_arp(Interface& in, PacketId p) {
  const ArpBody arp = network().packets()[p].arp;
  network().packets().release(p);
  const bool gratuitous = arp.sender_ip == arp.target_ip;
  const bool for_us = !gratuitous && (sysctl_.arp_ignore == 0 ? is_local(arp.target_ip) : in.has_address(arp.target_ip));
  // Linux creates an entry for the sender of a request aimed at it, and otherwise only
  // refreshes entries it already has (arp_accept = 0).
  learn(in, arp.sender_ip, arp.sender_mac, arp.op == ArpOp::Request && for_us);
  if (arp.op != ArpOp::Request || !for_us) return;
  const PacketId r = network().new_packet();
  Packet& reply = network().packets()[r];
  reply.ethertype = EtherType::Arp;
  reply.eth_src = in.mac();
  reply.eth_dst = arp.sender_mac;
  reply.arp = ArpBody{ArpOp::Reply, in.mac(), arp.target_ip, arp.sender_mac, arp.sender_ip};
  network().action(*this, r, "ARP reply: " + arp.target_ip.str() + " is at " + in.mac().str());
  network().transmit(in, r);
}

void Host::learn(Interface& in, Ipv4Address ip, MacAddress mac, bool create) {
  if (ip.is_unspecified()) return;
  const auto it = arp_.find(arp_key(in, ip));
  if (it == arp_.end() && !create) return;
  ArpEntry& e = it != arp_.end() ? it->second : arp_[arp_key(in, ip)];
  e.mac = mac;
  e.resolved = true;
  e.expires = sim().now() + sysctl_.arp_timeout;
  sim().cancel(e.retry);
  std::vector<PacketId> waiting;
  waiting.swap(e.pending);
  for (PacketId q : waiting) {
    network().packets()[q].eth_dst = mac;
    network().transmit(in, q);
  }
}

}  // namespace lvs
