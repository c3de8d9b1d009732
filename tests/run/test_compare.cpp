// lvslab compare (run/compare.hpp): the balance figures and intervals against numbers
// worked by hand, and end to end on scenarios/nat-basic.yaml cut to 0.7 s: common random
// numbers (the same scheduler twice, or rr and wrr with equal weights, differ by exactly 0),
// output independent of the thread count, shares, seeds, cancelling.

#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "compare_fixture.hpp"
#include "run/compare.hpp"
#include "run_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

// t quantiles in closed form: df = 1, t = tan(pi (p - 1/2)); df = 2, t = (2p - 1) / sqrt(2p(1 - p)).
constexpr double kT975df1 = 12.706204736174696;
constexpr double kT975df2 = 4.302652729749461;

run::CompareMetrics metrics(std::vector<double> values, std::vector<double> shares) {
  run::CompareMetrics m;
  std::copy(values.begin(), values.end(), m.values.begin());
  m.shares = std::move(shares);
  return m;
}

// nat-basic with a 0.2 s warm-up, cut to 0.7 s by short_runs(): about 350 sessions a run.
scenario::ScenarioSpec nat_basic(std::vector<std::string> overrides = {}) {
  return scenario_file("nat-basic", joined({"warmup=200ms"}, overrides));
}

run::CompareOptions short_runs(std::vector<std::string> schedulers, int replications, int jobs) {
  run::CompareOptions o;
  o.schedulers = std::move(schedulers);
  o.replications = replications;
  o.jobs = jobs;
  o.until = Time::ms(700);
  return o;
}

std::string all_output(const run::CompareResult& r) {
  std::ostringstream os;
  run::print_comparison(os, r);
  return os.str() + run::comparison_json(r) + run::comparison_csv(r);
}

}  // namespace

TEST_CASE("Jain's index and max/mean imbalance of per-server requests", "[compare]") {
  using V = std::vector<std::uint64_t>;
  CHECK(run::jain_index(V{10, 10, 10, 10}) == 1.0);
  CHECK(run::imbalance(V{10, 10, 10, 10}) == 1.0);
  CHECK(run::jain_index(V{30, 10, 0, 0}) == Approx(1600.0 / 4000).epsilon(1e-15));  // 40^2 / (4 (900 + 100))
  CHECK(run::imbalance(V{30, 10, 0, 0}) == 3.0);                                   // 30 / (40 / 4)
  CHECK(run::jain_index(V{7, 0, 0}) == Approx(1.0 / 3).epsilon(1e-15));            // all on one of 3: 1/n
  CHECK(run::imbalance(V{7, 0, 0}) == 3.0);
  CHECK(run::jain_index(V{5}) == 1.0);
  CHECK(std::isnan(run::jain_index(V{0, 0})));
  CHECK(std::isnan(run::imbalance(V{0, 0})));
  CHECK(std::isnan(run::jain_index(V{})));
  CHECK(std::isnan(run::imbalance(V{})));
}

TEST_CASE("Jain's index and imbalance are of requests per unit weight", "[compare]") {
  using V = std::vector<std::uint64_t>;
  // Requests in proportion to the weights: perfectly fair, although the counts differ.
  CHECK(run::jain_index(V{20, 20, 10, 10}, V{2, 2, 1, 1}) == 1.0);
  CHECK(run::imbalance(V{20, 20, 10, 10}, V{2, 2, 1, 1}) == 1.0);
  // The same counts judged as if the weights were equal: 60^2 / (4 (400 + 400 + 100 + 100)),
  // and 20 / (60 / 4).
  CHECK(run::jain_index(V{20, 20, 10, 10}) == Approx(3600.0 / 4000).epsilon(1e-15));
  CHECK(run::imbalance(V{20, 20, 10, 10}) == Approx(4.0 / 3).epsilon(1e-15));
  // x = 30/2, 10/1, 10/1 = 15, 10, 10: 35^2 / (3 (225 + 100 + 100)) = 1225 / 1275; the
  // cluster's 50 requests over weight 4 are 12.5 per unit, the most loaded has 15.
  CHECK(run::jain_index(V{30, 10, 10}, V{2, 1, 1}) == Approx(1225.0 / 1275).epsilon(1e-15));
  CHECK(run::imbalance(V{30, 10, 10}, V{2, 1, 1}) == Approx(1.2).epsilon(1e-15));
  // Everything on the weight-1 server of weights 3, 1: Jain 1/n, imbalance Σw / w = 4.
  CHECK(run::jain_index(V{0, 8}, V{3, 1}) == 0.5);
  CHECK(run::imbalance(V{0, 8}, V{3, 1}) == 4.0);
  // A weight-0 (quiesced) server has no fair share: it is left out of both.
  CHECK(run::jain_index(V{5, 10, 10}, V{0, 1, 1}) == 1.0);
  CHECK(run::imbalance(V{5, 10, 10}, V{0, 1, 1}) == 1.0);
  CHECK(std::isnan(run::jain_index(V{5, 0}, V{0, 1})));  // the weighted one got nothing
  CHECK(std::isnan(run::imbalance(V{5, 0}, V{0, 1})));
  CHECK_THROWS_AS(run::jain_index(V{1, 2}, V{1}), std::invalid_argument);
  CHECK_THROWS_AS(run::imbalance(V{1, 2}, V{1, 2, 3}), std::invalid_argument);
}

