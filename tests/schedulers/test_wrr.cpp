// wrr: exact pick sequences (ipvs-semantics.md §2.2 and test vectors 1-7), and the
// ip_vs_wrr_dest_changed reset on add, edit and delete.

#include <catch2/catch.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "schedulers/dest_table.hpp"
#include "schedulers/registry.hpp"
#include "sched_fixture.hpp"

using namespace lvs;
using namespace lvs::test;
using Row = PickRow;

TEST_CASE("wrr gives the kernel's interleaved sequence", "[schedulers][wrr]") {
  const Row row = GENERATE(values<Row>({
      {{4, 3, 2}, {}, 18, "0 0 1 0 1 2 0 1 2 0 0 1 0 1 2 0 1 2"},  // vector 1: period 9
      {{6, 4, 2}, {}, 12, "0 0 1 0 1 2 0 0 1 0 1 2"},              // vector 3: gcd 2, mw 5
      {{5, 1}, {}, 12, "0 0 0 0 0 1 0 0 0 0 0 1"},                 // vector 4
      {{1, 1, 1}, {0, 1, 0}, 6, "0 2 0 2 0 2"},                    // vector 5: overloaded skipped
      {{1, 1}, {1, 1}, 2, "none none"},                            // vector 6: all overloaded
      {{2, 3, 4}, {}, 9, "2 1 2 0 1 2 0 1 2"},                     // the heaviest need not be first
      {{4, 0, 2}, {}, 6, "0 0 2 0 0 2"},                           // weight 0 never picked; gcd 2
      {{3, 3}, {}, 4, "0 1 0 1"},                                  // gcd 3: mw 1, one pass
      {{3, 2}, {1, 0}, 4, "1 1 1 1"},                              // a call may wrap and restart
      {{7}, {}, 3, "0 0 0"},
      {{0, 0, 0}, {}, 2, "none none"},                             // all weights 0: mw 0
      {{}, {}, 2, "none none"},                                    // no destinations
  }));
  auto sched = make_scheduler("wrr");
  DestTable table = service(*sched, row.weights, row.overloaded);
  CHECK(picks(table, row.n) == row.expected);
}

TEST_CASE("wrr: destinations added one by one start at the cw the hooks leave", "[schedulers][wrr]") {
  auto sched = make_scheduler("wrr");
  DestTable table(*sched);  // ipvsadm -A -s wrr: init_service on an empty list, cw = mw = 0
  table.add({.id = 0, .weight = 4});  // A: di 4, mw 1; cw was 0, so cw = 1
  table.add({.id = 1, .weight = 3});  // B: di 1, mw 4; cw 1 is kept
  table.add({.id = 2, .weight = 2});  // C: the list is C B A, cw still 1

  SECTION("as the kernel hooks do: a first pass at cw = 1, then the cycle from mw") {
    CHECK(picks(table, 9) == "2 1 0 0 1 0 2 1 0");
  }
  SECTION("vector 2: the scheduler bound after the adds starts at cw = mw") {
    table.bind_scheduler(*sched);  // ipvsadm -E -s wrr: init_service over C B A
    CHECK(picks(table, 9) == "0 1 0 2 1 0 2 1 0");
  }
}

TEST_CASE("wrr: while every weight is 0, cw is 0, and the first positive weight resets it to mw",
          "[schedulers][wrr]") {
  auto sched = make_scheduler("wrr");
  DestTable table(*sched);
  table.add({.id = 0, .weight = 0});  // mw 0, cw 0
  CHECK(picks(table, 1) == "none");
  table.add({.id = 1, .weight = 1});  // di 1, mw 1; cw 0 becomes mw, never a pass at cw 0
  CHECK(picks(table, 3) == "1 1 1");
}

