// TCP-lite on two hosts and one link: handshake, segmentation, delayed ACK, slow start,
// close, reset, ports. Times are computed by hand from the link's rate and delay.

#include <catch2/catch.hpp>

#include "transport_fixture.hpp"

using namespace lvs;
using namespace lvs::literals;
using namespace lvs::test;

namespace {

// 100 Mb/s, 1 ms: a minimum frame (64 + 20 wire bytes) takes 6720 ns to send, and a
// full one (1518 + 20) 123 040 ns.
constexpr TxParams k100M{100'000'000, 1_ms, 1'000'000};
constexpr std::int64_t kMinHop = 6'720 + 1'000'000;  // ns
constexpr std::int64_t kFull = 123'040;             // ns to send a 1460-byte segment

// "c S. seq=0 ack=1 len=0 frame=64": sequence numbers relative to each side's ISS.
std::vector<std::string> describe(const std::vector<SegmentLog::Row>& rows) {
  std::uint32_t iss_c = 0, iss_s = 0;
  for (const auto& r : rows)
    if (r.pkt.has_flag(tcp_flags::kSyn)) (r.from == "c" ? iss_c : iss_s) = r.pkt.tcp.seq;
  std::vector<std::string> out;
  for (const auto& r : rows) {
    const bool from_c = r.from == "c";
    const std::uint32_t own = from_c ? iss_c : iss_s, peer = from_c ? iss_s : iss_c;
    std::string ack = r.pkt.has_flag(tcp_flags::kAck) ? std::to_string(r.pkt.tcp.ack - peer) : "-";
    out.push_back(r.from + " " + flag_text(r.pkt.tcp.flags) + " seq=" + std::to_string(r.pkt.tcp.seq - own) +
                  " ack=" + ack + " len=" + std::to_string(r.pkt.payload) +
                  " frame=" + std::to_string(r.pkt.frame_bytes()));
  }
  return out;
}

}  // namespace

TEST_CASE("handshake: SYN and SYN-ACK carry the MSS option, connected after one RTT", "[tcp][handshake]") {
  Pair t(k100M);
  const SocketId cs = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 1);
  t.sim.run();
  // ARP request, ARP reply, SYN, SYN-ACK: four minimum frames.
  REQUIRE(t.client.connected.size() == 1);
  CHECK(t.client.connected[0] == std::pair{Time::ns(4 * kMinHop), cs});
  REQUIRE(t.server.accepted.size() == 1);
  CHECK(t.server.accepted[0].first == Time::ns(5 * kMinHop));
  CHECK(describe(t.log.tcp()) == std::vector<std::string>{
                                     "c S seq=0 ack=- len=0 frame=64",
                                     "s S. seq=0 ack=1 len=0 frame=64",
                                     "c . seq=1 ack=1 len=0 frame=64",
                                 });
  const Packet syn = t.log.tcp()[0].pkt;
  CHECK(syn.tcp.options == kTcpMssOption);
  CHECK(syn.ip_bytes() == 20 + 24);
  CHECK(syn.ip.src == ip("10.0.0.1"));  // 0.0.0.0: the outgoing interface's address
  CHECK(syn.sport >= 32768);            // an ephemeral port (test_tcp_ports.cpp has the order)
  CHECK(syn.sport <= 60999);
  CHECK(syn.sport % 2 == 0);             // connect() tries even offsets first
  CHECK(syn.tcp.window == 65535);
  CHECK(t.c.tcp_info(cs).established);
  CHECK(t.c.tcp_info(cs).mss == 1460);
  CHECK(t.c.tcp_info(cs).cwnd == 14600);
  CHECK(t.c.tcp_info(cs).srtt == Time::ns(4 * kMinHop));  // the handshake's RTT sample (the SYN waited for ARP)
  CHECK(t.c.tcp_info(cs).rto == 200_ms);                  // 3 x srtt = 12 ms, raised to the minimum
  CHECK(t.c.tcp_local_address(cs) == ip("10.0.0.1"));
  CHECK(t.c.tcp_remote_address(cs) == ip("10.0.0.2"));
  CHECK(t.c.tcp_remote_port(cs) == 80);
  CHECK(t.c.tcp_open_sockets() == 1);
  CHECK(t.s.tcp_open_sockets() == 1);

  // ARP is resolved now: the next connection takes exactly one round trip.
  const Time t0 = t.sim.now();
  const SocketId cs2 = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 2);
  t.sim.run();
  REQUIRE(t.client.connected.size() == 2);
  CHECK(t.client.connected[1] == std::pair{t0 + Time::ns(2 * kMinHop), cs2});
  const int step = t.log.tcp().back().pkt.sport - syn.sport;  // the next scan starts 2..16 further on
  CHECK(step >= 2);
  CHECK(step <= 16);
  CHECK(step % 2 == 0);
}

