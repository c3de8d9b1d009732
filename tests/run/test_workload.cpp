// The clients and the real servers, end to end through a director, against queueing
// theory and against counts computed by hand: open and closed loops, arrival processes
// and rate profiles, requests per connection, UDP, and determinism (the failure paths are
// in test_failures.cpp). Most cases cut scenarios/nat-basic.yaml down with overrides (rs2
// is left out with weight 0 where one server is wanted); service times and sizes are made
// constant with a normal distribution of stddev 0.

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "metrics/queueing.hpp"
#include "run_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

const run::ServerResult& server(const run::RunResult& r, const std::string& name) {
  for (const run::ServerResult& s : r.servers)
    if (s.name == name) return s;
  FAIL("no server " << name);
  throw;
}

/// Times at which a host sent a first SYN (session starts, once ARP is resolved).
struct SynTimes : PacketObserver {
  std::string host;
  std::vector<Time> at;
  void on_transmit(Time t, const Interface& out, const Packet& p) override {
    if (out.node().name() == host && p.is_tcp() && p.has_flag(tcp_flags::kSyn) && !p.has_flag(tcp_flags::kAck))
      at.push_back(t);
  }
};

}  // namespace

// ---- theory -----------------------------------------------------------------------------

TEST_CASE("M/M/4 at rho 0.7: server utilisation and response time match Erlang C", "[run][workload][theory]") {
  // One real server (rs2 weighted 0) with c = 4 workers, exponential service of mean
  // 10 ms, Poisson sessions at lambda = 0.7 x 4 / 10 ms = 280/s. Each session is one
  // request with a one-segment response, so the server is an M/M/4 FIFO queue; the
  // network adds a constant part (handshake, request, response), measured below with a
  // run at negligible load and zero service time, from one client address (so that the
  // director resolves it once, before the warm-up ends: an ARP exchange takes a random
  // 0-50 us answer delay, and a new address in each session would add it to each).
  const scenario::ScenarioSpec fixed_spec =
      nat({"duration=2s", "warmup=500ms", "workload.clients[0].arrivals.rate=10", "services[0].destinations[1].weight=0",
           "servers[0].service_time.mean=0", "topology.hosts[0].interfaces[0].sources=1"});
  const run::RunResult fixed = run::run_scenario(fixed_spec, {});
  REQUIRE(fixed.requests.completed == 15);  // 0.5 .. 1.9 s; the one at 2 s is still running
  const double network_s = fixed.requests.latency_summary.mean();
  CHECK(fixed.requests.latency_summary.stddev() < 1e-9);  // constant once ARP is resolved: nothing queues

  scenario::ScenarioSpec spec = scenario_file(
      "nat-basic", {"warmup=1s", "duration=200s", "workload.clients[0].arrivals.rate=280",
                    "services[0].destinations[1].weight=0", "servers[0].workers=4", "servers[0].service_time.mean=10ms",
                    "servers[0].response_size.distribution=normal", "servers[0].response_size.mean=1000B",
                    "servers[0].response_size.stddev=0"});
  const run::RunResult r = run::run_scenario(spec, {});
  const MmcResult q = mmc(4, 280, 100);
  // A = 2.8 Erlang, Erlang C = 0.4287, Wq = C / (c mu - lambda) = 3.57 ms, W = 13.57 ms.
  CHECK(q.p_wait == Approx(0.4287).epsilon(1e-3));
  CHECK(q.mean_response == Approx(0.013573).epsilon(1e-3));

  // Utilisation: the busy time is the sum of ~lambda T service times; its relative standard
  // error is sqrt(2 / (lambda T)) = sqrt(2 / 56000) = 0.6 %, so 2 % is more than 3 sigma.
  const double u = server(r, "rs1").utilization;
  CHECK(u == Approx(q.utilization).epsilon(0.02));
  CHECK(server(r, "rs2").requests == 0);
  // Response time: the mean of ~56000 correlated sojourn times (sd ~ 12 ms each) has a
  // standard error near 0.1 ms, under 1 % of W; 5 % leaves room for the small queueing
  // of frames at the director and the links that the fixed part leaves out.
  const double w = r.requests.latency_summary.mean() - network_s;
  CHECK(r.requests.completed > 50000);
  CHECK(r.requests.failed_total() == 0);
  CHECK(w == Approx(q.mean_response).epsilon(0.05));
  // The 90th percentile of the time in system (29.8 ms): its estimate from ~56000 samples
  // is good to about 1 %, the histogram to 0.8 %.
  CHECK(r.requests.latency.percentile(0.9) - network_s == Approx(response_time_quantile(q, 0.9)).epsilon(0.05));
}

