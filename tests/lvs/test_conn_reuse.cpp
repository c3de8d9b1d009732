// A SYN that finds an existing connection of its four-tuple, and packets for a connection
// whose real server is gone, as ip_vs_in() treats them (ipvs-sysctl.rst: conn_reuse_mode,
// expire_nodest_conn; docs/ports.md). The client sends SYNs from port 40000 by hand.

#include <catch2/catch.hpp>

#include "lvs_fixture.hpp"

using namespace lvs;
using namespace lvs::literals;
using namespace lvs::test;

namespace {

// The DR topology with `n` SYNs from the client's port 40000, 10 ms apart. Returns the
// real servers the SYNs reached, in order.
std::vector<std::string> syns(ModeTopology& t, int n) {
  std::vector<std::string> at;
  for (int k = 0; k < n; ++k) {
    const std::size_t before = t.hops.rows.size();
    send_syn(t);
    t.sim.run_until(t.sim.now() + 10_ms);
    for (std::size_t r = before; r < t.hops.rows.size(); ++r)
      if (t.hops.rows[r].starts_with("rs") && t.hops.rows[r].find(" S ") != std::string::npos)
        at.push_back(t.hops.rows[r].substr(0, t.hops.rows[r].find('/')));
  }
  return at;
}

DestId dest_of(const ModeTopology& t, const std::string& server) {
  for (const SchedDest& d : t.service->destinations())
    if (t.service->config(d.id).name == server) return d.id;
  FAIL("no destination " << server);
  throw;
}

// DR with the hops recorded and expire_nodest_conn as given.
void build_dr(ModeTopology& t, bool expire_nodest_conn) {
  build(t, ForwardingMethod::DirectRouting);
  t.net.set_observer(&t.hops);
  t.director->ipvs_sysctl().expire_nodest_conn = expire_nodest_conn;
}

}  // namespace

TEST_CASE("expire_nodest_conn: a SYN on a connection whose real server has weight 0 is scheduled afresh",
          "[lvs][reuse]") {
  for (const bool expire : {false, true}) {
    CAPTURE(expire);
    ModeTopology t;
    build_dr(t, expire);
    t.director->ipvs_sysctl().conn_reuse_mode = 0;  // the rule holds even with reuse off (Linux 5.15+)
    const std::vector<std::string> first = syns(t, 1);
    REQUIRE(first.size() == 1);
    const DestId quiesced = dest_of(t, first[0]);
    t.service->edit_destination(quiesced, 0, 0, 0);
    const std::vector<std::string> second = syns(t, 1);
    REQUIRE(second.size() == 1);
    if (expire) {
      CHECK(second[0] != first[0]);
      CHECK(t.director->counters().rescheduled == 1);
      CHECK(t.service->stats().conns == 2);
    } else {
      CHECK(second[0] == first[0]);  // the old connection (SYN_RECV) carries on
      CHECK(t.director->counters().rescheduled == 0);
      CHECK(t.service->stats().conns == 1);
    }
  }
}

TEST_CASE("expire_nodest_conn: a packet for a connection whose real server was removed expires it at once",
          "[lvs][reuse]") {
  for (const bool expire : {false, true}) {
    CAPTURE(expire);
    ModeTopology t;
    build_dr(t, expire);
    const std::vector<std::string> first = syns(t, 1);
    REQUIRE(first.size() == 1);
    REQUIRE(t.director->connections().size() == 1);
    t.service->remove_destination(dest_of(t, first[0]));
    const std::vector<std::string> second = syns(t, 1);  // its next packet, a SYN again
    CHECK(t.director->counters().dead_destination == 1);
    CHECK(t.director->connections().size() == 1);
    if (!expire) {
      CHECK(second.empty());  // dropped; the old entry stays
      continue;
    }
    // Linux 5.9 and later: the old entry expires and the SYN is scheduled afresh at once, to
    // a server still in the list.
    REQUIRE(second.size() == 1);
    CHECK(second[0] != first[0]);
  }
}

TEST_CASE("expire_nodest_conn with conntrack: the packet of a removed server's connection is dropped",
          "[lvs][reuse]") {
  ModeTopology t;
  build_dr(t, true);
  t.director->ipvs_sysctl().conntrack = true;  // the old conntrack entry is confirmed
  const std::vector<std::string> first = syns(t, 1);
  REQUIRE(first.size() == 1);
  t.service->remove_destination(dest_of(t, first[0]));
  CHECK(syns(t, 1).empty());                   // dropped, the entry expired
  CHECK(t.director->connections().size() == 0);
  const std::vector<std::string> third = syns(t, 1);  // the client's retransmission
  REQUIRE(third.size() == 1);
  CHECK(third[0] != first[0]);
}

TEST_CASE("conn_reuse_mode: a SYN on a live connection goes on with it, whatever the mode", "[lvs][reuse]") {
  for (const int mode : {0, 1, 3}) {
    CAPTURE(mode);
    ModeTopology t;
    build(t, ForwardingMethod::DirectRouting);
    t.net.set_observer(&t.hops);
    t.director->ipvs_sysctl().conn_reuse_mode = mode;
    const std::vector<std::string> at = syns(t, 3);  // the connection is in SYN_RECV: not expected to be reused
    REQUIRE(at.size() == 3);
    CHECK(at[1] == at[0]);
    CHECK(at[2] == at[0]);
    CHECK(t.director->counters().rescheduled == 0);
  }
}
