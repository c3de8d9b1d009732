#pragma once
// The text forms of scenario values, independent of YAML: quantities with a unit ("1Gbps",
// "64KiB"), strict parsers for plain scalars (integers, numbers, booleans), and read_scalar<T>,
// which turns scalar text into any supported type with a message saying what was expected.
// Durations are lvs::Time (core/time.hpp, parse_time). Quantities are parsed exactly.

#include <compare>
#include <concepts>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "net/address.hpp"

namespace lvs::scenario {

/// A data rate in bits per second (SI decimal prefixes: 1Kbps = 1 000 bit/s).
class DataRate {
 public:
  constexpr DataRate() = default;
  /// A rate of `v` bit/s.
  static constexpr DataRate bps(std::uint64_t v) { return DataRate(v); }
  /// A rate of `v` kbit/s (1 000 bit/s).
  static constexpr DataRate kbps(std::uint64_t v) { return DataRate(v * 1'000); }
  /// A rate of `v` Mbit/s (10^6 bit/s).
  static constexpr DataRate mbps(std::uint64_t v) { return DataRate(v * 1'000'000); }
  /// A rate of `v` Gbit/s (10^9 bit/s).
  static constexpr DataRate gbps(std::uint64_t v) { return DataRate(v * 1'000'000'000); }
  /// The largest representable rate (2^64 - 1 bit/s).
  static constexpr DataRate max() { return DataRate(std::numeric_limits<std::uint64_t>::max()); }

  /// The rate in bit/s.
  constexpr std::uint64_t bits_per_second() const { return bps_; }
  /// The largest unit that keeps the value >= 1, exact: "1.5Gbps", "9.6Kbps", "0bps"; parses back to the same value.
  std::string str() const;
  constexpr auto operator<=>(const DataRate&) const = default;

 private:
  constexpr explicit DataRate(std::uint64_t bps) : bps_(bps) {}
  std::uint64_t bps_ = 0;
};

/// An amount of memory or data in bytes.
class ByteSize {
 public:
  constexpr ByteSize() = default;
  /// `n` bytes.
  static constexpr ByteSize bytes(std::uint64_t n) { return ByteSize(n); }
  /// `n` KiB (1 024 bytes).
  static constexpr ByteSize kib(std::uint64_t n) { return ByteSize(n << 10); }
  /// `n` MiB (2^20 bytes).
  static constexpr ByteSize mib(std::uint64_t n) { return ByteSize(n << 20); }
  /// `n` GiB (2^30 bytes).
  static constexpr ByteSize gib(std::uint64_t n) { return ByteSize(n << 30); }
  /// The largest representable size (2^64 - 1 bytes).
  static constexpr ByteSize max() { return ByteSize(std::numeric_limits<std::uint64_t>::max()); }

  /// The size in bytes.
  constexpr std::uint64_t count() const { return n_; }
  /// The shorter of the decimal ("10KB", "1.5MB") and binary ("4KiB", "1.5KiB") forms, exact;
  /// decimal on a tie. Parses back to the same value.
  std::string str() const;
  constexpr auto operator<=>(const ByteSize&) const = default;

 private:
  constexpr explicit ByteSize(std::uint64_t n) : n_(n) {}
  std::uint64_t n_ = 0;
};

/// Parses "1Gbps", "100Mbps", "10Kbps" (or "10kbps"), "1.5Gbps", "9600bps", "1Tbps", "0"; a space may
/// separate number and unit. Fractions are exact and must give whole bits per second. Throws
/// std::invalid_argument saying what was expected.
DataRate parse_data_rate(std::string_view text);

/// Parses "64B", "10KB" (= 10 000, also "10kB"), "1.5MB", "1GB", "1TB", "4KiB" (= 4 096), "1MiB",
/// "1GiB", "1TiB", "0"; fractions must give whole bytes. Throws std::invalid_argument saying what was expected.
ByteSize parse_byte_size(std::string_view text);

/// A decimal integer: "42", "-7", "+7", "007" (= 7). nullopt for "3.5", "3abc", "0x10", "1e3", "" or overflow.
std::optional<std::int64_t> parse_integer(std::string_view text);

/// A finite decimal number: "0.5", "-2", "1e-3", ".5". nullopt for "abc", "nan", "inf", "0x1p3" or overflow.
std::optional<double> parse_number(std::string_view text);

/// "true" or "false", nothing else: YAML 1.1's yes/no/on/off and "True" are rejected as ambiguous.
std::optional<bool> parse_bool(std::string_view text);

/// `text` in single quotes for messages: newlines shown as \n, cut to 60 characters ("...").
std::string quoted(std::string_view text);

/// Inclusive bounds for a typed read; a missing bound is open. Range{1, 65535}, at_least(1), at_most(0.5).
template <class T>
struct Range {
  std::optional<T> min;
  std::optional<T> max;
};
template <class T>
Range(T, T) -> Range<T>;

/// Values >= `min`.
template <class T>
constexpr Range<T> at_least(T min) {
  return Range<T>{min, std::nullopt};
}
/// Values <= `max`.
template <class T>
constexpr Range<T> at_most(T max) {
  return Range<T>{std::nullopt, max};
}

/// The types a scalar can be read as.
template <class T>
concept ScalarValue =
    std::same_as<T, bool> || std::same_as<T, std::int64_t> || std::same_as<T, int> || std::same_as<T, double> ||
    std::same_as<T, std::string> || std::same_as<T, Time> || std::same_as<T, DataRate> || std::same_as<T, ByteSize> ||
    std::same_as<T, Ipv4Address> || std::same_as<T, Ipv4Prefix> || std::same_as<T, MacAddress>;

/// The types a Range applies to.
template <class T>
concept OrderedValue = std::same_as<T, std::int64_t> || std::same_as<T, int> || std::same_as<T, double> ||
    std::same_as<T, Time> || std::same_as<T, DataRate> || std::same_as<T, ByteSize>;

/// Reads scalar text as T. Throws std::invalid_argument saying what was expected, with an example:
/// "expected an integer (e.g. 42), got '3.5'"; for Time, DataRate and ByteSize the parser's own
/// message ("invalid duration 'fast': ..."). Durations must be >= 0.
template <ScalarValue T>
T read_scalar(std::string_view text);
/// Reads scalar text as T within `range` (which may allow negative durations):
/// "expected an integer in 1..65535, got '0'".
template <OrderedValue T>
T read_scalar(std::string_view text, const Range<T>& range);
/// What a T looks like, for "expected ..., got a map": "an integer (e.g. 42)", "true or false".
template <ScalarValue T>
std::string describe_expected();
/// What a T within `range` looks like: "an integer in 1..65535", "a duration >= 1ms".
template <OrderedValue T>
std::string describe_expected(const Range<T>& range);

}  // namespace lvs::scenario
