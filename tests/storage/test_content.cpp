// The content catalogue: sizes drawn once per file, Zipf picks by the alias method.

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "core/rng.hpp"
#include "storage/che.hpp"
#include "storage/content.hpp"

using namespace lvs;
using namespace lvs::storage;

TEST_CASE("content: picks follow Zipf popularity within sampling error", "[content]") {
  ContentConfig c;
  c.files = 100;
  c.zipf = 0.8;
  Rng sizes(1);
  const Catalogue cat(c, sizes);
  const std::vector<double> p = zipf_popularity(100, 0.8);
  Rng rng(7);
  constexpr int kDraws = 1'000'000;
  std::vector<int> seen(100);
  for (int k = 0; k < kDraws; ++k) ++seen[cat.pick(rng)];
  for (std::uint32_t f : {0U, 1U, 9U, 49U, 99U}) {
    CHECK(cat.popularity(f) == Approx(p[f]).epsilon(1e-12));
    // Binomial standard deviation sqrt(n p (1 - p)); 5 of them.
    const double sd = std::sqrt(kDraws * p[f] * (1 - p[f]));
    CHECK(std::abs(seen[f] - kDraws * p[f]) < 5 * sd);
  }
  // Rank 1 against rank 2: (2/1)^0.8 = 1.741 as many requests.
  CHECK(static_cast<double>(seen[0]) / seen[1] == Approx(std::pow(2.0, 0.8)).epsilon(0.02));
}

TEST_CASE("content: zipf 0 is uniform, every file equally likely", "[content]") {
  ContentConfig c;
  c.files = 4;
  c.zipf = 0;
  Rng sizes(1);
  const Catalogue cat(c, sizes);
  for (std::uint32_t f = 0; f < 4; ++f) CHECK(cat.popularity(f) == Approx(0.25));
}

TEST_CASE("content: sizes are drawn once per file, the same for the same seed", "[content]") {
  ContentConfig c;
  c.files = 1000;
  c.size = Distribution::exponential(20000);
  Rng a(42), b(42);
  const Catalogue x(c, a), y(c, b);
  std::uint64_t total = 0;
  for (std::uint32_t f = 0; f < 1000; ++f) {
    CHECK(x.bytes(f) == y.bytes(f));
    CHECK(x.bytes(f) >= 1);
    total += x.bytes(f);
  }
  CHECK(x.total_bytes() == total);
  // The mean of 1000 exponential draws of mean 20 000: within 4 standard errors (632 each).
  CHECK(std::abs(static_cast<double>(total) / 1000 - 20000) < 4 * 20000 / std::sqrt(1000.0));
}

TEST_CASE("content: the write fraction", "[content]") {
  ContentConfig c;
  c.write_fraction = 0.1;
  Rng sizes(1), rng(3);
  const Catalogue cat(c, sizes);
  int writes = 0;
  for (int k = 0; k < 100000; ++k) writes += cat.pick_write(rng) ? 1 : 0;
  CHECK(std::abs(writes - 10000) < 5 * std::sqrt(100000 * 0.1 * 0.9));
  c.write_fraction = 0;
  const Catalogue none(c, sizes);
  for (int k = 0; k < 1000; ++k) CHECK_FALSE(none.pick_write(rng));
}

TEST_CASE("content: bad configurations are refused", "[content]") {
  Rng r(1);
  ContentConfig c;
  c.files = 0;
  CHECK_THROWS_AS(Catalogue(c, r), std::invalid_argument);
  c.files = kMaxFiles + 1;
  CHECK_THROWS_AS(Catalogue(c, r), std::invalid_argument);
  c.files = 10;
  c.write_fraction = 1.5;
  CHECK_THROWS_AS(Catalogue(c, r), std::invalid_argument);
}
