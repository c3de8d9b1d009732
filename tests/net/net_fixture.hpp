#pragma once
// Small topologies and a recording observer for the network tests.

#include <string>
#include <vector>

#include "core/simulation.hpp"
#include "net/host.hpp"
#include "net/network.hpp"
#include "support/instant_arp.hpp"

namespace lvs::test {

/// A host that records what reaches its transport layer. It answers ARP at once, so that
/// the tests can count nanoseconds.
class ProbeHost : public Host {
 public:
  ProbeHost(Network& net, std::string name) : Host(net, std::move(name)) { answer_arp_at_once(*this); }
  struct Arrival {
    Time t;
    std::string in;
    Packet pkt;
  };
  std::vector<Arrival> arrivals;

 protected:
  void deliver_local(Interface& in, PacketId p) override {
    arrivals.push_back({sim().now(), in.name(), network().packets()[p]});
    network().packets().release(p);
  }
};

/// Records drops and actions with their reasons.
class Recorder : public PacketObserver {
 public:
  std::vector<std::string> drops;
  std::vector<std::string> actions;
  std::vector<std::pair<Time, std::string>> transmits;  // time, "node/iface"
  void on_drop(Time, const Node& n, const Packet&, std::string_view why) override {
    drops.push_back(n.name() + ": " + std::string(why));
  }
  void on_action(Time, const Node& n, const Packet&, std::string_view what) override {
    actions.push_back(n.name() + ": " + std::string(what));
  }
  void on_transmit(Time t, const Interface& out, const Packet&) override {
    transmits.push_back({t, out.node().name() + "/" + out.name()});
  }
};

inline Ipv4Address ip(const char* text) { return *Ipv4Address::parse(text); }
inline Ipv4Prefix prefix(const char* text) { return *Ipv4Prefix::parse(text); }

/// A UDP datagram from `from` to `to` with `payload` bytes, sent by `host`.
inline PacketId send_udp(Host& host, Ipv4Address to, std::uint32_t payload, bool df = true) {
  Network& net = host.network();
  const PacketId p = net.new_packet();
  Packet& pkt = net.packets()[p];
  pkt.ip.dst = to;
  pkt.ip.proto = IpProto::Udp;
  pkt.ip.dont_fragment = df;
  pkt.sport = 40000;
  pkt.dport = 53;
  pkt.payload = payload;
  host.ip_send(p);
  return p;
}

}  // namespace lvs::test
