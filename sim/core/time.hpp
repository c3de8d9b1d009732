#pragma once
// Simulated time: a signed 64-bit count of nanoseconds, never a double.
// One type serves both instants (since the start of the run) and spans, as in ns-3.

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace lvs {

class Time {
 public:
  constexpr Time() = default;

  /// A time of `ns` nanoseconds.
  static constexpr Time ns(std::int64_t ns) { return Time(ns); }
  static constexpr Time us(std::int64_t us) { return Time(us * 1'000); }
  static constexpr Time ms(std::int64_t ms) { return Time(ms * 1'000'000); }
  static constexpr Time s(std::int64_t s) { return Time(s * 1'000'000'000); }
  /// Seconds as a double, rounded to the nearest nanosecond (for the edges: parsing, output).
  static Time from_seconds(double seconds);
  static constexpr Time zero() { return Time(0); }
  static constexpr Time max() { return Time(std::numeric_limits<std::int64_t>::max()); }

  /// The count of nanoseconds.
  constexpr std::int64_t count() const { return ns_; }
  /// Seconds as a double (for output only).
  constexpr double seconds() const { return static_cast<double>(ns_) * 1e-9; }
  constexpr double milliseconds() const { return static_cast<double>(ns_) * 1e-6; }

  constexpr auto operator<=>(const Time&) const = default;

  constexpr Time operator+(Time o) const { return Time(ns_ + o.ns_); }
  constexpr Time operator-(Time o) const { return Time(ns_ - o.ns_); }
  constexpr Time operator-() const { return Time(-ns_); }
  constexpr Time& operator+=(Time o) { ns_ += o.ns_; return *this; }
  constexpr Time& operator-=(Time o) { ns_ -= o.ns_; return *this; }
  constexpr Time operator*(std::int64_t k) const { return Time(ns_ * k); }
  constexpr Time operator/(std::int64_t k) const { return Time(ns_ / k); }
  /// How many whole `o` fit in this time.
  constexpr std::int64_t operator/(Time o) const { return ns_ / o.ns_; }
  constexpr Time operator%(Time o) const { return Time(ns_ % o.ns_); }

 private:
  constexpr explicit Time(std::int64_t ns) : ns_(ns) {}
  std::int64_t ns_ = 0;
};

constexpr Time operator*(std::int64_t k, Time t) { return t * k; }

/// The longest duration a scenario may give, and the most a sampled one may be: 8760h (365
/// days). The clock plus a few such spans stays far inside the 292 years of an int64 of ns.
inline constexpr Time kMaxSpan = Time::s(8760LL * 3600);
/// kMaxSpan as text for messages: "8760h".
std::string max_span_text();

/// Parses a duration with a unit: "250us", "1.5s", "10ms", "3min", "2h", "100ns", "0", and
/// with a decimal exponent "1e3s", "2.5e-3s". Decimal fractions are exact (no floating point). Throws std::invalid_argument
/// with a message saying what was expected.
Time parse_time(std::string_view text);

/// Formats with the largest unit that keeps it short and exact to 3 decimals: "1.5s", "250us".
std::string to_string(Time t);

namespace literals {
constexpr Time operator""_ns(unsigned long long v) { return Time::ns(static_cast<std::int64_t>(v)); }
constexpr Time operator""_us(unsigned long long v) { return Time::us(static_cast<std::int64_t>(v)); }
constexpr Time operator""_ms(unsigned long long v) { return Time::ms(static_cast<std::int64_t>(v)); }
constexpr Time operator""_s(unsigned long long v) { return Time::s(static_cast<std::int64_t>(v)); }
}  // namespace literals

}  // namespace lvs
