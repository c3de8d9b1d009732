// rr: exact pick sequences (ipvs-semantics.md §2.1 and test vectors 8, 9), and how the
// cursor follows insertions at the head and deletions as ip_vs_rr.c's pointer does.

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

TEST_CASE("rr walks the list in order, skipping weight-0 and overloaded destinations", "[schedulers][rr]") {
  const Row row = GENERATE(values<Row>({
      {{1, 0, 2, 1}, {}, 6, "0 2 3 0 2 3"},        // vector 8: weight only matters through > 0
      {{1, 1, 1}, {0, 0, 1}, 4, "0 1 0 1"},        // vector 9: overloaded skipped
      {{5, 1, 3}, {}, 6, "0 1 2 0 1 2"},           // weights do not weight rr
      {{1, 1, 1}, {1, 0, 1}, 3, "1 1 1"},          // one eligible entry, picked every time
      {{0, 0, 0}, {}, 2, "none none"},             // all quiesced
      {{1, 1}, {1, 1}, 2, "none none"},            // all overloaded
      {{0, 1}, {0, 1}, 2, "none none"},            // nothing eligible in a mix
      {{}, {}, 2, "none none"},                    // no destinations
  }));
  auto sched = make_scheduler("rr");
  DestTable table = service(*sched, row.weights, row.overloaded);
  CHECK(picks(table, row.n) == row.expected);
}

TEST_CASE("rr: no eligible destination leaves the cursor where it was", "[schedulers][rr]") {
  auto sched = make_scheduler("rr");
  DestTable table = service(*sched, {1, 1, 1});
  CHECK(picks(table, 2) == "0 1");
  for (DestId id : {0u, 1u, 2u}) table.set_overloaded(id, true);
  CHECK(picks(table, 2) == "none none");
  for (DestId id : {0u, 1u, 2u}) table.set_overloaded(id, false);
  CHECK(picks(table, 3) == "2 0 1");
}

TEST_CASE("rr: a destination added at the head is reached only after the walk wraps", "[schedulers][rr]") {
  auto sched = make_scheduler("rr");
  DestTable table(*sched);  // ipvsadm -A -s rr, then -a 1, -a 2, -a 3: the list is 3 2 1
  for (DestId id : {1u, 2u, 3u}) table.add({.id = id});
  CHECK(picks(table, 2) == "3 2");
  table.add({.id = 4});  // list 4 3 2 1; the cursor stays on 2
  CHECK(picks(table, 5) == "1 4 3 2 1");
}

TEST_CASE("rr: deleting a destination moves the cursor as ip_vs_rr_del_dest does", "[schedulers][rr]") {
  auto sched = make_scheduler("rr");
  DestTable table = service(*sched, {1, 1, 1, 1});  // ids 0 1 2 3 in list order

  SECTION("deleting the last pick resumes at the entry that followed it") {
    CHECK(picks(table, 2) == "0 1");
    table.remove(1);
    CHECK(picks(table, 4) == "2 3 0 2");
  }
  SECTION("deleting the last pick at the front puts the cursor back at the head") {
    CHECK(picks(table, 1) == "0");
    table.remove(0);
    CHECK(picks(table, 4) == "1 2 3 1");
  }
  SECTION("deleting the last pick at the end wraps to the front") {
    CHECK(picks(table, 4) == "0 1 2 3");
    table.remove(3);
    CHECK(picks(table, 3) == "0 1 2");
  }
  SECTION("deleting an entry before the cursor keeps the cursor on its entry") {
    CHECK(picks(table, 3) == "0 1 2");
    table.remove(0);
    CHECK(picks(table, 3) == "3 1 2");
  }
  SECTION("deleting an entry after the cursor skips it") {
    CHECK(picks(table, 1) == "0");
    table.remove(1);
    CHECK(picks(table, 3) == "2 3 0");
  }
  SECTION("deleting everything gives none, and a re-added entry is picked") {
    for (DestId id : {0u, 1u, 2u, 3u}) table.remove(id);
    CHECK(picks(table, 1) == "none");
    table.add({.id = 7});
    CHECK(picks(table, 2) == "7 7");
  }
}

TEST_CASE("rr: a weight edit changes only eligibility, not the cursor", "[schedulers][rr]") {
  auto sched = make_scheduler("rr");
  DestTable table = service(*sched, {1, 1, 1});
  CHECK(picks(table, 1) == "0");
  table.edit_weight(1, 0);
  CHECK(picks(table, 3) == "2 0 2");
  table.edit_weight(1, 9);
  CHECK(picks(table, 3) == "0 1 2");
}
