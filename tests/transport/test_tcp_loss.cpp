// TCP-lite when things go wrong: lost segments (fast retransmit, RTO), SYNs to a black
// hole, a full accept queue, ICMP unreachable and "fragmentation needed".

#include <algorithm>

#include <catch2/catch.hpp>

#include "transport_fixture.hpp"

using namespace lvs;
using namespace lvs::literals;
using namespace lvs::test;

namespace {

constexpr TxParams kGigabit{1'000'000'000, 5_us, 1'000'000};
constexpr std::int64_t kMinHop = 672 + 5'000;  // ns: a minimum frame over one gigabit link

/// A router that loses the forwarded TCP data segments it is told to (1-based count).
class LossyRouter : public Host {
 public:
  using Host::Host;
  std::vector<int> lose;
  int data_seen = 0;

 protected:
  bool on_forward(Interface& /*in*/, PacketId p) override {
    const Packet& pkt = network().packets()[p];
    if (!pkt.is_tcp() || pkt.payload == 0) return false;
    ++data_seen;
    if (std::find(lose.begin(), lose.end(), data_seen) == lose.end()) return false;
    network().drop(*this, p, "test: lost");
    return true;
  }
};

// c 10.0.1.1 - [eth0 10.0.1.254] r [eth1 10.0.2.254] - s 10.0.2.1
struct Routed {
  Simulation sim{1};
  Network net{sim};
  SegmentLog log;
  EndHost& c = net.add_node<EndHost>("c", bare_tcp());
  LossyRouter& r = net.add_node<LossyRouter>("r");
  EndHost& s = net.add_node<EndHost>("s", bare_tcp());
  RecordingApp client{c, sim};
  RecordingApp server{s, sim};

  Routed(TxParams c_side, TxParams s_side, std::uint32_t r_eth1_mtu = 1500) {
    net.set_observer(&log);
    answer_arp_at_once_everywhere(net);
    Interface& c0 = c.add_ethernet("eth0", MacAddress::local(1), prefix("10.0.1.1/24"));
    Interface& r0 = r.add_ethernet("eth0", MacAddress::local(2), prefix("10.0.1.254/24"));
    Interface& r1 = r.add_ethernet("eth1", MacAddress::local(3), prefix("10.0.2.254/24"), r_eth1_mtu);
    Interface& s0 = s.add_ethernet("eth0", MacAddress::local(4), prefix("10.0.2.1/24"));
    net.connect("c-r", c0, r0, c_side);
    net.connect("r-s", r1, s0, s_side);
    c.set_default_gateway(ip("10.0.1.254"));
    s.set_default_gateway(ip("10.0.2.254"));
    r.sysctl().ip_forward = true;
    s.tcp_listen(80, server, 128);
    client.reply_bytes = 0;
  }
  SocketId connect() {
    const SocketId cs = c.tcp_connect(Ipv4Address(), 0, ip("10.0.2.1"), 80, client, 1);
    sim.run();
    return cs;
  }
};

}  // namespace

TEST_CASE("loss: three duplicate ACKs retransmit and halve the window, every byte arrives once", "[tcp][loss]") {
  Routed t(kGigabit, kGigabit);
  const SocketId cs = t.connect();
  t.r.lose = {3};
  t.c.tcp_send(cs, 100'000, 1);
  while (t.c.transport_stats().fast_retransmits == 0 && t.sim.step()) {
  }
  // Segments 1-10 leave; 3 is lost. The ACK of 1-2 grows cwnd to 12 segments and lets
  // 11-14 go; 4, 5 and 6 each draw a duplicate ACK. At the third, 12 segments (3-14)
  // are in flight: ssthresh = cwnd = 6 segments.
  const TcpInfo at = t.c.tcp_info(cs);
  CHECK(at.ssthresh == 6 * 1460);
  CHECK(at.cwnd == 6 * 1460);
  CHECK(at.in_flight == 12 * 1460);
  t.sim.run();
  REQUIRE(t.server.messages.size() == 1);
  CHECK(t.server.messages[0].bytes == 100'000);
  const TransportStats& st = t.c.transport_stats();
  CHECK(st.fast_retransmits == 1);
  CHECK(st.rto_expiries == 0);
  CHECK(st.retransmits == 12);  // go-back-N: 3-14 again (the receiver kept none of 4-14)
  CHECK(t.log.drops.front() == "r: test: lost");
}

TEST_CASE("loss: a small queue at the bottleneck drops a burst, the transfer still completes", "[tcp][loss]") {
  // 1 Gb/s into the router, 10 Mb/s out of it with room for 5 full frames.
  Routed t(kGigabit, TxParams{10'000'000, 100_us, 5 * 1518});
  const SocketId cs = t.connect();
  t.c.tcp_send(cs, 300'000, 9);
  t.sim.run();
  REQUIRE(t.server.messages.size() == 1);
  CHECK(t.server.messages[0].bytes == 300'000);
  CHECK(t.server.messages[0].tag == 9);
  CHECK(t.c.transport_stats().fast_retransmits >= 1);
  CHECK(t.c.transport_stats().retransmits > 0);
  CHECK(std::count(t.log.drops.begin(), t.log.drops.end(), "r: queue full on link r-s") > 0);
  CHECK(t.c.tcp_info(cs).ssthresh < 0xffffffffU);
}

TEST_CASE("RTO: a lost last segment is sent again one RTO after the last ACK", "[tcp][rto]") {
  Routed t(kGigabit, kGigabit);
  const SocketId cs = t.connect();
  t.r.lose = {7};
  t.c.tcp_send(cs, 10'000, 1);
  t.sim.run();
  const auto data = t.log.data("c");
  REQUIRE(data.size() == 8);
  // The router forwards the ACK of segments 5-6 (a minimum frame) at its transmit time;
  // it reaches c one hop later, and the timer (200 ms, the minimum) restarts then.
  Time last_ack;
  for (const auto& r : t.log.tcp("r"))
    if (r.pkt.payload == 0 && r.t < data[7].t) last_ack = r.t;
  CHECK(data[7].t == last_ack + Time::ns(kMinHop) + 200_ms);
  CHECK(data[7].pkt.payload == 1240);
  CHECK(data[7].pkt.tcp.seq == data[6].pkt.tcp.seq);
  CHECK(t.c.transport_stats().rto_expiries == 1);
  CHECK(t.c.transport_stats().retransmits == 1);
  CHECK(t.c.tcp_info(cs).ssthresh == 2 * 1460);  // max(flight / 2, 2 MSS) with 1240 bytes out
  REQUIRE(t.server.messages.size() == 1);
  CHECK(t.server.messages[0].bytes == 10'000);
}

TEST_CASE("RTO backoff: a SYN into a black hole goes at 1, 3, 7 ... s and times out", "[tcp][rto]") {
  Simulation sim;
  Network net(sim);
  SegmentLog log;
  net.set_observer(&log);
  EndHost& c = net.add_node<EndHost>("c");
  Host& hole = net.add_node<Host>("hole");  // no transport: drops every segment
  answer_arp_at_once_everywhere(net);
  net.connect("c-hole", c.add_ethernet("eth0", MacAddress::local(1), prefix("10.0.0.1/24")),
              hole.add_ethernet("eth0", MacAddress::local(2), prefix("10.0.0.2/24")), kGigabit);
  RecordingApp app(c, sim);
  const SocketId cs = c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, app, 5);
  sim.run();
  std::vector<Time> syns;
  for (const auto& r : log.tcp("c")) syns.push_back(r.t);
  // tcp_syn_retries = 6: the first SYN waits for ARP (two minimum frames), then the
  // timer doubles from 1 s; the seventh expiry, at 127 s, gives up.
  CHECK(syns == std::vector<Time>{Time::ns(2 * kMinHop), 1_s, 3_s, 7_s, 15_s, 31_s, 63_s});
  REQUIRE(app.closed.size() == 1);
  CHECK(app.closed[0].t == 127_s);
  CHECK(app.closed[0].s == cs);
  CHECK(app.closed[0].user == 5);
  CHECK(app.closed[0].why == TcpCloseReason::Timeout);
  CHECK(c.transport_stats().rto_expiries == 7);
  CHECK(c.transport_stats().retransmits == 6);
  CHECK(c.tcp_open_sockets() == 0);
}

TEST_CASE("accept queue: a SYN beyond the backlog is dropped and comes back after 1 s", "[tcp][listen]") {
  Pair t(kGigabit);
  t.warm_arp();
  t.s.tcp_listen(80, t.server, 1);
  t.server.auto_accept = false;
  const Time t0 = t.sim.now();
  const SocketId first = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 1);
  t.sim.run_until(t0 + 5_ms);
  CHECK(t.s.tcp_accept_queue(80) == 1);
  t.c.tcp_send(first, 100, 11);  // arrives before the accept: kept for it
  const SocketId second = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 2);
  t.sim.run_until(t0 + 2_s);
  CHECK(t.s.transport_stats().listen_overflows == 2);  // the SYN and its retransmission
  CHECK(t.server.messages.empty());
  const std::optional<SocketId> accepted = t.s.tcp_accept(80, 70);
  REQUIRE(accepted);
  REQUIRE(t.server.messages.size() == 1);  // delivered from within tcp_accept
  CHECK(t.server.messages[0].t == t0 + 2_s);
  CHECK(t.server.messages[0].s == *accepted);
  CHECK(t.server.messages[0].user == 70);
  CHECK(t.server.messages[0].tag == 11);
  CHECK(t.s.tcp_accept_queue(80) == 0);
  t.sim.run_until(t0 + 10_s);
  std::vector<Time> syns;
  const std::uint16_t port = t.c.tcp_local_port(second);
  for (const auto& r : t.log.tcp("c"))
    if (r.pkt.has_flag(tcp_flags::kSyn) && r.pkt.sport == port) syns.push_back(r.t - t0);
  CHECK(syns == std::vector<Time>{5_ms, 5_ms + 1_s, 5_ms + 3_s});
  REQUIRE(t.client.connected.size() == 2);
  CHECK(t.client.connected[1] == std::pair{t0 + 5_ms + 3_s + Time::ns(2 * kMinHop), second});
  CHECK(t.s.tcp_accept_queue(80) == 1);
  CHECK(t.s.transport_stats().listen_overflows == 2);
}

TEST_CASE("ICMP net unreachable while connecting closes with Unreachable", "[tcp][icmp]") {
  Routed t(kGigabit, kGigabit);
  const SocketId cs = t.c.tcp_connect(Ipv4Address(), 0, ip("10.9.9.9"), 80, t.client, 4);
  t.sim.run();
  // ARP request and reply, the SYN, then the router's ICMP (74-byte frame, 752 ns).
  REQUIRE(t.client.closed.size() == 1);
  CHECK(t.client.closed[0].t == Time::ns(3 * kMinHop + 752 + 5'000));
  CHECK(t.client.closed[0].s == cs);
  CHECK(t.client.closed[0].why == TcpCloseReason::Unreachable);
  CHECK(t.c.tcp_open_sockets() == 0);
}

TEST_CASE("connect with no route at all fails at once with Unreachable", "[tcp][icmp]") {
  Simulation sim;
  Network net(sim);
  EndHost& c = net.add_node<EndHost>("c");
  c.add_ethernet("eth0", MacAddress::local(1), prefix("10.0.0.1/24"));
  RecordingApp app(c, sim);
  CHECK(c.tcp_connect(Ipv4Address(), 0, ip("192.0.2.1"), 80, app, 3) == kNoSocket);
  REQUIRE(app.closed.size() == 1);
  CHECK(app.closed[0].s == kNoSocket);
  CHECK(app.closed[0].user == 3);
  CHECK(app.closed[0].why == TcpCloseReason::Unreachable);
}

TEST_CASE("ICMP fragmentation needed lowers the MSS and the message still arrives", "[tcp][icmp][pmtu]") {
  Routed t(kGigabit, kGigabit, 1000);
  const SocketId cs = t.connect();
  CHECK(t.c.tcp_info(cs).mss == 1460);  // both ends have MTU 1500
  t.c.tcp_send(cs, 10'000, 3);
  t.sim.run();
  CHECK(t.c.tcp_info(cs).mss == 960);
  int frag_needed = 0;
  for (const auto& r : t.log.rows)
    if (r.from == "r" && r.pkt.ip.proto == IpProto::Icmp && r.pkt.icmp.code == icmp_code::kFragNeeded) {
      ++frag_needed;
      CHECK(r.pkt.icmp.next_hop_mtu == 1000);
    }
  CHECK(frag_needed == 7);  // each of the first seven 1460-byte segments
  std::uint32_t delivered = 0;
  for (const auto& r : t.log.data("r")) {
    CHECK(r.pkt.payload <= 960);
    delivered += r.pkt.payload;
  }
  CHECK(delivered == 10'000);  // nothing twice on the last hop
  REQUIRE(t.server.messages.size() == 1);
  CHECK(t.server.messages[0].bytes == 10'000);
  CHECK(t.server.messages[0].tag == 3);
}

TEST_CASE("accept queue: a handshake ACK that finds it full is dropped, the SYN-ACK timer retries",
          "[tcp][listen]") {
  Pair t(kGigabit);
  t.warm_arp();
  t.s.tcp_listen(80, t.server, 1);
  t.server.auto_accept = false;
  const Time t0 = t.sim.now();
  t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 1);
  t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 2);
  t.sim.run_until(t0 + 500_ms);
  // Both SYNs found the queue empty; the second handshake ACK found it full.
  CHECK(t.s.transport_stats().listen_overflows == 1);
  CHECK(t.client.connected.size() == 2);  // the client cannot tell
  CHECK(t.s.tcp_accept_queue(80) == 1);
  CHECK(t.s.tcp_open_sockets() == 2);
  REQUIRE(t.s.tcp_accept(80, 1));
  t.sim.run_until(t0 + 2_s);
  // The SYN-ACK goes again 1 s after the first; the client's ACK completes the handshake.
  std::vector<Time> synacks;
  for (const auto& r : t.log.tcp("s"))
    if (r.pkt.has_flag(tcp_flags::kSyn)) synacks.push_back(r.t - t0);
  REQUIRE(synacks.size() == 3);
  CHECK(synacks[2] == synacks[1] + 1_s);
  CHECK(t.s.tcp_accept_queue(80) == 1);
  CHECK(t.s.transport_stats().retransmits == 1);
}

TEST_CASE("a connection closed by the peer before the accept is delivered whole at the accept", "[tcp][listen]") {
  Pair t(kGigabit);
  t.warm_arp();
  t.server.auto_accept = false;
  struct SendAndClose : RecordingApp {
    using RecordingApp::RecordingApp;
    EndHost* host = nullptr;
    void on_connected(SocketId s, std::uint64_t u) override {
      RecordingApp::on_connected(s, u);
      host->tcp_send(s, 3000, 21);
      host->tcp_close(s);
    }
  } client(t.c, t.sim);
  client.host = &t.c;
  t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, client, 1);
  t.sim.run_until(t.sim.now() + 1_s);
  CHECK(t.server.messages.empty());
  CHECK(t.server.peer_closed.empty());
  CHECK(client.closed.empty());  // our FIN is acknowledged, the server's is not sent yet
  const auto s = t.s.tcp_accept(80, 5);
  REQUIRE(s);
  REQUIRE(t.server.messages.size() == 1);
  CHECK(t.server.messages[0].bytes == 3000);
  CHECK(t.server.messages[0].tag == 21);
  REQUIRE(t.server.peer_closed.size() == 1);  // and the server closed in return
  t.sim.run();
  REQUIRE(client.closed.size() == 1);
  CHECK(client.closed[0].why == TcpCloseReason::Closed);
  REQUIRE(t.server.closed.size() == 1);
  CHECK(t.server.closed[0].why == TcpCloseReason::Closed);
  CHECK(t.server.closed[0].user == 5);
  CHECK(t.c.tcp_open_sockets() + t.s.tcp_open_sockets() == 0);
}

TEST_CASE("tcp_close while the SYN is out ends the attempt at once", "[tcp][close]") {
  Pair t(kGigabit);
  const SocketId cs = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 8);
  t.c.tcp_close(cs);
  REQUIRE(t.client.closed.size() == 1);
  CHECK(t.client.closed[0].why == TcpCloseReason::Closed);
  CHECK(t.c.tcp_open_sockets() == 0);
  t.sim.run();  // the SYN-ACK meets no connection and is answered with RST
  CHECK(t.client.connected.empty());
  CHECK(t.c.transport_stats().resets_sent == 1);
  CHECK(t.s.transport_stats().resets_received == 1);
  CHECK(t.s.tcp_open_sockets() == 0);
}
