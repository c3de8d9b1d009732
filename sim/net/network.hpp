#pragma once
// The network of one simulation: its nodes, links and segments, the packets in flight
// and the observer that watches them.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/simulation.hpp"
#include "net/drop_counts.hpp"
#include "net/link.hpp"
#include "net/node.hpp"
#include "net/observer.hpp"
#include "net/packet_pool.hpp"
#include "net/segment.hpp"

namespace lvs {

class Network {
 public:
  explicit Network(Simulation& sim) : sim_(sim) {}
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  Simulation& sim() const { return sim_; }
  PacketPool& packets() { return packets_; }

  /// Creates a node of type T (constructed as T(network, args...)).
  template <class T, class... Args>
  T& add_node(Args&&... args) {
    auto node = std::make_unique<T>(*this, std::forward<Args>(args)...);
    T& ref = *node;
    nodes_.push_back(std::move(node));
    return ref;
  }
  /// Connects two Ethernet interfaces with a point-to-point link.
  Link& connect(std::string name, Interface& a, Interface& b, TxParams params);
  /// Creates a switched segment; attach interfaces with Segment::attach.
  Segment& add_segment(std::string name, TxParams port_params);

  /// The node called `name`, or nullptr.
  Node* node(std::string_view name) const;
  const std::vector<std::unique_ptr<Node>>& nodes() const { return nodes_; }
  const std::vector<std::unique_ptr<Channel>>& channels() const { return channels_; }

  /// A new packet with a fresh trace id.
  PacketId new_packet();
  /// Hands `p` to the channel of `out` (a node sending a frame).
  void transmit(Interface& out, PacketId p);
  /// Hands `p` to the node of `in` (a channel delivering a frame).
  void deliver(Interface& in, PacketId p);
  /// The same, for a channel that knows the frame's size (Packet::frame_bytes of `p`):
  /// the receiver's counters need not reach the packet.
  void deliver(Interface& in, PacketId p, std::uint32_t frame_bytes);
  /// Drops `p` at `node` for `reason` and frees it.
  void drop(const Node& node, PacketId p, std::string_view reason);
  /// True when an observer is installed: build trace text only then (it allocates).
  bool observed() const { return observer_ != nullptr; }
  /// Reports an action of `node` on `p` to the observer.
  void action(const Node& node, PacketId p, std::string_view what) {
    if (observer_ != nullptr) observer_->on_action(sim_.now(), node, packets_[p], what);
  }

  /// Installs an observer (not owned; nullptr removes it).
  void set_observer(PacketObserver* o) { observer_ = o; }
  PacketObserver* observer() const { return observer_; }
  /// Link traversals so far (packet-hops), counted as ns-3 counts them: one per frame
  /// delivered across a point-to-point link, one per frame delivered across a switched
  /// segment from the sender's port to a receiver's (a flooded frame: one per receiver).
  /// A frame the switch filters or drops is not a traversal.
  std::uint64_t hops() const { return hops_; }
  /// Counts `n` traversals delivered without Network::deliver (a segment's lazy flood).
  void count_hops(std::uint64_t n) { hops_ += n; }
  /// Packets dropped anywhere so far.
  std::uint64_t drops() const { return drops_; }
  /// The drops by node and reason.
  const DropCounts& drop_counts() const { return drop_counts_; }

 private:
  Simulation& sim_;
  PacketPool packets_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<std::unique_ptr<Channel>> channels_;
  PacketObserver* observer_ = nullptr;
  std::uint64_t next_trace_id_ = 1;
  std::uint64_t hops_ = 0;
  std::uint64_t drops_ = 0;
  DropCounts drop_counts_;
};

}  // namespace lvs
