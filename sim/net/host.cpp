#include "net/host.hpp"

#include <algorithm>
#include <stdexcept>

#include "net/network.hpp"

namespace lvs {

namespace {
constexpr Ipv4Prefix kLinkLocalMulticast{Ipv4Address(224, 0, 0, 0), 24};  // RFC 5771 4: Local Network Control Block
}

Host::Host(Network& net, std::string name)
    : Node(net, std::move(name)), neighbours_(*this, net.sim().rng(this->name() + "/neighbour")) {}

Simulation& Host::sim() const { return network().sim(); }

Interface& Host::add_ethernet(std::string name, MacAddress mac, Ipv4Prefix addr, std::uint32_t mtu) {
  Interface& i = add_interface(std::move(name), InterfaceKind::Ethernet, mac, mtu);
  i.add_address(addr);
  routes_.add(Route{Ipv4Prefix(addr.network(), addr.length()), Ipv4Address(), &i});
  return i;
}

void Host::add_loopback_address(Ipv4Address addr) { add_loopback_address(Ipv4Prefix(addr, 32)); }

void Host::add_loopback_address(Ipv4Prefix prefix) {
  Interface* lo = interface("lo");
  if (lo == nullptr) lo = &add_interface("lo", InterfaceKind::Loopback, MacAddress(), 65536);
  lo->add_address(prefix);
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

// Interface::has_address over every interface, as ranges: a - first <= span in 32-bit
// arithmetic is "first <= a <= first + span" without wrapping.
bool Host::is_local(Ipv4Address a) const {
  if (local_epoch_ != address_epoch() || local_interfaces_ != interfaces().size()) [[unlikely]]
    rebuild_local_ranges();
  for (const LocalRange& r : local_ranges_)
    if (a.value() - r.first <= r.span) return true;
  return false;
}

// What Interface::has_address accepts: the address block, each address, and on lo the whole
// prefix of an address shorter than /32.
void Host::rebuild_local_ranges() const {
  local_epoch_ = address_epoch();  // read first: a change while this runs makes the next call rebuild
  local_ranges_.clear();
  for (const auto& i : interfaces()) {
    if (i->address_block_count() > 0)
      local_ranges_.push_back(LocalRange{i->address_block_first().value(), i->address_block_count() - 1});
    for (const Ipv4Prefix& p : i->addresses()) {
      if (i->kind() == InterfaceKind::Loopback && p.length() < 32)
        local_ranges_.push_back(LocalRange{p.network().value(), ~p.mask()});
      else
        local_ranges_.push_back(LocalRange{p.address().value(), 0});
    }
  }
  local_interfaces_ = interfaces().size();
}

std::optional<MacAddress> Host::arp_lookup(const Interface& iface, Ipv4Address ip) const {
  return neighbours_.lookup(iface, ip);
}

void Host::receive(Interface& in, PacketId p) {
  const Packet& pkt = network().packets()[p];
  const bool vrrp = vrrp_ != nullptr && pkt.eth_dst == ipv4_multicast_mac(kVrrpGroup);
  if (pkt.eth_dst != in.mac() && !pkt.eth_dst.is_broadcast() && !vrrp && !accepts_group_frame(in, pkt.eth_dst)) {
    network().packets().release(p);  // flooded unicast for another host, or a group not joined: the NIC filters it
    return;
  }
  if (pkt.ethertype == EtherType::Arp)
    receive_arp(in, p);
  else
    receive_ip(in, p);
}

void Host::receive_ip(Interface& in, PacketId p) {
  const Packet& pkt = network().packets()[p];
  const Ipv4Header& hdr = pkt.outermost();
  early_demux(pkt);
  if (kLinkLocalMulticast.contains(hdr.dst)) [[unlikely]] {
    receive_link_multicast(in, p);
    return;
  }
  if (sysctl_.rp_filter == 1 && rp_filter_drops(in, pkt)) {
    network().drop(*this, p, "rp_filter: the route back to the source leaves by another interface than " + in.name());
    return;
  }
  if (hdr.dst.is_multicast()) [[unlikely]] {
    receive_multicast(in, p);
    return;
  }
  if (is_local(hdr.dst) || local_by_policy(pkt)) {
    if (hdr.is_fragment()) [[unlikely]] {
      reassemble(in, p);
      return;
    }
    ip_local_deliver(in, p);
    return;
  }
  if (!sysctl_.ip_forward) {
    network().drop(*this, p, "not for this host and ip_forward is off");
    return;
  }
  if (on_forward(in, p)) return;
  forward(p);
}

// 224.0.0.0/24 is link-local: never forwarded, whatever the TTL (RFC 5771 4; for VRRP RFC
// 3768 5.2.2). A VRRP advert goes to the VRRP daemon if its TTL is still 255, proof that
// it was not routed (RFC 3768 7.1, RFC 5798 7.1); everything else there is dropped.
void Host::receive_link_multicast(Interface& in, PacketId p) {
  const Packet& pkt = network().packets()[p];
  if (pkt.ip.proto != IpProto::Vrrp) {  // another link-local group (IPVS sync, 224.0.0.81): joined sockets
    receive_multicast(in, p);
    return;
  }
  if (vrrp_ == nullptr) {
    network().drop(*this, p, "link-local multicast to a group this host has not joined");
    return;
  }
  if (pkt.ip.ttl != 255) {
    network().drop(*this, p, "VRRP advert with TTL " + std::to_string(pkt.ip.ttl) + ", not 255 (RFC 3768 7.1)");
    return;
  }
  vrrp_->vrrp_receive(in, pkt);
  network().packets().release(p);
}

void Host::send_link_multicast(Interface& out, PacketId p) {
  Packet& pkt = network().packets()[p];
  pkt.eth_src = out.mac();
  pkt.eth_dst = ipv4_multicast_mac(pkt.ip.dst);
  if (pkt.ip.src.is_unspecified()) pkt.ip.src = out.primary_address();
  if (pkt.ip.id == 0) pkt.ip.id = next_ip_id_++;
  network().transmit(out, p);
}

// Strict reverse-path filtering (RFC 3704): the best route back to the source must
// leave by the interface the packet came in on.
bool Host::rp_filter_drops(const Interface& in, const Packet& pkt) const {
  const Ipv4Address src = pkt.encapsulated ? pkt.outer.src : pkt.ip.src;
  if (is_local(src)) return false;
  const Route* back = routes_.lookup(src);
  return back == nullptr || back->out != &in;
}

// A whole datagram for this host: IPIP is decapsulated, the rest goes through IPVS's
// LOCAL_IN hook to the transport layer.
void Host::ip_local_deliver(Interface& in, PacketId p) {
  const Packet& pkt = network().packets()[p];
  if (pkt.encapsulated) {
    decapsulate(p);
    return;
  }
  // An ICMP message ends at the host it is addressed to, even one IPVS then relays as a
  // new message of its own (Director::relay_frag_needed).
  if (pkt.ip.proto == IpProto::Icmp) counters_.icmp_received.count(pkt.icmp);
  if (on_local_in(in, p)) return;
  count_transport_in(network().packets()[p]);  // the hook may have grown the pool
  deliver_local(in, p);
}

// A RST for the VIP that IPVS passes on is the real server's, not the director's: only
// what the hook left for this host's own TCP counts as received.
void Host::count_transport_in(const Packet& pkt) {
  if (pkt.ip.proto == IpProto::Tcp && pkt.has_flag(tcp_flags::kRst)) ++counters_.rst_received;
}

// RFC 791 reassembly (ip_defrag), before IPVS and IPIP see the datagram. The datagram
// is delivered as if it had arrived on the interface of the fragment that completed it.
void Host::reassemble(Interface& in, PacketId p) {
  PacketPool& pool = network().packets();
  const FragmentQueues::Result r = fragments_.insert(pool, p, sysctl_.ipfrag_max_datagrams);
  switch (r.verdict) {
    case FragmentQueues::Verdict::Held:
      if (r.created)
        fragments_.timer(r.queue) = sim().schedule_in(sysctl_.ipfrag_time, [this, q = r.queue] { reassembly_timeout(q); });
      return;
    case FragmentQueues::Verdict::Complete: {
      sim().cancel(fragments_.timer(r.queue));
      const std::size_t count = fragments_.fragments(r.queue);
      const PacketId whole = fragments_.assemble(pool, r.queue);
      if (network().observed()) network().action(*this, whole, "reassemble " + std::to_string(count) + " fragments");
      ip_local_deliver(in, whole);
      return;
    }
    case FragmentQueues::Verdict::Duplicate:
      network().drop(*this, p, "duplicate fragment");
      return;
    case FragmentQueues::Verdict::Full:
      network().drop(*this, p, network().observed() ? "fragment reassembly: " + std::to_string(fragments_.live()) +
                                                          " datagrams already in progress (ipfrag_max_datagrams)"
                                                    : std::string());
      return;
    case FragmentQueues::Verdict::Corrupt:
      sim().cancel(fragments_.timer(r.queue));
      network().drop(*this, p, "overlapping fragment");
      expired_.clear();
      fragments_.discard(r.queue, expired_);
      for (const PacketId f : expired_) network().drop(*this, f, "fragment of a datagram with overlapping fragments");
      return;
  }
}

// ip_expire: the partial datagram is dropped after ipfrag_time, with ICMP time exceeded
// "fragment reassembly time exceeded" to its source if the first fragment (the one an
// ICMP error can quote) is among those held (RFC 792; RFC 1122 3.3.2).
void Host::reassembly_timeout(std::uint32_t queue) {
  const bool first_in = fragments_.first_in(queue);
  const std::string why = network().observed() ? "fragment reassembly time exceeded (ipfrag_time " +
                                                     to_string(sysctl_.ipfrag_time) + "): " +
                                                     std::to_string(fragments_.bytes(queue)) + " bytes held"
                                               : std::string();
  expired_.clear();
  fragments_.discard(queue, expired_);
  if (first_in)
    send_icmp(network().packets()[expired_.front()], IcmpType::TimeExceeded, icmp_code::kReassemblyTimeExceeded, 0);
  for (const PacketId f : expired_) network().drop(*this, f, why);
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
  if (hdr.dst.is_multicast()) [[unlikely]] {
    send_multicast(p);
    return;
  }
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
  const Ipv4Address next_hop = route.gateway.is_unspecified() ? dst_for_route : route.gateway;
  if (network().packets()[p].ip_bytes() > out.mtu()) [[unlikely]] {
    output_too_big(p, out, next_hop);
    return;
  }
  resolve_and_send(out, next_hop, p);
}

// A datagram larger than the MTU with DF set is dropped with ICMP "fragmentation
// needed" carrying the MTU (RFC 1191); without DF it is fragmented (RFC 791).
void Host::output_too_big(PacketId p, Interface& out, Ipv4Address next_hop) {
  const Packet& pkt = network().packets()[p];
  if (!pkt.outermost().dont_fragment) {
    fragment(p, out, next_hop);
    return;
  }
  send_icmp_error(pkt, icmp_code::kFragNeeded, static_cast<std::uint16_t>(out.mtu()));
  network().drop(*this, p, "fragmentation needed and DF set: " + std::to_string(pkt.ip_bytes()) + " > MTU " +
                               std::to_string(out.mtu()) + " of " + out.name());
}

// RFC 791 fragmentation as ip_do_fragment: each fragment carries as many bytes of the
// IP payload as the MTU allows, a multiple of 8 but in the last; all keep the IP id; MF
// is set on all but the last, which keeps the original's MF (a fragment may be cut
// again on the way); offsets count 8-byte units from the start of the original
// datagram. Only the first fragment carries the headers after the fragmented one.
void Host::fragment(PacketId p, Interface& out, Ipv4Address next_hop) {
  PacketPool& pool = network().packets();
  const Packet& pkt = pool[p];
  const std::uint32_t length = pkt.ip_bytes() - kIpv4Header;  // the IP payload to cut
  const std::uint32_t headers = length - pkt.payload;          // inner IP and L4 headers it starts with
  const std::uint32_t chunk = out.mtu() > kIpv4Header ? (out.mtu() - kIpv4Header) & ~7U : 0;
  const std::uint16_t base = pkt.outermost().frag_offset;
  const bool more = pkt.outermost().more_fragments;
  if (chunk == 0 || chunk < headers || std::uint32_t{base} * 8 + length > 0xFFFF - kIpv4Header) {
    network().drop(*this, p, "cannot fragment " + std::to_string(pkt.ip_bytes()) + " bytes for MTU " +
                                 std::to_string(out.mtu()) + " of " + out.name() +
                                 (chunk < headers ? " (the first fragment would split the headers)" : ""));
    return;
  }
  const std::uint32_t count = (length + chunk - 1) / chunk;
  for (std::uint32_t k = 0; k < count; ++k) {
    const PacketId f = k + 1 < count ? pool.clone(p) : p;  // the original becomes the last
    Packet& frag = pool[f];
    const std::uint32_t bytes = std::min(chunk, length - k * chunk);
    frag.payload = k == 0 ? bytes - headers : bytes;
    frag.outermost().frag_offset = static_cast<std::uint16_t>(base + k * chunk / 8);
    frag.outermost().more_fragments = k + 1 < count || more;
    if (network().observed())
      network().action(*this, f, "fragment " + std::to_string(k + 1) + "/" + std::to_string(count));
    resolve_and_send(out, next_hop, f);
  }
}

void Host::send_icmp_error(const Packet& offending, std::uint8_t code, std::uint16_t mtu) {
  send_icmp(offending, IcmpType::DestUnreachable, code, mtu);
}

void Host::send_icmp(const Packet& offending, IcmpType type, std::uint8_t code, std::uint16_t mtu) {
  if (offending.ethertype != EtherType::Ipv4 || offending.ip.proto == IpProto::Icmp) return;  // RFC 1122 3.2.2
  const Ipv4Header& quoted = offending.encapsulated ? offending.outer : offending.ip;
  if (is_local(quoted.src) || quoted.dst.is_multicast()) return;  // never about a multicast datagram
  const PacketId r = network().new_packet();
  Packet& icmp = network().packets()[r];
  icmp.ip.dst = quoted.src;
  icmp.ip.proto = IpProto::Icmp;
  icmp.ip.dont_fragment = false;
  icmp.icmp.type = type;
  icmp.icmp.code = code;
  icmp.icmp.next_hop_mtu = mtu;
  icmp.icmp.quoted_ip = offending.ip;  // the inner header: what the sender recognises
  icmp.icmp.quoted_sport = offending.sport;
  icmp.icmp.quoted_dport = offending.dport;
  counters_.icmp_sent.count(icmp.icmp);
  ip_send(r);
}

void Host::early_demux(const Packet& pkt) const {
  if (transport_ != nullptr) transport_->early_demux(pkt);
}

void Host::deliver_local(Interface& in, PacketId p) {
  if (transport_ != nullptr) return transport_->deliver(in, p);
  network().drop(*this, p, "no service listening");
}

Ipv4Address Host::source_for(const Interface& out, Ipv4Address dst) const {
  for (const Ipv4Prefix& a : out.addresses())
    if (a.contains(dst)) return a.address();
  return out.primary_address();
}

}  // namespace lvs
