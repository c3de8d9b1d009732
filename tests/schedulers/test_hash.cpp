// The hash functions and the dh and sh schedulers (ipvs-semantics.md §2.10-2.11, test
// vectors 19-21), and the hooks on which their tables are rebuilt.

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "hash_fixture.hpp"
#include "schedulers/hash.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

/// The address whose hash_32(., 8) bucket is `b`: (b << 24) times the inverse of
/// GOLDEN_RATIO_32 mod 2^32 (Newton's iteration), so tests can aim at a bucket.
std::uint32_t addr_for_bucket(std::uint32_t b) {
  std::uint32_t inv = golden_ratio_32;  // correct to 3 bits for an odd number
  for (int i = 0; i < 5; ++i) inv *= 2u - golden_ratio_32 * inv;
  return (b << 24) * inv;
}

std::vector<SchedDest> weighted(const std::vector<int>& weights) {
  std::vector<SchedDest> out;
  for (std::size_t i = 0; i < weights.size(); ++i)
    out.push_back({.id = static_cast<DestId>(i), .addr = ip4(10, 1, 0, static_cast<std::uint32_t>(i + 1)), .weight = weights[i]});
  return out;
}

}  // namespace

TEST_CASE("hash_32 and the legacy dh/sh hash give vector 19's buckets", "[schedulers][hash]") {
  CHECK(hash_32(0x0A000001, 8) == 39);
  CHECK(legacy_hash_8(0x0A000001) == 177);
  std::vector<std::uint32_t> buckets;
  for (const InetAddr& a : v19_addrs) buckets.push_back(hash_32(a.fold(), 8));
  CHECK(buckets == std::vector<std::uint32_t>{39, 137, 235, 77, 248, 138});
  // Vector 20, --legacy-hash with weights 1,1,1: the old table was bucket i -> i mod 3.
  std::vector<std::uint32_t> legacy;
  for (const InetAddr& a : v19_addrs) legacy.push_back(legacy_hash_8(a.fold()) % 3);
  CHECK(legacy == std::vector<std::uint32_t>{0, 2, 1, 1, 0, 1});
  CHECK(hash_32(addr_for_bucket(200), 8) == 200);
}

// The 64-bit hsiphash vectors of the kernel's self-test, lib/test_siphash.c
// (torvalds/linux, `test_vectors_hsiphash` under BITS_PER_LONG == 64): vector n is the
// hash of the bytes 0, 1, ..., n-1 under the key {0x0706050403020100, 0x0f0e0d0c0b0a0908};
// `hsiphash_1u32(0x03020100)` must equal vector 4.
TEST_CASE("hsiphash matches the kernel's 64-bit hsiphash test vectors", "[schedulers][hash]") {
  const SipKey key{0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};
  const auto [n, expected] = GENERATE(table<std::size_t, std::uint32_t>({
      {0, 0x050fc4dcU}, {1, 0x7d57ca93U}, {4, 0x88d38328U}, {7, 0x9bb11140U}, {8, 0x8d299a8eU},
      {15, 0x2a519956U}, {16, 0x7d908b66U}, {33, 0x7a8ff9bfU}, {62, 0x4b6694e0U}, {63, 0xb7bbb3a8U},
  }));
  std::array<std::uint8_t, 64> in{};
  for (std::size_t i = 0; i < in.size(); ++i) in[i] = static_cast<std::uint8_t>(i);
  CHECK(hsiphash(std::span<const std::uint8_t>(in.data(), n), key) == expected);
  CHECK(hsiphash_u32(0x03020100U, key) == 0x88d38328U);
}

TEST_CASE("dh picks by hash_32(daddr) over buckets i mod n, ignoring weights", "[schedulers][dh]") {
  const std::vector<int> weights = GENERATE(std::vector<int>{1, 1, 1}, std::vector<int>{3, 1, 1});
  auto sched = make_scheduler("dh");
  DestTable table = service_of(*sched, weighted(weights));
  CHECK(picks_for(table, v19_addrs) == "0 2 1 2 2 0");  // vector 19
}

TEST_CASE("dh: no fallback, and a weight edit does not rebuild the table", "[schedulers][dh]") {
  auto sched = make_scheduler("dh");
  DestTable table = service_of(*sched, weighted({1, 1, 1}));
  table.set_overloaded(2, true);
  CHECK(picks_for(table, v19_addrs) == "0 none 1 none none 0");
  table.set_overloaded(2, false);
  table.edit_weight(1, 7);  // no upd_dest in the kernel; the mapping is weight-free anyway
  CHECK(picks_for(table, v19_addrs) == "0 2 1 2 2 0");
  table.edit_weight(1, 0);
  CHECK(picks_for(table, v19_addrs) == "0 2 none 2 2 0");
  table.edit_weight(1, 1);
  table.remove(0);  // del reassigns: list 1 2, bucket b -> b mod 2 (39 137 235 77 248 138)
  CHECK(picks_for(table, v19_addrs) == "2 2 2 2 1 1");
  table.remove(1);
  table.remove(2);
  CHECK(picks_for(table, v19_addrs) == "none none none none none none");
}

