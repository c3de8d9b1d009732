// The socket slab's array (core/chunked_vector.hpp): indices across every chunk boundary,
// elements that never move, each made and destroyed once, chunks allocated as the layout
// says (2, 2, 4, ..., 2048, then 4096 at a time).

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "core/chunked_vector.hpp"
#include "support/allocation_counter.hpp"

using lvs::ChunkedVector;

namespace {

struct Counted {
  static inline long made = 0;
  static inline long destroyed = 0;
  std::uint64_t value;
  explicit Counted(std::uint64_t v) : value(v) { ++made; }
  Counted(const Counted&) = delete;
  ~Counted() { ++destroyed; }
};

}  // namespace

TEST_CASE("a chunked vector keeps every element where it was made, across chunk boundaries", "[chunked_vector]") {
  constexpr std::size_t kCount = 3 * ChunkedVector<int>::kChunkMax + 7;  // into the fourth fixed chunk
  ChunkedVector<std::uint64_t> v;
  std::vector<const std::uint64_t*> where;
  for (std::size_t i = 0; i < kCount; ++i) {
    v.emplace_back(i * 2654435761U);
    where.push_back(&v[i]);
  }
  REQUIRE(v.size() == kCount);
  for (std::size_t i = 0; i < kCount; ++i) {
    CHECK(v[i] == i * 2654435761U);
    CHECK(&v[i] == where[i]);  // nothing moved while the array grew
  }
  // Within a chunk elements are contiguous; the boundaries are 2, 4, 8, ..., 4096, 8192, ...
  CHECK(&v[1] == &v[0] + 1);
  CHECK(&v[3] == &v[2] + 1);
  CHECK(&v[2047] == &v[1024] + 1023);
  CHECK(&v[4095] == &v[2048] + 2047);
  CHECK(&v[8191] == &v[4096] + 4095);
  CHECK(&v[12287] == &v[8192] + 4095);
}

TEST_CASE("a chunked vector makes each element once and destroys it once", "[chunked_vector]") {
  Counted::made = Counted::destroyed = 0;
  {
    ChunkedVector<Counted> v;
    for (std::uint64_t i = 0; i < 5000; ++i) CHECK(v.emplace_back(i).value == i);
    CHECK(Counted::made == 5000);
    CHECK(Counted::destroyed == 0);
    CHECK(v[4999].value == 4999);
    CHECK(v[4096].value == 4096);
  }
  CHECK(Counted::destroyed == 5000);
}

TEST_CASE("a chunked vector allocates a chunk only when it fills the last", "[chunked_vector][allocation]") {
  if (!lvs::test::counting_allocations()) return;
  ChunkedVector<int> v;
  // Chunks of 2, 2, 4, ..., 2048 hold the first 4096 elements: 12 of them, each allocated
  // when its first element arrives (the vector of chunk pointers grows as well).
  std::vector<std::size_t> allocated_at;
  for (int i = 0; i < 4096 + 4096 + 1; ++i) {
    const long before = lvs::test::allocations();
    v.emplace_back(i);
    if (lvs::test::allocations() != before) allocated_at.push_back(static_cast<std::size_t>(i));
  }
  CHECK(allocated_at == std::vector<std::size_t>{0, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192});
}
