// TCP options as Linux sends them with its default sysctls (tcp_timestamps=1, tcp_sack=1,
// tcp_window_scaling=1, a 6 MiB tcp_rmem giving window scale 7): the SYN and SYN-ACK are
// 74-byte frames before the FCS, every later segment carries 12 bytes of timestamp
// option, and a full segment holds 1448 bytes of data at MTU 1500. Times are computed by
// hand from the link's rate and delay.

#include <catch2/catch.hpp>

#include "transport_fixture.hpp"

using namespace lvs;
using namespace lvs::literals;
using namespace lvs::test;

namespace {

// 100 Mb/s, 1 ms. A frame of B bytes occupies B + 20 bytes of wire (preamble, gap).
constexpr TxParams k100M{100'000'000, 1_ms, 1'000'000};
constexpr std::int64_t hop(std::int64_t frame) { return (frame + 20) * 80 + 1'000'000; }  // ns

TcpConfig linux_defaults() { return TcpConfig{}; }

std::uint8_t all_syn_options() {
  return tcp_option::kMss | tcp_option::kSackPermitted | tcp_option::kTimestamps | tcp_option::kWindowScale;
}

}  // namespace

TEST_CASE("Linux's SYN: MSS, SACK-permitted, timestamps, NOP, window scale: 74 bytes before the FCS",
          "[tcp][options]") {
  Pair t(k100M, 1500, 1500, linux_defaults());
  const SocketId cs = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 1);
  t.sim.run_until(50_ms);
  const auto rows = t.log.tcp();
  REQUIRE(rows.size() >= 3);
  const TcpHeader& syn = rows[0].pkt.tcp;
  const TcpHeader& synack = rows[1].pkt.tcp;
  const TcpHeader& ack = rows[2].pkt.tcp;

  CHECK(syn.kinds == all_syn_options());
  CHECK(syn.options == 20);  // 4 + 2 + 10 + 1 + 3
  CHECK(syn.mss == 1460);
  CHECK(syn.wscale == 7);
  CHECK(syn.tsecr == 0);
  CHECK(rows[0].pkt.frame_bytes() == 74 + 4);
  CHECK(syn.window == 65535);  // a SYN's window is never scaled

  CHECK(synack.kinds == all_syn_options());
  CHECK(rows[1].pkt.frame_bytes() == 78);
  CHECK(synack.tsecr == syn.tsval);  // TS.Recent echoed (RFC 7323 4.3)
  CHECK(synack.window == 65535);

  CHECK(ack.kinds == tcp_option::kTimestamps);
  CHECK(ack.options == 12);  // nop, nop, TS
  CHECK(rows[2].pkt.frame_bytes() == 14 + 20 + 32 + 4);
  CHECK(ack.tsecr == synack.tsval);
  CHECK(ack.window == 65535 >> 7);  // 511: the receive window scaled by our shift

  // ARP request and reply (64-byte frames), then SYN and SYN-ACK (78-byte frames).
  REQUIRE(t.client.connected.size() == 1);
  CHECK(t.client.connected[0].first == Time::ns(2 * hop(64) + 2 * hop(78)));
  CHECK(t.c.tcp_info(cs).mss == 1448);  // 1460 less the timestamp option
  CHECK(t.c.tcp_info(cs).cwnd == 10 * 1448);
}

TEST_CASE("with timestamps on, a full segment carries 1448 bytes in a 1518-byte frame", "[tcp][options]") {
  Pair t(k100M, 1500, 1500, linux_defaults());
  t.warm_arp();
  const SocketId cs = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 1);
  t.sim.run_until(t.sim.now() + 10_ms);
  t.c.tcp_send(cs, 10'000, 5);
  t.sim.run();
  std::vector<std::uint32_t> sizes, frames;
  for (const auto& r : t.log.data("c")) {
    sizes.push_back(r.pkt.payload);
    frames.push_back(r.pkt.frame_bytes());
    CHECK(r.pkt.tcp.kinds == tcp_option::kTimestamps);
  }
  CHECK(sizes == std::vector<std::uint32_t>{1448, 1448, 1448, 1448, 1448, 1448, 1312});
  CHECK(frames == std::vector<std::uint32_t>{1518, 1518, 1518, 1518, 1518, 1518, 14 + 20 + 32 + 1312 + 4});
  REQUIRE(t.server.messages.size() == 1);
  CHECK(t.server.messages[0].bytes == 10'000);
}

TEST_CASE("tcp_timestamps=2: TSval is the host's millisecond clock, with no offset", "[tcp][options]") {
  TcpConfig cfg;
  cfg.timestamps = 2;
  Pair t(k100M, 1500, 1500, cfg);
  t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 1);
  t.sim.run_until(50_ms);
  const auto rows = t.log.tcp();
  REQUIRE(rows.size() >= 2);
  // The SYN is built at 0 and waits for ARP (it leaves at 2.013 ms): Linux stamps TSval
  // when TCP builds the segment, not when the neighbour layer sends it. The SYN-ACK is
  // built and sent at 3.021 ms.
  CHECK(rows[0].t == Time::ns(2 * hop(64)));
  CHECK(rows[0].pkt.tcp.tsval == 0);
  CHECK(rows[1].t == Time::ns(2 * hop(64) + hop(78)));
  CHECK(rows[1].pkt.tcp.tsval == 3);
}

