#include <catch2/catch.hpp>

#include "net/packet.hpp"
#include "net/tx_queue.hpp"

using namespace lvs;
using namespace lvs::literals;

TEST_CASE("frame sizes follow the headers, with the 64-byte minimum", "[net][packet]") {
  Packet syn;
  syn.ip.proto = IpProto::Tcp;
  syn.tcp.flags = tcp_flags::kSyn;
  syn.tcp.options = kTcpMssOption;
  CHECK(syn.ip_bytes() == 44);      // 20 IP + 24 TCP
  CHECK(syn.frame_bytes() == 64);   // 14 + 44 + 4 = 62, padded to 64
  CHECK(syn.wire_bytes() == 84);

  Packet full;
  full.ip.proto = IpProto::Tcp;
  full.payload = 1460;
  CHECK(full.ip_bytes() == 1500);
  CHECK(full.frame_bytes() == 1518);
  CHECK(full.wire_bytes() == 1538);
  full.encapsulated = true;         // IPIP adds 20
  CHECK(full.ip_bytes() == 1520);

  Packet udp;
  udp.ip.proto = IpProto::Udp;
  udp.payload = 100;
  CHECK(udp.frame_bytes() == 14 + 20 + 8 + 100 + 4);

  Packet arp;
  arp.ethertype = EtherType::Arp;
  CHECK(arp.frame_bytes() == 64);   // 14 + 28 + 4 = 46, padded

  Packet icmp;
  icmp.ip.proto = IpProto::Icmp;
  CHECK(icmp.ip_bytes() == 20 + 8 + 28);
}

TEST_CASE("a FIFO computes departures without events, and drops at the tail", "[net][link]") {
  // 1 Gb/s: 1538 wire bytes take 12 304 ns; 10 us propagation.
  TxQueue q(TxParams{1'000'000'000, 10_us, 4000});
  CHECK(q.serialisation(1538) == Time::ns(12'304));
  CHECK(q.enqueue(0_ns, 1518, 1538) == Time::ns(12'304) + 10_us);
  CHECK(q.enqueue(0_ns, 1518, 1538) == Time::ns(2 * 12'304) + 10_us);  // waits behind the first
  CHECK(q.backlog_bytes(0_ns) == 3076);
  CHECK_FALSE(q.enqueue(0_ns, 1518, 1538).has_value());                // 3076 + 1538 > 4000
  CHECK(q.stats().drops == 1);
  CHECK(q.backlog_bytes(Time::ns(12'304)) == 1538);
  CHECK(q.enqueue(Time::ns(12'304), 1518, 1538) == Time::ns(3 * 12'304) + 10_us);
  CHECK(q.stats().packets == 3);
  CHECK(q.stats().bytes == 3 * 1518);
  CHECK(q.utilization(Time::ns(3 * 12'304)) == Approx(1.0));
  CHECK(q.utilization(Time::ns(6 * 12'304)) == Approx(0.5));
  CHECK(q.utilization(Time::ns(12'304)) == Approx(1.0));  // work committed later does not count yet
}
