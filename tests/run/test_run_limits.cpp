// What a run refuses before it starts, what it says when nothing completed, and how an
// interrupt (SIGINT) stops it with partial results (issue 13).

#include <catch2/catch.hpp>

#include <atomic>
#include <csignal>
#include <signal.h>
#include <sstream>
#include <stdexcept>
#include <string>

#include "core/simulation.hpp"
#include "run/compare.hpp"
#include "run/results.hpp"
#include "run_fixture.hpp"

using namespace lvs;
using namespace lvs::literals;
using lvs::test::nat;

namespace {

std::string error_of(const scenario::ScenarioSpec& spec, const run::RunOptions& o) {
  try {
    run::check_run_options(spec, o);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

std::string summary_of(const run::RunResult& r) {
  std::ostringstream os;
  run::print_summary(os, r, false);
  return os.str();
}

// The flag the test's SIGINT handler sets, and the handler: set only the flag, as lvslab's.
std::atomic<bool> g_test_sigint{false};
extern "C" void on_test_sigint(int) { g_test_sigint.store(true); }

// Installs on_test_sigint for SIGINT while it lives; restores the previous action after.
class SigintGuard {
 public:
  SigintGuard() {
    g_test_sigint = false;
    struct sigaction a {};
    a.sa_handler = on_test_sigint;
    sigemptyset(&a.sa_mask);
    sigaction(SIGINT, &a, &old_);
  }
  ~SigintGuard() { sigaction(SIGINT, &old_, nullptr); }
  SigintGuard(const SigintGuard&) = delete;
  SigintGuard& operator=(const SigintGuard&) = delete;

 private:
  struct sigaction old_ {};
};

// An event at `at` that raises SIGINT in the process, as Ctrl-C would.
std::function<void(Simulation&)> raise_sigint_at(Time at) {
  return [at](Simulation& sim) { sim.schedule_at(at, [] { std::raise(SIGINT); }); };
}

}  // namespace

TEST_CASE("run: --until at or below the warm-up is refused before the run", "[run][limits]") {
  const scenario::ScenarioSpec spec = nat({"warmup=1s"});
  run::RunOptions o;
  o.until = 1_s;
  CHECK(error_of(spec, o) ==
        "--until 1s is not longer than the scenario's warm-up 1s: no request would be measured (run longer, or add "
        "--set warmup=0)");
  o.until = 500_ms;
  CHECK_THROWS_AS(run::run_scenario(spec, o), std::invalid_argument);
  o.until = 1001_ms;
  CHECK(error_of(spec, o) == "no error");
}

TEST_CASE("run: an --until that would take more than 10^6 samples is refused", "[run][limits]") {
  const scenario::ScenarioSpec spec = nat({"sample_interval=1ms"});
  run::RunOptions o;
  o.until = 1000_s;
  CHECK(error_of(spec, o) == "no error");
  o.until = 1001_s;
  CHECK(error_of(spec, o) ==
        "--until 1001s: sample_interval 1ms over 1001s makes 1001000 samples of the time series; at most 1000000 "
        "are kept (each holds a figure per server, link and director): use a sample_interval of at least 1.001ms");
}

TEST_CASE("run: a summary with no request completed says so, and the JSON has null latencies", "[run][limits]") {
  // No listener on the real servers: every request is refused.
  const run::RunResult r = run::run_scenario(nat({"servers[0].port=8080", "duration=1s"}), {});
  REQUIRE(r.requests.completed == 0);
  REQUIRE(r.requests.issued > 0);
  const std::string text = summary_of(r);
  CHECK(text.find("\nLatency     no request completed\n") != std::string::npos);
  CHECK(text.find("nan") == std::string::npos);
  const std::string json = run::to_json(r);
  CHECK(json.find("\"latency_ms\": {\n    \"mean\": null,\n    \"p50\": null,\n    \"p90\": null,\n    \"p99\": "
                  "null,\n    \"p999\": null\n  }") != std::string::npos);
}

TEST_CASE("run: SIGINT raised from an event stops the run there with partial results", "[run][limits][interrupt]") {
  const SigintGuard guard;
  run::RunOptions o;
  o.interrupt = &g_test_sigint;
  o.on_start = raise_sigint_at(3500_ms);
  const run::RunResult r = run::run_scenario(nat({}), o);
  CHECK(r.interrupted);
  CHECK(r.sim_time_s == 3.5);
  CHECK(r.planned_s == 10.0);
  CHECK(r.series.size() == 3);  // the samples at 1, 2 and 3 s; none for the partial interval
  CHECK(r.requests.completed > 1000);  // 500/s from 0 s (no warm-up) for 3.5 s
  CHECK(r.requests.completed < 1750);
  CHECK(r.throughput_rps == Approx(static_cast<double>(r.requests.completed) / 3.5));
  const std::string text = summary_of(r);
  CHECK(text.find("\ninterrupted at 3.500 s of 10 s simulated: partial results\n") != std::string::npos);
  CHECK(run::to_json(r).find("\"interrupted\": true,") != std::string::npos);
}

TEST_CASE("run: without an interrupt the JSON says interrupted false", "[run][limits][interrupt]") {
  run::RunOptions o;
  o.until = 200_ms;
  const run::RunResult r = run::run_scenario(nat({}), o);
  CHECK_FALSE(r.interrupted);
  CHECK(r.sim_time_s == 0.2);
  CHECK(run::to_json(r).find("\"interrupted\": false,") != std::string::npos);
}

TEST_CASE("compare: SIGINT keeps the replications every scheduler completed", "[run][limits][interrupt]") {
  const SigintGuard guard;
  run::CompareOptions o;
  o.schedulers = {"rr", "wrr"};
  o.replications = 3;
  o.until = 2_s;
  o.interrupt = &g_test_sigint;
  // After the second run (replication 0 of both schedulers), Ctrl-C during the third.
  int runs = 0;
  o.on_start = [&runs](Simulation& sim) {
    if (++runs == 3) sim.schedule_at(1500_ms, [] { std::raise(SIGINT); });
  };
  const run::CompareResult r = run::compare_schedulers(nat({}), o);
  CHECK(r.interrupted);
  CHECK(r.replications == 1);
  CHECK(r.planned_replications == 3);
  REQUIRE(r.schedulers.size() == 2);
  CHECK(r.schedulers[0].runs.size() == 1);
  CHECK(r.seeds == std::vector<std::uint64_t>{1});
  std::ostringstream os;
  run::print_comparison(os, r);
  CHECK(os.str().find("\ninterrupted: 1 of 3 replications completed under every scheduler; only they are compared\n") !=
        std::string::npos);
}

TEST_CASE("run: an overloaded client population holds at most max_open sessions per source address",
          "[run][limits][overload]") {
  // 20 000 sessions/s from 50 addresses with a 5 s timeout would keep ~100 000 open; 2 per
  // address allows 100: the rest fail at once, sending nothing.
  run::RunOptions o;
  o.until = 300_ms;
  const run::RunResult r =
      run::run_scenario(nat({"workload.clients[0].arrivals.rate=20000", "workload.clients[0].max_open=2"}), o);
  const auto too_many = r.requests.failed[static_cast<std::size_t>(FailReason::TooManyOpen)];
  CHECK(r.requests.issued >= 5990);
  CHECK(r.requests.issued <= 6000);
  CHECK(too_many > 4500);
  CHECK(r.requests.completed + r.requests.failed_total() <= r.requests.issued);
  CHECK(r.requests.issued - r.requests.completed - r.requests.failed_total() <= 100);  // still open at the end
  CHECK(r.directors.at(0).connections <= 100 + r.requests.completed);
  CHECK(summary_of(r).find("too-many-open ") != std::string::npos);
}

TEST_CASE("validate: closed-loop users beyond max_open x sources are refused", "[run][limits][overload]") {
  const scenario::ScenarioSpec spec =
      scenario::read_scenario((lvs::test::kSource / "scenarios" / "dr-basic.yaml").string(),
                              {"workload.clients[1].max_open=1"});
  std::vector<std::string> errors;
  for (const scenario::Finding& f : scenario::validate(spec))
    if (f.severity == scenario::Finding::Severity::Error) errors.push_back(f.str(""));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("workload.clients[1].users: error: 200 users are more than the ") != std::string::npos);
  CHECK(errors[0].find(" sessions the population may hold open (max_open 1 x ") != std::string::npos);
}

// The Hosts section leaves out a host with nothing to show and puts three or more hosts
// in a row with the same figures on one line; two alike keep a line each.
TEST_CASE("summary: the Hosts section, all-zero hosts left out, runs of three alike on one line", "[run][summary]") {
  run::RunResult r;
  const auto host = [&r](const std::string& name, std::uint64_t replies, std::uint64_t rst) {
    HostCounters c;
    c.arp_replies_sent = replies;
    c.rst_sent = rst;
    r.hosts.push_back({name, c});
  };
  host("client", 0, 7);
  host("idle", 0, 0);
  host("rs1", 1, 0);
  host("rs2", 1, 0);
  host("rs3", 1, 0);
  host("a", 2, 0);
  host("b", 2, 0);
  const std::string text = summary_of(r);
  CHECK(text.find("\nHosts               TCP RST  SYN resent  ICMP frag-needed  ICMP port-unreach  ARP requests  "
                  "ARP replies\neach host counts  sent/recv        sent         sent/recv          sent/recv     "
                  "sent/recv    sent/recv\n"
                  "client                  7/0           0               0/0                0/0           0/0          0/0\n"
                  "rs1..rs3 each           0/0           0               0/0                0/0           0/0          1/0\n"
                  "a                       0/0           0               0/0                0/0           0/0          2/0\n"
                  "b                       0/0           0               0/0                0/0           0/0          2/0\n\n") !=
        std::string::npos);
  CHECK(text.find("idle") == std::string::npos);
  r.hosts.clear();
  host("idle", 0, 0);
  CHECK(summary_of(r).find("Hosts") == std::string::npos);
}