TEST_CASE("tcp_timestamps=1: TSval is offset per destination, and still counts milliseconds", "[tcp][options]") {
  Pair t(k100M, 1500, 1500, linux_defaults());
  t.warm_arp();
  t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 1);
  t.sim.run_until(t.sim.now() + 10_ms);
  t.sim.run_until(t.sim.now() + 1_s);
  t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 2);
  t.sim.run_until(t.sim.now() + 10_ms);
  std::vector<SegmentLog::Row> syns;
  for (const auto& r : t.log.tcp("c"))
    if (r.pkt.has_flag(tcp_flags::kSyn)) syns.push_back(r);
  REQUIRE(syns.size() == 2);
  const auto ms = [](Time at) { return static_cast<std::uint32_t>(at.count() / 1'000'000); };
  const std::uint32_t offset = syns[0].pkt.tcp.tsval - ms(syns[0].t);
  CHECK(offset != 0);  // the offset hides the clock (a zero offset has odds 2^-32)
  CHECK(syns[1].pkt.tcp.tsval - ms(syns[1].t) == offset);  // same destination, same offset
}

TEST_CASE("each option is on only if both ends want it, and the sizes follow", "[tcp][options]") {
  struct Row {
    const char* name;
    int server_timestamps;
    bool server_sack;
    bool client_window_scaling;
    std::uint8_t synack_kinds;
    std::uint32_t syn_frame, synack_frame, ack_frame, mss;
  };
  const Row rows[] = {
      // MSS + nop nop SACK-permitted + nop wscale = 12 option bytes; no timestamps after.
      {"server tcp_timestamps=0", 0, true, true,
       tcp_option::kMss | tcp_option::kSackPermitted | tcp_option::kWindowScale, 78, 70, 64, 1460},
      // MSS + nop nop TS + nop wscale = 20.
      {"server tcp_sack=0", 1, false, true,
       tcp_option::kMss | tcp_option::kTimestamps | tcp_option::kWindowScale, 78, 78, 70, 1448},
      // MSS + SACK-permitted TS = 16 both ways; the ACK's window is not scaled.
      {"client tcp_window_scaling=0", 1, true, false,
       tcp_option::kMss | tcp_option::kSackPermitted | tcp_option::kTimestamps, 74, 74, 70, 1448},
  };
  for (const Row& row : rows) {
    INFO(row.name);
    Simulation sim{1};
    Network net{sim};
    SegmentLog log;
    net.set_observer(&log);
    TcpConfig ccfg, scfg;
    ccfg.window_scaling = row.client_window_scaling;
    scfg.timestamps = row.server_timestamps;
    scfg.sack = row.server_sack;
    EndHost& c = net.add_node<EndHost>("c", ccfg);
    EndHost& s = net.add_node<EndHost>("s", scfg);
    answer_arp_at_once_everywhere(net);
    net.connect("c-s", c.add_ethernet("eth0", MacAddress::local(1), prefix("10.0.0.1/24")),
                s.add_ethernet("eth0", MacAddress::local(2), prefix("10.0.0.2/24")), k100M);
    RecordingApp client(c, sim), server(s, sim);
    s.tcp_listen(80, server, 128);
    const SocketId cs = c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, client, 1);
    sim.run_until(50_ms);
    const auto segs = log.tcp();
    REQUIRE(segs.size() >= 3);
    CHECK(segs[0].pkt.frame_bytes() == row.syn_frame);
    CHECK(segs[1].pkt.tcp.kinds == row.synack_kinds);
    CHECK(segs[1].pkt.frame_bytes() == row.synack_frame);
    CHECK(segs[2].pkt.frame_bytes() == row.ack_frame);
    CHECK(segs[2].pkt.tcp.window == (row.client_window_scaling ? 511 : 65535));
    CHECK(c.tcp_info(cs).mss == row.mss);
  }
}

TEST_CASE("path MTU discovery keeps room for the timestamp option", "[tcp][options][pmtu]") {
  // A 1000-byte MTU on the server's side: its SYN-ACK announces MSS 960, so the client
  // sends 948 bytes of data per segment.
  Pair t(k100M, 1500, 1000, linux_defaults());
  t.warm_arp();
  const SocketId cs = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 1);
  t.sim.run_until(t.sim.now() + 10_ms);
  CHECK(t.c.tcp_info(cs).mss == 960 - 12);
  t.c.tcp_send(cs, 2'000, 1);
  t.sim.run();
  std::vector<std::uint32_t> sizes;
  for (const auto& r : t.log.data("c")) sizes.push_back(r.pkt.payload);
  CHECK(sizes == std::vector<std::uint32_t>{948, 948, 104});
}
