#include <catch2/catch.hpp>

#include <cstdint>
#include <unordered_map>

#include "core/rng.hpp"
#include "net/address.hpp"
#include "net/mac_table.hpp"

using namespace lvs;

namespace {
// The table MacTable replaced in Segment: learn overwrites, lookup finds or not.
int reference_port(const std::unordered_map<std::uint64_t, int>& m, std::uint64_t mac) {
  const auto it = m.find(mac);
  return it == m.end() ? MacTable::kUnknown : it->second;
}
}  // namespace

TEST_CASE("MAC table: learning, relearning on another port, unknown addresses", "[net][switch]") {
  MacTable t;
  const std::uint64_t a = MacAddress::local(1).bits(), b = MacAddress::local(2).bits();
  CHECK(t.port(a) == MacTable::kUnknown);
  t.learn(a, 0);
  t.learn(b, 3);
  CHECK(t.port(a) == 0);
  CHECK(t.port(b) == 3);
  t.learn(a, 2);  // the host moved (or a VIP's MAC answered from elsewhere): the last port wins
  CHECK(t.port(a) == 2);
  CHECK(t.size() == 2);
  CHECK(t.port(MacAddress::local(3).bits()) == MacTable::kUnknown);
  CHECK(t.port(0) == MacTable::kUnknown);  // 00:00:00:00:00:00 is an address like any other
  t.learn(0, 5);
  CHECK(t.port(0) == 5);
  CHECK(t.port(MacAddress::broadcast().bits()) == MacTable::kUnknown);
}

TEST_CASE("MAC table: a scripted sequence gives the ports std::unordered_map gives, through growth",
          "[net][switch]") {
  // Consecutive generated MACs (as scenarios number hosts) and random ones, learned on
  // random ports, moved, and looked up, known or not; well past the first 16 slots.
  Rng rng(17);
  MacTable t;
  std::unordered_map<std::uint64_t, int> ref;
  for (int step = 0; step < 20'000; ++step) {
    const std::uint64_t mac = rng.below(2) == 0 ? MacAddress::local(rng.below(1500)).bits() : MacAddress(rng()).bits();
    if (rng.below(3) == 0) {
      const int port = static_cast<int>(rng.below(64));
      t.learn(mac, port);
      ref[mac] = port;
    }
    REQUIRE(t.port(mac) == reference_port(ref, mac));
  }
  CHECK(t.size() == ref.size());
  for (const auto& [mac, port] : ref) CHECK(t.port(mac) == port);
}
