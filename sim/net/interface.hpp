#pragma once
// A network interface of a node: eth0, lo, tunl0.

#include <cstdint>
#include <string>
#include <vector>

#include "net/address.hpp"

namespace lvs {

class Node;
class Channel;
class Segment;

enum class InterfaceKind { Ethernet, Loopback, Tunnel };

/// Counters of one interface.
struct InterfaceStats {
  std::uint64_t packets_in = 0;
  std::uint64_t bytes_in = 0;   ///< frame bytes received
  std::uint64_t packets_out = 0;
  std::uint64_t bytes_out = 0;  ///< frame bytes handed to the link
};

/// Running totals of the frames a switch has delivered to many interfaces at once, without
/// an event each (Segment's lazy broadcast delivery, docs/arp.md): ARP broadcasts that
/// changed nothing at their receivers but the counters.
struct RxFeed {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  std::uint64_t arp_requests = 0;
  std::uint64_t arp_replies = 0;
};

/// A counter that moves whenever any interface's addresses change (anywhere): the
/// segments' address indexes are rebuilt when it has moved.
std::uint64_t address_epoch();

class Interface {
 public:
  Interface(Node& node, int index, std::string name, InterfaceKind kind, MacAddress mac, std::uint32_t mtu)
      : node_(node), index_(index), name_(std::move(name)), kind_(kind), mac_(mac), mtu_(mtu) {}
  Interface(const Interface&) = delete;
  Interface& operator=(const Interface&) = delete;

  Node& node() const { return node_; }
  int index() const { return index_; }
  const std::string& name() const { return name_; }
  InterfaceKind kind() const { return kind_; }
  MacAddress mac() const { return mac_; }
  /// The largest IP datagram this interface sends, bytes.
  std::uint32_t mtu() const { return mtu_; }
  void set_mtu(std::uint32_t mtu) { mtu_ = mtu; }

  /// Addresses with their prefixes; the first is the primary.
  const std::vector<Ipv4Prefix>& addresses() const { return addresses_; }
  void add_address(Ipv4Prefix a);
  /// Removes `a` (as `ip addr del` does a VIP); false if it is not configured here.
  bool remove_address(Ipv4Address a);
  /// Adds `count` consecutive addresses from `first` (a client population), without a
  /// route of their own: they answer ARP and receive like any local address.
  void add_address_block(Ipv4Address first, std::uint32_t count);
  /// Whether an address block (a client population) is configured here.
  bool has_address_block() const { return block_count_ > 0; }
  /// The block's first address and how many it holds (0: no block).
  Ipv4Address address_block_first() const { return block_first_; }
  std::uint32_t address_block_count() const { return block_count_; }
  /// Whether `a` is local here: one of the addresses, in the block, or (on lo) within the
  /// prefix of an address shorter than /32.
  bool has_address(Ipv4Address a) const;
  /// The primary address, or 0.0.0.0 if none.
  Ipv4Address primary_address() const;

  /// The link or segment this interface is attached to (nullptr for lo and tunl0), and its port there.
  Channel* channel() const { return channel_; }
  int port() const { return port_; }
  void attach(Channel* channel, int port) {
    channel_ = channel;
    port_ = port;
  }

  /// Whether the interface has carrier: false while its cable is out (link-down HOST/IFACE) or
  /// its host is powered off. Frames are neither sent nor received then.
  bool up() const { return up_; }
  void set_up(bool up);

  /// The switched segment this interface was attached to, or nullptr, and its port there
  /// (Segment::attach sets them; they stay if attach() later detaches the interface, as the
  /// segment keeps flooding to the port).
  Segment* segment() const { return segment_; }
  int segment_port() const { return segment_port_; }
  void attach_segment(Segment* segment, int port) {
    segment_ = segment;
    segment_port_ = port;
  }

  InterfaceStats& stats() {
    settle_rx();
    return stats_;
  }
  const InterfaceStats& stats() const {
    settle_rx();
    return stats_;
  }
  /// Follows `feed` from now on: its frames count as received here (Segment::attach).
  void follow_rx(const RxFeed* feed);
  /// Counts the feed's frames so far, then skips the ones added before pass_rx().
  void settle_rx() const {
    if (rx_feed_ != nullptr && rx_feed_->packets != rx_seen_.packets) [[unlikely]] catch_up_rx();
  }
  /// Marks the feed's frames so far as not received here (the segment delivered them for
  /// real, or not at all). Call settle_rx() before the feed moved.
  void pass_rx() { rx_seen_ = *rx_feed_; }
  /// ARP requests and replies received through the feed and not yet taken by the host's
  /// counters; taking them zeroes them.
  std::uint64_t take_lazy_arp_requests();
  std::uint64_t take_lazy_arp_replies();

 private:
  Node& node_;
  int index_;
  std::string name_;
  InterfaceKind kind_;
  MacAddress mac_;
  std::uint32_t mtu_;
  std::vector<Ipv4Prefix> addresses_;
  Ipv4Address block_first_;
  std::uint32_t block_count_ = 0;
  Segment* segment_ = nullptr;
  int segment_port_ = -1;
  // What every frame sent or received here reads or counts (Network::transmit and deliver),
  // together in one cache line: channel, port, carrier, counters and the feed check
  // (docs/hot-path.md, "Switched segments").
  alignas(64) Channel* channel_ = nullptr;
  int port_ = -1;
  bool up_ = true;
  mutable InterfaceStats stats_;
  const RxFeed* rx_feed_ = nullptr;
  mutable RxFeed rx_seen_;                    // the feed's totals already counted here (.packets: in the line above)
  mutable std::uint64_t lazy_arp_requests_ = 0;  // counted here, not yet by the host
  mutable std::uint64_t lazy_arp_replies_ = 0;
  void catch_up_rx() const;
};

}  // namespace lvs
