// lblc and lblcr (ipvs-semantics.md §2.13-2.14, test vector 23), their id -> list index map
// across deletes and re-adds, and the lazily run garbage collector with simulated times.

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "hash_fixture.hpp"
#include "schedulers/hash.hpp"
#include "schedulers/locality_table.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

std::vector<SchedDest> unit_dests(std::size_t n) {
  std::vector<SchedDest> out;
  for (std::uint32_t i = 0; i < n; ++i) out.push_back({.id = i, .addr = ip4(10, 1, 0, i + 1), .weight = 1});
  return out;
}

const InetAddr a1 = ip4(192, 168, 9, 1);
const InetAddr a2 = ip4(192, 168, 9, 2);
const InetAddr a3 = ip4(192, 168, 9, 3);

}  // namespace

TEST_CASE("lblc and lblcr pick sequences of vector 23 (each pick adds 1 active)", "[schedulers][lblc]") {
  SECTION("lblc") {
    auto sched = make_scheduler("lblc");
    DestTable table = service_of(*sched, unit_dests(2));
    CHECK(picks_for(table, {a1, a2, a1, a1, a3}, 0, true) == "0 1 0 0 1");
  }
  SECTION("lblcr replicates 192.168.9.1 onto dest 1 once dest 0 is lb-overloaded") {
    auto sched = make_scheduler("lblcr");
    DestTable table = service_of(*sched, unit_dests(2));
    CHECK(picks_for(table, {a1, a1, a1, a1}, 0, true) == "0 0 1 1");
    // The set is now {1, 0}: with equal loads the newest member (1) wins set_min.
    table.set_counts(0, 5, 0);
    table.set_counts(1, 5, 0);
    CHECK(picks_for(table, {a1}) == "1");
    table.set_counts(1, 6, 0);
    CHECK(picks_for(table, {a1}) == "0");
  }
}

TEST_CASE("lblc: the cache hit ignores the overload flag, the wlc path does not", "[schedulers][lblc]") {
  auto sched = make_scheduler("lblc");
  DestTable table = service_of(*sched, unit_dests(2));
  CHECK(picks_for(table, {a1}) == "0");
  table.set_overloaded(0, true);
  CHECK(picks_for(table, {a1, a2}) == "0 1");
  table.edit_weight(0, 0);  // weight 0 fails the hit: wlc picks 1 and re-maps a1
  CHECK(picks_for(table, {a1}) == "1");
  table.edit_weight(0, 1);
  table.set_overloaded(0, false);
  CHECK(picks_for(table, {a1}) == "1");
}

TEST_CASE("lblc: lb_overloaded moves a client only while another destination is below half load",
          "[schedulers][lblc]") {
  auto sched = make_scheduler("lblc");
  DestTable table = service_of(*sched, {{.id = 0, .weight = 2}, {.id = 1, .weight = 2}});
  CHECK(picks_for(table, {a1}) == "0");
  table.set_counts(0, 3, 0);
  table.set_counts(1, 1, 0);  // 1*2 < 2 is false: nobody below half, so 0 keeps a1
  CHECK(picks_for(table, {a1}) == "0");
  table.set_counts(1, 0, 0);  // 0*2 < 2: dest 0 (3 > 2) is lb-overloaded
  CHECK(picks_for(table, {a1}) == "1");
  table.set_counts(0, 0, 0);
  CHECK(picks_for(table, {a1}) == "1");  // re-mapped to 1
}

TEST_CASE("lblc and lblcr: a deleted destination reads as not available, re-added, it is again",
          "[schedulers][lblc]") {
  const std::string name = GENERATE("lblc", "lblcr");
  auto sched = make_scheduler(name);
  DestTable table = service_of(*sched, unit_dests(3));
  CHECK(picks_for(table, {a1, a2, a3}, 0, true) == "0 1 2");
  table.remove(1);  // list 0 2
  table.add({.id = 1, .addr = ip4(10, 1, 0, 2), .weight = 1, .activeconns = 1});  // back at the head: 1 0 2
  CHECK(picks_for(table, {a2}) == "1");  // the entry's id now maps to list index 0
  table.remove(0);
  table.set_counts(2, 3, 0);
  CHECK(picks_for(table, {a1}) == "1");  // dest 0 gone: wlc over 1 (256) and 2 (768)
}

