// The page cache: exact LRU order by bytes, and its hit ratio under independent Zipf requests
// against Che's approximation (storage/che.hpp), the check the storage issue asks for.

#include <catch2/catch.hpp>

#include <string>

#include "core/distribution.hpp"
#include "core/rng.hpp"
#include "storage/che.hpp"
#include "storage/page_cache.hpp"
#include "support/allocation_counter.hpp"

using namespace lvs;
using namespace lvs::storage;

namespace {

// "h" for a hit, "m" for a miss, per access.
std::string outcomes(PageCache& c, const std::vector<std::pair<std::uint32_t, std::uint64_t>>& reads) {
  std::string out;
  for (const auto& [file, bytes] : reads) out += c.access(file, bytes) ? 'h' : 'm';
  return out;
}

// The LRU's hit ratio over `requests` Zipf(s) requests for n files of sizes `bytes` (after
// `warmup` requests that fill it), with seed `seed`.
double simulated_hit_ratio(std::uint32_t n, double s, const std::vector<double>& bytes, std::uint64_t capacity,
                           int warmup, int requests, std::uint64_t seed) {
  PageCache cache(capacity, n);
  const Distribution zipf = Distribution::zipf(n, s);
  Rng rng(seed);
  std::uint64_t hits = 0;
  for (int k = 0; k < warmup + requests; ++k) {
    const auto file = static_cast<std::uint32_t>(zipf.sample(rng)) - 1;
    const bool hit = cache.access(file, static_cast<std::uint64_t>(bytes[file]));
    if (k >= warmup && hit) ++hits;
  }
  return static_cast<double>(hits) / requests;
}

}  // namespace

TEST_CASE("page cache: least recently used files leave first, counted in bytes", "[storage][page_cache]") {
  PageCache c(10, 5);
  // 4 + 4 fit. File 2 (3 bytes) evicts file 0, the least recent (file 1 was just read
  // again); file 0 back evicts file 1, then file 1 back evicts file 2.
  CHECK(outcomes(c, {{0, 4}, {1, 4}, {1, 4}, {2, 3}, {0, 4}, {1, 4}}) == "mmhmmm");
  CHECK(c.contains(0));
  CHECK(c.contains(1));
  CHECK(!c.contains(2));
  CHECK(c.used() == 8);
  CHECK(c.files_cached() == 2);
  CHECK(c.stats().hits == 1);
  CHECK(c.stats().misses == 5);
  CHECK(c.stats().evictions == 3);
}

TEST_CASE("page cache: a file larger than the cache is read but never cached", "[storage][page_cache]") {
  PageCache c(10, 3);
  CHECK(outcomes(c, {{0, 6}, {1, 11}, {0, 6}, {1, 11}}) == "mmhm");
  CHECK(c.used() == 6);
  CHECK(c.stats().evictions == 0);
}

TEST_CASE("page cache: invalidate drops one file, clear all of them, the statistics stay", "[storage][page_cache]") {
  PageCache c(100, 4);
  CHECK(outcomes(c, {{0, 10}, {1, 20}, {2, 30}}) == "mmm");
  c.invalidate(1);
  c.invalidate(3);  // not cached: nothing happens
  CHECK(c.used() == 40);
  CHECK(c.stats().invalidations == 1);
  CHECK(outcomes(c, {{1, 20}, {0, 10}}) == "mh");
  c.clear();
  CHECK(c.used() == 0);
  CHECK(c.files_cached() == 0);
  CHECK(outcomes(c, {{0, 10}}) == "m");
  CHECK(c.stats().hits == 1);
}

TEST_CASE("page cache: an access allocates nothing", "[storage][page_cache][allocation]") {
  PageCache c(1 << 20, 1000);
  Rng rng(7);
  const Distribution zipf = Distribution::zipf(1000, 0.9);
  const long before = test::allocations();
  for (int k = 0; k < 100'000; ++k) c.access(static_cast<std::uint32_t>(zipf.sample(rng)) - 1, 4096);
  CHECK(test::allocations() == before);
}

TEST_CASE("Che's approximation by hand: two equally popular files, room for one", "[storage][che]") {
  // 2 (1 - e^(-T/2)) = 1: T = 2 ln 2, and the hit ratio is 1 - e^(-ln 2) = 1/2.
  const CheEstimate e = che_lru({0.5, 0.5}, {1, 1}, 1);
  CHECK(e.characteristic_time == Approx(2 * std::log(2.0)).epsilon(1e-9));
  CHECK(e.hit_ratio == Approx(0.5).epsilon(1e-9));
  CHECK(che_lru({0.5, 0.5}, {1, 1}, 2).hit_ratio == 1.0);  // everything fits
}

TEST_CASE("page cache: the LRU hit ratio under Zipf requests is within 2% of Che's approximation",
          "[storage][che][slow]") {
  constexpr std::uint32_t n = 10'000;
  const std::vector<double> p = zipf_popularity(n, 0.8);
  SECTION("files of one size, room for 10% of them") {
    const std::vector<double> bytes(n, 4096);
    const double che = che_lru(p, bytes, 1000 * 4096.0).hit_ratio;
    const double sim = simulated_hit_ratio(n, 0.8, bytes, 1000 * 4096, 200'000, 1'000'000, 1);
    CAPTURE(che, sim);
    CHECK(che > 0.3);
    CHECK(sim == Approx(che).epsilon(0.02));
  }
  SECTION("sizes from 1 KB to 1 MB, room for a fifth of the bytes") {
    std::vector<double> bytes(n);
    Rng rng(3);
    const Distribution size = Distribution::lognormal_from_mean_stddev(20'000, 40'000);
    double total = 0;
    for (double& b : bytes) total += b = std::clamp(std::round(size.sample(rng)), 1000.0, 1e6);
    const auto capacity = static_cast<std::uint64_t>(total / 5);
    const double che = che_lru(p, bytes, static_cast<double>(capacity)).hit_ratio;
    const double sim = simulated_hit_ratio(n, 0.8, bytes, capacity, 200'000, 1'000'000, 2);
    CAPTURE(che, sim);
    CHECK(sim == Approx(che).epsilon(0.02));
  }
}
