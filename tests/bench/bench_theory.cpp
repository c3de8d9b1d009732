// Theory benchmarks (issue 16): BM_TheoryScenario reads a NAT cluster of range(0) real servers
// (tests/support/big_scenario.hpp), validates it and derives its models, as `lvslab theory
// SCENARIO` does (target: under a second for 10 000 servers). BM_ClusterCtmc solves the
// three-server cluster CTMC at load 0.8 for join-shortest, power-of-two and power-of-three.

#include <benchmark/benchmark.h>

#include "../support/big_scenario.hpp"
#include "metrics/cluster_ctmc.hpp"
#include "run/scenario_theory.hpp"
#include "scenario/scenario_spec.hpp"

namespace {

void BM_TheoryScenario(benchmark::State& state) {
  const int servers = static_cast<int>(state.range(0));
  const std::string text = lvs::test::big_scenario_yaml(servers);
  for (auto _ : state) {
    const auto spec = lvs::scenario::read_scenario_text(text, "big.yaml", {"workload.clients[0].arrivals.rate=1000000"});
    const auto findings = lvs::scenario::validate(spec);
    const lvs::run::ScenarioTheory theory = lvs::run::scenario_theory(spec);
    benchmark::DoNotOptimize(findings.data());
    benchmark::DoNotOptimize(theory.services.data());
  }
}
BENCHMARK(BM_TheoryScenario)->Arg(10'000)->Unit(benchmark::kMillisecond);

void BM_ClusterCtmc(benchmark::State& state) {
  for (auto _ : state) {
    lvs::ClusterCtmcSpec s;
    s.stations = 3;
    s.arrival_rate = 2.4;  // rho = 0.8
    s.service_rate = 1;
    benchmark::DoNotOptimize(lvs::solve_cluster_ctmc(s).mean_response);
    s.dispatch = lvs::Dispatch::PowerOfD;
    benchmark::DoNotOptimize(lvs::solve_cluster_ctmc(s).mean_response);
    s.choices = 3;
    benchmark::DoNotOptimize(lvs::solve_cluster_ctmc(s).mean_response);
  }
}
BENCHMARK(BM_ClusterCtmc)->Unit(benchmark::kMillisecond);

}  // namespace
