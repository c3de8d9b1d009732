// The connection-count schedulers lc, wlc, sed, nq, fo, ovf and twos: test vectors 10-18 of
// ipvs-semantics.md (§2.3-2.9) as exact pick sequences, the hooks (add, delete, edit, rebind)
// mid-stream, twos' draws, and allocation-free picks and count updates.

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "schedulers/dest_table.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/twos.hpp"
#include "sched_fixture.hpp"
#include "support/allocation_counter.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

/// A service in list order with counts; ids = list indices.
struct ConnRow {
  std::string sched;
  std::vector<int> weights;
  std::vector<int> active;
  std::vector<int> inactive;
  std::vector<int> overloaded;
  int n;
  std::string expected;
};

int value_or_zero(const std::vector<int>& v, std::size_t i) { return i < v.size() ? v[i] : 0; }

DestTable conn_service(Scheduler& sched, const ConnRow& row) {
  DestTable table = service(sched, row.weights, row.overloaded);
  for (std::size_t i = 0; i < row.weights.size(); ++i)
    table.set_counts(static_cast<DestId>(i), value_or_zero(row.active, i), value_or_zero(row.inactive, i));
  return table;
}

/// `n` picks, each followed by what the director does: one more active connection there.
std::string picks_binding(DestTable& table, int n) {
  Rng rng(1);
  std::string out;
  for (int k = 0; k < n; ++k) {
    if (k > 0) out += ' ';
    const auto i = table.schedule(rng);
    if (!i) {
      out += "none";
      continue;
    }
    const SchedDest& d = table.dests()[*i];
    out += std::to_string(d.id);
    table.set_counts_at(*i, d.activeconns + 1, d.inactconns);
  }
  return out;
}

/// The id of one pick, or -1 for none.
long pick_id(DestTable& table) {
  Rng rng(1);
  const auto i = table.schedule(rng);
  return i ? static_cast<long>(table.dests()[*i].id) : -1;
}

}  // namespace

TEST_CASE("connection-count schedulers give the kernel's picks (vectors 10-17)", "[schedulers][conn]") {
  const ConnRow row = GENERATE(values<ConnRow>({
      {"lc", {1, 1, 1}, {2, 1, 1}, {0, 5, 3}, {}, 1, "2"},          // 10a: overheads 512, 261, 259
      {"lc", {1, 1, 1}, {0, 1, 1}, {}, {1, 0, 0}, 1, "1"},          // 10b: the idle one is overloaded
      {"lc", {1, 5}, {1, 1}, {}, {}, 1, "0"},                       // weight size ignored, tie to the first
      {"lc", {0, 1}, {0, 3}, {}, {}, 1, "1"},                       // weight 0 skipped
      {"lc", {1, 1, 1}, {}, {}, {}, 6, "0 1 2 0 1 2"},
      {"wlc", {1, 2, 3}, {3, 5, 4}, {0, 0, 0}, {}, 1, "2"},         // 11: 768/1, 1280/2, 1024/3
      {"wlc", {2, 1}, {2, 1}, {}, {}, 1, "0"},                      // 12a: 256 = 256, the first wins
      {"wlc", {1, 10}, {}, {}, {}, 1, "0"},                         // 12b: all idle
      {"wlc", {1, 1}, {1, 1}, {5, 3}, {}, 1, "1"},                  // 12c: 261 vs 259
      {"wlc", {1, 2, 3}, {}, {}, {}, 6, "0 1 2 2 1 2"},             // 13
      {"wlc", {0, 1, 1}, {0, 9, 9}, {}, {}, 1, "1"},                // 14: idle weight 0 skipped
      {"wlc", {1, 1}, {1, 1}, {9, 0}, {}, 1, "1"},                  // inactive counts for wlc ...
      {"sed", {1, 1}, {1, 1}, {9, 0}, {}, 1, "0"},                  // ... but not for sed
      {"sed", {1, 10}, {}, {}, {}, 1, "1"},                         // 15a
      {"sed", {1, 3}, {}, {}, {}, 8, "1 1 0 1 1 1 0 1"},            // 15c
      {"sed", {5, 1}, {3, 0}, {}, {}, 1, "0"},                      // 16c
      {"nq", {1, 3}, {}, {}, {}, 8, "0 1 1 1 1 1 0 1"},             // 16a
      {"nq", {5, 1}, {3, 0}, {}, {}, 1, "1"},                       // 16b: the idle server wins
      {"nq", {1, 1}, {0, 5}, {}, {1, 0}, 1, "1"},                   // an idle overloaded one is skipped
      {"nq", {0, 1}, {0, 5}, {}, {}, 1, "1"},                       // an idle weight-0 one is skipped
      {"nq", {1, 2}, {1, 2}, {}, {}, 1, "1"},                       // all busy: sed, 2/1 vs 3/2
      {"nq", {1, 2}, {1, 3}, {}, {}, 1, "0"},                       // all busy: sed tie 2/1 = 4/2
      {"nq", {1, 1, 1}, {4, 0, 0}, {0, 9, 0}, {}, 1, "1"},          // the first idle, inactive ignored
      {"fo", {1, 5, 5}, {}, {}, {0, 1, 0}, 1, "2"},                 // 17a
      {"fo", {2, 2}, {9, 0}, {}, {}, 1, "0"},                       // counts ignored, tie to the first
      {"fo", {1, 5, 5}, {}, {}, {0, 1, 1}, 2, "0 0"},
      {"fo", {0, 0}, {}, {}, {}, 1, "none"},
      {"ovf", {2, 3}, {}, {}, {}, 8, "1 1 1 1 0 0 0 none"},         // 17b: eligible while active <= weight
      {"ovf", {3, 3}, {}, {}, {1, 0}, 5, "1 1 1 1 none"},
      {"ovf", {1, 4}, {0, 5}, {}, {}, 3, "0 0 none"},
      {"ovf", {0, 2}, {0, 3}, {}, {}, 1, "none"},
  }));
  INFO(row.sched << " weights " << Catch::Detail::stringify(row.weights));
  auto sched = make_scheduler(row.sched);
  DestTable table = conn_service(*sched, row);
  CHECK(picks_binding(table, row.n) == row.expected);
}

