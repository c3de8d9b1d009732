// One scheduling decision in steady state: BM_Pick/<sched>/<N> times a pick plus the count
// update the new connection causes (activeconns + 1 on the chosen destination, then
// on_counts_changed, as the director does), with one departure per iteration on a rotating
// cursor so the counts stay bounded. Weights are 1..8. The service is warmed for 2N
// iterations first. BM_PickScan/wlc/<N> times the same loop answered by the kernel's O(N)
// walk (wlc_scan), for comparison with the O(log N) index behind lc, wlc, sed and nq.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "schedulers/least_conn.hpp"
#include "schedulers/registry.hpp"

namespace {

using lvs::DestList;
using lvs::SchedDest;

/// A service of `n` destinations in kernel order, the director's side of it.
struct Service {
  std::vector<SchedDest> dests;
  std::size_t cursor = 0;

  explicit Service(std::size_t n) {
    dests.reserve(n);
    for (std::size_t k = 0; k < n; ++k) {
      const auto id = static_cast<lvs::DestId>(n - 1 - k);  // newest first
      dests.push_back({.id = id, .addr = lvs::InetAddr::v4(0x0A000000u + id), .port = 80,
                       .weight = static_cast<std::int32_t>(1 + id % 8)});
    }
  }

  /// A new connection on `i` (if any) and a departure at the cursor; `on_change` is the hook.
  template <class OnChange>
  void bind_and_depart(std::optional<std::size_t> i, OnChange&& on_change) {
    if (i) {
      ++dests[*i].activeconns;
      on_change(*i);
    }
    if (dests[cursor].activeconns > 0) {
      --dests[cursor].activeconns;
      on_change(cursor);
    }
    if (++cursor == dests.size()) cursor = 0;
  }
};

void BM_Pick(benchmark::State& state, const char* name) {
  Service svc(static_cast<std::size_t>(state.range(0)));
  const std::unique_ptr<lvs::Scheduler> sched = lvs::make_scheduler(name);
  sched->init_service(svc.dests);
  lvs::Rng rng(1);
  const lvs::SchedContext ctx{.dests = svc.dests};
  auto changed = [&](std::size_t i) { sched->on_counts_changed(svc.dests, i); };
  for (std::size_t k = 0; k < 2 * svc.dests.size(); ++k) svc.bind_and_depart(sched->schedule(ctx, rng), changed);
  for (auto _ : state) {
    const std::optional<std::size_t> i = sched->schedule(ctx, rng);
    benchmark::DoNotOptimize(i);
    svc.bind_and_depart(i, changed);
  }
}

void BM_PickScan(benchmark::State& state, std::optional<std::size_t> (*scan)(DestList)) {
  Service svc(static_cast<std::size_t>(state.range(0)));
  auto changed = [](std::size_t) {};
  for (std::size_t k = 0; k < 2 * svc.dests.size(); ++k) svc.bind_and_depart(scan(svc.dests), changed);
  for (auto _ : state) {
    const std::optional<std::size_t> i = scan(svc.dests);
    benchmark::DoNotOptimize(i);
    svc.bind_and_depart(i, changed);
  }
}

/// N = 10, 100, 1000 and 10000 destinations.
void pick_sizes(benchmark::internal::Benchmark* b) {
  for (std::int64_t n : {10, 100, 1000, 10000}) b->Arg(n);
}

BENCHMARK_CAPTURE(BM_Pick, lc, "lc")->Apply(pick_sizes);
BENCHMARK_CAPTURE(BM_Pick, wlc, "wlc")->Apply(pick_sizes);
BENCHMARK_CAPTURE(BM_Pick, sed, "sed")->Apply(pick_sizes);
BENCHMARK_CAPTURE(BM_Pick, nq, "nq")->Apply(pick_sizes);
BENCHMARK_CAPTURE(BM_Pick, fo, "fo")->Apply(pick_sizes);
BENCHMARK_CAPTURE(BM_Pick, ovf, "ovf")->Apply(pick_sizes);
BENCHMARK_CAPTURE(BM_Pick, twos, "twos")->Apply(pick_sizes);
BENCHMARK_CAPTURE(BM_Pick, rr, "rr")->Apply(pick_sizes);
BENCHMARK_CAPTURE(BM_Pick, wrr, "wrr")->Apply(pick_sizes);
BENCHMARK_CAPTURE(BM_PickScan, wlc, &lvs::wlc_scan)->Apply(pick_sizes);

}  // namespace
