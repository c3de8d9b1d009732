// The comparison schedulers beyond IPVS (random, p2c, peak-ewma, lrt, jiq): exact picks for
// hand-computable states, and latency histories whose averages are worked out in comments.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "schedulers/dest_table.hpp"
#include "schedulers/registry.hpp"
#include "sched_fixture.hpp"

using namespace lvs;
using namespace lvs::test;
using namespace lvs::literals;

namespace {

/// Sets destination `id`'s activeconns (inactconns 0), as the director does.
void set_active(DestTable& table, DestId id, int active) { table.set_counts(id, active, 0); }

/// How often each destination id is picked in `n` picks with `rng`.
std::vector<int> histogram(DestTable& table, int n, Rng& rng) {
  std::vector<int> out(table.dests().size(), 0);
  for (int k = 0; k < n; ++k)
    if (const auto i = table.schedule(rng)) ++out[table.dests()[*i].id];
  return out;
}

/// A latency-history row: weights and activeconns in list order, per destination its
/// latency samples (ms) at 0 s, 10 s, 20 s, ..., and the expected picks.
struct LatencyRow {
  std::vector<int> weights, active;
  std::vector<std::vector<int>> samples_ms;
  std::string expected;
};

/// Sets the row's counts and feeds its samples to the scheduler, oldest first.
void apply(DestTable& table, Scheduler& sched, const LatencyRow& row) {
  for (std::size_t i = 0; i < row.active.size(); ++i) set_active(table, static_cast<DestId>(i), row.active[i]);
  for (std::size_t i = 0; i < row.samples_ms.size(); ++i)
    for (std::size_t k = 0; k < row.samples_ms[i].size(); ++k)
      sched.on_request_done(static_cast<DestId>(i), Time::ms(row.samples_ms[i][k]), Time::s(10 * static_cast<std::int64_t>(k)));
}

}  // namespace

TEST_CASE("random walks one draw below the eligible weight total in list order", "[schedulers][comparison]") {
  // Weights 1, 0, 3, 2 with dest 3 overloaded: eligible total 4; r = 0 -> dest 0, r = 1..3 -> dest 2.
  auto sched = make_scheduler("random");
  DestTable table = service(*sched, {1, 0, 3, 2}, {0, 0, 0, 1});
  Rng rng(7);
  Rng reference(7);
  for (int k = 0; k < 200; ++k) {
    const std::uint64_t r = reference.below(4);
    const auto pick = table.schedule(rng);
    REQUIRE(pick);
    CHECK(table.dests()[*pick].id == (r == 0 ? 0u : 2u));
  }
  table.set_overloaded(2, true);  // only dest 0 left
  CHECK(picks(table, 3) == "0 0 0");
  table.edit_weight(0, 0);
  CHECK(picks(table, 2) == "none none");
}

TEST_CASE("random shares follow the weights", "[schedulers][comparison]") {
  auto sched = make_scheduler("random");
  DestTable table = service(*sched, {1, 3});
  Rng rng(11);
  const std::vector<int> h = histogram(table, 40000, rng);
  CHECK(h[0] / 40000.0 == Approx(0.25).margin(0.01));  // binomial SE 0.0022
}

TEST_CASE("p2c keeps the draw with fewer active connections per weight", "[schedulers][comparison]") {
  struct Row {
    std::vector<int> weights, active, overloaded;
    std::string expected;  // 8 picks; with two eligible both are always drawn
  };
  const Row row = GENERATE(values<Row>({
      {{1, 1}, {3, 1}, {}, "1 1 1 1 1 1 1 1"},
      {{1, 3}, {1, 2}, {}, "1 1 1 1 1 1 1 1"},            // 2 * 1 < 1 * 3
      {{3, 1}, {2, 1}, {}, "0 0 0 0 0 0 0 0"},            // 2 * 1 < 1 * 3
      {{1, 1, 1}, {5, 0, 1}, {0, 1, 0}, "2 2 2 2 2 2 2 2"},  // the idle one is overloaded
      {{0, 1}, {0, 9}, {}, "1 1 1 1 1 1 1 1"},            // weight 0 is never drawn
      {{4}, {100}, {}, "0 0 0 0 0 0 0 0"},                // one eligible: no draw
      {{0, 0}, {0, 0}, {}, "none none none none none none none none"},
  }));
  auto sched = make_scheduler("p2c");
  DestTable table = service(*sched, row.weights, row.overloaded);
  for (std::size_t i = 0; i < row.active.size(); ++i) set_active(table, static_cast<DestId>(i), row.active[i]);
  CHECK(picks(table, 8) == row.expected);
}