TEST_CASE("twos chooses from its two draws as ip_vs_twos_schedule does (vector 18)", "[schedulers][twos]") {
  struct Row {
    std::vector<int> weights;
    std::vector<int> active;
    std::vector<int> overloaded;
    std::uint64_t r1;
    std::uint64_t r2;
    long expected;
  };
  const Row row = GENERATE(values<Row>({
      {{1, 2, 3}, {2, 0, 0}, {}, 0, 4, 2},  // 18a: choices 0 and 2; 3 * 512 > 1 * 0
      {{1, 2, 3}, {0, 0, 2}, {}, 0, 6, 0},  // 18b: choices 0 and 2; 3 * 0 > 1 * 512 is false
      {{1, 2, 3}, {}, {}, 1, 1, 0},         // the first entry owns r = 0 and r = 1
      {{1, 2, 3}, {}, {}, 2, 2, 1},
      {{1, 2, 3}, {}, {}, 6, 6, 2},         // r = T lands on the last
      {{1, 2, 3}, {}, {0, 1, 0}, 2, 2, 2},  // overloaded: not in T, not walked
      {{1, 0, 3}, {}, {}, 2, 2, 2},         // weight 0 likewise
      {{1, 2}, {1, 2}, {}, 0, 3, 0},        // 2 * 256 > 1 * 512 is false: ties to choice 1
      {{1, 2}, {1, 2}, {}, 3, 0, 1},
      {{1, 2}, {2, 2}, {}, 0, 3, 1},        // 2 * 512 > 1 * 512
      {{0, 0}, {}, {}, 0, 0, -1},           // nothing eligible
  }));
  std::vector<SchedDest> dests;
  for (std::size_t i = 0; i < row.weights.size(); ++i)
    dests.push_back({.id = static_cast<DestId>(i), .weight = row.weights[i],
                     .activeconns = value_or_zero(row.active, i), .overloaded = value_or_zero(row.overloaded, i) != 0});
  const auto got = twos_choose(dests, row.r1, row.r2);
  CHECK((got ? static_cast<long>(*got) : -1L) == row.expected);
}

TEST_CASE("twos draws r1 then r2 uniformly in [0, T], and nothing when none is eligible", "[schedulers][twos]") {
  auto sched = make_scheduler("twos");
  DestTable table = service(*sched, {1, 2, 0, 3}, {0, 0, 0, 0});
  table.set_overloaded(1, true);  // T = 1 + 3
  Rng rng(42);
  Rng mirror(42);
  std::vector<int> hits(4, 0);
  for (int k = 0; k < 2000; ++k) {
    const std::uint64_t r1 = mirror.below(5);
    const std::uint64_t r2 = mirror.below(5);
    const auto want = twos_choose(table.dests(), r1, r2);
    const auto got = table.schedule(rng);
    REQUIRE(got == want);
    REQUIRE(got);
    ++hits[*got];
    table.set_counts_at(*got, table.dests()[*got].activeconns + 1, 0);
    if (k % 3 == 0) table.set_counts_at(k % 2 == 0 ? 0 : 3, 0, 0);  // departures
  }
  CHECK(hits[1] == 0);
  CHECK(hits[2] == 0);
  CHECK(hits[0] > 0);
  CHECK(hits[3] > 0);

  table.set_overloaded(0, true);
  table.set_overloaded(3, true);
  CHECK_FALSE(table.schedule(rng));
  CHECK(rng() == mirror());  // the none consumed no draw
}