TEST_CASE("closed loop: throughput is N / (Z + R), the interactive response time law", "[run][workload][theory]") {
  // dr-basic's closed-loop population alone (the open-loop one starts after the run):
  // N = 20 users, constant think time Z = 100 ms. Requests issued from the warm-up on and
  // completed by the end are counted; the in-flight cycles at both ends bias the count
  // by at most N / (X T) = (Z + R) / T = 0.2 %, well inside 1 %.
  const scenario::ScenarioSpec spec = scenario_file(
      "dr-basic", {"duration=60s", "warmup=2s", "workload.clients[0].start=1000s", "workload.clients[1].users=20",
                   "workload.clients[1].think_time.distribution=normal", "workload.clients[1].think_time.mean=100ms",
                   "workload.clients[1].think_time.stddev=0"});
  const run::RunResult r = run::run_scenario(spec, {});
  const double n = 20, z = 0.1;
  const double response = r.requests.latency_summary.mean();
  CHECK(r.requests.failed_total() == 0);
  CHECK(response > 0.005);  // two round trips over the 1 ms internet segment at least
  CHECK(r.throughput_rps == Approx(n / (z + response)).epsilon(0.01));
}

// DOCS vs CODE (sim/nodes/client.cpp, Client::start): client.hpp and scenarios/README.md
// say a closed-loop user "opens a session, waits for it to finish, thinks, and opens the
// next", but Client::start schedules think_then_start at `start`, so every user thinks
// first: its first session starts at start + Z, not at start.
TEST_CASE("closed loop: a user thinks first, then opens its first session", "[run][workload]") {
  const scenario::ScenarioSpec spec = scenario_file(
      "dr-basic", {"workload.clients[0].start=1000s", "workload.clients[1].users=1", "workload.clients[1].start=1s",
                   "workload.clients[1].think_time.distribution=normal", "workload.clients[1].think_time.mean=500ms",
                   "workload.clients[1].think_time.stddev=0"});
  std::unique_ptr<run::Model> m = run::build_model(spec, spec.seed);
  const Client& users = *m->clients.at(1);
  REQUIRE(users.name() == "clients-b");
  m->sim.run_until(Time::ms(1500) - Time::ns(1));
  CHECK(users.sessions_started() == 0);
  m->sim.run_until(Time::ms(1500));  // start 1 s + think 500 ms
  CHECK(users.sessions_started() == 1);
}

// ---- arrivals ---------------------------------------------------------------------------

TEST_CASE("constant arrivals start exactly rate x duration sessions, evenly spaced", "[run][workload][arrivals]") {
  // At 100/s from t = 0 the k-th session starts at exactly k x 10 ms: 1000 in (0, 10 s].
  const scenario::ScenarioSpec spec = nat({"duration=10s", "workload.clients[0].arrivals.rate=100"});
  std::unique_ptr<run::Model> m = run::build_model(spec, spec.seed);
  const Client& c = *m->clients.at(0);
  for (int k : {1, 2, 3, 500, 999, 1000}) {
    CAPTURE(k);
    m->sim.run_until(Time::ms(10 * k) - Time::ns(1));
    CHECK(c.sessions_started() == static_cast<std::uint64_t>(k - 1));
    m->sim.run_until(Time::ms(10 * k));
    CHECK(c.sessions_started() == static_cast<std::uint64_t>(k));
  }
  CHECK(c.totals().completed == 999);  // the last one started as the run ended
}

TEST_CASE("Poisson arrivals: the session count is within 3 sigma of rate x duration", "[run][workload][arrivals]") {
  // N(10 s) at 500/s is Poisson with mean 5000 and sigma sqrt(5000) = 70.7.
  const scenario::ScenarioSpec spec = nat({"duration=10s", "workload.clients[0].arrivals.process=poisson"});
  std::unique_ptr<run::Model> m = run::build_model(spec, spec.seed);
  m->sim.run_until(Time::s(10));
  const double started = static_cast<double>(m->clients.at(0)->sessions_started());
  CHECK(std::abs(started - 5000) <= 3 * std::sqrt(5000.0));
  CHECK(started != 5000);  // not the constant process
}

