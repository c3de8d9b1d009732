// The flat connection indexes (lvs/conn_index.hpp, lvs/connection_table.hpp) against a
// reference std::unordered_map on random insert / erase / find sequences: with a good hash,
// with a hash that piles every key into a few probe runs (erase inside clusters, runs that
// wrap around the end of the array), and through growth.

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include <catch2/catch.hpp>

#include "core/rng.hpp"
#include "lvs/conn_index.hpp"
#include "core/slot_table.hpp"
#include "lvs/connection_table.hpp"

using namespace lvs;

namespace {

// Keys are small integers; the value stored for a key is an index into `keys_`, as the
// connection table stores a connection's slot and reads the key back from it.
class Harness {
  /// Whether a stored value names `key`.
  auto is(std::uint32_t key) const {
    return [this, key](std::uint32_t value) { return keys_.at(value) == key; };
  }

 public:
  explicit Harness(std::uint64_t (*hash)(std::uint32_t)) : hash_(hash) {}

  void insert(std::uint32_t key) {
    if (ref_.count(key) != 0) return;
    const auto value = static_cast<std::uint32_t>(keys_.size());
    keys_.push_back(key);
    index_.insert(hash_(key), value);
    ref_.emplace(key, value);
  }
  void erase(std::uint32_t key) {
    const bool had = ref_.erase(key) != 0;
    REQUIRE(index_.erase(hash_(key), is(key)) == had);
  }
  void check(std::uint32_t key) const {
    const auto it = ref_.find(key);
    REQUIRE(index_.find(hash_(key), is(key)) == (it == ref_.end() ? ConnIndex::kAbsent : it->second));
  }
  void check_all(std::uint32_t universe) const {
    REQUIRE(index_.size() == ref_.size());
    for (std::uint32_t k = 0; k < universe; ++k) check(k);
  }
  const ConnIndex& index() const { return index_; }

 private:
  std::uint64_t (*hash_)(std::uint32_t);
  std::vector<std::uint32_t> keys_;
  ConnIndex index_;
  std::unordered_map<std::uint32_t, std::uint32_t> ref_;
};

std::uint64_t good_hash(std::uint32_t k) { return splitmix64_mix(k); }
// Every key's 32 stored bits fall in one of 4 values near the top of any power-of-two
// array: runs are long, wrap around the end, and most probes compare equal tags.
std::uint64_t clustered_hash(std::uint32_t k) { return 0xfffffffcU + (k % 4); }

void random_ops(Harness& h, std::uint32_t universe, int ops, std::uint64_t seed) {
  Rng rng(seed);
  for (int n = 0; n < ops; ++n) {
    const auto key = static_cast<std::uint32_t>(rng.below(universe));
    const auto op = rng.below(3);
    if (op == 0) h.insert(key);
    if (op == 1) h.erase(key);
    h.check(key);
    if (n % 997 == 0) h.check_all(universe);
  }
  h.check_all(universe);
}

}  // namespace

