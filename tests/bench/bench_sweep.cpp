// BM_Sweep/jobs:J: `lvslab sweep` on nat-basic (5 s per run), 4 rates x 2 replications = 8
// runs, on J threads, in wall time (real time: the runs overlap). The target (issue 16):
// jobs:2 at least 1.8x faster than jobs:1 on a 2-core machine.

#include <benchmark/benchmark.h>

#include <string>

#include "run/sweep.hpp"

namespace {

void BM_Sweep(benchmark::State& state) {
  lvs::run::SweepOptions o;
  o.params.push_back(lvs::run::parse_sweep_param("workload.clients[0].arrivals.rate=200:800:200"));
  o.replications = 2;
  o.until = lvs::Time::s(5);
  const auto specs = lvs::run::read_points(std::string(LVSLAB_SOURCE_DIR) + "/scenarios/nat-basic.yaml",
                                           {"warmup=500ms"}, o.params, o.until);
  lvs::run::BatchOptions b;
  b.threads = static_cast<int>(state.range(0));
  b.until = o.until;
  lvs::run::ThreadRunner runner(b);
  for (auto _ : state) benchmark::DoNotOptimize(lvs::run::run_sweep(specs, o, runner));
  state.counters["runs"] = 8;
}

}  // namespace

BENCHMARK(BM_Sweep)->ArgName("jobs")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
