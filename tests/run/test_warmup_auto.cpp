// `warmup: auto` (docs/statistics.md, MSER-5): the heuristic on series whose transient is
// known, by hand and synthetic, and a run of an M/M/1 queue starting empty.

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "core/time.hpp"
#include "run/warmup_auto.hpp"
#include "run_fixture.hpp"

using namespace lvs;
using namespace lvs::test;
using lvs::run::AutoWarmup;

TEST_CASE("MSER-5 on 20 values: batch means 2, 10, 11, 9 truncate one batch", "[run][warmup]") {
  // Batches of 5: {0..4} mean 2, five 10s, {9, 13, 11, 12, 10} mean 11, five 9s.
  // MSER(0) = ((2-8)^2 + (10-8)^2 + (11-8)^2 + (9-8)^2) / 4^2 = 50 / 16 = 3.125
  // MSER(1) = ((10-10)^2 + (11-10)^2 + (9-10)^2) / 3^2 = 2 / 9
  // MSER(2) = ((11-10)^2 + (9-10)^2) / 2^2 = 0.5          (d <= b / 2 = 2)
  const std::vector<double> x{0, 1, 2, 3, 4, 10, 10, 10, 10, 10, 9, 13, 11, 12, 10, 9, 9, 9, 9, 9};
  const run::MserChoice c = run::mser5(x);
  CHECK(c.batches == 4);
  CHECK(c.truncated == 1);
  CHECK(c.statistic == Approx(2.0 / 9.0));
  CHECK_FALSE(c.at_limit);
}

TEST_CASE("MSER-5 leaves a stationary series alone and cannot truncate a series of 9", "[run][warmup]") {
  // Alternating 1, 3: every batch mean is 1.8 or 2.2 in turn (d = 0: 0.04 / b, the smallest).
  std::vector<double> flat;
  for (int i = 0; i < 100; ++i) flat.push_back(i % 2 == 0 ? 1.0 : 3.0);
  CHECK(run::mser5(flat).truncated == 0);
  const run::MserChoice short_one = run::mser5(std::vector<double>(9, 1.0));
  CHECK(short_one.batches == 1);
  CHECK(short_one.truncated == 0);
}

TEST_CASE("MSER-5 truncates a linear ramp over the first 20% of the series", "[run][warmup]") {
  // 1000 observations: 0 rising linearly to 10 over the first 200, then 10 + U(-1, 1) noise
  // (std::mt19937's output is the same on every platform). The truncation lands at the end
  // of the ramp, give or take the last few batches whose bias the noise hides (the ramp's
  // last 10 observations are within 0.5 of 10).
  std::mt19937 rng(7);
  std::vector<double> x;
  for (int i = 0; i < 1000; ++i) {
    const double noise = 2.0 * (static_cast<double>(rng()) / 4294967296.0) - 1.0;
    x.push_back(i < 200 ? 10.0 * i / 200.0 : 10.0 + noise);
  }
  const run::MserChoice c = run::mser5(x);
  CHECK(c.batches == 200);
  CHECK(c.truncated * run::kMserBatch >= 180);
  CHECK(c.truncated * run::kMserBatch <= 220);
}

