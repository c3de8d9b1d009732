#pragma once
// Watches frames cross the network: for traces (`lvslab trace`), pcap capture and tests.
// The network calls it only when one is installed.

#include <string_view>

#include "core/time.hpp"
#include "net/packet.hpp"

namespace lvs {

class Interface;
class Node;

class PacketObserver {
 public:
  virtual ~PacketObserver() = default;
  /// A frame leaves `out` (before the link's queue).
  virtual void on_transmit(Time, const Interface& /*out*/, const Packet&) {}
  /// A frame arrives at `in`.
  virtual void on_receive(Time, const Interface& /*in*/, const Packet&) {}
  /// A node did something to a packet: "DNAT", "encapsulate", "route", "ARP request" ...
  virtual void on_action(Time, const Node&, const Packet&, std::string_view /*action*/) {}
  /// A packet was dropped, and why ("queue full", "no route to host", "rp_filter" ...).
  virtual void on_drop(Time, const Node&, const Packet&, std::string_view /*reason*/) {}
};

}  // namespace lvs
