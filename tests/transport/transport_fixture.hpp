#pragma once
// Small topologies of EndHosts, an application that records what the transport tells it,
// and an observer that logs every TCP segment put on a link.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/simulation.hpp"
#include "net/network.hpp"
#include "support/instant_arp.hpp"
#include "transport/end_host.hpp"

namespace lvs::test {

inline Ipv4Address ip(const char* text) { return *Ipv4Address::parse(text); }
inline Ipv4Prefix prefix(const char* text) { return *Ipv4Prefix::parse(text); }

/// tcpdump's flag letters: S, S., ., P., F., R, R.
inline std::string flag_text(std::uint8_t f) {
  std::string s;
  if ((f & tcp_flags::kSyn) != 0) s += 'S';
  if ((f & tcp_flags::kFin) != 0) s += 'F';
  if ((f & tcp_flags::kRst) != 0) s += 'R';
  if ((f & tcp_flags::kPsh) != 0) s += 'P';
  if ((f & tcp_flags::kAck) != 0) s += '.';
  return s;
}

/// Every TCP segment and UDP/ICMP datagram handed to a link, with the sending node.
class SegmentLog : public PacketObserver {
 public:
  struct Row {
    Time t;
    std::string from;  ///< node name
    Packet pkt;
  };
  std::vector<Row> rows;
  std::vector<std::string> drops;
  void on_transmit(Time t, const Interface& out, const Packet& p) override {
    if (p.ethertype == EtherType::Ipv4) rows.push_back({t, out.node().name(), p});
  }
  void on_drop(Time, const Node& n, const Packet&, std::string_view why) override {
    drops.push_back(n.name() + ": " + std::string(why));
  }
  /// TCP rows sent by `node` (all nodes if empty).
  std::vector<Row> tcp(const std::string& node = "") const {
    std::vector<Row> out;
    for (const Row& r : rows)
      if (r.pkt.ip.proto == IpProto::Tcp && (node.empty() || r.from == node)) out.push_back(r);
    return out;
  }
  /// TCP data segments (payload > 0) sent by `node`.
  std::vector<Row> data(const std::string& node) const {
    std::vector<Row> out;
    for (const Row& r : tcp(node))
      if (r.pkt.payload > 0) out.push_back(r);
    return out;
  }
};

/// Records the transport's callbacks; optionally accepts, answers and closes.
class RecordingApp : public TcpApp {
 public:
  struct Message {
    Time t;
    SocketId s;
    std::uint64_t user;
    std::uint64_t tag;
    std::uint32_t bytes;
  };
  struct Closed {
    Time t;
    SocketId s;
    std::uint64_t user;
    TcpCloseReason why;
  };
  RecordingApp(EndHost& host, Simulation& sim) : host_(host), sim_(sim) {}

  bool auto_accept = true;           ///< accept in on_acceptable
  std::uint16_t port = 80;           ///< the port to accept on
  std::uint32_t reply_bytes = 0;     ///< answer each message with this many bytes (0: no answer)
  bool close_on_peer_close = true;   ///< tcp_close when the peer's FIN arrives
  std::uint64_t accept_user = 7;

  std::vector<std::pair<Time, SocketId>> connected;
  std::vector<std::pair<Time, SocketId>> accepted;
  std::vector<Message> messages;
  std::vector<std::pair<Time, SocketId>> peer_closed;
  std::vector<Closed> closed;

  void on_connected(SocketId s, std::uint64_t) override { connected.push_back({sim_.now(), s}); }
  void on_acceptable(std::uint16_t) override {
    if (!auto_accept) return;
    while (const auto s = host_.tcp_accept(port, accept_user)) accepted.push_back({sim_.now(), *s});
  }
  void on_message(SocketId s, std::uint64_t user, std::uint64_t tag, std::uint32_t bytes) override {
    messages.push_back({sim_.now(), s, user, tag, bytes});
    if (reply_bytes > 0) host_.tcp_send(s, reply_bytes, tag + 1000);
  }
  void on_peer_closed(SocketId s, std::uint64_t) override {
    peer_closed.push_back({sim_.now(), s});
    if (close_on_peer_close) host_.tcp_close(s);
  }
  void on_closed(SocketId s, std::uint64_t user, TcpCloseReason why) override {
    closed.push_back({sim_.now(), s, user, why});
  }

 private:
  EndHost& host_;
  Simulation& sim_;
};

/// TCP without options beyond the MSS (tcp_timestamps=0, tcp_sack=0,
/// tcp_window_scaling=0): the mechanics tests count 20-byte TCP headers and 1460-byte
/// segments by hand. test_tcp_options.cpp covers Linux's defaults.
inline TcpConfig bare_tcp() {
  TcpConfig c;
  c.timestamps = 0;
  c.sack = false;
  c.window_scaling = false;
  return c;
}

/// Client c (10.0.0.1) and server s (10.0.0.2) on one point-to-point link; their TCP is
/// `tcp` (default: bare_tcp()).
struct Pair {
  Simulation sim{1};
  Network net{sim};
  SegmentLog log;
  EndHost& c;
  EndHost& s;
  RecordingApp client{c, sim};
  RecordingApp server{s, sim};
  Link* link = nullptr;

  explicit Pair(TxParams params, std::uint32_t c_mtu = 1500, std::uint32_t s_mtu = 1500, TcpConfig tcp = bare_tcp())
      : c(net.add_node<EndHost>("c", tcp)), s(net.add_node<EndHost>("s", tcp)) {
    net.set_observer(&log);
    answer_arp_at_once(c);
    answer_arp_at_once(s);
    Interface& c0 = c.add_ethernet("eth0", MacAddress::local(1), prefix("10.0.0.1/24"), c_mtu);
    Interface& s0 = s.add_ethernet("eth0", MacAddress::local(2), prefix("10.0.0.2/24"), s_mtu);
    link = &net.connect("c-s", c0, s0, params);
    s.tcp_listen(80, server, 128);
  }
  /// Resolves ARP both ways (a datagram to a closed UDP port and its ICMP answer), then
  /// forgets the log.
  void warm_arp() {
    c.udp_send(ip("10.0.0.1"), 5000, ip("10.0.0.2"), 9, 10, 0);
    sim.run();
    log.rows.clear();
    log.drops.clear();
  }
};

}  // namespace lvs::test

namespace Catch {
template <>
struct StringMaker<lvs::Time> {
  static std::string convert(lvs::Time t) { return std::to_string(t.count()) + " ns"; }
};
template <>
struct StringMaker<lvs::TcpCloseReason> {
  static std::string convert(lvs::TcpCloseReason r) { return lvs::close_reason_name(r); }
};
}  // namespace Catch
