#include "net/network.hpp"

#include <stdexcept>

namespace lvs {

Interface& Node::add_interface(std::string name, InterfaceKind kind, MacAddress mac, std::uint32_t mtu) {
  interfaces_.push_back(
      std::make_unique<Interface>(*this, static_cast<int>(interfaces_.size()), std::move(name), kind, mac, mtu));
  return *interfaces_.back();
}

Interface* Node::interface(std::string_view name) const {
  for (const auto& i : interfaces_)
    if (i->name() == name) return i.get();
  return nullptr;
}

Link& Network::connect(std::string name, Interface& a, Interface& b, TxParams params) {
  auto link = std::make_unique<Link>(*this, std::move(name), a, b, params);
  Link& ref = *link;
  channels_.push_back(std::move(link));
  return ref;
}

Segment& Network::add_segment(std::string name, TxParams port_params) {
  auto seg = std::make_unique<Segment>(*this, std::move(name), port_params);
  Segment& ref = *seg;
  channels_.push_back(std::move(seg));
  return ref;
}

Node* Network::node(std::string_view name) const {
  for (const auto& n : nodes_)
    if (n->name() == name) return n.get();
  return nullptr;
}

PacketId Network::new_packet() {
  const PacketId p = packets_.alloc();
  packets_[p].id = next_trace_id_++;
  return p;
}

void Network::transmit(Interface& out, PacketId p) {
  const Packet& pkt = packets_[p];
  if (out.channel() == nullptr) {
    drop(out.node(), p, "interface " + out.name() + " is not connected");
    return;
  }
  if (!out.up() || !out.channel()->up()) {
    drop(out.node(), p, out.up() ? "the link is down" : "the interface is down (no carrier)");
    return;
  }
  const std::uint32_t frame_bytes = pkt.frame_bytes();
  InterfaceStats& stats = out.stats();
  ++stats.packets_out;
  stats.bytes_out += frame_bytes;
  if (observer_ != nullptr) observer_->on_transmit(sim_.now(), out, pkt);
  out.channel()->transmit(out.port(), p, frame_bytes);
}

void Network::deliver(Interface& in, PacketId p) { deliver(in, p, packets_[p].frame_bytes()); }

void Network::deliver(Interface& in, PacketId p, std::uint32_t frame_bytes) {
  if (!in.up()) {
    drop(in.node(), p, "the interface is down (no carrier)");
    return;
  }
  ++hops_;
  InterfaceStats& stats = in.stats();
  ++stats.packets_in;
  stats.bytes_in += frame_bytes;
  if (observer_ != nullptr) observer_->on_receive(sim_.now(), in, packets_[p]);
  in.node().receive(in, p);
}

void Network::drop(const Node& node, PacketId p, std::string_view reason) {
  ++drops_;
  drop_counts_.count(node.name(), reason);
  if (observer_ != nullptr) observer_->on_drop(sim_.now(), node, packets_[p], reason);
  packets_.release(p);
}

Link::Link(Network& net, std::string name, Interface& a, Interface& b, TxParams params)
    : Channel(std::move(name)), net_(net), end_{&a, &b}, tx_{TxQueue(params), TxQueue(params)} {
  if (a.channel() != nullptr || b.channel() != nullptr)
    throw std::logic_error("link " + this->name() + ": an interface is already attached");
  a.attach(this, 0);
  b.attach(this, 1);
}

void Link::transmit(int port, PacketId p, std::uint32_t frame_bytes) {
  TxQueue& q = tx_[static_cast<std::size_t>(port)];
  const auto arrival = q.enqueue(net_.sim().now(), frame_bytes, frame_bytes + kEthernetPreambleGap);
  if (!arrival) {
    net_.drop(end_[static_cast<std::size_t>(port)]->node(), p, net_.observed() ? "queue full on link " + name() : "");
    return;
  }
  Interface* to = end_[static_cast<std::size_t>(1 - port)];
  // The frame's size travels with the event: nothing changes a frame on the wire.
  net_.sim().schedule_at(*arrival, [net = &net_, to, p, frame_bytes] { net->deliver(*to, p, frame_bytes); });
}

Segment::Segment(Network& net, std::string name, TxParams port_params)
    : Channel(std::move(name)), net_(net), up_params_(port_params), down_params_(port_params) {
  up_params_.delay = port_params.delay / 2;
  down_params_.delay = port_params.delay - up_params_.delay;
  cohort_q_ = TxQueue(down_params_);
}

int Segment::attach(Interface& iface) {
  if (iface.channel() != nullptr) throw std::logic_error("segment " + name() + ": " + iface.name() + " is already attached");
  ports_.push_back(Port{&iface, false, TxQueue(down_params_), TxQueue(up_params_)});
  const int port = static_cast<int>(ports_.size() - 1);
  iface.attach(this, port);
  iface.attach_segment(this, port);
  iface.follow_rx(&rx_feed_);
  solo_.push_back(port);  // joins the cohort at the first broadcast
  return port;
}

void Segment::transmit(int port, PacketId p, std::uint32_t frame_bytes) {
  const Packet& pkt = net_.packets()[p];
  const FrameHead head{pkt.eth_src.bits(), pkt.eth_dst.bits(), frame_bytes, frame_bytes + kEthernetPreambleGap};
  Port& in = ports_[static_cast<std::size_t>(port)];
  const auto arrival = in.up.enqueue(net_.sim().now(), head.frame_bytes, head.wire_bytes);
  if (!arrival) {
    net_.drop(in.iface->node(), p, net_.observed() ? "queue full towards switch " + name() : "");
    return;
  }
  net_.sim().schedule_at(*arrival, [this, port, p, head] { switch_frame(port, p, head); });
}

void Segment::switch_frame(int in_port, PacketId p, FrameHead head) {
  mac_table_.learn(head.src, in_port);
  // Broadcast and multicast (group-bit) destinations are flooded: a switch without IGMP
  // snooping floods multicast like broadcast (IEEE 802.1D 7.9.4, RFC 4541 2.1.2).
  const int known = MacAddress(head.dst).is_group() ? MacTable::kUnknown : mac_table_.port(head.dst);
  if (known != MacTable::kUnknown) {
    if (known == in_port) {
      net_.packets().release(p);  // the destination is behind the port it came from: filtered
      return;
    }
    send_down(known, p, head.frame_bytes, head.wire_bytes);
    return;
  }
  if (lazy_)
    flood_lazily(in_port, p);  // segment_flood.cpp
  else
    flood_each(in_port, p);
}

// Flood: every other port gets its own copy, in port order (deterministic).
void Segment::flood_each(int in_port, PacketId p) {
  int last = -1;
  for (int port = 0; port < static_cast<int>(ports_.size()); ++port) {
    if (port == in_port) continue;
    if (last >= 0) send_down(last, net_.packets().clone(p));
    last = port;
  }
  if (last >= 0)
    send_down(last, p);
  else
    net_.packets().release(p);
}

void Segment::send_down(int out_port, PacketId p) {
  const Packet& pkt = net_.packets()[p];
  send_down(out_port, p, pkt.frame_bytes(), pkt.wire_bytes());
}

void Segment::send_down(int out_port, PacketId p, std::uint32_t frame_bytes, std::uint32_t wire_bytes) {
  Port& out = ports_[static_cast<std::size_t>(out_port)];
  if (out.in_cohort) leave_cohort(out_port);  // its queue is its own from now on
  const auto arrival = out.down.enqueue(net_.sim().now(), frame_bytes, wire_bytes);
  if (!arrival) {
    net_.drop(out.iface->node(), p,
              net_.observed() ? "queue full in switch " + name() + " towards " + out.iface->node().name() : "");
    return;
  }
  Interface* to = out.iface;
  net_.sim().schedule_at(*arrival, [net = &net_, to, p, frame_bytes] { net->deliver(*to, p, frame_bytes); });
}

}  // namespace lvs
