// Ephemeral ports and TIME_WAIT as Linux has them (docs/ports.md): connect() scans the
// ip_local_port_range per destination, even offsets first; the side that closes first keeps
// the four-tuple 60 s; a full range fails the connect with EADDRNOTAVAIL (NoLocalPort);
// tcp_tw_reuse and tcp_fin_timeout.

#include <catch2/catch.hpp>

#include <set>

#include "transport/time_wait.hpp"
#include "transport_fixture.hpp"

using namespace lvs;
using namespace lvs::literals;
using namespace lvs::test;

namespace {

constexpr TxParams kGigabit{1'000'000'000, 5_us, 1'000'000};

// A pair whose client has the four ports 40000..40003; the server answers 100 bytes.
struct Ports : Pair {
  explicit Ports(TcpConfig tcp = bare_tcp()) : Pair(kGigabit, 1500, 1500, tcp) {
    c.tcp_config().ephemeral_first = 40000;
    c.tcp_config().ephemeral_last = 40003;
    server.reply_bytes = 100;
    warm_arp();
  }
  /// Opens a connection to 10.0.0.2:dport; its local port, or 0 if connect failed.
  std::uint16_t open(std::uint16_t dport = 80) {
    const SocketId id = c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), dport, client, ++users);
    return id == kNoSocket ? 0 : c.tcp_local_port(id);
  }
  std::uint64_t users = 0;
};

}  // namespace

TEST_CASE("ephemeral ports: even offsets first, then odd, skipping taken tuples, a full range fails the connect",
          "[tcp][ports]") {
  Ports t;
  const SocketId fixed = t.c.tcp_connect(Ipv4Address(), 40001, ip("10.0.0.2"), 80, t.client, 100);  // by hand
  REQUIRE(fixed != kNoSocket);
  std::vector<std::uint16_t> got;
  for (int i = 0; i < 3; ++i) got.push_back(t.open());
  // 40000 and 40002 (the even offsets, in an order that depends on the hashed start), then
  // 40003: 40001 is taken.
  CHECK(std::set<std::uint16_t>{got[0], got[1]} == std::set<std::uint16_t>{40000, 40002});
  CHECK(got[2] == 40003);
  // All four taken: connect() fails at once with EADDRNOTAVAIL, and says so to the app.
  CHECK(t.open() == 0);
  REQUIRE(!t.client.closed.empty());
  CHECK(t.client.closed.back().s == kNoSocket);
  CHECK(t.client.closed.back().why == TcpCloseReason::NoLocalPort);
  // A port is per four-tuple: the same four ports serve another destination port.
  std::set<std::uint16_t> other;
  for (int i = 0; i < 4; ++i) other.insert(t.open(81));
  CHECK(other == std::set<std::uint16_t>{40000, 40001, 40002, 40003});
  // An aborted connection leaves no TIME_WAIT: its port is free at once.
  t.c.tcp_abort(fixed);
  CHECK(t.open() == 40001);
  // An explicit port whose tuple is taken is a programming error.
  CHECK_THROWS_AS(t.c.tcp_connect(Ipv4Address(), 40001, ip("10.0.0.2"), 80, t.client, 0), std::invalid_argument);
}

TEST_CASE("TIME_WAIT: the side that closes first holds the tuple 60 s, then the port is free again",
          "[tcp][ports][time_wait]") {
  Ports t;
  t.client.reply_bytes = 0;
  // Each connection: request, answer, then the client closes first (it is done).
  std::vector<SocketId> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 0));
  t.sim.run_until(t.sim.now() + 10_ms);
  for (SocketId id : ids) t.c.tcp_send(id, 100, 1);
  t.sim.run_until(t.sim.now() + 10_ms);
  for (SocketId id : ids) t.c.tcp_close(id);
  t.sim.run_until(t.sim.now() + 10_ms);
  const Time closed = t.sim.now();
  CHECK(t.c.tcp_open_sockets() == 0);
  CHECK(t.s.tcp_open_sockets() == 0);
  CHECK(t.c.tcp_time_wait() == 4);  // the active closer
  CHECK(t.s.tcp_time_wait() == 0);  // the passive one goes LAST_ACK -> CLOSED
  CHECK(t.open() == 0);             // every tuple towards 10.0.0.2:80 is in TIME_WAIT
  CHECK(t.client.closed.back().why == TcpCloseReason::NoLocalPort);
  t.sim.run_until(closed + 59_s);
  CHECK(t.c.tcp_time_wait() == 4);
  CHECK(t.open() == 0);
  t.sim.run_until(closed + 60_s);
  CHECK(t.c.tcp_time_wait() == 0);
  CHECK(t.open() != 0);
}

