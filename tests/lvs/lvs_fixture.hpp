#pragma once
// The four classic LVS topologies, a real server that answers SYN with SYN-ACK, and an
// observer that writes every frame arrival as one row.

#include <string>
#include <vector>

#include "../net/net_fixture.hpp"
#include "lvs/director.hpp"

namespace lvs::test {

/// Answers a TCP SYN with SYN-ACK and records what arrives.
class Responder : public ProbeHost {
 public:
  using ProbeHost::ProbeHost;

 protected:
  void deliver_local(Interface& in, PacketId p) override {
    const Packet req = network().packets()[p];
    ProbeHost::deliver_local(in, p);
    if (!req.is_tcp() || !req.has_flag(tcp_flags::kSyn) || req.has_flag(tcp_flags::kAck)) return;
    const PacketId r = network().new_packet();
    Packet& ack = network().packets()[r];
    ack.ip = Ipv4Header{req.ip.dst, req.ip.src, IpProto::Tcp};
    ack.sport = req.dport;
    ack.dport = req.sport;
    ack.tcp.flags = tcp_flags::kSyn | tcp_flags::kAck;
    ack.tcp.options = kTcpMssOption;
    ip_send(r);
  }
};

/// One row per frame arrival: "node/iface  eth-src > eth-dst  [outer]  src > dst  flags  bytes".
class HopTable : public PacketObserver {
 public:
  std::vector<std::string> rows;
  void on_receive(Time, const Interface& in, const Packet& p) override;
};

struct ModeTopology {
  Simulation sim{1};
  Network net{sim};
  HopTable hops;
  Recorder rec;
  Director* director = nullptr;
  Responder* client = nullptr;
  std::vector<Responder*> servers;
  VirtualService* service = nullptr;
};

/// Builds the topology of `method` (see lvs_fixture.cpp for the addresses).
void build(ModeTopology& t, ForwardingMethod method);
/// The client sends one SYN to the VIP, port 80, from port 40000.
void send_syn(ModeTopology& t);

}  // namespace lvs::test