TEST_CASE("compare_metrics judges a run's servers by their configured weights", "[compare]") {
  run::RunResult r;
  const std::uint64_t requests[] = {30, 10, 10}, weights[] = {2, 1, 1};
  for (std::size_t i = 0; i < 3; ++i) {
    r.servers.push_back(run::ServerResult{"rs" + std::to_string(i + 1), requests[i]});
    r.servers.back().weight = weights[i];
  }
  const run::CompareMetrics m = run::compare_metrics(r);
  CHECK(m.values[kImbalance] == Approx(1.2).epsilon(1e-15));
  CHECK(m.values[kJain] == Approx(1225.0 / 1275).epsilon(1e-15));
  CHECK(m.shares == std::vector<double>{0.6, 0.2, 0.2});  // shares stay plain request shares
}

TEST_CASE("a run gives each real server the weight its destinations are configured with", "[compare]") {
  // dr-basic: rs1 and rs2 weight 2, rs3 and rs4 weight 1 (services[0].destinations).
  const scenario::ScenarioSpec spec =
      scenario::read_scenario(lvs::test::scenario_path("dr-basic.yaml"), {"duration=2s"});
  const run::RunResult r = run::run_scenario(spec, {});
  REQUIRE(r.servers.size() == 4);
  std::vector<std::uint64_t> weights, requests;
  for (const run::ServerResult& s : r.servers) {
    weights.push_back(s.weight);
    requests.push_back(s.requests);
  }
  CHECK(weights == std::vector<std::uint64_t>{2, 2, 1, 1});
  const run::CompareMetrics m = run::compare_metrics(r);
  CHECK(m.values[kJain] == run::jain_index(requests, weights));
  CHECK(m.values[kImbalance] == run::imbalance(requests, weights));
  CHECK(m.values[kJain] > run::jain_index(requests));  // wrr's 2:2:1:1 split is fair by weight
}

TEST_CASE("compare_metrics takes the figures of one run", "[compare]") {
  run::RunResult r;
  r.seed = 9;
  r.throughput_rps = 123.5;
  for (std::uint64_t n : {30, 10, 0, 0}) r.servers.push_back(run::ServerResult{std::string("s").append(std::to_string(n)), n});
  r.requests.completed = 3;
  r.requests.failed[0] = 2;
  r.requests.failed[3] = 1;
  for (double s : {0.010, 0.020, 0.030}) {
    r.requests.latency.record(s);
    r.requests.latency_summary.add(s);
    r.requests.latencies.add(s);
  }
  const run::CompareMetrics m = run::compare_metrics(r);
  CHECK(m.seed == 9);
  CHECK(m.values[kThroughput] == 123.5);
  CHECK(m.values[1] == Approx(20.0).epsilon(1e-12));   // mean latency, ms
  CHECK(m.values[2] == 30.0);                          // p99 (nearest rank: the largest), exact
  CHECK(m.values[3] == 3.0);                           // failed: 2 + 1
  CHECK(m.values[kImbalance] == 3.0);
  CHECK(m.values[kJain] == Approx(0.4).epsilon(1e-15));
  CHECK(m.server_requests == std::vector<std::uint64_t>{30, 10, 0, 0});
  CHECK(m.shares == std::vector<double>{0.75, 0.25, 0, 0});

  r.requests = RequestStats{};  // nothing completed: the latencies are not defined
  const run::CompareMetrics none = run::compare_metrics(r);
  CHECK(std::isnan(none.values[1]));
  CHECK(std::isnan(none.values[2]));
  CHECK(none.values[3] == 0.0);
}

