#pragma once
// A switched LAN segment: a store-and-forward learning switch. Each attached interface
// has an access link to its switch port, with a FIFO towards the switch (up) and one
// towards the host (down) where output contention happens. Unknown, broadcast and multicast
// destinations are flooded; the switch learns source MACs as a real one does.
//
// The segment's `delay` is the propagation delay from one host to another across it: half
// of it on the way up to the switch, half on the way down (the two cables of an access
// path). Each of the two hops also costs its serialisation time, as store-and-forward does.
//
// Flooding is lazy (docs/arp.md, "Broadcasts on a large segment"): the ports whose down
// queues are equal (the cohort) share one copy of each flooded frame and one delivery event;
// their queues and interface counters catch up on reading; only the hosts a frame may
// change (an ARP request's target, the hosts holding an entry for its sender with another
// MAC or not yet valid, every host for a frame other than a plain ARP broadcast) receive it
// for real. Every counter, queue figure, hop, event count and fingerprint is the one
// per-port flooding gives.

#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "net/mac_table.hpp"
#include "net/node.hpp"

namespace lvs {

class Host;

class Segment final : public Channel {
 public:
  Segment(Network& net, std::string name, TxParams port_params);
  /// Attaches `iface` to a new switch port; returns the port.
  int attach(Interface& iface);
  void transmit(int port, PacketId p, std::uint32_t frame_bytes) override;

  std::size_t ports() const { return ports_.size(); }
  Interface& interface_at(int port) const { return *ports_[static_cast<std::size_t>(port)].iface; }
  /// Host to switch direction of `port`.
  const TxQueue& uplink(int port) const { return ports_[static_cast<std::size_t>(port)].up; }
  /// Switch to host direction of `port`.
  const TxQueue& downlink(int port) const { return ports_[static_cast<std::size_t>(port)].down; }

  /// Lazy flooding on (the default) or off: every flooded copy its own event, as the
  /// tests compare. Set before the run.
  void set_lazy_broadcast(bool on);
  bool lazy_broadcast() const { return lazy_; }
  /// Copies delivered lazily so far: counted, with no event or processing of their own.
  std::uint64_t lazy_deliveries() const { return lazy_deliveries_; }

  /// The interface at `port` lost or regained carrier (Interface::set_up).
  void carrier_changed(int port, bool up);
  /// The index key of a neighbour entry: its MAC if valid, else one value for "not valid".
  static std::uint64_t holder_key(bool valid, MacAddress mac) { return valid ? mac.bits() : kInvalidHolder; }
  /// The entry for `ip` held by the host at `port` went from key `from` to `to` (either
  /// ~0: no entry). NeighbourTable keeps the index current.
  void holder_moved(int port, Ipv4Address ip, std::uint64_t from, std::uint64_t to);

 private:
  static constexpr std::uint64_t kInvalidHolder = std::uint64_t{1} << 62;
  static constexpr std::uint64_t kNoHolder = ~std::uint64_t{0};
  // What send_down touches (the interface, the cohort flag, the down queue) comes first,
  // contiguous; the up queue, used when the host sends, follows.
  struct Port {
    Interface* iface;
    bool in_cohort = false;  // its down queue follows tx_feed_
    TxQueue down;
    TxQueue up;
  };
  /// What the switch reads of a frame, taken from the packet when it enters the up queue
  /// (it is hot then) and carried in the switch event, so that switching and the down
  /// queue need not reach the packet again: nothing changes a frame inside the segment.
  struct FrameHead {
    std::uint64_t src;  // MAC bits
    std::uint64_t dst;
    std::uint32_t frame_bytes;
    std::uint32_t wire_bytes;
  };
  /// One lazily flooded frame on its way down to the cohort.
  struct Flood {
    PacketId p{};
    int ports = 0;              // ports at the time of flooding
    std::vector<int> excluded;  // sorted: the sender and the ports that got their own copy
  };
  /// Holders of an entry for one address with one key.
  struct HolderGroup {
    std::uint64_t key;
    std::vector<int> ports;
  };

  void switch_frame(int in_port, PacketId p, FrameHead head);
  void send_down(int out_port, PacketId p);
  void send_down(int out_port, PacketId p, std::uint32_t frame_bytes, std::uint32_t wire_bytes);
  void flood_each(int in_port, PacketId p);
  void flood_lazily(int in_port, PacketId p);
  std::uint32_t take_flood();
  void join_or_exclude(int in_port, Time now, bool joinable, std::vector<int>& excluded);
  void leave_cohort(int port);
  void dissolve_cohort();
  void arrive(std::uint32_t flood);
  void collect_interested(const Packet& pkt);
  void count_lazy(const Flood& f, const Packet& pkt, std::size_t lazy);
  void rebuild_owners();

  Network& net_;
  TxParams up_params_;    // host to switch: the first half of the delay
  TxParams down_params_;  // switch to host: the rest
  std::vector<Port> ports_;
  MacTable mac_table_;  // learned MAC -> port

  // Lazy flooding (segment_flood.cpp).
  bool lazy_ = true;
  std::uint64_t lazy_deliveries_ = 0;
  TxQueue cohort_q_;           // the down queue every cohort port has
  TxFeed tx_feed_;             // cohort_q_'s frames, followed by the cohort's queues
  RxFeed rx_feed_;             // frames delivered lazily, followed by every port's interface
  std::size_t cohort_size_ = 0;
  std::vector<int> solo_;      // the ports outside the cohort (unordered)
  std::vector<Flood> floods_;  // in flight; reused
  std::vector<std::uint32_t> free_floods_;
  std::vector<int> interested_;  // scratch: ports a frame goes to for real
  std::vector<int> down_ports_;  // ports whose interface has no carrier
  std::vector<int> always_;      // ports delivered every frame for real (not hosts; address blocks, lo prefixes)
  /// (address, port) for every address a port's host has, sorted: one array, built in one
  /// pass and sort (an address's ports are a contiguous run, in port order).
  std::vector<std::pair<std::uint32_t, int>> owners_;
  std::uint64_t owners_epoch_ = ~std::uint64_t{0};
  std::size_t owners_ports_ = 0;
  std::unordered_map<std::uint32_t, std::vector<HolderGroup>> holders_;  // address -> its holders by key (lookups only)
};

}  // namespace lvs