TEST_CASE("sh tiles buckets by weight (vectors 19 and 20)", "[schedulers][sh]") {
  auto sched = make_scheduler("sh");
  SECTION("equal weights") {
    DestTable table = service_of(*sched, weighted({1, 1, 1}));
    CHECK(picks_for(table, v19_addrs) == "0 2 1 2 2 0");
  }
  SECTION("weights 1,2,3: the pattern 0 1 1 2 2 2") {
    DestTable table = service_of(*sched, weighted({1, 2, 3}));
    CHECK(picks_for(table, v19_addrs) == "2 2 1 2 1 0");
  }
  SECTION("weights 2,0,1: the weight-0 destination still takes one bucket per cycle") {
    DestTable table = service_of(*sched, weighted({2, 0, 1}));
    std::vector<InetAddr> first_buckets;  // buckets 0..7: 0 0 1 2 0 0 1 2
    for (std::uint32_t b = 0; b < 8; ++b) first_buckets.push_back(InetAddr::v4(addr_for_bucket(b)));
    CHECK(picks_for(table, first_buckets) == "0 0 none 2 0 0 none 2");
  }
  SECTION("IPv6 addresses are folded to the XOR of their words: buckets 63 and 160") {
    const InetAddr a = InetAddr::v6({0x20010db8, 0, 0, 1});
    const InetAddr b = InetAddr::v6({0x20010db8, 0, 0, 2});
    CHECK(hash_32(a.fold(), 8) == 63);
    CHECK(hash_32(b.fold(), 8) == 160);
    DestTable table = service_of(*sched, weighted({1, 1, 1}));
    CHECK(picks_for(table, {a, b}) == "0 1");
  }
}

TEST_CASE("sh-fallback probes bucket 2*ih first, sh-port hashes the source port (vector 21)", "[schedulers][sh]") {
  auto sched = make_scheduler("sh");
  SECTION("fallback") {
    std::vector<SchedDest> dests = weighted({1, 1, 1, 1});
    dests[3].overloaded = true;
    DestTable table = service_of(*sched, dests);
    const std::vector<InetAddr> addrs{ip4(10, 0, 0, 1), ip4(10, 0, 0, 5)};  // buckets 39 (dest 3), 174 (dest 2)
    CHECK(picks_for(table, addrs, svc_f_sched1) == "2 2");  // 39 is overloaded; the probe is bucket 78
    CHECK(picks_for(table, addrs) == "none 2");
  }
  SECTION("the fallback walks all 256 buckets, then gives none") {
    DestTable table = service_of(*sched, weighted({1, 1}));
    table.set_overloaded(0, true);
    CHECK(picks_for(table, v19_addrs, svc_f_sched1) == "1 1 1 1 1 1");
    table.set_overloaded(1, true);
    CHECK(picks_for(table, v19_addrs, svc_f_sched1) == "none none none none none none");
  }
  SECTION("port") {
    DestTable table = service_of(*sched, weighted({1, 1, 1}));
    const std::vector<InetAddr> same(3, ip4(10, 0, 0, 1));
    CHECK(picks_for(table, same, svc_f_sched2, false, {1024, 1025, 40000}) == "1 0 2");  // buckets 73 171 203
    CHECK(picks_for(table, same, 0, false, {1024, 1025, 40000}) == "0 0 0");
  }
}

TEST_CASE("sh rebuilds its table on a weight edit, an add and a delete", "[schedulers][sh]") {
  auto sched = make_scheduler("sh");
  DestTable table = service_of(*sched, weighted({1, 1, 1}));
  table.edit_weight(0, 3);  // pattern 0 0 0 1 2 over buckets 39 137 235 77 248 138
  CHECK(picks_for(table, v19_addrs) == "2 0 0 0 1 1");
  table.edit_weight(0, 1);
  CHECK(picks_for(table, v19_addrs) == "0 2 1 2 2 0");
  table.remove(0);  // list 1 2: b mod 2
  CHECK(picks_for(table, v19_addrs) == "2 2 2 2 1 1");
  table.add({.id = 0, .addr = ip4(10, 1, 0, 1), .weight = 1});  // back at the head: list 0 1 2
  CHECK(picks_for(table, v19_addrs) == "0 2 1 2 2 0");
}