TEST_CASE("p2c: ties go to the first draw, and the busiest of three is never picked", "[schedulers][comparison]") {
  auto sched = make_scheduler("p2c");
  Rng rng(5);
  SECTION("a tie between two picks each about half the time") {
    DestTable table = service(*sched, {2, 1});
    set_active(table, 0, 2);
    set_active(table, 1, 1);  // 2 * 1 == 1 * 2
    const std::vector<int> h = histogram(table, 4000, rng);
    CHECK(h[0] / 4000.0 == Approx(0.5).margin(0.04));
  }
  SECTION("active 0, 5, 9: dest 0 wins whenever drawn (2/3), dest 2 never") {
    DestTable table = service(*sched, {1, 1, 1});
    set_active(table, 1, 5);
    set_active(table, 2, 9);
    const std::vector<int> h = histogram(table, 6000, rng);
    CHECK(h[2] == 0);
    CHECK(h[0] / 6000.0 == Approx(2.0 / 3.0).margin(0.025));
  }
}

// lrt averages: first sample sets the EWMA; a later one at dt enters with 1 - exp(-dt / 10 s).
// 100 ms at 0 s then 200 ms at 10 s: 100 e^-1 + 200 (1 - e^-1) = 163.21 ms.
TEST_CASE("lrt picks the least EWMA latency x (active + 1) / weight", "[schedulers][comparison]") {
    const LatencyRow row = GENERATE(values<LatencyRow>({
      {{1, 1, 1}, {0, 0, 5}, {{100}, {50}, {}}, "2 2 2 2"},             // warm-up: unsampled first
      {{1, 1, 1}, {0, 0, 0}, {{}, {50}, {}}, "0 0 0 0"},                // warm-up in list order
      {{1, 1, 1}, {0, 1, 0}, {{100}, {50}, {80}}, "2 2 2 2"},           // 100, 100, 80
      {{1, 1, 1}, {0, 0, 1}, {{100}, {50}, {80}}, "1 1 1 1"},           // 100, 50, 160
      {{1, 1}, {0, 1}, {{100}, {50}}, "0 0 0 0"},                       // 100 vs 100: list order
      {{1, 3}, {1, 3}, {{100}, {100}}, "1 1 1 1"},                      // 200 / 1 vs 400 / 3
      {{1, 1}, {0, 0}, {{100, 200}, {160}}, "1 1 1 1"},                 // 163.21 vs 160
      {{1, 1}, {0, 0}, {{100, 200}, {165}}, "0 0 0 0"},                 // 163.21 vs 165
      {{1, 1}, {0, 0}, {{200, 100}, {150}}, "0 0 0 0"},                 // 200 e^-1 + 100 (1 - e^-1) = 136.79
      {{1, 1}, {0, 0}, {{100, 200}, {190}}, "0 0 0 0"},                 // no peak rule: 163.21 vs 190
  }));
  auto sched = make_scheduler("lrt");
  DestTable table = service(*sched, row.weights);
  apply(table, *sched, row);
  CHECK(picks(table, 4) == row.expected);
}

TEST_CASE("lrt: samples at one instant, ineligible and removed destinations", "[schedulers][comparison]") {
  auto sched = make_scheduler("lrt");
  SECTION("a sample at the same instant as the previous has weight 1 - e^0 = 0") {
    DestTable table = service(*sched, {1, 1});
    sched->on_request_done(0, 100_ms, 0_s);
    sched->on_request_done(0, 500_ms, 0_s);  // dt 0: the average stays 100 ms
    sched->on_request_done(1, 120_ms, 0_s);
    CHECK(picks(table, 2) == "0 0");
  }
  SECTION("warm-up never picks a quiesced or overloaded destination") {
    DestTable table = service(*sched, {0, 1, 1}, {0, 1, 0});
    sched->on_request_done(2, 900_ms, 0_s);
    CHECK(picks(table, 2) == "2 2");
    table.set_overloaded(2, true);
    CHECK(picks(table, 1) == "none");
  }
  SECTION("feedback for a removed destination is ignored; a re-added one starts unsampled") {
    DestTable table = service(*sched, {1, 1});
    sched->on_request_done(0, 100_ms, 0_s);
    sched->on_request_done(1, 50_ms, 0_s);
    CHECK(picks(table, 1) == "1");
    table.remove(1);
    sched->on_request_done(1, 10_ms, 1_s);
    CHECK(picks(table, 1) == "0");
    table.add({.id = 1, .weight = 1});  // back at the head, no sample: warm-up
    CHECK(picks(table, 1) == "1");
  }
}

