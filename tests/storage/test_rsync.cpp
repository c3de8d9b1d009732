#include <catch2/catch.hpp>

#include "nfs_server_fixture.hpp"
#include "recording_waiter.hpp"
#include "storage/rsync.hpp"

using namespace lvs;
using namespace lvs::storage;
using lvs::test::equal_files;
using lvs::test::instant_disk;
using lvs::test::RecordingWaiter;

namespace {

// Source s (10.0.0.2) and web server w (10.0.0.1) on one 1 Gb/s, 5 us link; one 1000-byte file.
struct RsyncBench {
  Simulation sim{1};
  Network net{sim};
  EndHost& w = net.add_node<EndHost>("w");
  EndHost& s = net.add_node<EndHost>("s");
  Catalogue content{equal_files(1, 1000), sim.rng("content/sizes")};
  LocalMount mount{sim, "w", LocalMountConfig{"s:/export", "/var/www/html", 1 << 20, instant_disk()}, content};
  RsyncSource source{s, sim, Time::s(60), content, {RsyncTarget{&w, *Ipv4Address::parse("10.0.0.1"), &mount}}};
  RecordingWaiter waiter{sim};

  RsyncBench() {
    lvs::test::answer_arp_at_once(w);
    lvs::test::answer_arp_at_once(s);
    Interface& w0 = w.add_ethernet("eth0", MacAddress::local(1), *Ipv4Prefix::parse("10.0.0.1/24"));
    Interface& s0 = s.add_ethernet("eth0", MacAddress::local(2), *Ipv4Prefix::parse("10.0.0.2/24"));
    net.connect("w-s", w0, s0, TxParams{});
    mount.set_upload_sink(&source);
    source.start();
  }
};

// One frame on a 1 Gb/s, 5 us link: Ethernet 14 + IP 20 + TCP header + payload + FCS 4, plus
// preamble and gap 20, at 8 ns a byte; then 5 us.
double frame_seconds(std::uint32_t tcp_and_payload) { return (14 + 20 + tcp_and_payload + 4 + 20) * 8e-9 + 5e-6; }

}  // namespace

TEST_CASE("rsync: the staleness of one write = time to the next run + the transfer, by hand", "[rsync]") {
  RsyncBench b;
  b.sim.run_until(Time::s(10));
  CHECK_FALSE(b.mount.write(0, b.waiter, 1));
  b.sim.run_until(Time::s(100));
  REQUIRE(b.source.stats().propagated == 1);
  // The run at 60 s: SYN and SYN-ACK (TCP header 40 bytes: MSS, SACK-permitted, timestamps,
  // window scale), then the ACK (32) and the transfer (32 + the file list's 40 + 1000) back to back.
  const double transfer = frame_seconds(40) + frame_seconds(40) + (14 + 20 + 32 + 4 + 20) * 8e-9 +
                          frame_seconds(32 + kRsyncFileListEntryBytes + 1000);
  CHECK(b.source.stats().staleness.max() == Approx(50 + transfer).margin(1e-9));
  CHECK(b.source.stats().completed == 1);
  CHECK(b.source.pending() == 0);
}

TEST_CASE("rsync: a crashed source stops the updates, not the reads", "[rsync]") {
  RsyncBench b;
  b.sim.run_until(Time::s(10));
  b.mount.write(0, b.waiter, 1);
  b.source.power_off();
  b.s.forget_all();
  b.sim.run_until(Time::s(200));
  CHECK(b.source.stats().propagated == 0);
  CHECK(b.source.pending() == 1);
  CHECK(b.source.oldest_pending_seconds() == Approx(190));
  const std::size_t done = b.waiter.done.size();
  b.mount.read(0, b.waiter, 2);  // the local copy serves the read, source or no source
  b.sim.run_until(Time::s(200) + Time::ms(1));
  CHECK(b.waiter.done.size() == done + 1);
  b.source.start();  // boots at 200.001 s: the runs are due at k x 60 s; the one at 240 s carries it
  b.sim.run_until(Time::s(300));
  CHECK(b.source.stats().propagated == 1);
  CHECK(b.source.stats().staleness.max() == Approx(230).margin(0.001));
}

TEST_CASE("local mount: a read not in the page cache waits for the local disk, then hits", "[rsync]") {
  RsyncBench b;
  CHECK_FALSE(b.mount.read(0, b.waiter, 1));
  b.sim.run_until(Time::s(1));
  CHECK(b.waiter.done.size() == 1);
  CHECK(b.mount.read(0, b.waiter, 2));
  CHECK(b.mount.stats().blocked == 1);
  CHECK(b.mount.stats().immediate == 1);
}