TEST_CASE("wrr: a weight edit mid-sequence resets as ip_vs_wrr_dest_changed does", "[schedulers][wrr]") {
  auto sched = make_scheduler("wrr");

  SECTION("vector 7: cw below the new mw is kept, the walk restarts at the head") {
    DestTable table = service(*sched, {4, 2});  // di 2, mw 3
    CHECK(picks(table, 2) == "0 0");            // cw is now 1
    table.edit_weight(1, 6);                    // di 2, mw 5; cw = (1/2)*2 + 1 = 1
    CHECK(picks(table, 10) == "0 1 1 0 1 0 1 1 0 1");
  }
  SECTION("a new gcd moves cw onto its grid") {
    DestTable table = service(*sched, {4, 3});  // di 1, mw 4
    CHECK(picks(table, 4) == "0 0 1 0");        // cw is now 2
    table.edit_weight(1, 2);                    // di 2, mw 3; cw = (2/2)*2 + 1 = 3
    CHECK(picks(table, 6) == "0 0 1 0 0 1");
  }
  SECTION("cw above the new mw drops to mw") {
    DestTable table = service(*sched, {8, 1});  // mw 8
    CHECK(picks(table, 1) == "0");              // cw 8
    table.edit_weight(0, 2);                    // di 1, mw 2; cw = 2
    CHECK(picks(table, 6) == "0 0 1 0 0 1");
  }
  SECTION("quiescing a destination takes it out; restoring the weight brings it back") {
    DestTable table = service(*sched, {1, 1, 1});
    CHECK(picks(table, 1) == "0");
    table.edit_weight(1, 0);
    CHECK(picks(table, 4) == "0 2 0 2");
    table.edit_weight(1, 1);
    CHECK(picks(table, 3) == "0 1 2");
    CHECK(table.at(1).last_weight == 1);
  }
  SECTION("an edit that changes nothing still sends the walk back to the head") {
    DestTable table = service(*sched, {1, 1, 1});
    CHECK(picks(table, 2) == "0 1");
    table.edit_weight(2, 1);
    CHECK(picks(table, 3) == "0 1 2");
  }
}

TEST_CASE("wrr: adding or deleting mid-sequence resets as ip_vs_wrr_dest_changed does", "[schedulers][wrr]") {
  auto sched = make_scheduler("wrr");
  DestTable table = service(*sched, {4, 3, 2});
  CHECK(picks(table, 4) == "0 0 1 0");  // cw is now 2

  SECTION("deleting a destination: new gcd 2, cw onto the grid, walk from the head") {
    table.remove(1);  // list 0(4) 2(2): di 2, mw 3; cw = (2/2)*2 + 1 = 3
    CHECK(picks(table, 6) == "0 0 2 0 0 2");
  }
  SECTION("adding a destination at the head: cw 2 kept, walk from the head") {
    table.add({.id = 3, .weight = 1});  // list 3(1) 0(4) 1(3) 2(2): di 1, mw 4, cw 2
    CHECK(picks(table, 13) == "0 1 2 3 0 1 2 0 0 1 0 1 2");
  }
  SECTION("deleting every destination with weight: none until one comes back") {
    for (DestId id : {0u, 1u, 2u}) table.remove(id);
    CHECK(picks(table, 2) == "none none");
    table.add({.id = 5, .weight = 2});
    CHECK(picks(table, 2) == "5 5");
  }
}

TEST_CASE("wrr: everything overloaded after a pick gives none and keeps the cursor", "[schedulers][wrr]") {
  auto sched = make_scheduler("wrr");
  DestTable table = service(*sched, {1, 1, 1});
  CHECK(picks(table, 2) == "0 1");
  for (DestId id : {0u, 1u, 2u}) table.set_overloaded(id, true);
  CHECK(picks(table, 2) == "none none");  // the walk stops at the last pick (`stop`), cl stays on 1
  for (DestId id : {0u, 2u}) table.set_overloaded(id, false);
  CHECK(picks(table, 3) == "2 0 2");      // resumes after 1, not from the head
  table.set_overloaded(1, false);
  CHECK(picks(table, 3) == "0 1 2");
}
