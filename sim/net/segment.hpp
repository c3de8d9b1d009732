#pragma once
// A switched LAN segment: a store-and-forward learning switch. Each attached interface
// has an access link to its switch port, with a FIFO towards the switch (up) and one
// towards the host (down) where output contention happens. Unknown, broadcast and multicast
// destinations are flooded; the switch learns source MACs as a real one does.
//
// The segment's `delay` is the propagation delay from one host to another across it: half
// of it on the way up to the switch, half on the way down (the two cables of an access
// path). Each of the two hops also costs its serialisation time, as store-and-forward does.

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "net/node.hpp"

namespace lvs {

class Segment final : public Channel {
 public:
  Segment(Network& net, std::string name, TxParams port_params);
  /// Attaches `iface` to a new switch port; returns the port.
  int attach(Interface& iface);
  void transmit(int port, PacketId p) override;

  std::size_t ports() const { return ports_.size(); }
  Interface& interface_at(int port) const { return *ports_[static_cast<std::size_t>(port)].iface; }
  /// Host to switch direction of `port`.
  const TxQueue& uplink(int port) const { return ports_[static_cast<std::size_t>(port)].up; }
  /// Switch to host direction of `port`.
  const TxQueue& downlink(int port) const { return ports_[static_cast<std::size_t>(port)].down; }

 private:
  struct Port {
    Interface* iface;
    TxQueue up;
    TxQueue down;
  };
  void switch_frame(int in_port, PacketId p);
  void send_down(int out_port, PacketId p);

  Network& net_;
  TxParams up_params_;    // host to switch: the first half of the delay
  TxParams down_params_;  // switch to host: the rest
  std::vector<Port> ports_;
  std::unordered_map<std::uint64_t, int> mac_table_;  // learned MAC -> port (lookups only: order never matters)
};

}  // namespace lvs
