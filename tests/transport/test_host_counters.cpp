// The hosts' own counters of the lessons' packets (net/host_counters.hpp), on topologies
// small enough to count by hand: each figure below is one packet that the test can name.

#include <catch2/catch.hpp>

#include "transport_fixture.hpp"

using namespace lvs;
using namespace lvs::literals;
using namespace lvs::test;

namespace {

constexpr TxParams kGigabit{1'000'000'000, 5_us, 1'000'000};

}  // namespace

// Cold caches: c asks "who has 10.0.0.2?" (1 request), s answers (1 reply) and learns c
// from the request itself, as STALE (Linux's neigh_event_ns). c's SYN to port 81, where
// nobody listens, is answered by one RST (RFC 793 3.4), sent through that STALE entry: it
// goes at once, and the entry waits in DELAY for a confirmation that never comes (a RST
// confirms nothing), so 5 s later s probes c by unicast (1 request) and c answers (1 reply).
TEST_CASE("host counters: a SYN to a closed port across cold ARP caches, one of each", "[tcp][rst][arp][counters]") {
  Pair t(kGigabit);
  t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 81, t.client, 1);
  const HostCounters& c = t.c.host_counters();
  const HostCounters& s = t.s.host_counters();
  t.sim.run_until(Time::s(4));
  CHECK(s.arp_requests_sent == 0);  // DELAY: not yet
  t.sim.run();
  REQUIRE(t.client.closed.size() == 1);
  CHECK(t.client.closed[0].why == TcpCloseReason::Reset);
  CHECK(s.rst_sent == 1);
  CHECK(c.rst_received == 1);
  CHECK(c.rst_sent == 0);
  CHECK(s.rst_received == 0);
  CHECK(c.arp_requests_sent == 1);
  CHECK(s.arp_requests_received == 1);
  CHECK(s.arp_replies_sent == 1);
  CHECK(c.arp_replies_received == 1);
  CHECK(s.arp_requests_sent == 1);
  CHECK(c.arp_requests_received == 1);
  CHECK(c.arp_replies_sent == 1);
  CHECK(s.arp_replies_received == 1);
  CHECK(c.syn_retransmits + c.retransmits + s.syn_retransmits + s.retransmits == 0);
  CHECK(c.icmp_sent.total() + c.icmp_received.total() + s.icmp_sent.total() + s.icmp_received.total() == 0);
  // The transport's own counters agree: one RST each way.
  CHECK(t.s.transport_stats().resets_sent == s.rst_sent);
  CHECK(t.c.transport_stats().resets_received == c.rst_received);
}

TEST_CASE("host counters: tcp_abort's RST is sent by one host and received by the other", "[tcp][rst][counters]") {
  Pair t(kGigabit);
  const SocketId cs = t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.2"), 80, t.client, 1);
  t.sim.run();
  t.c.tcp_abort(cs);
  t.sim.run();
  CHECK(t.c.host_counters().rst_sent == 1);
  CHECK(t.s.host_counters().rst_received == 1);
  CHECK(t.s.host_counters().rst_sent == 0);
}

TEST_CASE("host counters: a datagram to a closed UDP port, one ICMP port unreachable each way", "[udp][icmp][counters]") {
  Pair t(kGigabit);
  t.c.udp_send(Ipv4Address(), 5000, ip("10.0.0.2"), 54, 100, 1);
  t.sim.run();
  const HostCounters& c = t.c.host_counters();
  const HostCounters& s = t.s.host_counters();
  CHECK(s.icmp_sent[IcmpKind::PortUnreachable] == 1);
  CHECK(s.icmp_sent.total() == 1);
  CHECK(c.icmp_received[IcmpKind::PortUnreachable] == 1);
  CHECK(c.icmp_received.total() == 1);
  CHECK(c.icmp_sent.total() == 0);
  CHECK(s.icmp_received.total() == 0);
}

// Nobody holds 10.0.0.3, so no SYN is ever answered: with tcp_syn_retries 2 the SYN is
// sent again twice (RTO 1 s, then 2 s) before the connection times out. Both count as
// retransmitted SYNs and as retransmitted segments.
TEST_CASE("host counters: SYNs sent again are counted as retransmitted SYNs", "[tcp][counters]") {
  TcpConfig tcp = bare_tcp();
  tcp.syn_retries = 2;
  Pair t(kGigabit, 1500, 1500, tcp);
  t.c.tcp_connect(Ipv4Address(), 0, ip("10.0.0.3"), 80, t.client, 1);
  t.sim.run();
  REQUIRE(t.client.closed.size() == 1);
  CHECK(t.client.closed[0].why == TcpCloseReason::Timeout);
  CHECK(t.c.host_counters().syn_retransmits == 2);
  CHECK(t.c.host_counters().retransmits == 2);
  CHECK(t.c.transport_stats().retransmits == 2);
}
