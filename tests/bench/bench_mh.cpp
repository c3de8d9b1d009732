// The mh (Maglev) table build: permutation hashing plus population of M = 4093 slots for N
// equal-weight destinations, as every mh init/add/del/upd does. Target: under 5 ms at N = 1000.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "schedulers/mh.hpp"

namespace {

void BM_MhBuild(benchmark::State& state) {
  std::vector<lvs::SchedDest> dests;
  for (std::uint32_t i = 0; i < static_cast<std::uint32_t>(state.range(0)); ++i)
    dests.push_back({.id = i, .addr = lvs::InetAddr::v4(0x0A020000u + i), .port = 80, .weight = 1, .last_weight = 1});
  lvs::MaglevTable table;
  for (auto _ : state) {
    table.build(dests);
    benchmark::DoNotOptimize(table.at(0));
  }
}
BENCHMARK(BM_MhBuild)->Arg(100)->Arg(1000)->Arg(4000)->Unit(benchmark::kMicrosecond);

}  // namespace
