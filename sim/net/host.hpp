#pragma once
// An IPv4 host as Linux behaves: routing table, ARP with caches and the arp_ignore /
// arp_announce sysctls, forwarding only with ip_forward, rp_filter, MTU with DF, IPIP
// decapsulation on tunl0. Clients, real servers, routers and directors are hosts; the
// director's IPVS code sits in the two hooks, as it does in netfilter (LOCAL_IN, FORWARD).
//
// Fragmentation (RFC 791): a datagram over the outgoing MTU is refused with ICMP
// "fragmentation needed" if DF is set, and otherwise split into fragments (routers too,
// a fragment again if need be). Fragments addressed to a local address are reassembled
// before anything else sees them: before IPVS's LOCAL_IN hook and before IPIP
// decapsulation (Linux: ip_local_deliver -> ip_defrag). Forwarded ones are not.

#include <cstdint>
#include <string>
#include <vector>

#include "core/simulation.hpp"
#include "net/host_counters.hpp"
#include "net/ip_fragment.hpp"
#include "net/neighbour_table.hpp"
#include "net/node.hpp"
#include "net/routing_table.hpp"

namespace lvs {

/// The sysctls that decide how a Linux host treats ARP and forwarded packets. The
/// neighbour cache's own parameters are NeighbourParams (Host::neighbours().params()).
struct HostSysctl {
  bool ip_forward = false;    ///< net.ipv4.ip_forward
  /// net.ipv4.conf.*.arp_ignore: 0 answer for any local address; 1 only for addresses of
  /// the incoming interface; 2 as 1, and the sender on that address's subnet; 3 not for
  /// host-scope addresses (those on lo); 8 never. 4..7 are reserved and act as 0.
  int arp_ignore = 0;
  /// net.ipv4.conf.*.arp_announce, the sender address of this host's ARP requests: 0 the
  /// packet's source if it is local (any interface, lo too); 1 the packet's source only if
  /// it is on the target's subnet, else as 2; 2 an address of the outgoing interface on
  /// the target's subnet, else its primary.
  int arp_announce = 0;
  int rp_filter = 0;          ///< 0: off; 1: strict (drop if the reply would leave by another interface)
  Time ipfrag_time = Time::s(30);      ///< net.ipv4.ipfrag_time: a partial datagram is dropped after this
  std::size_t ipfrag_max_datagrams = 1024;  ///< datagrams reassembled at once (Linux bounds bytes: ipfrag_high_thresh)
};

/// A transport endpoint a host owns (sim/transport's Transport): it takes the packets for
/// the host's own addresses that nothing below it took.
class LocalTransport {
 public:
  virtual ~LocalTransport() = default;
  /// Takes `p`: consumes it or drops it.
  virtual void deliver(Interface& in, PacketId p) = 0;
  /// Starts loading what deliver will read for `pkt` (Host::early_demux); decides nothing.
  virtual void early_demux(const Packet& /*pkt*/) const {}
};

/// What takes the VRRP adverts (IP protocol 112 to 224.0.0.18) a host receives: the
/// control plane's VRRP daemon (sim/control). IPVS never sees them.
class VrrpReceiver {
 public:
  virtual ~VrrpReceiver() = default;
  /// An advert arrived on `in` (TTL already checked); `advert` is valid only during the call.
  virtual void vrrp_receive(Interface& in, const Packet& advert) = 0;
};

class Host : public Node {
 public:
  Host(Network& net, std::string name);

  /// Adds an Ethernet interface with address `addr` (its prefix adds a connected route).
  Interface& add_ethernet(std::string name, MacAddress mac, Ipv4Prefix addr, std::uint32_t mtu = 1500);
  /// Puts `addr` on lo (a VIP on a DR real server); creates lo if needed.
  void add_loopback_address(Ipv4Address addr);
  /// Puts `prefix` on lo (`ip addr add 10.1.0.0/16 dev lo`): every address in it is local,
  /// as Linux makes the prefix route of a loopback address a local one (a cache server of
  /// a fwmark service accepting any origin address).
  void add_loopback_address(Ipv4Prefix prefix);
  /// Creates tunl0 carrying `addr` (a VIP on a TUN real server).
  void add_tunnel_address(Ipv4Address addr);
  /// Adds a static route; gateway 0.0.0.0 for a connected one.
  void add_route(Ipv4Prefix destination, Ipv4Address gateway, Interface& out);
  /// Sets the default gateway, reached through the interface whose subnet holds it.
  void set_default_gateway(Ipv4Address gateway);

