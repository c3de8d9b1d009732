// How requests fail, end to end through a NAT director (scenarios/nat-basic.yaml cut down
// with overrides, see run_fixture.hpp): the client's timeout, a refused connection, a
// virtual service with no destination to schedule, and a real server whose accept queue
// is full.

#include <catch2/catch.hpp>

#include "run_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

TEST_CASE("a request not answered within the timeout fails at exactly the timeout", "[run][workload][failures]") {
  // Sessions at 1, 2, 3 s; the client gives up after 1 s and aborts (RST) at 2, 3, 4 s;
  // the server, busy for 2 s, finds each connection gone when it is done.
  const scenario::ScenarioSpec spec =
      nat({"duration=6s", "workload.clients[0].arrivals.rate=1", "workload.clients[0].stop=3500ms",
           "workload.clients[0].timeout=1s", "servers[0].service_time.mean=2s"});
  std::unique_ptr<run::Model> m = run::build_model(spec, spec.seed);
  struct Resets : PacketObserver {
    std::vector<Time> at;
    void on_transmit(Time t, const Interface& out, const Packet& p) override {
      if (out.node().name() == "client" && p.is_tcp() && p.has_flag(tcp_flags::kRst)) at.push_back(t);
    }
  } resets;
  m->net.set_observer(&resets);
  m->sim.run_until(Time::s(6));
  const RequestStats& s = m->clients.at(0)->totals();
  CHECK(s.issued == 3);
  CHECK(s.completed == 0);
  CHECK(failed(s, FailReason::Timeout) == 3);
  CHECK(s.failed_total() == 3);
  CHECK(s.latency.count() == 0);
  CHECK(resets.at == std::vector<Time>{Time::s(2), Time::s(3), Time::s(4)});
  CHECK(served(*m).requests == 3);
  CHECK(served(*m).responses == 0);
  CHECK(served(*m).abandoned == 3);
}

TEST_CASE("refusals: no listener gives reset, no destination gives unreachable", "[run][workload][failures]") {
  const std::vector<std::string> three{"duration=5s", "workload.clients[0].arrivals.rate=1",
                                       "workload.clients[0].stop=3500ms"};
  SECTION("the real servers listen on 8080, the service sends to 80: RST") {
    const scenario::ScenarioSpec spec = nat(joined(three, {"servers[0].port=8080"}));
    std::unique_ptr<run::Model> m = run::build_model(spec, spec.seed);
    m->sim.run_until(Time::s(5));
    const RequestStats& s = m->clients.at(0)->totals();
    CHECK(s.completed == 0);
    CHECK(failed(s, FailReason::Reset) == 3);
    CHECK(s.failed_total() == 3);
    std::uint64_t resets = 0;
    for (const RealServer* rs : m->servers) resets += rs->transport_stats().resets_sent;
    CHECK(resets == 3);
  }
  SECTION("every weight 0: the scheduler finds nothing, ICMP port unreachable") {
    const scenario::ScenarioSpec spec =
        nat(joined(three, {"services[0].destinations[0].weight=0", "services[0].destinations[1].weight=0"}));
    std::unique_ptr<run::Model> m = run::build_model(spec, spec.seed);
    m->sim.run_until(Time::s(5));
    const RequestStats& s = m->clients.at(0)->totals();
    CHECK(s.completed == 0);
    CHECK(failed(s, FailReason::Unreachable) == 3);
    CHECK(s.failed_total() == 3);
    CHECK(m->directors.at(0)->counters().no_destination == 3);
    for (const RealServer* rs : m->servers) CHECK(rs->transport_stats().segments_in == 0);
  }
}

TEST_CASE("a full accept queue drops SYNs and the clients retransmit them", "[run][workload][failures]") {
  // Five sessions at 1, 2, 3, 4, 5 ms to one server (rs2 weighted 0) that holds one
  // connection (max_connections 1) and queues one more (backlog 1), serving each request
  // for 50 ms. Session 1 is accepted and session 2 queued; the SYNs of 3, 4 and 5 are
  // dropped. Their retransmissions 1 s later (the initial RTO) find the server idle: 3 is
  // accepted, 4 queued, 5 dropped again and retransmitted 2 s later (3.005 s).
  const scenario::ScenarioSpec spec = nat(
      {"duration=5s", "workload.clients[0].arrivals.rate=1000", "workload.clients[0].stop=5500us",
       "services[0].destinations[1].weight=0", "servers[0].max_connections=1", "servers[0].backlog=1",
       "servers[0].service_time.mean=50ms"});
  std::unique_ptr<run::Model> m = run::build_model(spec, spec.seed);
  m->sim.run_until(Time::s(5));
  const Client& c = *m->clients.at(0);
  const RealServer& rs1 = *m->servers.at(0);
  REQUIRE(rs1.name() == "rs1");
  CHECK(c.sessions_started() == 5);
  CHECK(c.totals().completed == 5);
  CHECK(rs1.transport_stats().listen_overflows == 4);
  CHECK(c.transport_stats().retransmits == 4);
  CHECK(rs1.stats().peak_connections == 1);
  CHECK(rs1.stats().connections == 5);
  const Histogram& lat = c.totals().latency;  // nearest rank of 5: 0.4 -> 2nd, 0.6 -> 3rd
  CHECK(lat.percentile(0.4) < 0.2);   // sessions 1 and 2: 50 and 100 ms of service
  CHECK(lat.percentile(0.6) >= 1.0);  // sessions 3, 4 and 5 waited for a retransmission
  CHECK(lat.max() >= 3.0);
}
