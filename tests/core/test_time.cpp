#include <catch2/catch.hpp>

#include <stdexcept>

#include "core/time.hpp"

using namespace lvs;
using namespace lvs::literals;

TEST_CASE("time literals and arithmetic are exact nanoseconds", "[time]") {
  CHECK((1_s).count() == 1'000'000'000);
  CHECK((250_us).count() == 250'000);
  CHECK((10_ms + 5_us).count() == 10'005'000);
  CHECK((3_ms - 1_ms) == 2_ms);
  CHECK((1_s / 4) == 250_ms);
  CHECK((1_s / 3_ms) == 333);
  CHECK((1_s % 3_ms) == 1_ms);
  CHECK(3 * 2_us == 6_us);
  CHECK(1_ns < 1_us);
  CHECK(Time::max().count() == INT64_MAX);
  CHECK(Time::from_seconds(1.5e-9) == 2_ns);  // rounds to nearest
  CHECK((1500_ms).seconds() == 1.5);
}

TEST_CASE("parse_time reads numbers with units, fractions exactly", "[time]") {
  struct Row {
    const char* text;
    std::int64_t ns;
  };
  const Row row = GENERATE(Row{"250us", 250'000}, Row{"1.5s", 1'500'000'000}, Row{"10ms", 10'000'000},
                           Row{"100ns", 100}, Row{"0", 0}, Row{"0s", 0}, Row{"2min", 120'000'000'000},
                           Row{"1h", 3'600'000'000'000}, Row{"0.000000001s", 1}, Row{"1.25ms", 1'250'000},
                           Row{"7µs", 7'000}, Row{"3 ms", 3'000'000}, Row{".5s", 500'000'000},
                           Row{"0.1s", 100'000'000}, Row{"-2ms", -2'000'000}, Row{"1e3s", 1'000'000'000'000},
                           Row{"2.5e-3s", 2'500'000}, Row{"1E3ms", 1'000'000'000}, Row{"1e+2us", 100'000},
                           Row{"5e-10s", 1}, Row{"4e-10s", 0}, Row{"1e-99999s", 0}, Row{"0e99999h", 0},
                           Row{"0.1234567890123456789s", 123'456'789});
  CAPTURE(row.text);
  CHECK(parse_time(row.text).count() == row.ns);
}

TEST_CASE("parse_time rejects bad durations with a message saying what was expected", "[time]") {
  const std::string hint = " (expected a number and a unit: ns, us, ms, s, min, h; e.g. \"250us\", \"1.5s\")";
  CHECK_THROWS_WITH(parse_time(""), "invalid duration '': no number" + hint);
  CHECK_THROWS_WITH(parse_time("fast"), "invalid duration 'fast': no number" + hint);
  CHECK_THROWS_WITH(parse_time("10"), "invalid duration '10': missing unit" + hint);
  CHECK_THROWS_WITH(parse_time("10 parsecs"), "invalid duration '10 parsecs': unknown unit 'parsecs'" + hint);
  CHECK_THROWS_WITH(parse_time("1.5.3s"), "invalid duration '1.5.3s': unknown unit '.3s'" + hint);
  CHECK_THROWS_WITH(parse_time("99999999999h"), "invalid duration '99999999999h': out of range (at most about 292 years)" + hint);
  CHECK_THROWS_AS(parse_time("99999999999999999999999ns"), std::invalid_argument);
  CHECK_THROWS_WITH(parse_time("1e99999s"), "invalid duration '1e99999s': out of range (at most about 292 years)" + hint);
  CHECK_THROWS_WITH(parse_time("1e3"), "invalid duration '1e3': missing unit" + hint);
  CHECK_THROWS_WITH(parse_time("1es"), "invalid duration '1es': unknown unit 'es'" + hint);
  CHECK_THROWS_WITH(parse_time("1e-s"), "invalid duration '1e-s': unknown unit 'e-s'" + hint);
}

TEST_CASE("to_string picks a readable unit", "[time]") {
  CHECK(to_string(1500_ms) == "1.5s");
  CHECK(to_string(250_us) == "250us");
  CHECK(to_string(0_ns) == "0ns");
  CHECK(to_string(1_ms + 250_us) == "1.25ms");
  CHECK(to_string(999_ns) == "999ns");
  CHECK(to_string(-(2_ms)) == "-2ms");
  CHECK(to_string(120_s) == "120s");
}