  HostSysctl& sysctl() { return sysctl_; }
  const HostSysctl& sysctl() const { return sysctl_; }
  const RoutingTable& routes() const { return routes_; }
  /// True if `a` is configured on any interface of this host (lo and tunl0 included).
  bool is_local(Ipv4Address a) const;
  /// The MAC this host has cached for `ip` on `iface` while the entry is valid.
  std::optional<MacAddress> arp_lookup(const Interface& iface, Ipv4Address ip) const;
  /// The neighbour (ARP) cache.
  NeighbourTable& neighbours() { return neighbours_; }
  const NeighbourTable& neighbours() const { return neighbours_; }

  void receive(Interface& in, PacketId p) override;
  /// Routes and sends a locally generated packet (its source is filled in if unset).
  void ip_send(PacketId p);
  /// Sends `p` towards `via` (routed as if addressed to it) without changing its IP header:
  /// how IPVS DR reaches a real server, and how a host sends an encapsulated packet.
  void ip_output_towards(PacketId p, Ipv4Address via);
  /// Broadcasts a gratuitous ARP for `ip` from `iface` (VRRP takeover).
  void send_gratuitous_arp(Interface& iface, Ipv4Address ip);
  /// Sends ICMP type/code back to the source of `offending` (which is not consumed).
  void send_icmp_error(const Packet& offending, std::uint8_t code, std::uint16_t mtu = 0);
  /// What this host sent and received of the lessons' packets (RSTs, ICMP errors, ARP).
  /// Its TCP counts the RSTs and retransmissions it sends; the rest is counted here.
  HostCounters& host_counters() {
    settle_lazy_arp();
    return counters_;
  }
  const HostCounters& host_counters() const {
    settle_lazy_arp();
    return counters_;
  }
  /// The transport that takes this host's local packets (nullptr: none; they are dropped).
  void attach_transport(LocalTransport* transport) { transport_ = transport; }
  /// The VRRP daemon that takes this host's adverts (nullptr: none). Attaching one joins
  /// 224.0.0.18 on every interface: frames to 01:00:5e:00:00:12 pass the NIC's filter.
  void attach_vrrp(VrrpReceiver* receiver) { vrrp_ = receiver; }
  /// Sends `p`, addressed to a link-local multicast group (VRRP's 224.0.0.18), out of `out`
  /// without routing: Ethernet destination the group's MAC (RFC 1112 6.4), source `out`'s
  /// MAC; the IP source, if unset, `out`'s primary address.
  void send_link_multicast(Interface& out, PacketId p);
  /// IP_ADD_MEMBERSHIP: datagrams to `group` (224.0.0.0/4) arriving on `iface` are for this
  /// host; its NIC takes the group's Ethernet address (multicast_mac). Joining twice is one join.
  void join_multicast(Interface& iface, Ipv4Address group);
  /// IP_DROP_MEMBERSHIP.
  void leave_multicast(Interface& iface, Ipv4Address group);
  /// Whether this host has joined `group` on `iface`.
  bool joined_multicast(const Interface& iface, Ipv4Address group) const;

