// The demultiplexing hint (Packet::tcp_to_socket, docs/conn-tables.md): segments name the
// receiving socket once the peer has spoken, and a hint that names another socket never
// misdirects a segment.

#include <catch2/catch.hpp>

#include "transport_fixture.hpp"

using namespace lvs;
using namespace lvs::literals;
using namespace lvs::test;

namespace {
constexpr TxParams kLink{100'000'000, 1_ms, 1'000'000};
}

TEST_CASE("segments carry the sender's socket and, after the peer's first segment, the receiver's", "[tcp][demux]") {
  Pair t(kLink);
  t.server.reply_bytes = 100;
  const SocketId a = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 1);
  const SocketId b = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 2);
  t.sim.run_until(t.sim.now() + 50_ms);
  REQUIRE(t.server.accepted.size() == 2);
  const SocketId sa = t.server.accepted[0].second;
  const SocketId sb = t.server.accepted[1].second;
  REQUIRE(sa != sb);
  t.c.tcp_send(a, 10, 1);
  t.c.tcp_send(b, 10, 2);
  t.sim.run_until(t.sim.now() + 200_ms);
  REQUIRE(t.server.messages.size() == 2);
  for (const SegmentLog::Row& r : t.log.tcp()) {
    const bool from_a = r.from == "c" ? r.pkt.sport == t.c.tcp_local_port(a) : r.pkt.dport == t.c.tcp_local_port(a);
    const SocketId client_socket = from_a ? a : b;
    const SocketId server_socket = from_a ? sa : sb;
    if (r.from == "c") {
      CHECK(r.pkt.tcp_from_socket == client_socket);
      // The SYN knows no server socket; every later segment names it.
      CHECK(r.pkt.tcp_to_socket == (r.pkt.has_flag(tcp_flags::kSyn) ? ~std::uint32_t{0} : server_socket));
    } else {
      CHECK(r.pkt.tcp_from_socket == server_socket);
      CHECK(r.pkt.tcp_to_socket == client_socket);
    }
  }
}

TEST_CASE("a segment whose hint names another socket goes to the socket of its four-tuple", "[tcp][demux]") {
  Pair t(kLink);
  const SocketId a = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 1);
  t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 2);
  t.sim.run_until(t.sim.now() + 50_ms);
  REQUIRE(t.server.accepted.size() == 2);
  const SocketId sa = t.server.accepted[0].second;
  const SocketId sb = t.server.accepted[1].second;
  // A RST of connection a, in window, hinting at b's server socket (and, second, at a slot
  // past the end of the slab): only a's server socket is reset.
  for (const std::uint32_t hint : {sb, 1000U}) {
    SegmentLog::Row last = t.log.tcp("c").front();
    for (const SegmentLog::Row& r : t.log.tcp("c"))
      if (r.pkt.sport == t.c.tcp_local_port(a)) last = r;  // a's latest segment: its seq is in window
    REQUIRE(last.pkt.sport == t.c.tcp_local_port(a));
    const PacketId p = t.net.new_packet();
    Packet& rst = t.net.packets()[p];
    rst.ip.src = ip("10.0.0.1");
    rst.ip.dst = ip("10.0.0.2");
    rst.ip.proto = IpProto::Tcp;
    rst.sport = last.pkt.sport;
    rst.dport = 80;
    rst.tcp.flags = tcp_flags::kRst;
    rst.tcp.seq = last.pkt.tcp.seq;
    rst.tcp_to_socket = hint;
    const bool first = hint == sb;
    t.s.deliver(*t.s.interface("eth0"), p);
    if (first) {
      REQUIRE(t.server.closed.size() == 1);
      CHECK(t.server.closed[0].s == sa);
      CHECK(t.server.closed[0].why == TcpCloseReason::Reset);
      CHECK(t.s.tcp_open_sockets() == 1);
    } else {
      CHECK(t.server.closed.size() == 1);  // a's socket is gone: the RST finds no connection
      CHECK(t.s.tcp_open_sockets() == 1);
    }
  }
}