TEST_CASE("a message is cut into MSS segments, PSH on the last, the smaller MTU sets the MSS", "[tcp][mss]") {
  for (const std::uint32_t s_mtu : {1500U, 1000U}) {
    CAPTURE(s_mtu);
    Pair t(k100M, 1500, s_mtu);
    t.client.reply_bytes = 0;
    const SocketId cs = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 1);
    t.sim.run();
    t.c.tcp_send(cs, 10'000, 42);
    t.sim.run();
    std::vector<std::uint32_t> sizes;
    std::vector<std::string> flags;
    for (const auto& r : t.log.data("c")) {
      sizes.push_back(r.pkt.payload);
      flags.push_back(flag_text(r.pkt.tcp.flags));
      CHECK(r.pkt.app == 42);
      CHECK(r.pkt.message_bytes == 10'000);
    }
    if (s_mtu == 1500) {
      CHECK(sizes == std::vector<std::uint32_t>{1460, 1460, 1460, 1460, 1460, 1460, 1240});
      CHECK(flags == std::vector<std::string>{".", ".", ".", ".", ".", ".", "P."});
    } else {
      CHECK(t.c.tcp_info(cs).mss == 960);
      CHECK(sizes == std::vector<std::uint32_t>{960, 960, 960, 960, 960, 960, 960, 960, 960, 960, 400});
      CHECK(flags.back() == "P.");
      CHECK(std::count(flags.begin(), flags.end(), "P.") == 1);
    }
    REQUIRE(t.server.messages.size() == 1);
    CHECK(t.server.messages[0].bytes == 10'000);
    CHECK(t.server.messages[0].tag == 42);
    CHECK(t.server.messages[0].user == 7);
  }
}

TEST_CASE("delayed ACK: every second full segment at once, a lone one after 40 ms", "[tcp][delack]") {
  Pair t(k100M);
  t.client.reply_bytes = 0;
  const SocketId cs = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 1);
  t.sim.run();
  const std::uint32_t iss_c = t.log.tcp("c")[0].pkt.tcp.seq;
  const Time t0 = t.sim.now();
  t.log.rows.clear();
  t.c.tcp_send(cs, 10'000, 1);
  t.sim.run();
  // Segment k (1..6, 1460 bytes) arrives at t0 + k x 123 040 ns + 1 ms; the seventh
  // (1240 bytes: 1318 wire bytes, 105 440 ns) right after the sixth.
  const auto acks = t.log.tcp("s");
  REQUIRE(acks.size() == 4);
  const std::int64_t last = 6 * kFull + 105'440 + 1'000'000;
  const std::vector<std::pair<Time, std::uint32_t>> expected{
      {t0 + Time::ns(2 * kFull + 1'000'000), 1 + 2920},
      {t0 + Time::ns(4 * kFull + 1'000'000), 1 + 5840},
      {t0 + Time::ns(6 * kFull + 1'000'000), 1 + 8760},
      {t0 + Time::ns(last) + 40_ms, 1 + 10'000},
  };
  for (std::size_t i = 0; i < acks.size(); ++i) {
    CAPTURE(i);
    CHECK(acks[i].t == expected[i].first);
    CHECK(acks[i].pkt.tcp.ack - iss_c == expected[i].second);
    CHECK(acks[i].pkt.payload == 0);
  }
  REQUIRE(t.server.messages.size() == 1);
  CHECK(t.server.messages[0].t == t0 + Time::ns(last));
}

TEST_CASE("delayed ACK: an answer sent at once carries the ACK, no pure ACK goes", "[tcp][delack]") {
  Pair t(k100M);
  t.server.reply_bytes = 1000;
  t.client.reply_bytes = 0;
  const SocketId cs = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 1);
  t.sim.run();
  const Time t0 = t.sim.now();
  t.log.rows.clear();
  t.c.tcp_send(cs, 100, 5);
  t.sim.run();
  const auto server_rows = t.log.tcp("s");
  REQUIRE(server_rows.size() == 1);
  CHECK(flag_text(server_rows[0].pkt.tcp.flags) == "P.");
  CHECK(server_rows[0].pkt.payload == 1000);
  CHECK(server_rows[0].pkt.app == 1005);
  // The request (100 + 58 = 158-byte frame, 178 wire bytes: 14 240 ns) and the answer
  // (1058-byte frame, 1078 wire: 86 240 ns), each 1 ms away; the client ACKs 40 ms later.
  REQUIRE(t.client.messages.size() == 1);
  CHECK(t.client.messages[0].t == t0 + Time::ns(14'240 + 1'000'000 + 86'240 + 1'000'000));
  CHECK(t.client.messages[0].bytes == 1000);
  const auto client_rows = t.log.tcp("c");
  REQUIRE(client_rows.size() == 2);
  CHECK(client_rows[1].t == t.client.messages[0].t + 40_ms);
}

TEST_CASE("slow start: 10, 20, then 39 segments per round trip for 100 000 bytes", "[tcp][cwnd]") {
  // 1 Gb/s, 10 ms: a full segment takes 12 304 ns to send, a minimum frame 672 ns.
  Pair t(TxParams{1'000'000'000, 10_ms, 10'000'000});
  t.client.reply_bytes = 0;
  const SocketId cs = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 1);
  t.sim.run_until(1_s);
  REQUIRE(t.client.connected.size() == 1);
  CHECK(t.client.connected[0].first == Time::ns(4 * (672 + 10'000'000)));
  const Time start = t.sim.now();
  t.c.tcp_send(cs, 100'000, 1);
  t.sim.run();
  // Rounds are separated by a 20 ms gap.
  std::vector<int> rounds;
  Time previous = Time::zero();
  for (const auto& r : t.log.data("c")) {
    if (rounds.empty() || r.t - previous > 5_ms) rounds.push_back(0);
    ++rounds.back();
    previous = r.t;
  }
  CHECK(rounds == std::vector<int>{10, 20, 39});
  CHECK(t.c.transport_stats().retransmits == 0);
  // Round 2 starts when the ACK of segments 1-2 comes back (672 ns to send), and its 20
  // segments leave back to back (4 per ACK, ACKs 24 608 ns apart); round 3 likewise
  // from the ACK of round 2's first two segments. The last segment carries 720 bytes
  // (798 wire bytes, 6384 ns).
  const Time a1 = start + Time::ns(2 * 12'304 + 672) + 20_ms;
  const Time a2 = a1 + Time::ns(2 * 12'304 + 672) + 20_ms;
  REQUIRE(t.server.messages.size() == 1);
  CHECK(t.server.messages[0].bytes == 100'000);
  CHECK(t.server.messages[0].t == a2 + Time::ns(38 * 12'304 + 6'384) + 10_ms);
}

TEST_CASE("FIN close: both sides closed, sockets freed and their ids reused", "[tcp][close]") {
  Pair t(k100M);
  t.warm_arp();
  t.server.reply_bytes = 1000;
  struct Closer : RecordingApp {
    using RecordingApp::RecordingApp;
    EndHost* host = nullptr;
    void on_message(SocketId s, std::uint64_t u, std::uint64_t tag, std::uint32_t b) override {
      RecordingApp::on_message(s, u, tag, b);
      host->tcp_close(s);
    }
  } closer(t.c, t.sim);
  closer.host = &t.c;
  closer.reply_bytes = 0;
  const SocketId cs = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, closer, 3);
  t.sim.run();
  t.c.tcp_send(cs, 100, 1);
  t.sim.run();
  CHECK(describe(t.log.tcp()) == std::vector<std::string>{
                                     "c S seq=0 ack=- len=0 frame=64",
                                     "s S. seq=0 ack=1 len=0 frame=64",
                                     "c . seq=1 ack=1 len=0 frame=64",
                                     "c P. seq=1 ack=1 len=100 frame=158",
                                     "s P. seq=1 ack=101 len=1000 frame=1058",
                                     "c F. seq=101 ack=1001 len=0 frame=64",
                                     "s F. seq=1001 ack=102 len=0 frame=64",
                                     "c . seq=102 ack=1002 len=0 frame=64",
                                 });
  REQUIRE(closer.closed.size() == 1);
  CHECK(closer.closed[0].why == TcpCloseReason::Closed);
  CHECK(closer.closed[0].user == 3);
  REQUIRE(t.server.closed.size() == 1);
  CHECK(t.server.closed[0].why == TcpCloseReason::Closed);
  CHECK(t.server.closed[0].user == 7);
  CHECK(t.server.peer_closed.size() == 1);
  CHECK(t.c.tcp_open_sockets() == 0);
  CHECK(t.s.tcp_open_sockets() == 0);
  CHECK_FALSE(t.c.tcp_info(cs).open);
  // The client is closed when the server's FIN arrives (no TIME_WAIT), the server when the last ACK does.
  CHECK(t.server.closed[0].t - closer.closed[0].t == Time::ns(kMinHop));

  const SocketId again = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, closer, 4);
  t.sim.run();
  CHECK(again == cs);
  REQUIRE(t.server.accepted.size() == 2);
  CHECK(t.server.accepted[1].second == t.server.accepted[0].second);
}

TEST_CASE("RST: a SYN to a port nobody listens on is refused within one round trip", "[tcp][rst]") {
  Pair t(k100M);
  t.warm_arp();
  const Time t0 = t.sim.now();
  const SocketId cs = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 81, t.client, 9);
  t.sim.run();
  REQUIRE(t.client.closed.size() == 1);
  CHECK(t.client.closed[0].t == t0 + Time::ns(2 * kMinHop));
  CHECK(t.client.closed[0].s == cs);
  CHECK(t.client.closed[0].user == 9);
  CHECK(t.client.closed[0].why == TcpCloseReason::Reset);
  const auto rows = t.log.tcp();
  REQUIRE(rows.size() == 2);
  CHECK(flag_text(rows[1].pkt.tcp.flags) == "R.");
  CHECK(rows[1].pkt.tcp.ack == rows[0].pkt.tcp.seq + 1);
  CHECK(t.s.transport_stats().resets_sent == 1);
  CHECK(t.c.transport_stats().resets_received == 1);
  CHECK(t.c.tcp_open_sockets() == 0);
}

TEST_CASE("tcp_abort sends RST: the peer closes with Reset, the aborting side hears nothing", "[tcp][rst]") {
  Pair t(k100M);
  t.warm_arp();
  const SocketId cs = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 1);
  t.sim.run();
  const Time t0 = t.sim.now();
  t.c.tcp_abort(cs);
  CHECK(t.c.tcp_open_sockets() == 0);
  t.sim.run();
  CHECK(t.client.closed.empty());
  REQUIRE(t.server.closed.size() == 1);
  CHECK(t.server.closed[0].why == TcpCloseReason::Reset);
  CHECK(t.server.closed[0].t == t0 + Time::ns(kMinHop));
  CHECK(t.s.tcp_open_sockets() == 0);
}