TEST_CASE("paired differences: mean and Student-t interval of b - a", "[compare]") {
  const std::vector<double> a{1, 2, 3};
  const std::vector<double> b{2, 4, 6};  // d = 1, 2, 3: mean 2, s = 1
  const ConfidenceInterval d = run::paired_difference(a, b);
  CHECK(d.mean == 2.0);
  CHECK(d.n == 3);
  CHECK(d.half_width == Approx(kT975df2 / std::sqrt(3.0)).epsilon(1e-12));  // 2.48413771...
  CHECK_FALSE(run::excludes_zero(d));  // [-0.48, 4.48]

  const std::vector<double> c{2.0, 3.1, 3.9};  // d = 1, 1.1, 0.9: mean 1, s = 0.1
  const ConfidenceInterval e = run::paired_difference(a, c);
  CHECK(e.mean == Approx(1.0).epsilon(1e-15));
  CHECK(e.half_width == Approx(kT975df2 * 0.1 / std::sqrt(3.0)).epsilon(1e-12));  // 0.248...
  CHECK(run::excludes_zero(e));
  CHECK(run::excludes_zero(run::paired_difference(c, a)));  // the mirror image: [-1.25, -0.75]

  const ConfidenceInterval same = run::paired_difference(a, a);
  CHECK(same.mean == 0.0);
  CHECK(same.half_width == 0.0);
  CHECK_FALSE(run::excludes_zero(same));

  const ConfidenceInterval one = run::paired_difference(std::vector<double>{1}, std::vector<double>{5});
  CHECK(one.mean == 4.0);
  CHECK(std::isnan(one.half_width));  // one replication: no interval
  CHECK_FALSE(run::excludes_zero(one));
  CHECK_THROWS_AS(run::paired_difference(a, std::vector<double>{1, 2}), std::invalid_argument);
}

TEST_CASE("summarize: intervals per metric and share, paired against the base", "[compare]") {
  const run::SchedulerComparison base =
      run::summarize("rr", {metrics({100, 5, 20, 0, 1.5, 0.9}, {0.75, 0.25}), metrics({110, 7, 30, 2, 1.0, 1.0}, {0.5, 0.5})},
                     nullptr);
  CHECK(base.scheduler == "rr");
  CHECK_FALSE(base.paired);
  CHECK(base.metrics[kThroughput].mean == 105.0);
  CHECK(base.metrics[kThroughput].half_width == Approx(kT975df1 * 5).epsilon(1e-12));  // s / sqrt(2) = |a - b| / 2
  CHECK(base.metrics[3].mean == 1.0);
  REQUIRE(base.shares.size() == 2);
  CHECK(base.shares[0].mean == 0.625);
  CHECK(base.shares[0].half_width == Approx(kT975df1 * 0.125).epsilon(1e-12));  // 1.5882755920...
  CHECK(base.shares[1].mean == 0.375);

  const run::SchedulerComparison other =
      run::summarize("wrr", {metrics({104, 5, 20, 0, 1.5, 0.9}, {0.75, 0.25}), metrics({118, 7, 30, 2, 1.0, 1.0}, {0.5, 0.5})},
                     &base);
  REQUIRE(other.paired);
  const ConfidenceInterval& dt = (*other.paired)[kThroughput];  // d = 4, 8
  CHECK(dt.mean == 6.0);
  CHECK(dt.half_width == Approx(kT975df1 * 2).epsilon(1e-12));
  CHECK((*other.paired)[kJain].mean == 0.0);
  CHECK((*other.paired)[kJain].half_width == 0.0);
}

