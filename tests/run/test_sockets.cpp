// Sockets as a component: any host can own a transport. A director opens TCP connections
// of its own (what a keepalived TCP_CHECK does) next to the IPVS traffic it forwards.

#include <catch2/catch.hpp>

#include "run_fixture.hpp"
#include "transport/end_host.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

struct Probe : TcpApp {
  std::vector<std::string> events;
  void on_connected(SocketId, std::uint64_t user) override { events.push_back("connected " + std::to_string(user)); }
  void on_closed(SocketId, std::uint64_t user, TcpCloseReason why) override {
    events.push_back("closed " + std::to_string(user) + " " + close_reason_name(why));
  }
};

}  // namespace

TEST_CASE("sockets: a director owns a transport and connects to its real servers while it forwards",
          "[run][transport]") {
  const scenario::ScenarioSpec spec = scenario_file("nat-basic", {"duration=2s"});
  std::unique_ptr<run::Model> m = run::build_model(spec, spec.seed);
  Director& director = *m->directors.at(0);
  Transport checker(director);
  Probe probe;
  m->sim.run_until(Time::s(1));
  checker.tcp_connect(Ipv4Address(), 0, Ipv4Address(192, 168, 10, 102), 80, probe, 1);  // rs1's web server
  checker.tcp_connect(Ipv4Address(), 0, Ipv4Address(192, 168, 10, 103), 81, probe, 2);  // nobody listens: RST
  m->sim.run_until(Time::ms(1010));
  CHECK(probe.events == std::vector<std::string>{"connected 1", "closed 2 reset"});
  CHECK(checker.tcp_open_sockets() == 1);
  m->sim.run_until(spec.duration);
  CHECK(m->clients.at(0)->totals().failed_total() == 0);  // the clients' traffic went on
  CHECK(m->clients.at(0)->totals().completed > 400);
}
