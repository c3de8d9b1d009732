// Host: IPv4 multicast on a LAN, the part link-local groups need (224.0.0.0/24: VRRP's
// 224.0.0.18, IPVS sync's 224.0.0.81). RFC 1112: a host joins a group on an interface; the
// group maps to an Ethernet group address (01:00:5e + the low 23 bits, 6.4) that the NIC
// then takes; datagrams go out with that address and no ARP. Not modelled: IGMP reports
// (switches here flood group frames as they do without IGMP snooping), multicast routing
// (a multicast datagram is never forwarded) and IP_MULTICAST_LOOP (a sender never gets its
// own datagrams back, as Linux's IPVS sync and keepalived's VRRP sockets ask).

#include <algorithm>

#include "net/host.hpp"
#include "net/network.hpp"

namespace lvs {

void Host::join_multicast(Interface& iface, Ipv4Address group) {
  if (!joined_multicast(iface, group)) memberships_.push_back(Membership{iface.index(), group});
}

void Host::leave_multicast(Interface& iface, Ipv4Address group) {
  std::erase_if(memberships_, [&](const Membership& m) { return m.iface == iface.index() && m.group == group; });
}

bool Host::joined_multicast(const Interface& iface, Ipv4Address group) const {
  return std::any_of(memberships_.begin(), memberships_.end(),
                     [&](const Membership& m) { return m.iface == iface.index() && m.group == group; });
}

// The NIC's multicast filter: the Ethernet addresses of the groups joined on `in`.
bool Host::accepts_group_frame(const Interface& in, MacAddress dst) const {
  if (!dst.is_group()) return false;
  return std::any_of(memberships_.begin(), memberships_.end(),
                     [&](const Membership& m) { return m.iface == in.index() && ipv4_multicast_mac(m.group) == dst; });
}

// ip_route_input_mc / ip_check_mc_rcu: a datagram for a group joined on `in` is delivered
// locally; any other is dropped quietly (two groups may share one Ethernet address).
void Host::receive_multicast(Interface& in, PacketId p) {
  if (!joined_multicast(in, network().packets()[p].outermost().dst)) {
    network().packets().release(p);
    return;
  }
  ip_local_deliver(in, p);
}

// A multicast datagram leaves by the interface that holds its source address (Linux's
// ip_route_output_key_hash picks the device from the source for a multicast destination),
// else by the route towards the group; never through a gateway.
void Host::send_multicast(PacketId p) {
  Packet& pkt = network().packets()[p];
  Ipv4Header& hdr = pkt.encapsulated ? pkt.outer : pkt.ip;
  Interface* out = nullptr;
  for (const auto& i : interfaces())
    if (!hdr.src.is_unspecified() && i->has_address(hdr.src)) out = i.get();
  if (out == nullptr)
    if (const Route* r = routes_.lookup(hdr.dst)) out = r->out;
  if (out == nullptr) {
    network().drop(*this, p, "no route to multicast group " + hdr.dst.str());
    return;
  }
  if (hdr.src.is_unspecified()) hdr.src = out->primary_address();
  if (hdr.id == 0) hdr.id = next_ip_id_++;
  output(p, Route{Ipv4Prefix(hdr.dst, 32), Ipv4Address(), out}, hdr.dst);
}

}  // namespace lvs
