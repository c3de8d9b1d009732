#pragma once
// A node of the network graph and the channels (links, switched segments) between nodes.

#include <memory>
#include <string>
#include <vector>

#include "net/interface.hpp"
#include "net/packet_pool.hpp"
#include "net/tx_queue.hpp"

namespace lvs {

class Network;

class Node {
 public:
  Node(Network& net, std::string name) : net_(net), name_(std::move(name)) {}
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  /// A frame has arrived at `in`; the node owns packet `p` from now on.
  virtual void receive(Interface& in, PacketId p) = 0;

  const std::string& name() const { return name_; }
  Network& network() const { return net_; }
  /// Adds an interface; MTU in bytes (the IP datagram limit).
  Interface& add_interface(std::string name, InterfaceKind kind, MacAddress mac, std::uint32_t mtu = 1500);
  const std::vector<std::unique_ptr<Interface>>& interfaces() const { return interfaces_; }
  /// The interface called `name`, or nullptr.
  Interface* interface(std::string_view name) const;

 private:
  Network& net_;
  std::string name_;
  std::vector<std::unique_ptr<Interface>> interfaces_;
};

/// Something frames are sent into: a point-to-point link or a switched segment.
class Channel {
 public:
  virtual ~Channel() = default;
  /// Sends packet `p` from the interface attached at `port`; the channel owns it now.
  /// `frame_bytes` is its Packet::frame_bytes(), which the sender has counted already.
  virtual void transmit(int port, PacketId p, std::uint32_t frame_bytes) = 0;
  const std::string& name() const { return name_; }
  /// False while the link (or the whole switch) is down: frames sent into it are lost.
  bool up() const { return up_; }
  void set_up(bool up) { up_ = up; }

 protected:
  explicit Channel(std::string name) : name_(std::move(name)) {}

 private:
  std::string name_;
  bool up_ = true;
};

}  // namespace lvs