TEST_CASE("a piecewise-constant rate profile shows its steps in the time series", "[run][workload][arrivals]") {
  // Constant arrivals at 100/s, 400/s from 3 s, 50/s from 6 s. An arrival that would fall
  // on a step's end is redrawn from the step boundary at the new rate, so the sessions
  // are at 0.01 .. 2.99 s, 3.0025 .. 5.9975 s, 6.02, 6.04 ... s. Each takes the same
  // sub-millisecond latency L (100 us of service, shorter than any gap), so the
  // completions in (n - 1, n] are the sessions started in [n - 1, n):
  // 99 (none at 0), 100, 100 | 399 (none at 3.0), 400, 400 | 49 (none at 6.0), 50, 50.
  const std::string text =
      replaced(read_file(kSource / "scenarios" / "nat-basic.yaml"), "arrivals: {process: poisson, rate: 500}",
               "arrivals: {process: constant, rate: [{at: 0s, rate: 100}, {at: 3s, rate: 400}, {at: 6s, rate: 50}]}");
  const scenario::ScenarioSpec spec = checked(scenario::read_scenario_text(
      text, "nat-steps.yaml",
      {"duration=9s", "warmup=0", "servers[0].service_time.distribution=normal", "servers[0].service_time.mean=100us",
       "servers[0].service_time.stddev=0"}));
  const run::RunResult r = run::run_scenario(spec, {});
  const std::vector<std::uint64_t> expected{99, 100, 100, 399, 400, 400, 49, 50, 50};
  REQUIRE(r.series.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK(r.series[i].time_s == static_cast<double>(i + 1));
    CHECK(r.series[i].completed == expected[i]);
    CHECK(r.series[i].throughput_rps == static_cast<double>(expected[i]));
    CHECK(r.series[i].failed == 0);
    // The servers' busy time in the interval is its sessions' 100 us of service (two
    // servers of 8 workers): utilisation x 8 workers x 1 s = sessions x 100 us.
    REQUIRE(r.series[i].server_utilization.size() == 2);
    const double busy = (r.series[i].server_utilization[0] + r.series[i].server_utilization[1]) * 8;
    CHECK(busy == Approx(static_cast<double>(expected[i]) * 100e-6).epsilon(1e-9));
  }
  CHECK(r.requests.latency_summary.max() < 0.0025);
}

// ---- sessions and requests --------------------------------------------------------------

TEST_CASE("the time series' per-server requests and link utilisation agree with the run's totals",
          "[run][workload][series]") {
  // Constant arrivals at 500/s and constant service: every interval carries the same
  // traffic, so each link's per-interval utilisation is its whole-run utilisation, and the
  // per-interval requests of a server add up to what it received.
  const scenario::ScenarioSpec spec = nat({"duration=6s"});
  std::vector<std::string> layout_servers, layout_links;
  std::size_t live = 0;
  run::RunOptions o;
  o.started = [&](const run::SeriesLayout& l) {
    layout_servers = l.servers;
    layout_links = l.links;
  };
  o.sample = [&](const run::Sample&) { ++live; };
  const run::RunResult r = run::run_scenario(spec, o);
  REQUIRE(r.series.size() == 6);
  CHECK(live == 6);
  REQUIRE(layout_servers.size() == r.servers.size());
  REQUIRE(layout_links.size() == r.links.size());
  for (std::size_t i = 0; i < r.servers.size(); ++i) {
    CAPTURE(r.servers[i].name);
    CHECK(layout_servers[i] == r.servers[i].name);
    std::uint64_t sum = 0;
    for (const run::Sample& s : r.series) sum += s.server_requests.at(i);
    CHECK(sum == r.servers[i].requests);
    CHECK(r.series[3].server_requests[i] == 250);  // rr of 500 sessions in (3 s, 4 s]
  }
  for (std::size_t k = 0; k < r.links.size(); ++k) {
    CAPTURE(r.links[k].name);
    CHECK(layout_links[k] == r.links[k].name);
    CHECK(r.links[k].utilization > 0.001);
    for (std::size_t i = 1; i < r.series.size(); ++i)
      CHECK(r.series[i].link_utilization.at(k) == Approx(r.links[k].utilization).epsilon(0.01));
  }
}

