#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

#include "scenario/units.hpp"

using namespace lvs;
using namespace lvs::scenario;

namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

// The message of the std::invalid_argument thrown by f, or "no error".
template <class F>
std::string message_of(F f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("parse_data_rate reads SI units exactly", "[units]") {
  struct Row {
    const char* text;
    std::uint64_t bps;
  };
  const Row row = GENERATE(Row{"1Gbps", 1'000'000'000}, Row{"100Mbps", 100'000'000}, Row{"10Kbps", 10'000},
                           Row{"10kbps", 10'000}, Row{"1.5Gbps", 1'500'000'000}, Row{"9600bps", 9'600},
                           Row{"1Tbps", 1'000'000'000'000}, Row{"2.5 Mbps", 2'500'000}, Row{"0.001Kbps", 1},
                           Row{"1.250Gbps", 1'250'000'000}, Row{".5Mbps", 500'000}, Row{"007Mbps", 7'000'000},
                           Row{"0", 0}, Row{"0bps", 0}, Row{"0.0", 0}, Row{"1.000000001Gbps", 1'000'000'001},
                           Row{"18446744073709551615bps", kMax}, Row{"18446744.073709551615Tbps", kMax});
  CAPTURE(row.text);
  CHECK(parse_data_rate(row.text).bits_per_second() == row.bps);
}

TEST_CASE("parse_data_rate rejects bad rates saying what was expected", "[units]") {
  const std::string hint = "expected a number and a unit: bps, Kbps, Mbps, Gbps, Tbps (e.g. \"1Gbps\")";
  struct Row {
    const char* text;
    std::string message;
  };
  const Row row = GENERATE_COPY(
      Row{"1 Gbit", "invalid data rate '1 Gbit': " + hint}, Row{"", "invalid data rate '': " + hint},
      Row{"fast", "invalid data rate 'fast': " + hint}, Row{"Gbps", "invalid data rate 'Gbps': " + hint},
      Row{"-1Gbps", "invalid data rate '-1Gbps': " + hint}, Row{"1GBps", "invalid data rate '1GBps': " + hint},
      Row{"1gbps", "invalid data rate '1gbps': " + hint}, Row{"10", "invalid data rate '10': " + hint},
      Row{"1.5.3Gbps", "invalid data rate '1.5.3Gbps': " + hint}, Row{" 1Gbps", "invalid data rate ' 1Gbps': " + hint},
      Row{"1.5bps", "invalid data rate '1.5bps': not a whole number of bits per second"},
      Row{"0.0001Kbps", "invalid data rate '0.0001Kbps': not a whole number of bits per second"},
      Row{"18446744073709551616bps",
          "invalid data rate '18446744073709551616bps': too large (at most 2^64 - 1 bits per second)"},
      Row{"20000000Tbps", "invalid data rate '20000000Tbps': too large (at most 2^64 - 1 bits per second)"});
  CAPTURE(row.text);
  CHECK(message_of([&] { parse_data_rate(row.text); }) == row.message);
}

TEST_CASE("DataRate::str picks the largest unit, exactly, and round-trips", "[units]") {
  struct Row {
    DataRate rate;
    const char* text;
  };
  const Row row = GENERATE(Row{DataRate::bps(0), "0bps"}, Row{DataRate::gbps(1), "1Gbps"},
                           Row{DataRate::bps(1'500'000'000), "1.5Gbps"}, Row{DataRate::bps(9'600), "9.6Kbps"},
                           Row{DataRate::bps(999), "999bps"}, Row{DataRate::bps(1'234'567), "1.234567Mbps"},
                           Row{DataRate::mbps(100), "100Mbps"}, Row{DataRate::kbps(10), "10Kbps"},
                           Row{DataRate::gbps(25'000), "25Tbps"}, Row{DataRate::max(), "18446744.073709551615Tbps"});
  CAPTURE(row.text);
  CHECK(row.rate.str() == row.text);
  CHECK(parse_data_rate(row.rate.str()) == row.rate);
}

TEST_CASE("parse_byte_size reads decimal and binary units exactly", "[units]") {
  struct Row {
    const char* text;
    std::uint64_t bytes;
  };
  const Row row = GENERATE(Row{"64B", 64}, Row{"10KB", 10'000}, Row{"10kB", 10'000}, Row{"1.5MB", 1'500'000},
                           Row{"1GB", 1'000'000'000}, Row{"2TB", 2'000'000'000'000}, Row{"4KiB", 4'096},
                           Row{"1MiB", 1'048'576}, Row{"1GiB", 1ULL << 30}, Row{"1TiB", 1ULL << 40},
                           Row{"1.5KiB", 1'536}, Row{"0.5KiB", 512}, Row{"1 KiB", 1'024}, Row{"0", 0}, Row{"0B", 0},
                           Row{"0.0009765625KiB", 1}, Row{"18446744073709551615B", kMax});
  CAPTURE(row.text);
  CHECK(parse_byte_size(row.text).count() == row.bytes);
}

TEST_CASE("parse_byte_size rejects bad sizes saying what was expected", "[units]") {
  const std::string hint =
      "expected a number and a unit: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB (e.g. \"64KiB\", \"1.5MB\")";
  struct Row {
    const char* text;
    std::string message;
  };
  const Row row = GENERATE_COPY(
      Row{"10 bytes", "invalid byte size '10 bytes': " + hint}, Row{"", "invalid byte size '': " + hint},
      Row{"KB", "invalid byte size 'KB': " + hint}, Row{"-1KB", "invalid byte size '-1KB': " + hint},
      Row{"10", "invalid byte size '10': " + hint}, Row{"10kb", "invalid byte size '10kb': " + hint},
      Row{"10KIB", "invalid byte size '10KIB': " + hint}, Row{"1EiB", "invalid byte size '1EiB': " + hint},
      Row{"0.3KiB", "invalid byte size '0.3KiB': not a whole number of bytes"},
      Row{"1.5B", "invalid byte size '1.5B': not a whole number of bytes"},
      Row{"18446744073709551616B", "invalid byte size '18446744073709551616B': too large (at most 2^64 - 1 bytes)"},
      Row{"20000000TB", "invalid byte size '20000000TB': too large (at most 2^64 - 1 bytes)"});
  CAPTURE(row.text);
  CHECK(message_of([&] { parse_byte_size(row.text); }) == row.message);
}

TEST_CASE("ByteSize::str picks the shorter exact form and round-trips", "[units]") {
  struct Row {
    std::uint64_t bytes;
    const char* text;
  };
  const Row row =
      GENERATE(Row{0, "0B"}, Row{64, "64B"}, Row{999, "999B"}, Row{1'000, "1KB"}, Row{1'023, "1.023KB"},
               Row{1'024, "1KiB"}, Row{1'025, "1.025KB"}, Row{1'500, "1.5KB"}, Row{1'536, "1.5KiB"}, Row{4'096, "4KiB"},
               Row{10'000, "10KB"}, Row{1'000'000, "1MB"}, Row{1'048'576, "1MiB"}, Row{1'500'000, "1.5MB"},
               Row{1ULL << 30, "1GiB"}, Row{1ULL << 40, "1TiB"}, Row{kMax, "18446744.073709551615TB"});
  CAPTURE(row.text);
  CHECK(ByteSize::bytes(row.bytes).str() == row.text);
  CHECK(parse_byte_size(row.text).count() == row.bytes);
}

TEST_CASE("str() round-trips for awkward values", "[units]") {
  const std::uint64_t v = GENERATE(1ULL, 7ULL, 1'001ULL, 65'535ULL, 1'000'001ULL, 123'456'789'012ULL, (1ULL << 40) + 1,
                                   (3ULL << 20) + 512, 999'999'999'999'999ULL, kMax - 1);
  CAPTURE(v);
  CHECK(parse_data_rate(DataRate::bps(v).str()).bits_per_second() == v);
  CHECK(parse_byte_size(ByteSize::bytes(v).str()).count() == v);
}

TEST_CASE("parse_integer accepts plain decimal integers only", "[units]") {
  CHECK(parse_integer("42") == 42);
  CHECK(parse_integer("-7") == -7);
  CHECK(parse_integer("+7") == 7);
  CHECK(parse_integer("007") == 7);
  CHECK(parse_integer("9223372036854775807") == std::numeric_limits<std::int64_t>::max());
  CHECK(parse_integer("-9223372036854775808") == std::numeric_limits<std::int64_t>::min());
  const char* bad =
      GENERATE("3.5", "3abc", "0x10", "1e3", "", "-", "+", "+-3", " 3", "3 ", "9223372036854775808", "1_000");
  CAPTURE(bad);
  CHECK_FALSE(parse_integer(bad).has_value());
}

TEST_CASE("parse_number accepts finite decimal numbers only", "[units]") {
  CHECK(parse_number("0.5") == 0.5);
  CHECK(parse_number("-2") == -2.0);
  CHECK(parse_number("+2") == 2.0);
  CHECK(parse_number("1e-3") == 1e-3);
  CHECK(parse_number(".5") == 0.5);
  const char* bad = GENERATE("abc", "nan", "inf", "-inf", ".inf", "0x1p3", "", "1.5x", "1e999", "+-1", "1,5");
  CAPTURE(bad);
  CHECK_FALSE(parse_number(bad).has_value());
}

TEST_CASE("parse_bool accepts exactly true and false", "[units]") {
  CHECK(parse_bool("true") == true);
  CHECK(parse_bool("false") == false);
  const char* bad = GENERATE("yes", "no", "on", "off", "True", "FALSE", "1", "0", "y", "");
  CAPTURE(bad);
  CHECK_FALSE(parse_bool(bad).has_value());
}

TEST_CASE("read_scalar says what each type expects, with an example", "[units]") {
  struct Row {
    std::string (*read)(const char*);
    const char* text;
    const char* message;
  };
  const Row row = GENERATE(
      Row{[](const char* t) { return std::to_string(read_scalar<bool>(t)); }, "yes",
          "expected true or false, got 'yes'"},
      Row{[](const char* t) { return std::to_string(read_scalar<std::int64_t>(t)); }, "3.5",
          "expected an integer (e.g. 42), got '3.5'"},
      Row{[](const char* t) { return std::to_string(read_scalar<std::int64_t>(t)); }, "99999999999999999999",
          "expected an integer in -9223372036854775808..9223372036854775807, got '99999999999999999999'"},
      Row{[](const char* t) { return std::to_string(read_scalar<int>(t)); }, "3000000000",
          "expected an integer in -2147483648..2147483647, got '3000000000'"},
      Row{[](const char* t) { return std::to_string(read_scalar<double>(t)); }, "fast",
          "expected a number (e.g. 0.5), got 'fast'"},
      Row{[](const char* t) { return to_string(read_scalar<Time>(t)); }, "-2ms",
          "expected a duration >= 0 (e.g. \"250us\"), got '-2ms'"},
      Row{[](const char* t) { return read_scalar<Ipv4Address>(t).str(); }, "10.0.0.256",
          "expected an IPv4 address (e.g. 192.168.10.100), got '10.0.0.256'"},
      Row{[](const char* t) { return read_scalar<Ipv4Prefix>(t).str(); }, "10.0.0.0/33",
          "expected an IPv4 prefix (e.g. 192.168.10.0/24), got '10.0.0.0/33'"},
      Row{[](const char* t) { return read_scalar<MacAddress>(t).str(); }, "02:00:00:00:00",
          "expected a MAC address (e.g. 02:00:00:00:00:01), got '02:00:00:00:00'"},
      Row{[](const char* t) { return read_scalar<DataRate>(t).str(); }, "1 Gbit",
          "invalid data rate '1 Gbit': expected a number and a unit: bps, Kbps, Mbps, Gbps, Tbps (e.g. \"1Gbps\")"});
  CAPTURE(row.text);
  CHECK(message_of([&] { row.read(row.text); }) == row.message);
}

TEST_CASE("read_scalar with a range checks the bounds and says them", "[units]") {
  CHECK(read_scalar<std::int64_t>("80", Range<std::int64_t>{1, 65535}) == 80);
  CHECK(read_scalar<Time>("-2ms", Range{-Time::s(1), Time::s(1)}) == -Time::ms(2));
  CHECK(message_of([] {
          read_scalar<std::int64_t>("0", Range<std::int64_t>{1, 65535});
        }) == "expected an integer in 1..65535, got '0'");
  CHECK(message_of([] { read_scalar<std::int64_t>("heavy", at_least<std::int64_t>(1)); }) ==
        "expected an integer >= 1, got 'heavy'");
  CHECK(message_of([] { read_scalar<double>("1.5", at_most(1.0)); }) == "expected a number <= 1, got '1.5'");
  CHECK(message_of([] {
          read_scalar<double>("0.05", Range{0.1, 0.25});
        }) == "expected a number in 0.1..0.25, got '0.05'");
  CHECK(message_of([] {
          read_scalar<Time>("20s", Range{Time::ms(1), Time::s(10)});
        }) == "expected a duration in 1ms..10s, got '20s'");
  CHECK(message_of([] { read_scalar<DataRate>("10Kbps", at_least(DataRate::mbps(1))); }) ==
        "expected a data rate >= 1Mbps, got '10Kbps'");
  CHECK(message_of([] { read_scalar<ByteSize>("1MB", at_most(ByteSize::kib(64))); }) ==
        "expected a byte size <= 64KiB, got '1MB'");
  // A unit parser's own message is more precise than the range for text that is no quantity at all.
  CHECK(message_of([] {
          read_scalar<Time>("soon", Range{Time::ms(1), Time::s(10)});
        }) ==
        "invalid duration 'soon': no number (expected a number and a unit: ns, us, ms, s, min, h; e.g. \"250us\", "
        "\"1.5s\")");
  CHECK(describe_expected<std::int64_t>() == "an integer (e.g. 42)");
  CHECK(describe_expected(Range<int>{0, 65535}) == "an integer in 0..65535");
}

TEST_CASE("a duration beyond 8760h is refused before it can overflow the clock", "[units]") {
  CHECK(read_scalar<Time>("8760h") == kMaxSpan);
  CHECK(read_scalar<Time>("1e3s") == Time::s(1000));
  const char* text = GENERATE("9223372036s", "2562047h", "8760.000000001h", "4e7s");
  CAPTURE(text);
  const std::string message = "expected a duration of at most 8760h (365 days), got '" + std::string(text) + "'";
  CHECK(message_of([&] { read_scalar<Time>(text); }) == message);
  CHECK(message_of([&] { read_scalar<Time>(text, at_least(Time::zero())); }) == message);
  CHECK(message_of([&] { read_scalar<Time>("-" + std::string(text), Range{-Time::max(), Time::max()}); }) ==
        "expected a duration of at most 8760h (365 days), got '-" + std::string(text) + "'");
}

TEST_CASE("quoted keeps messages on one line and short", "[units]") {
  CHECK(scenario::quoted("heavy") == "'heavy'");
  CHECK(scenario::quoted("") == "''");
  CHECK(scenario::quoted("line one\nline two\n") == "'line one\\nline two\\n'");
  CHECK(scenario::quoted(std::string(60, 'x')) == "'" + std::string(60, 'x') + "'");
  CHECK(scenario::quoted(std::string(61, 'x')) == "'" + std::string(57, 'x') + "...'");
}
