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

TEST_CASE("tail drop at the exact byte boundary, and serialisation of alternating sizes", "[net][link]") {
  // 1 Gb/s, 4000-byte limit. After a 1538-byte frame at 0 the backlog at t ns is
  // floor((12 304 - t) / 8) bytes: 1538 at 0, 1537 from 1 ns on.
  const TxParams params{1'000'000'000, 10_us, 4000};
  TxQueue at0(params);
  at0.enqueue(0_ns, 1518, 1538);
  CHECK(at0.enqueue(0_ns, 2442, 2462).has_value());        // 1538 + 2462 = 4000: fits
  TxQueue over(params);
  over.enqueue(0_ns, 1518, 1538);
  CHECK_FALSE(over.enqueue(0_ns, 2443, 2463).has_value());  // 4001 > 4000
  TxQueue at1(params);
  at1.enqueue(0_ns, 1518, 1538);
  CHECK(at1.backlog_bytes(1_ns) == 1537);
  CHECK(at1.enqueue(1_ns, 2443, 2463).has_value());         // 1537 + 2463 = 4000
  TxQueue big(params);
  CHECK_FALSE(big.enqueue(0_ns, 3981, 4001).has_value());   // larger than the limit on an idle line
  // Sizes alternate: 84 wire bytes take 672 ns, 1538 take 12 304 ns.
  TxQueue q(params);
  CHECK(q.enqueue(0_ns, 64, 84) == Time::ns(672) + 10_us);
  CHECK(q.enqueue(1_ms, 1518, 1538) == 1_ms + Time::ns(12'304) + 10_us);
  CHECK(q.enqueue(2_ms, 64, 84) == 2_ms + Time::ns(672) + 10_us);
  CHECK(q.enqueue(2_ms, 64, 84) == 2_ms + Time::ns(2 * 672) + 10_us);
}

TEST_CASE("serialisation times remembered for recent sizes are the computed ones", "[net][link]") {
  // 10 Gb/s: 84 wire bytes take 67.2 ns, rounded up to 68; 1538 take 1230.4, 1231; 590
  // take 472 exactly. Three sizes in turn evict each other from the two remembered.
  TxQueue q(TxParams{10'000'000'000, 1_us, 1'000'000});
  const std::uint32_t sizes[] = {84, 1538, 84, 1538, 590, 84, 590, 1538, 1538, 590, 84, 84};
  const auto expected = [](std::uint32_t w) { return Time::ns(w == 84 ? 68 : w == 1538 ? 1231 : 472); };
  Time t = 0_ns;
  for (const std::uint32_t w : sizes) {
    REQUIRE(q.serialisation(w) == expected(w));
    CHECK(q.enqueue(t, w - 20, w) == t + expected(w) + 1_us);  // an idle line each time
    t += 1_ms;
  }
  CHECK(q.stats().busy == Time::ns(5 * 68 + 4 * 1231 + 3 * 472));
}