TEST_CASE("TIME_WAIT answers a retransmitted FIN with an ACK, the closed peer's RST then ends it (RFC 1337)",
          "[tcp][ports][time_wait]") {
  Ports t;
  const SocketId id = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 1);
  t.sim.run_until(t.sim.now() + 10_ms);
  const std::uint16_t port = t.c.tcp_local_port(id);
  t.c.tcp_close(id);
  t.sim.run_until(t.sim.now() + 10_ms);
  REQUIRE(t.c.tcp_time_wait() == 1);
  std::optional<Packet> fin;
  for (const auto& r : t.log.tcp("s"))
    if (r.pkt.has_flag(tcp_flags::kFin)) fin = r.pkt;
  REQUIRE(fin);
  // The server's FIN again, 30 s later, as if our last ACK had been lost.
  t.sim.run_until(t.sim.now() + 30_s);
  const std::size_t before = t.log.tcp().size();
  const PacketId p = t.net.new_packet();
  t.net.packets()[p] = *fin;
  t.s.ip_send(p);
  t.sim.run_until(t.sim.now() + 1_ms);
  const auto rows = t.log.tcp();
  REQUIRE(rows.size() == before + 3);
  CHECK(rows[before + 1].from == "c");  // TIME_WAIT's ACK of the FIN
  CHECK(rows[before + 1].pkt.tcp.flags == tcp_flags::kAck);
  CHECK(rows[before + 1].pkt.sport == port);
  CHECK(rows[before + 1].pkt.tcp.ack == fin->tcp.seq + 1);
  CHECK(rows[before + 2].from == "s");  // the server has no such connection any more: RST
  CHECK(rows[before + 2].pkt.has_flag(tcp_flags::kRst));
  CHECK(t.c.tcp_time_wait() == 0);  // tcp_rfc1337 = 0: the RST assassinates the TIME_WAIT
}

TEST_CASE("TimeWaitTable: entries expire in order, 60 s after they came or after their last extension",
          "[tcp][time_wait]") {
  TimeWaitTable tw;
  const auto tuple = [](std::uint16_t port) { return FourTuple{ip("10.0.0.1"), ip("10.0.0.2"), port, 80}; };
  for (std::uint16_t p = 1; p <= 3; ++p) tw.add(TimeWaitEntry{tuple(p), Time::s(p), Time::s(p) + kTimeWaitLength});
  tw.extend(tuple(1), Time::s(70));  // a retransmitted FIN at 10 s
  CHECK(tw.next_expiry() == Time::s(62));
  std::vector<std::uint16_t> gone;
  const auto note = [&](const FourTuple& t) { gone.push_back(t.lport); };
  tw.expire(Time::s(62), note);
  CHECK(gone == std::vector<std::uint16_t>{2});
  tw.expire(Time::s(69), note);
  CHECK(gone == std::vector<std::uint16_t>{2, 3});
  CHECK(tw.find(tuple(1)) != nullptr);
  tw.expire(Time::s(70), note);
  CHECK(gone == std::vector<std::uint16_t>{2, 3, 1});
  CHECK(tw.size() == 0);
  CHECK(tw.next_expiry() == Time::max());
}

TEST_CASE("tcp_tw_reuse=1 lets connect() take over a TIME_WAIT tuple more than 1 s old, with timestamps",
          "[tcp][ports][time_wait]") {
  TcpConfig tcp;  // Linux's defaults: timestamps on
  tcp.tw_reuse = 1;
  Ports t(tcp);
  std::vector<SocketId> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 0));
  t.sim.run_until(t.sim.now() + 10_ms);
  for (SocketId id : ids) t.c.tcp_close(id);
  t.sim.run_until(t.sim.now() + 10_ms);
  REQUIRE(t.c.tcp_time_wait() == 4);
  const Time closed = t.sim.now();
  t.sim.run_until(closed + 500_ms);
  CHECK(t.open() == 0);  // not yet: 1 s in TIME_WAIT first
  t.sim.run_until(closed + 1100_ms);
  CHECK(t.open() != 0);
  CHECK(t.c.tcp_time_wait() == 3);
}

TEST_CASE("tcp_fin_timeout: a socket whose peer never closes gives up FIN_WAIT_2 after 60 s", "[tcp][ports]") {
  Ports t;
  t.server.close_on_peer_close = false;  // the server never sends its FIN
  const SocketId id = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 7);
  t.sim.run_until(t.sim.now() + 10_ms);
  t.c.tcp_close(id);
  t.sim.run_until(t.sim.now() + 10_ms);
  const Time acked = t.sim.now();
  CHECK(t.c.tcp_open_sockets() == 1);  // FIN_WAIT_2
  t.sim.run_until(acked + 59_s);
  CHECK(t.c.tcp_open_sockets() == 1);
  t.sim.run_until(acked + 61_s);
  CHECK(t.c.tcp_open_sockets() == 0);
  REQUIRE(t.client.closed.size() == 1);
  CHECK(t.client.closed[0].why == TcpCloseReason::Timeout);
  CHECK(t.c.tcp_time_wait() == 0);  // no FIN from the peer: nothing to wait for
}