TEST_CASE("compare output is the same for 1 and 3 threads", "[compare]") {
  const scenario::ScenarioSpec spec = nat_basic();
  const run::CompareResult one = run::compare_schedulers(spec, short_runs({"rr", "wrr", "rr"}, 3, 1));
  const run::CompareResult three = run::compare_schedulers(spec, short_runs({"rr", "wrr", "rr"}, 3, 3));
  CHECK(all_output(one) == all_output(three));

  // (no SECTIONs: each would run the whole case again)

  // seeds: the scenario's seed 1 + r for every scheduler
  CHECK(one.seeds == std::vector<std::uint64_t>{1, 2, 3});
  for (const run::SchedulerComparison& s : one.schedulers)
    for (std::size_t r = 0; r < 3; ++r) CHECK(s.runs[r].seed == one.seeds[r]);
  CHECK(one.servers == std::vector<std::string>{"rs1", "rs2"});

  // common random numbers: rr again, and wrr with equal weights, differ by exactly 0
  REQUIRE(one.schedulers.size() == 3);
  for (std::size_t k = 1; k < 3; ++k) {
    INFO(one.schedulers[k].scheduler);
    REQUIRE(one.schedulers[k].paired);
    for (const ConfidenceInterval& d : *one.schedulers[k].paired) {
      CHECK(d.mean == 0.0);
      CHECK(d.half_width == 0.0);
    }
    for (std::size_t r = 0; r < 3; ++r) CHECK(one.schedulers[k].runs[r].values == one.schedulers[0].runs[r].values);
  }
  // while different seeds do give different runs
  CHECK(one.schedulers[0].runs[0].values[kThroughput] != one.schedulers[0].runs[1].values[kThroughput]);

  // each run's shares add up to 1
  for (const run::SchedulerComparison& s : one.schedulers)
    for (const run::CompareMetrics& m : s.runs) {
      CHECK(std::accumulate(m.shares.begin(), m.shares.end(), 0.0) == Approx(1.0).epsilon(1e-12));
      CHECK(m.server_requests[0] + m.server_requests[1] > 250);
    }
}

TEST_CASE("compare: wrr 3:1 against rr shifts the shares, and balance is judged by the weights", "[compare]") {
  run::CompareOptions o = short_runs({"rr", "wrr"}, 2, 2);
  o.base_seed = 7;
  const run::CompareResult r = run::compare_schedulers(nat_basic({"services[0].destinations[0].weight=3"}), o);
  CHECK(r.seeds == std::vector<std::uint64_t>{7, 8});
  const run::SchedulerComparison& wrr = r.schedulers.at(1);
  for (const run::CompareMetrics& m : wrr.runs) {
    const double total = static_cast<double>(m.server_requests[0] + m.server_requests[1]);
    CHECK(std::abs(m.shares[0] - 0.75) <= 3 / total);  // one wrr cycle is 3 + 1 picks
    // Shares 3:1 on weights 3:1 are the weighted share: imbalance and Jain 1 (shares 0.75 + e
    // and 0.25 - e give imbalance 4 (0.25 + |e|) at most).
    CHECK(m.values[kImbalance] == Approx(1.0).margin(12 / total));
    CHECK(m.values[kJain] == Approx(1.0).margin(0.01));
  }
  for (const run::CompareMetrics& m : r.schedulers.at(0).runs) {
    const double total = static_cast<double>(m.server_requests[0] + m.server_requests[1]);
    CHECK(std::abs(m.shares[0] - 0.5) <= 1 / total);
    // rr's even split on weights 3:1: per unit weight 1/6 and 1/2 of the requests, against
    // the cluster's 1/4: imbalance (1/2) / (1/4) = 2, Jain (2/3)^2 / (2 (1/36 + 1/4)) = 0.8.
    CHECK(m.values[kImbalance] == Approx(2.0).margin(8 / total));
    CHECK(m.values[kJain] == Approx(0.8).margin(0.02));
  }
  REQUIRE(wrr.paired);
  CHECK((*wrr.paired)[kImbalance].mean == Approx(-1.0).margin(0.03));
  // The weights the figures are judged by, in the JSON and as the shares' last row.
  CHECK(r.weights == std::vector<std::uint64_t>{3, 1});
  CHECK(run::comparison_json(r).find("\"weights\": [\n    3,\n    1\n  ]") != std::string::npos);
  std::ostringstream text;
  run::print_comparison(text, r);
  const std::size_t row = text.str().find("\nby weight ");
  REQUIRE(row != std::string::npos);
  std::istringstream line(text.str().substr(row + 10, text.str().find('\n', row + 1) - row - 10));
  std::string rs1, rs2, more;
  line >> rs1 >> rs2;
  CHECK(rs1 == "0.7500");
  CHECK(rs2 == "0.2500");
  CHECK_FALSE(line >> more);
}

