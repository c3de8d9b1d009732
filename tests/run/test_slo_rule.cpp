// The SLO search's decision rule and bisection (run/slo_search.hpp) on a stand-in runner whose
// figures are set by hand: which probes are run, how many replications each gets, when the
// mean decides, and the answer and bracket.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <sstream>
#include <vector>

#include "run/slo_search.hpp"

using namespace lvs;

namespace {

constexpr auto kP99 = static_cast<std::size_t>(run::RunMetric::LatencyP99);

// p99 of a run of candidate i with seed s: centre[i] + 1 for an even seed, - 1 for an odd one.
class HandRunner : public run::BatchRunner {
 public:
  HandRunner(const std::vector<scenario::ScenarioSpec>& specs, std::vector<double> centre)
      : specs_(specs), centre_(std::move(centre)) {}
  std::vector<run::RunFigures> run(std::span<const run::RunJob> jobs) override {
    std::vector<run::RunFigures> out;
    for (const run::RunJob& j : jobs) {
      const auto i = static_cast<std::size_t>(j.spec - specs_.data());
      run::RunFigures f;
      f.status = run::RunStatus::Done;
      f.values[kP99] = centre_[i] + (j.seed % 2 == 0 ? 1.0 : -1.0);
      out.push_back(f);
      ++runs;
    }
    return out;
  }
  int runs = 0;

 private:
  const std::vector<scenario::ScenarioSpec>& specs_;
  std::vector<double> centre_;
};

run::SloOptions options(run::Seek seek, double bound_ms, int replications, int cap) {
  run::SloOptions o;
  o.slo = run::parse_slo("p99<" + std::to_string(static_cast<int>(bound_ms)) + "ms");
  o.seek = seek;
  o.param = run::parse_sweep_param("k=0:9:1");
  o.replications = replications;
  o.max_replications = cap;
  o.base_seed = 100;
  return o;
}

}  // namespace

TEST_CASE("SLO bisection for max: probes 4 then 7 then 5 of 0..9 and answers 4", "[sweep][slo]") {
  const std::vector<scenario::ScenarioSpec> specs(10);
  HandRunner runner(specs, {0, 10, 20, 30, 40, 50, 60, 70, 80, 90});
  const run::SloSearchResult r = run::find_slo(specs, options(run::Seek::Max, 45, 2, 10), runner);
  // Values 40 +- 1 and 50 +- 1 over seeds 100, 101: mean 40, s = 1.414, half width
  // t(0.975; 1) 1.414 / 1.414 = 12.7: 40 + 12.7 > 45, so 2 runs do not decide; after 4
  // (half width t(0.975; 3) 1.155 / 2 = 1.84) 41.84 < 45: holds.
  REQUIRE(r.probes.size() == 3);
  CHECK(r.probes[0].value == "4");
  CHECK(r.probes[0].holds);
  CHECK(r.probes[0].replications == 4);
  CHECK(r.probes[0].ci.half_width == Approx(3.182446305284263 * std::sqrt(4.0 / 3) / 2).epsilon(1e-9));
  CHECK(r.probes[1].value == "7");
  CHECK_FALSE(r.probes[1].holds);
  CHECK(r.probes[1].replications == 2);  // 70 - 12.7 > 45: decided by the first two
  CHECK(r.probes[2].value == "5");
  CHECK_FALSE(r.probes[2].holds);
  CHECK(r.last_passing == 4u);
  CHECK(r.first_failing == 5u);
  CHECK(runner.runs == 4 + 2 + 4);
}

TEST_CASE("SLO bisection for min: the lowest passing value and its failing neighbour", "[sweep][slo]") {
  const std::vector<scenario::ScenarioSpec> specs(10);
  HandRunner runner(specs, {90, 80, 70, 60, 50, 40, 30, 20, 10, 0});
  const run::SloSearchResult r = run::find_slo(specs, options(run::Seek::Min, 45, 4, 20), runner);
  CHECK(r.last_passing == 5u);
  CHECK(r.first_failing == 4u);
  CHECK_FALSE(r.interrupted);
}

TEST_CASE("SLO probe on the bound: replications up to the cap, then the mean decides", "[sweep][slo]") {
  const std::vector<scenario::ScenarioSpec> specs(10);
  HandRunner runner(specs, {0, 10, 20, 30, 40, 50, 60, 70, 80, 90});
  const run::SloSearchResult r = run::find_slo(specs, options(run::Seek::Max, 40, 2, 6), runner);
  // Index 4 is 40 +- 1: every interval straddles 40; at 6 runs the mean is 40, not < 40.
  REQUIRE(!r.probes.empty());
  CHECK(r.probes[0].value == "4");
  CHECK(r.probes[0].replications == 6);
  CHECK(r.probes[0].by_mean);
  CHECK_FALSE(r.probes[0].holds);
  CHECK(r.probes[0].ci.mean == 40.0);
  CHECK(r.last_passing == 3u);
  CHECK(r.first_failing == 4u);
}

TEST_CASE("SLO search where nothing passes or everything does", "[sweep][slo]") {
  const std::vector<scenario::ScenarioSpec> specs(10);
  HandRunner high(specs, std::vector<double>(10, 500));
  const run::SloSearchResult none = run::find_slo(specs, options(run::Seek::Max, 45, 2, 10), high);
  CHECK_FALSE(none.last_passing.has_value());
  CHECK(none.first_failing == 0u);
  HandRunner low(specs, std::vector<double>(10, 5));
  const run::SloSearchResult all = run::find_slo(specs, options(run::Seek::Max, 45, 2, 10), low);
  CHECK(all.last_passing == 9u);
  CHECK_FALSE(all.first_failing.has_value());
  std::ostringstream os;
  run::print_slo_search(os, all);
  CHECK_THAT(os.str(), Catch::Matchers::Contains("answer: 9 (the highest value given: a higher one may meet it too)"));
}

TEST_CASE("SLO probe with no completed request fails", "[sweep][slo]") {
  const std::vector<scenario::ScenarioSpec> specs(10);
  std::vector<double> centre{0, 10, 20, 30, std::numeric_limits<double>::quiet_NaN(), 50, 60, 70, 80, 90};
  HandRunner runner(specs, centre);
  const run::SloSearchResult r = run::find_slo(specs, options(run::Seek::Max, 100, 2, 10), runner);
  CHECK(r.probes[0].value == "4");
  CHECK_FALSE(r.probes[0].holds);
  CHECK(r.probes[0].replications == 2);
  CHECK(r.last_passing == 3u);
}