TEST_CASE("ConnIndex agrees with std::unordered_map on random operations with a good hash", "[conn_index]") {
  Harness h(good_hash);
  random_ops(h, 5000, 60'000, 17);
  CHECK(h.index().capacity() >= 2 * h.index().size());  // never more than half full
}

TEST_CASE("ConnIndex agrees with std::unordered_map when every key collides into wrapping clusters",
          "[conn_index]") {
  Harness h(clustered_hash);
  random_ops(h, 300, 20'000, 5);
}

TEST_CASE("ConnIndex keeps every key reachable after erasing the middle of a probe run", "[conn_index]") {
  Harness h(clustered_hash);
  for (std::uint32_t k = 0; k < 7; ++k) h.insert(k);  // capacity 16: one run from slot 12 through 2, wrapped
  REQUIRE(h.index().capacity() == 16);
  for (std::uint32_t k : {1U, 4U, 2U}) {
    h.erase(k);
    h.check_all(7);
  }
  CHECK(h.index().size() == 4);
}

TEST_CASE("ConnIndex grows by doubling and finds everything after each growth", "[conn_index]") {
  Harness h(good_hash);
  std::size_t last = 0;
  int growths = 0;
  for (std::uint32_t k = 0; k < 20'000; ++k) {
    h.insert(k);
    if (h.index().capacity() != last) {
      if (last != 0) CHECK(h.index().capacity() == 2 * last);
      last = h.index().capacity();
      ++growths;
      h.check_all(k + 1);
    }
  }
  // 16 slots to the first power of two holding 20 000 keys at most half full: 65 536.
  CHECK(h.index().capacity() == 65'536);
  CHECK(growths == 13);
}

namespace {

// What the connection table did with two std::unordered_map<Key, slot>: emplace (the first
// connection keeps a key) and erase by key.
struct ReferenceTable {
  std::unordered_map<ConnectionTable::Key, std::uint32_t, ConnectionTable::KeyHash> in, out;
};

Connection random_connection(Rng& rng) {
  Connection c;
  c.proto = rng.below(4) == 0 ? IpProto::Udp : IpProto::Tcp;
  c.method = rng.below(4) == 0 ? ForwardingMethod::FullNat : ForwardingMethod::DirectRouting;
  // Few addresses and ports, so that keys repeat (both sides) and the first-keeps rule matters.
  c.caddr = Ipv4Address(0x0a000000U + static_cast<std::uint32_t>(rng.below(4)));
  c.cport = static_cast<std::uint16_t>(40000 + rng.below(41));
  c.vaddr = Ipv4Address(0xc0a80164U);
  c.vport = static_cast<std::uint16_t>(80 + rng.below(2));
  c.daddr = Ipv4Address(0xc0a8010bU + static_cast<std::uint32_t>(rng.below(2)));
  c.dport = 80;
  c.laddr = Ipv4Address(0xc0a80132U);
  c.lport = static_cast<std::uint16_t>(5000 + rng.below(41));
  c.svc = reinterpret_cast<VirtualService*>(std::uintptr_t{8});  // live: non-null, never dereferenced
  return c;
}

ConnectionTable::Key in_key(const Connection& c) {
  return ConnectionTable::key(c.proto, c.caddr, c.cport, c.vaddr, c.vport);
}
ConnectionTable::Key out_key(const Connection& c) {
  if (c.method == ForwardingMethod::FullNat) return ConnectionTable::key(c.proto, c.daddr, c.dport, c.laddr, c.lport);
  return ConnectionTable::key(c.proto, c.daddr, c.dport, c.caddr, c.cport);
}

void check_lookups(ConnectionTable& t, const ReferenceTable& ref, const Connection& c) {
  const auto in = ref.in.find(in_key(c));
  Connection* found_in = t.find_in(c.proto, c.caddr, c.cport, c.vaddr, c.vport);
  REQUIRE((found_in == nullptr ? ~0U : found_in->slot) == (in == ref.in.end() ? ~0U : in->second));
  const bool fnat = c.method == ForwardingMethod::FullNat;
  const auto out = ref.out.find(out_key(c));
  Connection* found_out = t.find_out(c.proto, c.daddr, c.dport, fnat ? c.laddr : c.caddr, fnat ? c.lport : c.cport);
  REQUIRE((found_out == nullptr ? ~0U : found_out->slot) == (out == ref.out.end() ? ~0U : out->second));
}

}  // namespace

TEST_CASE("ConnectionTable looks up as its std::unordered_map indexes did, repeated keys included", "[conn_index]") {
  Rng rng(99);
  ConnectionTable t;
  ReferenceTable ref;
  std::vector<std::uint32_t> live;
  for (int n = 0; n < 30'000; ++n) {
    const Connection c = random_connection(rng);
    if (live.empty() || rng.below(3) != 0) {
      const std::uint32_t slot = t.insert(c).slot;
      ref.in.emplace(in_key(c), slot);
      ref.out.emplace(out_key(c), slot);
      live.push_back(slot);
    } else {
      const auto pick = static_cast<std::size_t>(rng.below(live.size()));
      const Connection gone = t.at(live[pick]);
      ref.in.erase(in_key(gone));
      ref.out.erase(out_key(gone));
      t.erase(live[pick]);
      live[pick] = live.back();
      live.pop_back();
    }
    check_lookups(t, ref, c);
    REQUIRE(t.size() == ref.in.size());
  }
  for (std::uint32_t slot : live) check_lookups(t, ref, t.at(slot));
}

TEST_CASE("ConnectionTable numbers and reuses slots as SlotTable did and lists them in slot order",
          "[conn_index]") {
  Rng rng(3);
  ConnectionTable t;
  SlotTable<Connection> ref;  // the storage the table used before its chunks
  std::vector<std::uint32_t> live;
  for (int n = 0; n < 5000; ++n) {  // past several 1024-connection chunks
    if (live.empty() || rng.below(5) < 3) {
      Connection c = random_connection(rng);
      c.cport = static_cast<std::uint16_t>(n);  // distinct keys: every connection reachable
      const std::uint32_t slot = t.insert(c).slot;
      REQUIRE(slot == ref.add(c));
      live.push_back(slot);
    } else {
      const auto pick = static_cast<std::size_t>(rng.below(live.size()));
      ref.at(live[pick]).svc = nullptr;
      ref.release(live[pick]);
      t.erase(live[pick]);
      live[pick] = live.back();
      live.pop_back();
    }
  }
  std::vector<std::uint32_t> listed, expected;
  t.for_each([&](const Connection& c) { listed.push_back(c.slot); });
  for (const Connection& c : ref.entries())
    if (c.svc != nullptr) expected.push_back(c.slot);
  CHECK(listed == expected);
  CHECK(listed.size() == live.size());
  CHECK(t.size() == live.size());
}
