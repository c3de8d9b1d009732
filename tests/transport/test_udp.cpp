// UDP on an EndHost: messages cut into datagrams of at most MTU - 28 bytes, and ICMP
// port unreachable for a port nobody bound.

#include <catch2/catch.hpp>

#include "transport_fixture.hpp"

using namespace lvs;
using namespace lvs::literals;
using namespace lvs::test;

namespace {

struct DatagramLog : UdpApp {
  std::vector<Packet> got;
  void on_datagram(const Packet& p) override { got.push_back(p); }
};

constexpr TxParams kGigabit{1'000'000'000, 5_us, 1'000'000};

}  // namespace

TEST_CASE("UDP: a 4000-byte message goes as 1472 + 1472 + 1056, each with tag and size", "[udp]") {
  Pair t(kGigabit);
  DatagramLog server;
  t.s.udp_bind(53, server);
  t.c.udp_send(Ipv4Address(), 5000, ip("10.0.0.2"), 53, 4000, 77);
  t.sim.run();
  REQUIRE(server.got.size() == 3);
  const std::uint32_t sizes[] = {1472, 1472, 1056};
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(server.got[i].payload == sizes[i]);
    CHECK(server.got[i].app == 77);
    CHECK(server.got[i].message_bytes == 4000);
    CHECK(server.got[i].ip.src == ip("10.0.0.1"));
    CHECK(server.got[i].sport == 5000);
  }
  CHECK(server.got[0].ip_bytes() == 1500);
  CHECK(server.got[2].ip_bytes() == 1084);
  CHECK(t.c.transport_stats().udp_datagrams_out == 3);
  CHECK(t.s.transport_stats().udp_datagrams_in == 3);
}

TEST_CASE("UDP: an empty message is one empty datagram", "[udp]") {
  Pair t(kGigabit);
  DatagramLog server;
  t.s.udp_bind(53, server);
  t.c.udp_send(Ipv4Address(), 5000, ip("10.0.0.2"), 53, 0, 1);
  t.sim.run();
  REQUIRE(server.got.size() == 1);
  CHECK(server.got[0].payload == 0);
}

TEST_CASE("UDP: a datagram to an unbound port is answered with ICMP port unreachable", "[udp][icmp]") {
  Pair t(kGigabit);
  t.c.udp_send(Ipv4Address(), 5000, ip("10.0.0.2"), 54, 100, 1);
  t.sim.run();
  CHECK(t.s.transport_stats().udp_no_port == 1);
  REQUIRE(t.log.rows.size() == 2);
  const Packet icmp = t.log.rows[1].pkt;
  CHECK(t.log.rows[1].from == "s");
  CHECK(icmp.ip.proto == IpProto::Icmp);
  CHECK(icmp.icmp.type == IcmpType::DestUnreachable);
  CHECK(icmp.icmp.code == icmp_code::kPortUnreachable);
  CHECK(icmp.icmp.quoted_dport == 54);
  CHECK(icmp.ip.dst == ip("10.0.0.1"));
  CHECK(t.log.drops == std::vector<std::string>{"s: UDP port unreachable (ICMP sent)"});
}
