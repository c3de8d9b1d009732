#include <catch2/catch.hpp>

#include "nfs_server_fixture.hpp"
#include "storage/drbd.hpp"

using namespace lvs;
using namespace lvs::storage;
using lvs::test::NfsProbe;
using lvs::test::equal_files;
using lvs::test::instant_disk;

namespace {

// 1000 small I/Os per second and 1 MB/s: a 1000-byte write holds the disk 1 + 1 ms.
DiskConfig peer_disk() {
  DiskConfig d;
  d.iops = 1000;
  d.bandwidth = 1e6;
  return d;
}

NfsServerConfig with_disk(DiskConfig d) {
  NfsServerConfig c;
  c.disk = d;
  return c;
}

// Client c -- primary p (10.0.0.2) -- secondary q (10.0.1.3), two 1 Gb/s, 5 us links. The
// primary's disk takes no time, so a COMMIT's latency beyond the no-DRBD one is DRBD's.
struct DrbdBench {
  Simulation sim{1};
  Network net{sim};
  EndHost& c = net.add_node<EndHost>("c");
  EndHost& p = net.add_node<EndHost>("p");
  EndHost& q = net.add_node<EndHost>("q");
  Catalogue content{equal_files(4, 1000), sim.rng("content/sizes")};
  NfsServer primary{p, sim, "p", with_disk(instant_disk()), content};
  NfsServer secondary{q, sim, "q", with_disk(peer_disk()), content};
  DrbdDevice drbd_p, drbd_q;
  NfsProbe client{c, sim, *Ipv4Address::parse("10.0.0.2")};

  DrbdBench(std::optional<DrbdProtocol> protocol)
      : drbd_p(p, sim, "p", DrbdConfig{protocol.value_or(DrbdProtocol::C)}, primary),
        drbd_q(q, sim, "q", DrbdConfig{protocol.value_or(DrbdProtocol::C)}, secondary) {
    lvs::test::answer_arp_at_once(c);
    lvs::test::answer_arp_at_once(p);
    lvs::test::answer_arp_at_once(q);
    Interface& c0 = c.add_ethernet("eth0", MacAddress::local(1), *Ipv4Prefix::parse("10.0.0.1/24"));
    Interface& p0 = p.add_ethernet("eth0", MacAddress::local(2), *Ipv4Prefix::parse("10.0.0.2/24"));
    Interface& p1 = p.add_ethernet("eth1", MacAddress::local(3), *Ipv4Prefix::parse("10.0.1.2/24"));
    Interface& q0 = q.add_ethernet("eth0", MacAddress::local(4), *Ipv4Prefix::parse("10.0.1.3/24"));
    net.connect("c-p", c0, p0, TxParams{});
    net.connect("p-q", p1, q0, TxParams{});
    primary.start();
    if (protocol) {
      primary.set_replicator(&drbd_p);
      drbd_q.start_secondary();
      drbd_p.promote(*Ipv4Address::parse("10.0.1.3"));
    }
    client.connect();
    sim.run_until(Time::ms(10));
  }

  // Seconds from a COMMIT of file 1 leaving the client to its reply.
  double commit_latency() {
    client.call(RpcCallTag{7, NfsOp::Commit, 0, 1});
    sim.run_until(sim.now() + Time::s(30));  // a disconnected primary retries its peer every 10 s
    REQUIRE(client.replies.size() == 1);
    return (client.replies[0].t - client.sent.back().t).seconds();
  }
};

// One frame on a 1 Gb/s, 5 us link: Ethernet 14 + IP 20 + TCP 32 (timestamps) + payload + FCS
// 4, plus preamble and inter-frame gap 20, at 8 ns a byte; then 5 us propagation.
double frame_seconds(std::uint32_t payload) { return (14 + 20 + 32 + payload + 4 + 20) * 8e-9 + 5e-6; }

}  // namespace

TEST_CASE("drbd: protocol C write latency = network round trip + peer disk write, by hand", "[drbd]") {
  const double none = DrbdBench(std::nullopt).commit_latency();
  // The P_DATA message (1000 + 32 bytes, one segment) to the peer and its 32-byte ack back.
  const double rtt = frame_seconds(1000 + kDrbdHeaderBytes) + frame_seconds(kDrbdHeaderBytes);
  const double peer_write = 1.0 / 1000 + 1000 / 1e6;  // 1/iops + bytes/bandwidth
  CHECK(DrbdBench(DrbdProtocol::A).commit_latency() == Approx(none).margin(1e-9));
  CHECK(DrbdBench(DrbdProtocol::B).commit_latency() == Approx(none + rtt).margin(1e-9));
  CHECK(DrbdBench(DrbdProtocol::C).commit_latency() == Approx(none + rtt + peer_write).margin(1e-9));
}

TEST_CASE("drbd: the secondary's disk gets every replicated write, and its change attribute follows", "[drbd]") {
  DrbdBench b(DrbdProtocol::C);
  b.commit_latency();
  CHECK(b.drbd_p.stats().replicated == 1);
  CHECK(b.drbd_p.stats().acked == 1);
  CHECK(b.drbd_q.stats().received == 1);
  CHECK(b.secondary.disk().stats().writes == 1);
  CHECK(b.secondary.disk().stats().written_bytes == 1000);
}

TEST_CASE("drbd: a dead peer holds a protocol C write for the timeout (6 s), then it completes locally", "[drbd]") {
  DrbdBench b(DrbdProtocol::C);
  b.q.forget_all();
  for (const auto& i : b.q.interfaces()) i->set_up(false);
  b.drbd_q.power_off();
  const double latency = b.commit_latency();
  CHECK(latency > 6.0);
  CHECK(latency < 6.001);
  CHECK(b.drbd_p.stats().disconnects == 1);
  CHECK(b.drbd_p.stats().out_of_sync == 1);
}

TEST_CASE("drbd: a disconnected primary completes writes on its own disk (out of sync)", "[drbd]") {
  DrbdBench b(DrbdProtocol::C);
  const double none = DrbdBench(std::nullopt).commit_latency();
  b.drbd_p.power_off();  // forgets its connection: from now on it is not connected
  b.primary.set_replicator(&b.drbd_p);
  CHECK(b.commit_latency() == Approx(none).margin(1e-9));
  CHECK(b.drbd_p.stats().out_of_sync == 1);
}