TEST_CASE("write_csv: timeseries, servers and links, one row per interval (and server, and link)",
          "[run][workload][series]") {
  const run::RunResult r = run::run_scenario(nat({"duration=3s"}), {});
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("lvslab-" + std::to_string(::getpid()) + "-csv");
  run::write_csv(dir.string(), r);
  const auto lines = [&](const char* file) {
    std::ifstream in(dir / file);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  };
  const std::vector<std::string> t = lines("timeseries.csv"), v = lines("servers.csv"), l = lines("links.csv");
  std::filesystem::remove_all(dir);
  REQUIRE(t.size() == 1 + 3);
  CHECK(t[0] ==
        "time_s,completed,failed,throughput_rps,latency_mean_ms,latency_p50_ms,latency_p99_ms,cpu_director,"
        "failed_timeout,failed_reset,failed_unreachable,failed_tcp_timeout,failed_closed,failed_no_ephemeral_port,"
        "failed_too_many_open,failed_nfs_timeout");  // no VRRP: no master_ column
  REQUIRE(v.size() == 1 + 3 * r.servers.size());
  CHECK(v[0] == "time_s,server,utilization,activeconns,requests");
  CHECK(v[1].starts_with("1," + r.servers[0].name + ","));
  CHECK(v[1].ends_with("," + std::to_string(r.series[0].server_requests[0])));
  REQUIRE(l.size() == 1 + 3 * r.links.size());
  CHECK(l[0] == "time_s,link,utilization");
  CHECK(l.back().starts_with("3," + r.links.back().name + ","));
}

TEST_CASE("requests_per_connection k: sessions connections, k x sessions requests", "[run][workload]") {
  // 10 sessions (0.1 .. 1.0 s) of 3 requests; rr alternates rs2, rs1.
  const scenario::ScenarioSpec spec = nat({"duration=3s", "workload.clients[0].arrivals.rate=10",
                                           "workload.clients[0].stop=1050ms",
                                           "workload.clients[0].requests_per_connection=3"});
  const run::RunResult r = run::run_scenario(spec, {});
  CHECK(r.requests.issued == 30);
  CHECK(r.requests.completed == 30);
  for (const char* s : {"rs1", "rs2"}) {
    CAPTURE(s);
    CHECK(server(r, s).connections == 5);
    CHECK(server(r, s).requests == 15);
  }
}

TEST_CASE("UDP: a 4000-byte response arrives as 3 datagrams and completes the request once", "[run][workload][udp]") {
  // Datagrams carry at most MTU 1500 - 28 = 1472 bytes: 1472 + 1472 + 1056.
  const scenario::ScenarioSpec spec =
      nat({"duration=5s", "workload.clients[0].arrivals.rate=1", "workload.clients[0].stop=3500ms",
           "services[0].protocol=udp", "servers[0].protocol=udp", "workload.clients[0].protocol=udp",
           "servers[0].response_size.mean=4000B"});
  std::unique_ptr<run::Model> m = run::build_model(spec, spec.seed);
  struct Datagrams : PacketObserver {
    std::vector<std::uint32_t> payloads;
    std::vector<Time> at;
    void on_receive(Time t, const Interface& in, const Packet& p) override {
      if (in.node().name() == "client" && p.ethertype == EtherType::Ipv4 && p.ip.proto == IpProto::Udp) {
        payloads.push_back(p.payload);
        at.push_back(t);
      }
    }
  } got;
  m->net.set_observer(&got);
  m->sim.run_until(Time::s(5));
  const Client& c = *m->clients.at(0);
  CHECK(c.totals().issued == 3);
  CHECK(c.totals().completed == 3);
  CHECK(c.totals().failed_total() == 0);
  CHECK(c.totals().response_bytes == 12000);
  CHECK(c.transport_stats().udp_datagrams_in == 9);
  CHECK(got.payloads == std::vector<std::uint32_t>{1472, 1472, 1056, 1472, 1472, 1056, 1472, 1472, 1056});
  // Each request (issued at 1, 2, 3 s) completes when its third datagram arrives.
  REQUIRE(got.at.size() == 9);
  double latencies = 0;
  for (int k = 0; k < 3; ++k) latencies += (got.at[3 * k + 2] - Time::s(k + 1)).seconds();
  CHECK(c.totals().latency_summary.sum() == Approx(latencies).epsilon(1e-12));
  CHECK(served(*m).requests == 3);
}

