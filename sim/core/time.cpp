#include "core/time.hpp"

#include <array>
#include <cmath>
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

// Adds digit d to value*10 with an overflow check.
bool push_digit(std::int64_t& value, int d) {
  if (value > (kMax - d) / 10) return false;
  value = value * 10 + d;
  return true;
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
  std::int64_t whole = 0;
  std::int64_t frac = 0;  // fraction digits as an integer
  std::int64_t frac_scale = 1;
  bool any_digit = false;
  for (; i < text.size() && is_digit(text[i]); ++i, any_digit = true)
    if (!push_digit(whole, text[i] - '0')) bad_time(text, "number too large");
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && is_digit(text[i]); ++i, any_digit = true) {
      if (frac_scale >= 1'000'000'000'000'000) continue;  // beyond 1e-18 nobody cares
      push_digit(frac, text[i] - '0');
      frac_scale *= 10;
    }
  }
  if (!any_digit) bad_time(text, "no number");
  std::string_view unit = text.substr(i);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  if (unit.empty()) {
    if (whole == 0 && frac == 0) return Time::zero();
    bad_time(text, "missing unit");
  }
  for (const Unit& u : kUnits) {
    if (unit != u.name) continue;
    if (whole > kMax / u.ns) bad_time(text, "out of range (at most about 292 years)");
    std::int64_t ns = whole * u.ns;
    // frac/frac_scale of a unit, exact when the unit is a multiple of frac_scale; rounded to nearest otherwise.
    const long double part = static_cast<long double>(frac) * u.ns / frac_scale;
    ns += static_cast<std::int64_t>(std::llround(part));
    return Time::ns(negative ? -ns : ns);
  }
  bad_time(text, "unknown unit '" + std::string(unit) + "'");
}

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
