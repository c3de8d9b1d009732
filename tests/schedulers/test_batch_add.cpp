// DestTable::add_batch against the adds one by one (docs/server-groups.md, "Scale"): for
// every registered scheduler, the same list and counts, then the same picks, through
// connections bound and released, an edit, a removal and one more add. A scheduler whose
// add_dests shortcut kept any state other than the one-by-one hooks' would pick differently.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "schedulers/dest_table.hpp"
#include "schedulers/registry.hpp"

namespace {

using lvs::DestId;
using lvs::DestTable;
using lvs::DestThresholds;
using lvs::SchedDest;

// Weights with gcd 3 among the early ones, zeros, and a largest that arrives late, so wrr's
// gcd, max and cw move during the batch.
SchedDest entry(DestId id) {
  static const int weights[] = {6, 3, 9, 0, 12, 3, 5, 0, 7, 30, 2, 1, 65535};
  SchedDest d;
  d.id = id;
  d.addr = lvs::InetAddr::v4(0x0A000000U + id);
  d.port = 80;
  d.weight = weights[id % 13];
  return d;
}

DestThresholds thresholds_of(DestId id) { return id % 5 == 0 ? DestThresholds{4, 2} : DestThresholds{}; }

lvs::SchedFlow flow(int k) {
  lvs::SchedFlow f;
  f.saddr = lvs::InetAddr::v4(0xC0A80000U + static_cast<std::uint32_t>(k * 7919 % 4093));
  f.sport = static_cast<std::uint16_t>(1024 + k);
  f.daddr = lvs::InetAddr::v4(0x0A640000U + static_cast<std::uint32_t>(k % 97));
  f.dport = 80;
  return f;
}

// A service with 4 destinations (weights 6 3 9 0), 30 picks made (cursors, wrr's cw,
// lblc's table moved), 2 removed with connections still bound (they wait in the trash).
void prelude(DestTable& t, lvs::Rng& rng) {
  for (DestId id = 104; id < 108; ++id) t.add(entry(id), thresholds_of(id));
  for (int k = 0; k < 30; ++k)
    if (const auto i = t.schedule(rng, flow(k), lvs::Time::ms(k))) t.bind_connection(t.dests()[*i].id);
  t.remove(105);
  t.remove(107);
}

// The batch: new ids in an order that is not the id order, and after a prelude the two
// from the trash first and last.
std::vector<DestId> batch_ids(bool after_prelude) {
  std::vector<DestId> ids;
  if (after_prelude) ids.push_back(107);
  for (DestId id = 0; id < 40; ++id) ids.push_back((id * 17) % 40);
  if (after_prelude) ids.push_back(105);
  return ids;
}

std::string state(const DestTable& t) {
  std::string out;
  for (const SchedDest& d : t.dests())
    out += std::to_string(d.id) + ":" + std::to_string(d.weight) + "/" + std::to_string(d.last_weight) + "/" +
           std::to_string(d.activeconns) + "/" + std::to_string(d.inactconns) + "/" +
           std::to_string(d.persistconns) + (d.overloaded ? "o " : " ");
  return out;
}

// 400 picks, binding each pick and releasing every third earlier one; an edit, a removal and
// an add on the way; the ids picked.
std::string picks(DestTable& t, lvs::Rng& rng) {
  std::string out;
  std::vector<std::pair<DestId, bool>> bound;  // connections open: destination, active
  for (int k = 0; k < 400; ++k) {
    if (k == 150) t.edit(t.dests()[3].id, 7, {});
    if (k == 250) t.remove(t.dests()[5].id);
    if (k == 300) t.add(entry(77), thresholds_of(77));
    const auto i = t.schedule(rng, flow(k), lvs::Time::ms(100 + k));
    out += (i ? std::to_string(t.dests()[*i].id) : std::string("none")) + " ";
    if (i) {
      const DestId id = t.dests()[*i].id;
      t.bind_connection(id);
      if (k % 4 == 1) t.set_active(id, true);
      bound.emplace_back(id, k % 4 == 1);
    }
    if (k % 3 == 2 && !bound.empty()) {  // one in the middle closes (in the list or the trash)
      const auto it = bound.begin() + static_cast<std::ptrdiff_t>(bound.size() / 2);
      t.unbind_connection(it->first, it->second);
      bound.erase(it);
    }
  }
  return out;
}

}  // namespace

// Into a new service (the builder's case) and into one in use.
TEST_CASE("a batch of adds leaves every scheduler as the adds one by one do") {
  const bool after_prelude = GENERATE(false, true);
  for (const std::string& name : lvs::scheduler_names()) {
    INFO(name << (after_prelude ? " after the prelude" : " in a new service"));
    auto one_sched = lvs::make_scheduler(name);
    auto batch_sched = lvs::make_scheduler(name);
    DestTable one(*one_sched), batch(*batch_sched);
    lvs::Rng one_rng(7), batch_rng(7);
    if (after_prelude) {
      prelude(one, one_rng);
      prelude(batch, batch_rng);
    }

    std::vector<SchedDest> dests;
    std::vector<DestThresholds> th;
    for (DestId id : batch_ids(after_prelude)) {
      one.add(entry(id), thresholds_of(id));
      dests.push_back(entry(id));
      th.push_back(thresholds_of(id));
    }
    batch.add_batch(dests, th);

    REQUIRE(batch.dests().size() == (after_prelude ? 44U : 40U));  // 2 kept and 42 added, or 40
    CHECK(batch.dests().front().id == (after_prelude ? 105U : 23U));  // the last added is at the head
    CHECK(state(batch) == state(one));
    const std::string expected = picks(one, one_rng);
    CHECK(picks(batch, batch_rng) == expected);
    CHECK(expected.find_first_of("0123456789") != std::string::npos);  // the comparison saw picks
  }
}

TEST_CASE("a batch brings trashed destinations back with their connection counts") {
  auto sched = lvs::make_scheduler("wlc");
  DestTable t(*sched);
  t.add(entry(1), {});
  t.bind_connection(1);
  t.bind_connection(1);
  t.set_active(1, true);
  t.remove(1);
  const std::vector<SchedDest> batch{entry(2), entry(1)};
  t.add_batch(batch);
  REQUIRE(t.dests().size() == 2);
  CHECK(t.dests()[0].id == 1);  // added last: at the head
  CHECK(t.dests()[0].activeconns == 1);
  CHECK(t.dests()[0].inactconns == 1);
  CHECK(t.dests()[1].id == 2);
  CHECK(t.dests()[1].inactconns == 0);
}

TEST_CASE("a batch with an id already in the list or twice is refused and changes nothing") {
  auto sched = lvs::make_scheduler("rr");
  DestTable t(*sched);
  t.add(entry(5), {});
  const std::vector<SchedDest> in_list{entry(6), entry(5)};
  CHECK_THROWS_WITH(t.add_batch(in_list), "destination id 5 already added");
  const std::vector<SchedDest> twice{entry(7), entry(8), entry(7)};
  CHECK_THROWS_WITH(t.add_batch(twice), "destination id 7 twice in one batch");
  REQUIRE(t.dests().size() == 1);
  CHECK(t.dests()[0].id == 5);
  CHECK_FALSE(t.has(6));
  CHECK_FALSE(t.has(8));
}
