#include "core/time.hpp"

#include <array>
#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

namespace lvs {

namespace {

struct Unit {
  std::string_view name;
  std::int64_t ns;
};

constexpr std::array<Unit, 7> kUnits{{{"ns", 1},
                                      {"us", 1'000},
                                      {"µs", 1'000},
                                      {"ms", 1'000'000},
                                      {"s", 1'000'000'000},
                                      {"min", 60'000'000'000},
                                      {"h", 3'600'000'000'000}}};

[[noreturn]] void bad_time(std::string_view text, std::string_view why) {
  throw std::invalid_argument("invalid duration '" + std::string(text) + "': " + std::string(why) +
                              " (expected a number and a unit: ns, us, ms, s, min, h; e.g. \"250us\", \"1.5s\")");
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
__extension__ using Wide = __int128;  // exact products of an 18-digit mantissa and a unit

// A decimal number read exactly: mantissa * 10^exponent, from "1.25", "2.5e-3", ".5", "1e3".
struct Decimal {
  std::int64_t mantissa = 0;  // at most 18 significant digits; later ones only move the exponent
  int exponent = 0;
  bool any_digit = false;
};

// Reads the number at the start of `text` into `d` and returns where it ends.
std::size_t read_decimal(std::string_view text, std::size_t i, Decimal& d) {
  int digits = 0;
  const auto take = [&](char c, bool fraction) {
    d.any_digit = true;
    if (digits == 18) {  // beyond 18 significant digits (1e-18 relative) nobody cares
      if (!fraction) ++d.exponent;
      return;
    }
    d.mantissa = d.mantissa * 10 + (c - '0');
    if (d.mantissa != 0) ++digits;
    if (fraction) --d.exponent;
  };
  for (; i < text.size() && is_digit(text[i]); ++i) take(text[i], false);
  if (i < text.size() && text[i] == '.')
    for (++i; i < text.size() && is_digit(text[i]); ++i) take(text[i], true);
  if (!d.any_digit || i >= text.size() || (text[i] != 'e' && text[i] != 'E')) return i;
  std::size_t j = i + 1;
  bool negative = false;
  if (j < text.size() && (text[j] == '-' || text[j] == '+')) negative = text[j++] == '-';
  if (j >= text.size() || !is_digit(text[j])) return i;  // not an exponent: left for the unit
  int e = 0;
  for (; j < text.size() && is_digit(text[j]); ++j) e = std::min(e * 10 + (text[j] - '0'), 1000);
  d.exponent += negative ? -e : e;
  return j;
}

// mantissa * 10^exponent * unit_ns rounded to the nearest nanosecond; nullopt beyond int64.
std::optional<std::int64_t> scaled(const Decimal& d, std::int64_t unit_ns) {
  Wide v = static_cast<Wide>(d.mantissa) * unit_ns;  // < 10^18 * 3.6e12: fits
  for (int e = d.exponent; e > 0 && v != 0; --e)
    if ((v *= 10) > kMax) return std::nullopt;
  if (d.exponent < 0) {
    if (d.exponent < -38) return 0;  // v < 10^31: rounds to 0
    Wide divisor = 1;
    for (int e = d.exponent; e < 0; ++e) divisor *= 10;
    v = (v + divisor / 2) / divisor;
  }
  if (v > kMax) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

}  // namespace

Time Time::from_seconds(double seconds) {
  const double ns = std::round(seconds * 1e9);
  if (!std::isfinite(ns) || std::fabs(ns) >= 9.2e18) throw std::out_of_range("time out of range");
  return Time(static_cast<std::int64_t>(ns));
}

Time parse_time(std::string_view text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  Decimal d;
  i = read_decimal(text, i, d);
  if (!d.any_digit) bad_time(text, "no number");
  std::string_view unit = text.substr(i);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  if (unit.empty()) {
    if (d.mantissa == 0) return Time::zero();
    bad_time(text, "missing unit");
  }
  for (const Unit& u : kUnits) {
    if (unit != u.name) continue;
    const std::optional<std::int64_t> ns = scaled(d, u.ns);
    if (!ns) bad_time(text, "out of range (at most about 292 years)");
    return Time::ns(negative ? -*ns : *ns);
  }
  bad_time(text, "unknown unit '" + std::string(unit) + "'");
}

std::string max_span_text() { return std::to_string(kMaxSpan / Time::s(3600)) + "h"; }

std::string to_string(Time t) {
  const std::int64_t ns = t.count();
  const std::int64_t mag = ns < 0 ? -ns : ns;
  const Unit* best = &kUnits[0];
  for (const Unit& u : kUnits) {
    if (u.name == "µs" || u.name == "min" || u.name == "h") continue;
    if (mag >= u.ns) best = &u;
  }
  const std::int64_t whole = ns / best->ns;
  std::int64_t rest = (mag % best->ns);
  std::string out;
  if (ns < 0 && whole == 0) out.push_back('-');
  out += std::to_string(whole);
  if (rest != 0) {
    // Up to 3 decimals, trailing zeros trimmed, rounded down.
    const std::int64_t milli = rest * 1000 / best->ns;
    if (milli != 0) {
      std::string digits = std::to_string(milli + 1000).substr(1);
      while (!digits.empty() && digits.back() == '0') digits.pop_back();
      out += "." + digits;
    }
  }
  return out + std::string(best->name);
}

}  // namespace lvs