// BUG (sim/nodes/real_server.cpp, RealServer::on_datagram): every datagram is enqueued as
// a request of its own, although UdpApp::on_datagram hands over one datagram of a message
// (with the message's tag and size, for reassembly, as Client::on_datagram does). A
// 4000-byte request (3 datagrams) is served three times and answered three times.
TEST_CASE("UDP: a request of several datagrams is one request to the server", "[run][workload][udp]") {
  const scenario::ScenarioSpec spec =
      nat({"duration=5s", "workload.clients[0].arrivals.rate=1", "workload.clients[0].stop=3500ms",
           "services[0].protocol=udp", "servers[0].protocol=udp", "workload.clients[0].protocol=udp",
           "workload.clients[0].request_size=4000B"});
  std::unique_ptr<run::Model> m = run::build_model(spec, spec.seed);
  m->sim.run_until(Time::s(5));
  CHECK(m->clients.at(0)->totals().completed == 3);
  CHECK(served(*m).requests == 3);
  CHECK(served(*m).responses == 3);
  CHECK(m->clients.at(0)->transport_stats().udp_datagrams_in == 3);  // one 1000-byte response each
}

// ---- determinism --------------------------------------------------------------------------

TEST_CASE("determinism: one seed gives one result, and arrivals do not depend on the servers", "[run][workload][determinism]") {
  const scenario::ScenarioSpec spec = scenario_file("nat-basic", {"duration=2s"});
  const auto summary = [](const run::RunResult& r) {
    std::ostringstream out;
    return run::print_summary(out, r, false), out.str();
  };
  const run::RunResult a = run::run_scenario(spec, {});
  const run::RunResult b = run::run_scenario(spec, {});
  CHECK(a.fingerprint == b.fingerprint);
  CHECK(a.events == b.events);
  CHECK(a.requests.completed == b.requests.completed);
  CHECK(a.requests.latency_summary.mean() == b.requests.latency_summary.mean());
  CHECK(summary(a) == summary(b));
  run::RunOptions other;
  other.seed = 2;
  const run::RunResult c = run::run_scenario(spec, other);
  CHECK(c.fingerprint != a.fingerprint);
  CHECK(summary(c) != summary(a));

  // A third real server changes the trajectory but not when the client starts sessions:
  // the arrival stream is the client's own ("client/arrivals").
  std::string text = read_file(kSource / "scenarios" / "nat-basic.yaml");
  text = replaced(text, "\nservices:", "    - name: rs3\n      kind: server\n      gateway: 192.168.10.101\n"
                                       "      interfaces:\n        - {name: eth0, segment: inside, address: 192.168.10.104/24}\n"
                                       "\nservices:");
  text = replaced(text, "      - {server: rs2, method: nat, weight: 1}\n",
                  "      - {server: rs2, method: nat, weight: 1}\n      - {server: rs3, method: nat, weight: 1}\n");
  text = replaced(text, "hosts: [rs1, rs2]", "hosts: [rs1, rs2, rs3]");
  const scenario::ScenarioSpec bigger = checked(scenario::read_scenario_text(text, "nat-3.yaml", {"duration=2s"}));
  std::unique_ptr<run::Model> two = run::build_model(spec, 1);
  std::unique_ptr<run::Model> three = run::build_model(bigger, 1);
  REQUIRE(three->servers.size() == 3);
  SynTimes syn2, syn3;
  syn2.host = syn3.host = "client";
  two->net.set_observer(&syn2);
  three->net.set_observer(&syn3);
  two->sim.run_until(Time::s(1));
  three->sim.run_until(Time::s(1));
  CHECK(syn2.at.size() > 400);  // about 500 sessions in the first second
  CHECK(syn2.at == syn3.at);
  CHECK(two->clients.at(0)->sessions_started() == three->clients.at(0)->sessions_started());
  CHECK(two->sim.fingerprint().hex() != three->sim.fingerprint().hex());
}