TEST_CASE("indexed least-load schedulers follow adds, deletes and edits mid-stream", "[schedulers][conn]") {
  SECTION("wlc: a new destination goes to the head and wins ties; deleting it restores the order") {
    auto sched = make_scheduler("wlc");
    DestTable table = service(*sched, {1, 1});
    table.set_counts(0, 1, 0);
    table.set_counts(1, 1, 0);
    CHECK(pick_id(table) == 0);                                // 256 = 256
    table.add({.id = 7, .weight = 1, .activeconns = 1});       // a re-added one keeps its counts
    CHECK(pick_id(table) == 7);                                // list 7 0 1, all 256
    table.add({.id = 8, .weight = 2, .activeconns = 2});       // 512/2 ties as well
    CHECK(pick_id(table) == 8);
    table.remove(8);
    table.remove(7);
    CHECK(pick_id(table) == 0);
    table.edit_weight(1, 2);                                   // 256/2 < 256/1
    CHECK(pick_id(table) == 1);
    table.edit_weight(1, 0);                                   // quiesced
    CHECK(pick_id(table) == 0);
    table.edit_weight(0, 0);
    CHECK(pick_id(table) == -1);
    table.edit_weight(1, 1);
    CHECK(pick_id(table) == 1);
  }
  SECTION("nq: an idle destination wins wherever it is; without one, sed's choice") {
    auto sched = make_scheduler("nq");
    DestTable table = service(*sched, {1, 1, 1});
    for (DestId id : {0u, 1u, 2u}) table.set_counts(id, 3, 0);
    table.set_counts(2, 0, 0);
    CHECK(pick_id(table) == 2);
    table.set_counts(1, 0, 0);
    CHECK(pick_id(table) == 1);                                // the first idle one
    table.set_overloaded(1, true);
    CHECK(pick_id(table) == 2);
    table.remove(2);
    CHECK(pick_id(table) == 0);                                // 0 busy, 1 overloaded
    table.add({.id = 5, .weight = 4, .activeconns = 3});       // 4/4 beats 4/1
    CHECK(pick_id(table) == 5);
  }
  SECTION("lc: overload flags and counts move the choice both ways") {
    auto sched = make_scheduler("lc");
    DestTable table = service(*sched, {1, 1, 1});
    CHECK(pick_id(table) == 0);
    table.set_overloaded(0, true);
    CHECK(pick_id(table) == 1);
    table.set_counts(1, 0, 1);
    CHECK(pick_id(table) == 2);
    table.set_overloaded(0, false);
    CHECK(pick_id(table) == 0);
    table.remove(0);
    table.remove(2);
    CHECK(pick_id(table) == 1);
    table.remove(1);
    CHECK(pick_id(table) == -1);                               // empty service
    table.add({.id = 9, .weight = 1});
    CHECK(pick_id(table) == 9);
  }
  SECTION("sed: a scheduler bound to a busy service (ipvsadm -E) indexes the counts it finds") {
    auto wlc = make_scheduler("wlc");
    DestTable table = service(*wlc, {1, 3});
    table.set_counts(1, 1, 0);
    CHECK(pick_id(table) == 0);                                // wlc: 0/1 vs 256/3
    auto sed = make_scheduler("sed");
    table.bind_scheduler(*sed);
    CHECK(pick_id(table) == 1);                                // sed: 1/1 vs 2/3
    CHECK(picks_binding(table, 4) == "1 0 1 1");               // then 1 = 3/3, 2 vs 3/3, 2 vs 4/3
  }
  SECTION("growth past every power of two keeps the answer") {
    auto sched = make_scheduler("wlc");
    DestTable table(*sched);
    for (DestId id = 0; id < 40; ++id) {
      table.add({.id = id, .weight = 1, .activeconns = 1});
      CHECK(pick_id(table) == static_cast<long>(id));          // the newest ties and is first
    }
    table.set_counts(17, 0, 0);
    CHECK(pick_id(table) == 17);
  }
}

TEST_CASE("picks, count updates and edits do not allocate once the service is built", "[schedulers][conn][allocation]") {
  const std::string name = GENERATE(as<std::string>{}, "lc", "wlc", "sed", "nq", "fo", "ovf", "twos");
  INFO("scheduler " << name);
  auto sched = make_scheduler(name);
  DestTable table(*sched);
  for (DestId id = 0; id < 1000; ++id) table.add({.id = id, .weight = static_cast<std::int32_t>(1 + id % 7)});
  Rng rng(9);
  std::size_t cursor = 0;
  long picked = 0;
  const long before = allocations();
  for (int k = 0; k < 20'000; ++k) {
    if (const auto i = table.schedule(rng)) {
      ++picked;
      table.set_counts_at(*i, table.dests()[*i].activeconns + 1, table.dests()[*i].inactconns);
    }
    const SchedDest& d = table.dests()[cursor];
    if (d.activeconns > 0) table.set_counts_at(cursor, d.activeconns - 1, d.inactconns + 1);
    if (k % 100 == 0) table.set_overloaded_at(cursor, !d.overloaded);
    if (k % 250 == 0) table.edit_weight(d.id, d.weight == 0 ? 3 : 0);
    cursor = (cursor + 7) % table.dests().size();
  }
  const long during = allocations() - before;
  CHECK(picked > 10'000);
  if (counting_allocations()) CHECK(during == 0);
}