// peak-ewma with two eligible destinations: both are always drawn (in random order), so the
// lower cost wins on every pick. Peak: a sample above the average replaces it.
// 100 then 300 ms: 300. 100 then 50 ms 10 s later: 100 e^-1 + 50 (1 - e^-1) = 68.39 ms.
// 300 then 100 ms: 300 e^-1 + 100 (1 - e^-1) = 173.58 ms.
TEST_CASE("peak-ewma keeps the draw with the lower peak-EWMA latency x (active + 1)", "[schedulers][comparison]") {
  const LatencyRow row = GENERATE(values<LatencyRow>({
      {{1, 1}, {0, 0}, {{100, 300}, {100, 50}}, "1 1 1 1"},  // 300 vs 68.39
      {{1, 1}, {0, 4}, {{100, 300}, {100, 50}}, "0 0 0 0"},  // 300 vs 68.39 x 5 = 341.97
      {{1, 1}, {0, 0}, {{300, 100}, {170}}, "1 1 1 1"},      // 173.58 vs 170
      {{1, 1}, {0, 0}, {{300, 100}, {175}}, "0 0 0 0"},      // 173.58 vs 175
      {{1, 1}, {0, 0}, {{100, 200}, {190}}, "1 1 1 1"},      // peak: 200 vs 190 (lrt: 163.21, picks 0)
      {{1, 1}, {0, 0}, {{1000}, {}}, "1 1 1 1"},             // unsampled and idle: cost 0, probed
      {{1, 1}, {10, 1}, {{1000}, {}}, "0 0 0 0"},            // unsampled with one in flight: penalty
      {{1, 9}, {0, 0}, {{100}, {150}}, "0 0 0 0"},           // weight only counts through > 0
      {{0, 1}, {0, 7}, {{10}, {900}}, "1 1 1 1"},            // weight 0 is never drawn
  }));
  auto sched = make_scheduler("peak-ewma");
  DestTable table = service(*sched, row.weights);
  apply(table, *sched, row);
  CHECK(picks(table, 4) == row.expected);
}

TEST_CASE("peak-ewma never picks the costliest of three and the cheapest 2/3 of the time", "[schedulers][comparison]") {
  auto sched = make_scheduler("peak-ewma");
  DestTable table = service(*sched, {1, 1, 1});
  sched->on_request_done(0, 100_ms, 0_s);
  sched->on_request_done(1, 50_ms, 0_s);
  sched->on_request_done(2, 300_ms, 0_s);
  Rng rng(3);
  const std::vector<int> h = histogram(table, 6000, rng);
  CHECK(h[2] == 0);
  CHECK(h[1] / 6000.0 == Approx(2.0 / 3.0).margin(0.025));
}

TEST_CASE("jiq dispatches to the idle queue in order, else at random", "[schedulers][comparison]") {
  auto sched = make_scheduler("jiq");
  DestTable table = service(*sched, {1, 1, 1});  // all idle: queued 0 1 2
  Rng rng(9);
  // One pick, then the director binds the connection (activeconns + 1), as a run does.
  const auto pick_and_bind = [&]() -> std::string {
    const auto i = table.schedule(rng);
    if (!i) return "none";
    const SchedDest d = table.dests()[*i];
    table.set_counts(d.id, d.activeconns + 1, d.inactconns);
    return std::to_string(d.id);
  };
  CHECK(pick_and_bind() == "0");
  CHECK(pick_and_bind() == "1");
  CHECK(pick_and_bind() == "2");

  SECTION("idle servers rejoin at the tail in the order they become idle") {
    set_active(table, 2, 0);
    set_active(table, 0, 0);
    CHECK(pick_and_bind() == "2");
    CHECK(pick_and_bind() == "0");
  }
  SECTION("an empty queue falls back to a uniformly random eligible destination") {
    const std::vector<int> h = histogram(table, 3000, rng);  // none idle, nothing binds
    for (const int n : h) CHECK(n / 3000.0 == Approx(1.0 / 3.0).margin(0.04));
  }
  SECTION("stale entries are dropped: busy again, overloaded, or quiesced") {
    set_active(table, 0, 0);
    set_active(table, 1, 0);
    set_active(table, 2, 0);           // queue 0 1 2
    set_active(table, 0, 3);           // busy again without a pick: stale
    table.set_overloaded(1, true);     // idle but overloaded: stale
    CHECK(pick_and_bind() == "2");     // 0 and 1 dropped on the way
    table.set_overloaded(1, false);    // idle and eligible again: rejoins
    CHECK(pick_and_bind() == "1");
  }
  SECTION("a quiesced destination joins when its weight comes back; a new one joins idle") {
    set_active(table, 1, 0);
    table.edit_weight(1, 0);           // stale in the queue
    set_active(table, 2, 0);           // queue 1 2
    CHECK(pick_and_bind() == "2");
    table.edit_weight(1, 2);           // rejoins
    table.add({.id = 7, .weight = 1});  // joins after it
    CHECK(pick_and_bind() == "1");
    CHECK(pick_and_bind() == "7");
  }
  SECTION("a removed destination leaves the queue") {
    set_active(table, 1, 0);
    set_active(table, 0, 0);           // queue 1 0
    table.remove(1);
    CHECK(pick_and_bind() == "0");
  }
}

TEST_CASE("jiq queues only eligible idle destinations at init, in list order", "[schedulers][comparison]") {
  auto sched = make_scheduler("jiq");
  DestTable table(*sched);
  for (DestId id : {0u, 1u, 2u, 3u}) table.add({.id = id, .weight = id == 2 ? 0 : 1});  // list 3 2 1 0
  set_active(table, 1, 4);
  table.bind_scheduler(*sched);  // init_service: queue 3 0 (2 is quiesced, 1 is busy)
  Rng rng(1);
  const auto first = table.schedule(rng);
  const auto second = table.schedule(rng);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(table.dests()[*first].id == 3);
  CHECK(table.dests()[*second].id == 0);
}
