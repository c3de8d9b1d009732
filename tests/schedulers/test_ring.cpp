// ring: consistent hashing with virtual nodes. Shares for equal weights, no movement
// between surviving destinations on a removal or a quiesce, independence from list order.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "hash_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

std::vector<SchedDest> ring_dests(std::size_t n, int weight = 1) {
  std::vector<SchedDest> out;
  for (std::uint32_t i = 0; i < n; ++i)
    out.push_back({.id = i, .addr = InetAddr::v4(0x0A030000u + i), .port = 8080, .weight = weight, .last_weight = weight});
  return out;
}

std::vector<long> pick_all(DestTable& table, std::uint32_t clients, std::uint32_t flags = 0) {
  std::vector<long> out;
  for (std::uint32_t k = 0; k < clients; ++k)
    out.push_back(pick_id(table, InetAddr::v4(0x64400000u + k), flags, static_cast<std::uint16_t>(k)));
  return out;
}

/// Clients that moved although they were not on `gone`.
std::size_t moved_others(const std::vector<long>& before, const std::vector<long>& after, long gone) {
  std::size_t moved = 0;
  for (std::size_t k = 0; k < before.size(); ++k) moved += before[k] != gone && after[k] != before[k];
  return moved;
}

}  // namespace

TEST_CASE("ring: N equal weights each get a share within 10 % of 1/N", "[schedulers][ring]") {
  const std::size_t n = GENERATE(3, 10);
  constexpr std::uint32_t clients = 30000;
  auto sched = make_scheduler("ring");
  DestTable table = service_of(*sched, ring_dests(n));
  std::vector<std::size_t> share(n);
  for (long id : pick_all(table, clients)) ++share[static_cast<std::size_t>(id)];
  for (std::size_t s : share) {
    CHECK(s * n * 10 > clients * 9);
    CHECK(s * n * 10 < clients * 11);
  }
}

TEST_CASE("ring: weights scale the virtual nodes", "[schedulers][ring]") {
  constexpr std::uint32_t clients = 30000;
  auto sched = make_scheduler("ring");
  std::vector<SchedDest> dests = ring_dests(2);
  dests[0].weight = dests[0].last_weight = 3;  // 1024 and 342 nodes
  DestTable table = service_of(*sched, dests);
  const std::vector<long> picks = pick_all(table, clients);
  const auto heavy = static_cast<std::size_t>(std::count(picks.begin(), picks.end(), 0));
  CHECK(heavy * 100 > clients * 70);  // 3/4 expected
  CHECK(heavy * 100 < clients * 80);
}

TEST_CASE("ring: removing a destination moves only its own clients", "[schedulers][ring]") {
  const std::size_t n = GENERATE(10, 50);
  constexpr std::uint32_t clients = 20000;
  auto sched = make_scheduler("ring");
  DestTable table = service_of(*sched, ring_dests(n));
  const std::vector<long> before = pick_all(table, clients);
  table.remove(3);
  const std::vector<long> after = pick_all(table, clients);
  CHECK(std::count(before.begin(), before.end(), 3) > 0);
  CHECK(std::count(after.begin(), after.end(), 3) == 0);
  CHECK(moved_others(before, after, 3) == 0);
}

TEST_CASE("ring: a quiesced or overloaded destination's clients walk on clockwise, no one else moves",
          "[schedulers][ring]") {
  constexpr std::uint32_t clients = 10000;
  auto sched = make_scheduler("ring");
  DestTable table = service_of(*sched, ring_dests(5));
  const std::vector<long> before = pick_all(table, clients);
  table.edit_weight(2, 0);  // last_weight 1 keeps its nodes
  const std::vector<long> quiesced = pick_all(table, clients);
  CHECK(std::count(quiesced.begin(), quiesced.end(), 2) == 0);
  CHECK(moved_others(before, quiesced, 2) == 0);
  table.edit_weight(2, 1);
  table.set_overloaded(2, true);
  CHECK(pick_all(table, clients) == quiesced);
  for (DestId id : {0u, 1u, 3u, 4u}) table.set_overloaded(id, true);
  CHECK(picks_for(table, v19_addrs) == "none none none none none none");
}

TEST_CASE("ring: the ring does not depend on list order", "[schedulers][ring]") {
  constexpr std::uint32_t clients = 5000;
  auto first = make_scheduler("ring");
  auto second = make_scheduler("ring");
  std::vector<SchedDest> dests = ring_dests(7);
  DestTable a = service_of(*first, dests);
  std::reverse(dests.begin(), dests.end());
  DestTable b = service_of(*second, dests);
  CHECK(pick_all(a, clients) == pick_all(b, clients));
  CHECK(pick_all(a, clients, svc_f_sched2) == pick_all(b, clients, svc_f_sched2));
}

TEST_CASE("ring: the source port counts only with svc_f_sched2, no destinations gives none",
          "[schedulers][ring]") {
  auto sched = make_scheduler("ring");
  DestTable table = service_of(*sched, ring_dests(4));
  const InetAddr client = ip4(10, 0, 0, 1);
  std::vector<long> with_port;
  std::vector<long> without;
  for (std::uint16_t port = 1000; port < 1040; ++port) {
    with_port.push_back(pick_id(table, client, svc_f_sched2, port));
    without.push_back(pick_id(table, client, 0, port));
  }
  CHECK(std::count(without.begin(), without.end(), without.front()) == 40);
  CHECK(std::count(with_port.begin(), with_port.end(), with_port.front()) < 40);
  for (DestId id : {0u, 1u, 2u, 3u}) table.remove(id);
  CHECK(pick_id(table, client) == -1);
  table.add({.id = 9, .weight = 0});  // last_weight 0: no nodes
  CHECK(pick_id(table, client) == -1);
}

TEST_CASE("ring: a ring kept up to date by the hooks is the ring a fresh build makes", "[schedulers][ring]") {
  // Adds and deletes that leave the others' node counts alone are merged in and cut out
  // rather than rebuilt; after every step the picks equal those of a scheduler bound anew.
  auto ring = make_scheduler("ring");
  DestTable table(*ring);
  Rng ops(5, "ops");
  Rng unused(5, "draws");
  DestId next = 0;
  const auto compare = [&](int step) {
    auto fresh = make_scheduler("ring");
    fresh->init_service(table.dests());
    for (std::uint32_t k = 0; k < 64; ++k) {
      SchedContext ctx{table.dests(), {}, 0, Time{}};
      ctx.flow.saddr = InetAddr::v4(0x64400000u + k * 7919u);
      INFO("step " << step << ", client " << k);
      REQUIRE(ring->schedule(ctx, unused) == fresh->schedule(ctx, unused));
    }
  };
  for (int step = 0; step < 300; ++step) {
    const std::size_t n = table.dests().size();
    const std::uint64_t op = ops.below(10);
    if (op < 5 || n < 2) {
      const auto w = static_cast<std::int32_t>(ops.below(4));  // 0..3: some without nodes, some at the max
      table.add({.id = next, .addr = InetAddr::v4(0x0A030000u + static_cast<std::uint32_t>(ops.below(1000))),
                 .port = 8080, .weight = w});
      ++next;
    } else if (op < 8) {
      table.remove(table.dests()[ops.below(n)].id);
    } else {
      table.edit_weight(table.dests()[ops.below(n)].id, static_cast<std::int32_t>(ops.below(4)));
    }
    compare(step);
  }
}