TEST_CASE("lblc: an entry idle for lblc_expiration (24 h) is dropped at the next full pass",
          "[schedulers][lblc]") {
  auto sched = make_scheduler("lblc");
  DestTable table = service_of(*sched, unit_dests(2));
  Rng rng(1);
  const SchedFlow flow{.saddr = a1, .daddr = a1};
  CHECK(table.schedule(rng, flow, Time::s(0)) == 0u);  // first check due at 60 s
  table.set_counts(0, 1, 0);                              // wlc would now pick dest 1
  SECTION("just before: the last full pass (check 1410, at 84600 s) keeps it") {
    CHECK(table.dests()[*table.schedule(rng, flow, Time::s(86399))].id == 0);
  }
  SECTION("at 86400 s, full pass number 48, lastuse + 24 h is no longer in the future") {
    CHECK(table.dests()[*table.schedule(rng, flow, Time::s(86400))].id == 1);
  }
}

TEST_CASE("lblcr: a set untouched for 24 h loses its most loaded member", "[schedulers][lblcr]") {
  auto sched = make_scheduler("lblcr");
  DestTable table = service_of(*sched, unit_dests(2));
  CHECK(picks_for(table, {a1, a1, a1, a1}, 0, true) == "0 0 1 1");  // set {1, 0}, lastmod 0
  CHECK(picks_for(table, {a1}, 0, false, {}, Time::s(43200)) == "1");   // keeps the entry alive
  const Time t = GENERATE(Time::s(86400), Time::s(86400) + Time::ns(1));
  table.set_counts(0, 1, 0);
  table.set_counts(1, 0, 0);
  // set_min is 1 either way; past lastmod + 24 h set_max (dest 0) is erased first.
  CHECK(picks_for(table, {a1}, 0, false, {}, t) == "1");
  table.set_counts(0, 0, 0);
  table.set_counts(1, 1, 0);
  CHECK(picks_for(table, {a1}, 0, false, {}, t) == (t == Time::s(86400) ? "0" : "1"));
}

TEST_CASE("LocalityTable: full passes every 30th check, the counter caught up over idle gaps",
          "[schedulers][lblc]") {
  LocalityTable t(Time::s(1000));
  t.collect_garbage(Time::s(0));  // first check at 60 s
  t.insert(a1, 0, Time::s(0));
  t.insert(a2, 1, Time::s(900));
  t.collect_garbage(Time::s(1799));  // checks 1..29
  CHECK(t.counter() == 30);
  CHECK(t.size() == 2);
  t.collect_garbage(Time::s(1800));  // check 30: full pass at 1800 s
  CHECK(t.counter() == 1);
  CHECK(t.find(a1) == LocalityTable::none);
  CHECK(t.find(a2) != LocalityTable::none);  // 900 + 1000 > 1800
  t.collect_garbage(Time::s(3600));
  CHECK(t.size() == 0);
  CHECK(t.counter() == 1);
  t.collect_garbage(Time::s(3600 + 45 * 60));  // 45 checks on an empty table: (0 + 45) % 30 + 1
  CHECK(t.counter() == 16);
  t.collect_garbage(Time::s(3600 + 45 * 60 + 59));
  CHECK(t.counter() == 16);
}

TEST_CASE("LocalityTable: over 16384 entries, the rover pass removes whole buckets of entries idle >= 6 min",
          "[schedulers][lblc]") {
  constexpr std::uint32_t n = LocalityTable::max_size + 300;
  LocalityTable t;
  t.collect_garbage(Time::s(0));
  std::array<std::size_t, 1024> idle_per_bucket{};
  for (std::uint32_t k = 0; k < n; ++k) {
    const InetAddr addr = InetAddr::v4(0x0B000000u + k);
    const bool old = k % 2 == 0;  // odd entries were used at 200 s
    t.insert(addr, 0, old ? Time::s(0) : Time::s(200));
    if (old) ++idle_per_bucket[hash_32(addr.fold(), 10)];
  }
  t.collect_garbage(Time::s(300));  // 5 oversize checks, nothing idle for 6 min yet
  CHECK(t.size() == n);
  CHECK(t.counter() == 1);
  CHECK(t.rover() == 0);
  // At 360 s: goal min(300 * 4 / 3, 8192) = 400, met bucket by bucket from the rover + 1.
  std::size_t removed = 0;
  std::uint32_t last = 0;
  while (removed < 400) removed += idle_per_bucket[++last];
  t.collect_garbage(Time::s(360));
  CHECK(t.size() == n - removed);
  CHECK(t.rover() == last);
  CHECK(t.counter() == 1);  // the counter does not move on an oversize check
  t.collect_garbage(Time::s(420));
  CHECK(t.size() == n - removed);
  CHECK(t.counter() == 2);  // back under 16384: the counter advances
}