 protected:
  /// IPVS LOCAL_IN: a packet for a local address; return true if it was taken.
  virtual bool on_local_in(Interface& /*in*/, PacketId /*p*/) { return false; }
  /// Called as an IP packet arrives, before the routing decision: starts loading the
  /// state the packet's later lookups will read (a director's connection entry, a
  /// socket), so that the cache misses overlap the receive path. Only a prefetch: it
  /// decides nothing. Linux's ip_rcv_finish calls the protocol's early_demux at the same
  /// point to find an established socket (net.ipv4.tcp_early_demux). See docs/hot-path.md.
  virtual void early_demux(const Packet& pkt) const;
  /// Policy routing before the routing decision: true to deliver a packet for a foreign
  /// address locally (`ip rule add fwmark 1 table 100; ip route add local 0/0 dev lo table 100`).
  virtual bool local_by_policy(const Packet& /*pkt*/) const { return false; }
  /// IPVS FORWARD: a packet about to be forwarded; return true if it was taken.
  virtual bool on_forward(Interface& /*in*/, PacketId /*p*/) { return false; }
  /// A packet for this host's transport layer (TCP, UDP, ICMP errors): to the attached
  /// transport, or dropped.
  virtual void deliver_local(Interface& in, PacketId p);
  /// Forwards a transit packet: TTL, route, MTU, ARP (the FORWARD path after the hook).
  void forward(PacketId p);
  Simulation& sim() const;

 private:
  friend class NeighbourTable;  // it sends this host's ARP requests
  void receive_ip(Interface& in, PacketId p);
  void receive_arp(Interface& in, PacketId p);
  void receive_link_multicast(Interface& in, PacketId p);
  void process_arp(Interface& in, const ArpBody& arp, bool to_us);
  void settle_lazy_arp() const;
  bool arp_ignored(const Interface& in, const ArpBody& arp) const;
  bool martian_source(const Interface& in, Ipv4Address src) const;
  void send_arp_reply(Interface& in, const ArpBody& request);
  void transmit_arp_reply(Interface& in, const ArpBody& request);
  bool rp_filter_drops(const Interface& in, const Packet& pkt) const;
  void ip_local_deliver(Interface& in, PacketId p);
  void count_transport_in(const Packet& pkt);
  void reassemble(Interface& in, PacketId p);
  void reassembly_timeout(std::uint32_t queue);
  void decapsulate(PacketId p);
  void output(PacketId p, const Route& route, Ipv4Address dst_for_route);
  void output_too_big(PacketId p, Interface& out, Ipv4Address next_hop);
  void fragment(PacketId p, Interface& out, Ipv4Address next_hop);
  void send_icmp(const Packet& offending, IcmpType type, std::uint8_t code, std::uint16_t mtu);
  void resolve_and_send(Interface& out, Ipv4Address next_hop, PacketId p);
  bool accepts_group_frame(const Interface& in, MacAddress dst) const;
  void receive_multicast(Interface& in, PacketId p);
  void send_multicast(PacketId p);
  void send_arp_request(Interface& out, Ipv4Address target, Ipv4Address source_hint, MacAddress dst);
  Ipv4Address arp_sender(const Interface& out, Ipv4Address target, Ipv4Address source_hint) const;
  Ipv4Address source_for(const Interface& out, Ipv4Address dst) const;

  HostSysctl sysctl_;
  LocalTransport* transport_ = nullptr;
  VrrpReceiver* vrrp_ = nullptr;
  RoutingTable routes_;
  /// Every address is_local() accepts, as ranges [first, first + span] (an address, a client
  /// block, a prefix on lo), rebuilt when the addresses of any interface anywhere have
  /// changed (address_epoch) or an interface was added: one flat scan per received packet
  /// instead of a walk through every interface's list.
  struct LocalRange {
    std::uint32_t first;
    std::uint32_t span;  // addresses after `first`: 0 for a single address
  };
  void rebuild_local_ranges() const;
  mutable std::vector<LocalRange> local_ranges_;
  mutable std::uint64_t local_epoch_ = ~std::uint64_t{0};
  mutable std::size_t local_interfaces_ = 0;
  NeighbourTable neighbours_;
  std::uint16_t next_ip_id_ = 1;
  FragmentQueues fragments_;            // datagrams being reassembled here
  std::vector<PacketId> expired_;       // scratch: the fragments of a datagram being dropped
  struct Membership {
    int iface;
    Ipv4Address group;
  };
  std::vector<Membership> memberships_;  // multicast groups joined, by interface index
  mutable HostCounters counters_;  // mutable: ARP received through a segment's lazy broadcasts is added on reading
};

}  // namespace lvs
