#include <catch2/catch.hpp>

#include "nfs_server_fixture.hpp"
#include "recording_waiter.hpp"
#include "storage/gluster.hpp"

using namespace lvs;
using namespace lvs::storage;
using lvs::test::equal_files;
using lvs::test::instant_disk;
using lvs::test::RecordingWaiter;

namespace {

// Client c with a 1 Gb/s, 5 us link to each brick: g1 (10.0.0.2) and g2 (10.0.1.2).
struct GlusterBench {
  Simulation sim{1};
  Network net{sim};
  EndHost& c = net.add_node<EndHost>("c");
  EndHost& g1 = net.add_node<EndHost>("g1");
  EndHost& g2 = net.add_node<EndHost>("g2");
  Catalogue content{equal_files(10, 1000), sim.rng("content/sizes")};
  GlusterBrick brick1{g1, sim, "g1", instant_disk(), 1 << 20, content};
  GlusterBrick brick2{g2, sim, "g2", instant_disk(), 1 << 20, content};
  std::unique_ptr<GlusterMount> mount;
  RecordingWaiter waiter{sim};
  std::vector<std::string> messages;

  GlusterBench() {
    for (EndHost* h : {&c, &g1, &g2}) lvs::test::answer_arp_at_once(*h);
    Interface& c0 = c.add_ethernet("eth0", MacAddress::local(1), *Ipv4Prefix::parse("10.0.0.1/24"));
    Interface& c1 = c.add_ethernet("eth1", MacAddress::local(2), *Ipv4Prefix::parse("10.0.1.1/24"));
    Interface& a = g1.add_ethernet("eth0", MacAddress::local(3), *Ipv4Prefix::parse("10.0.0.2/24"));
    Interface& b = g2.add_ethernet("eth0", MacAddress::local(4), *Ipv4Prefix::parse("10.0.1.2/24"));
    net.connect("c-g1", c0, a, TxParams{});
    net.connect("c-g2", c1, b, TxParams{});
    brick1.start();
    brick2.start();
    GlusterMountConfig cfg;
    cfg.bricks = {*Ipv4Address::parse("10.0.0.2"), *Ipv4Address::parse("10.0.1.2")};
    mount = std::make_unique<GlusterMount>(c, sim, "c", cfg, content);
    mount->on_kernel_message([this](Time, const std::string& line) { messages.push_back(line); });
    sim.run_until(Time::s(1));
  }
  void crash_g1() {
    g1.forget_all();
    for (const auto& i : g1.interfaces()) i->set_up(false);
    brick1.power_off();
  }
};

}  // namespace

TEST_CASE("gluster: a read looks up on every brick, then reads from the first", "[gluster]") {
  GlusterBench b;
  CHECK_FALSE(b.mount->read(3, b.waiter, 1));
  b.sim.run_until(Time::s(2));
  REQUIRE(b.waiter.done.size() == 1);
  CHECK(b.waiter.done[0].t - Time::s(1) < Time::ms(1));
  CHECK(b.brick1.calls() == 2);  // LOOKUP, READ
  CHECK(b.brick2.calls() == 1);  // LOOKUP
  CHECK(b.mount->read(3, b.waiter, 2));  // within the 1 s attribute timeout, cached
}

TEST_CASE("gluster: an operation issued just after a brick dies completes at death + ping-timeout (42 s) + RTT",
          "[gluster]") {
  GlusterBench b;
  b.crash_g1();
  const Time died = b.sim.now();
  b.sim.run_until(died + Time::ms(1));
  const Time issued = b.sim.now();
  CHECK_FALSE(b.mount->read(5, b.waiter, 1));
  b.sim.run_until(died + Time::s(50));
  REQUIRE(b.waiter.done.size() == 1);
  // Declared down 42 s after the LOOKUP was sent; then the READ goes to g2 (one round trip).
  CHECK(b.waiter.done[0].t >= issued + Time::s(42));
  CHECK(b.waiter.done[0].t < issued + Time::s(42) + Time::ms(1));
  CHECK_FALSE(b.mount->brick_up(0));
  REQUIRE(b.messages.size() == 1);
  CHECK(b.messages[0] == "[rpc-clnt-ping.c] gv0-client-0: server 10.0.0.2:49152 has not responded in the last 42 seconds, "
                         "disconnecting.");
  // Afterwards the survivor alone serves, at once.
  const Time later = b.sim.now();
  CHECK_FALSE(b.mount->write(6, b.waiter, 2));
  b.sim.run_until(later + Time::s(1));
  REQUIRE(b.waiter.done.size() == 2);
  CHECK(b.waiter.done[1].t - later < Time::ms(1));
}