TEST_CASE("compare refuses an unknown scheduler before running anything", "[compare]") {
  run::CompareOptions o = short_runs({"rr", "fastest"}, 2, 1);
  int calls = 0;
  o.progress = [&calls](int, int) { ++calls; };
  CHECK_THROWS_WITH(run::compare_schedulers(nat_basic(), o),
                    Catch::Matchers::StartsWith("unknown scheduler 'fastest'; valid: ") &&
                        Catch::Matchers::Contains("rr (round robin)") && Catch::Matchers::Contains("wrr (weighted round robin)"));
  CHECK(calls == 0);
  CHECK_THROWS_WITH(run::check_schedulers({"rr", "wrr", "rr"}), "scheduler 'rr' given twice");
  CHECK_THROWS_WITH(run::check_schedulers({}), "no scheduler to compare");
  CHECK_NOTHROW(run::check_schedulers({"wrr", "rr"}));
  o.schedulers = {"rr"};
  o.jobs = 0;
  CHECK_THROWS_AS(run::compare_schedulers(nat_basic(), o), std::invalid_argument);
}

TEST_CASE("compare reports progress run by run and can be cancelled", "[compare]") {
  const scenario::ScenarioSpec spec = nat_basic();
  run::CompareOptions o = short_runs({"rr", "wrr"}, 2, 2);
  std::vector<int> done;
  std::vector<int> totals;
  o.progress = [&](int d, int total) {  // no CHECK here: Catch2 is not thread-safe
    done.push_back(d);
    totals.push_back(total);
  };
  const run::CompareResult r = run::compare_schedulers(spec, o);
  CHECK(done == std::vector<int>{1, 2, 3, 4});
  CHECK(totals == std::vector<int>{4, 4, 4, 4});
  CHECK_FALSE(r.cancelled);

  std::atomic<bool> cancel{false};
  o.cancel = &cancel;
  o.jobs = 1;
  done.clear();
  o.progress = [&](int d, int) {
    done.push_back(d);
    cancel = true;  // after the first run
  };
  const run::CompareResult stopped = run::compare_schedulers(spec, o);
  CHECK(stopped.cancelled);
  CHECK(stopped.schedulers.empty());
  CHECK(done == std::vector<int>{1});
}

TEST_CASE("compare prints n/a, not nan, for the interval of one replication", "[compare]") {
  const run::CompareResult r =
      run::compare_schedulers(nat_basic(), short_runs({"rr", "wrr"}, 1, 1));
  std::ostringstream os;
  run::print_comparison(os, r);
  const std::string text = os.str();
  CHECK(text.find("nan") == std::string::npos);
  CHECK(text.find(" ± n/a") != std::string::npos);
  CHECK(text.rfind("lvslab compare: nat-basic (", 0) == 0);
  CHECK(text.find("\nseed 1, 1 replication per scheduler, 0.700 s simulated (warm-up 0.200 s)\n") != std::string::npos);
  const std::string csv = run::comparison_csv(r);
  CHECK(csv.rfind("scheduler,replication,seed,throughput_rps,latency_mean_ms,latency_p99_ms,failed,imbalance,"
                  "jain_index,requests_rs1,requests_rs2,share_rs1,share_rs2\nrr,0,1,",
                  0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 3);
}

TEST_CASE("compare passes an error on, from the lowest-numbered run that failed", "[compare]") {
  run::CompareOptions o = short_runs({"rr", "wrr"}, 2, 2);
  o.progress = [](int done, int) {
    if (done == 2) throw std::runtime_error("stop at the second run");
  };
  CHECK_THROWS_WITH(run::compare_schedulers(nat_basic(), o), "stop at the second run");
}