namespace {

// 64 real servers with one worker each (exponential service, mean 1 ms: mu = 1000/s) behind a
// DR director that picks one at random: Poisson arrivals split at random stay Poisson, so each
// server is an M/M/1 queue with lambda = 800/s, rho = 0.8, starting empty. Its mean response
// time is 1 / (mu - lambda) = 5 ms (plus microseconds of network); the first ~0.1 s
// (relaxation time 1 / (mu (1 - sqrt(rho))^2) = 89 ms) are faster. 64 queues average
// the noise of one, so that the start's bias stands out of 0.5 s. Samples every 5 ms: 100.
std::string mm1_farm(const std::string& warmup) {
  std::string hosts, destinations, names;
  for (int i = 1; i <= 64; ++i) {
    const std::string rs = "rs" + std::to_string(i);
    hosts += "    - {name: " + rs + ", kind: server, loopback: [10.0.0.100], sysctl: {arp_ignore: 1, arp_announce: 2}, "
             "interfaces: [{name: eth0, segment: lan, address: 10.0.1." + std::to_string(i) + "/16}]}\n";
    destinations += "      - {server: " + rs + ", method: dr}\n";
    names += (i == 1 ? "" : ", ") + rs;
  }
  return "name: mm1-farm\nduration: 500ms\nwarmup: " + warmup + "\nsample_interval: 5ms\n"
         "topology:\n  segments:\n    - {name: lan, rate: 100Gbps, delay: 1us}\n  hosts:\n"
         "    - {name: client, kind: client, interfaces: [{name: eth0, segment: lan, address: 10.0.0.200/16, sources: 50}]}\n"
         "    - {name: director, kind: director, interfaces: [{name: eth0, segment: lan, address: 10.0.0.1/16, "
         "secondary: [10.0.0.100/16]}]}\n" + hosts +
         "services:\n  - director: director\n    vip: 10.0.0.100\n    port: 80\n    scheduler: random\n"
         "    destinations:\n" + destinations +
         "servers:\n  - hosts: [" + names + "]\n    workers: 1\n"
         "    service_time: {distribution: exponential, mean: 1ms}\n    response_size: 100B\n"
         "workload:\n  clients:\n    - host: client\n      target: 10.0.0.100\n"
         "      arrivals: {process: poisson, rate: 51200}\n      request_size: 100B\n";
}

}  // namespace

TEST_CASE("warmup auto on M/M/1 queues starting empty truncates their start and gets closer to 1/(mu-lambda)",
          "[run][warmup]") {
  const run::RunResult from_zero = run::run_scenario(checked(scenario::read_scenario_text(mm1_farm("0"), "farm")), {});
  const run::RunResult automatic =
      run::run_scenario(checked(scenario::read_scenario_text(mm1_farm("auto"), "farm")), {});
  REQUIRE(automatic.auto_warmup);
  const AutoWarmup& a = *automatic.auto_warmup;
  CHECK(a.observations == 100);
  CHECK(a.batches == 20);
  CHECK(a.truncated_batches > 0);
  CHECK(automatic.warmup_s == a.truncated_at_s);
  CHECK(a.truncated_at_s == Approx(0.005 * 5 * static_cast<double>(a.truncated_batches)));
  // Same seed, same trajectory: only what is counted differs.
  CHECK(automatic.fingerprint == from_zero.fingerprint);
  CHECK(automatic.requests.issued < from_zero.requests.issued);
  const double theory_ms = 1e3 / (1000.0 - 800.0);
  const double zero_ms = from_zero.requests.latency_summary.mean() * 1e3;
  const double auto_ms = automatic.requests.latency_summary.mean() * 1e3;
  INFO("mean latency: warmup 0 " << zero_ms << " ms, auto " << auto_ms << " ms, theory " << theory_ms << " ms");
  CHECK(zero_ms < theory_ms);  // the start's bias: the queues were empty
  CHECK(std::abs(auto_ms - theory_ms) < std::abs(zero_ms - theory_ms));
}

TEST_CASE("warmup auto reads from the scenario and from --set, and a bad warmup names auto", "[run][warmup]") {
  const scenario::ScenarioSpec spec = scenario_file("nat-basic", {"warmup=auto"});
  CHECK(spec.warmup_auto);
  CHECK(spec.warmup == Time::zero());
  CHECK_FALSE(scenario_file("nat-basic", {}).warmup_auto);
  CHECK_THROWS_WITH(scenario_file("nat-basic", {"warmup=soon"}), Catch::Contains("auto"));
}

TEST_CASE("validate warns when warmup auto has fewer than 50 sample intervals to choose from", "[run][warmup]") {
  const auto warnings = [](const std::vector<std::string>& overrides) {
    std::string text;
    for (const scenario::Finding& f : scenario::validate(scenario_file("nat-basic", overrides)))
      if (f.origin.path == "warmup") text += f.message + "\n";
    return text;
  };
  // nat-basic: 10 s in 1 s samples: 2 batches of 5 s.
  CHECK(warnings({"warmup=auto"}) ==
        "warmup: auto over 10 sample intervals: MSER-5 drops whole batches of 5 (5s here), at most half of them: "
        "lower sample_interval for at least 50 intervals\n");
  CHECK(warnings({"warmup=auto", "duration=5s"}).find("needs 2 batches to drop any") != std::string::npos);
  CHECK(warnings({"warmup=auto", "sample_interval=200ms"}).empty());
  CHECK(warnings({"warmup=1s"}).empty());
}
