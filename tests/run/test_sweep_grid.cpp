// lvslab sweep's grid and SLO text (run/sweep_grid.hpp, run/slo_search.hpp): values worked
// by hand, the grid order, and every refusal naming the option.

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "run/slo_search.hpp"
#include "run/sweep_grid.hpp"

using namespace lvs;
using V = std::vector<std::string>;

TEST_CASE("sweep --param ranges: FROM to TO inclusive by STEP with the unit and decimals as written", "[sweep]") {
  const run::SweepParam rate = run::parse_sweep_param("workload.clients[0].arrivals.rate=1000:5000:1000");
  CHECK(rate.key == "workload.clients[0].arrivals.rate");
  CHECK(rate.range);
  CHECK(rate.values == V{"1000", "2000", "3000", "4000", "5000"});
  // 0.1 + 2 x 0.1 is 0.30000000000000004 in binary: printed with the one decimal given.
  CHECK(run::parse_sweep_param("k=0.1:0.3:0.1").values == V{"0.1", "0.2", "0.3"});
  CHECK(run::parse_sweep_param("k=10ms:50ms:20ms").values == V{"10ms", "30ms", "50ms"});
  CHECK(run::parse_sweep_param("k=5:1:-2").values == V{"5", "3", "1"});
  CHECK(run::parse_sweep_param("k=1:4:2").values == V{"1", "3"});  // TO need not be on the grid
  CHECK(run::parse_sweep_param("k=7:7:1").values == V{"7"});
}

TEST_CASE("sweep --param lists keep their order and text", "[sweep]") {
  const run::SweepParam p = run::parse_sweep_param("services[0].scheduler=rr, wlc,sed");
  CHECK_FALSE(p.range);
  CHECK(p.values == V{"rr", "wlc", "sed"});
  CHECK(run::parse_sweep_param("servers[0].workers=4").values == V{"4"});
}

TEST_CASE("sweep --param refuses a bad range or list and names the key", "[sweep]") {
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(run::parse_sweep_param("k=1:5:0"), "--param k: STEP must not be 0");
  CHECK_THROWS_WITH(run::parse_sweep_param("k=1:5:-1"), "--param k: STEP -1 goes away from TO 5 (wrong sign)");
  CHECK_THROWS_WITH(run::parse_sweep_param("k=1ms:5s:1ms"), Contains("--param k: FROM, TO and STEP must have the same unit"));
  CHECK_THROWS_WITH(run::parse_sweep_param("k=1:200000:1"), "--param k: more than 100000 values");
  CHECK_THROWS_WITH(run::parse_sweep_param("k=a:b:c"), Contains("--param k: expected FROM:TO:STEP"));
  CHECK_THROWS_WITH(run::parse_sweep_param("k=1:2"), Contains("--param k: expected FROM:TO:STEP or v1,v2,..."));
  CHECK_THROWS_WITH(run::parse_sweep_param("k=1,,2"), "--param k: an empty value in '1,,2'");
  CHECK_THROWS_WITH(run::parse_sweep_param("k="), "--param k: no values after '='");
  CHECK_THROWS_WITH(run::parse_sweep_param("k"), Contains("--param k: expected KEY.PATH="));
}

TEST_CASE("the grid is the product of the params, the first varying slowest", "[sweep]") {
  const std::vector<run::SweepParam> params{run::parse_sweep_param("a=1,2"), run::parse_sweep_param("b=x,y,z")};
  REQUIRE(run::grid_points(params) == 6);
  CHECK(run::point_values(params, 0) == V{"1", "x"});
  CHECK(run::point_values(params, 2) == V{"1", "z"});
  CHECK(run::point_values(params, 3) == V{"2", "x"});
  CHECK(run::point_assignments(params, 5) == V{"a=2", "b=z"});
  const std::vector<run::SweepParam> big{run::parse_sweep_param("a=1:1000:1"), run::parse_sweep_param("b=1:101:1")};
  CHECK_THROWS_WITH(run::grid_points(big), "--param: the grid has more than 100000 points");
}

TEST_CASE("sweep --slo reads latency bounds in ms and the failed fraction", "[sweep][slo]") {
  const run::Slo p99 = run::parse_slo("p99<200ms");
  CHECK(p99.metric == run::RunMetric::LatencyP99);
  CHECK(p99.bound == 200.0);
  CHECK(run::parse_slo("mean<1.5s").bound == 1500.0);
  CHECK(run::parse_slo("p50 <= 250us").metric == run::RunMetric::LatencyP50);
  CHECK(run::parse_slo("p50 <= 250us").bound == Approx(0.25).epsilon(1e-12));
  const run::Slo failed = run::parse_slo("failed<1%");
  CHECK(failed.metric == run::RunMetric::FailedFraction);
  CHECK(failed.bound == Approx(0.01).epsilon(1e-15));
  CHECK(run::parse_slo("failed<0.02").bound == 0.02);
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(run::parse_slo("p95<1s"), Contains("--slo p95<1s: unknown metric 'p95'; expected p50<DURATION"));
  CHECK_THROWS_WITH(run::parse_slo("p99>1s"), Contains("--slo p99>1s: no '<'"));
  CHECK_THROWS_WITH(run::parse_slo("p99<fast"), Contains("--slo p99<fast: "));
  CHECK_THROWS_WITH(run::parse_slo("failed<200%"), Contains("must be in (0, 100%]"));
  const run::FindTarget f = run::parse_find("min:servers[0].workers");
  CHECK(f.seek == run::Seek::Min);
  CHECK(f.key == "servers[0].workers");
  CHECK_THROWS_WITH(run::parse_find("most:x"), "--find most:x: expected max:KEY.PATH or min:KEY.PATH");
}
