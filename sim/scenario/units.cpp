#include "scenario/units.hpp"

#include <array>
#include <charconv>
#include <climits>
#include <cmath>
#include <numeric>
#include <span>
#include <stdexcept>
#include <type_traits>

namespace lvs::scenario {

namespace {

struct Unit {
  std::string_view name;
  std::uint64_t factor;  // base units (bit/s or bytes) per unit
};

constexpr std::array<Unit, 6> kRateUnits{{{"bps", 1},
                                          {"Kbps", 1'000},
                                          {"kbps", 1'000},
                                          {"Mbps", 1'000'000},
                                          {"Gbps", 1'000'000'000},
                                          {"Tbps", 1'000'000'000'000}}};

constexpr std::array<Unit, 6> kDecimalSizeUnits{
    {{"B", 1}, {"KB", 1'000}, {"kB", 1'000}, {"MB", 1'000'000}, {"GB", 1'000'000'000}, {"TB", 1'000'000'000'000}}};

constexpr std::array<Unit, 4> kBinarySizeUnits{
    {{"KiB", 1ULL << 10}, {"MiB", 1ULL << 20}, {"GiB", 1ULL << 30}, {"TiB", 1ULL << 40}}};

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

enum class QuantityError { kNone, kSyntax, kFraction, kRange };

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view take_digits(std::string_view& rest) {
  std::size_t n = 0;
  while (n < rest.size() && is_digit(rest[n])) ++n;
  const std::string_view digits = rest.substr(0, n);
  rest.remove_prefix(n);
  return digits;
}

const Unit* find_unit(std::string_view name, std::span<const Unit> units) {
  for (const Unit& u : units)
    if (u.name == name) return &u;
  return nullptr;
}

// frac_digits (no trailing zeros) of one unit, as a whole count of base units; false if not whole.
bool fraction_in_base_units(std::string_view frac_digits, std::uint64_t factor, std::uint64_t& out) {
  out = 0;
  if (frac_digits.empty()) return true;
  if (frac_digits.size() > 19) return false;  // 10^19 is the largest power of ten in 64 bits
  std::uint64_t numerator = 0;
  std::from_chars(frac_digits.data(), frac_digits.data() + frac_digits.size(), numerator);
  std::uint64_t denominator = 1;
  for (std::size_t i = 0; i < frac_digits.size(); ++i) denominator *= 10;
  // numerator/denominator * factor is whole iff (denominator / gcd) divides numerator.
  const std::uint64_t g = std::gcd(factor, denominator);
  if (numerator % (denominator / g) != 0) return false;
  out = numerator / (denominator / g) * (factor / g);  // < factor: cannot overflow
  return true;
}

// Reads "<digits>[.<digits>][spaces]<unit>" (or a bare zero) as a whole count of base units.
QuantityError parse_quantity(std::string_view text, std::span<const Unit> units, std::uint64_t& out) {
  std::string_view rest = text;
  const std::string_view whole_digits = take_digits(rest);
  std::string_view frac_digits;
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    frac_digits = take_digits(rest);
  }
  if (whole_digits.empty() && frac_digits.empty()) return QuantityError::kSyntax;
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  while (!frac_digits.empty() && frac_digits.back() == '0') frac_digits.remove_suffix(1);
  const bool zero = whole_digits.find_first_not_of('0') == std::string_view::npos && frac_digits.empty();
  if (rest.empty() && zero) {
    out = 0;
    return QuantityError::kNone;
  }
  const Unit* unit = find_unit(rest, units);
  if (unit == nullptr) return QuantityError::kSyntax;
  std::uint64_t whole = 0;
  if (!whole_digits.empty() &&
      std::from_chars(whole_digits.data(), whole_digits.data() + whole_digits.size(), whole).ec != std::errc())
    return QuantityError::kRange;
  std::uint64_t part = 0;
  if (!fraction_in_base_units(frac_digits, unit->factor, part)) return QuantityError::kFraction;
  if (whole > (kMax - part) / unit->factor) return QuantityError::kRange;
  out = whole * unit->factor + part;
  return QuantityError::kNone;
}

// `value` in `unit`, exactly: the fraction of a power of ten or of two always ends.
std::string format_exact(std::uint64_t value, const Unit& unit) {
  std::string out = std::to_string(value / unit.factor);
  std::uint64_t rest = value % unit.factor;
  if (rest != 0) out.push_back('.');
  while (rest != 0) {  // long division; rest < 2^40, so rest * 10 fits
    rest *= 10;
    out.push_back(static_cast<char>('0' + rest / unit.factor));
    rest %= unit.factor;
  }
  return out + std::string(unit.name);
}

// The largest unit of `units` not above `value` (the first unit if none), skipping aliases like "kB".
const Unit& largest_unit(std::uint64_t value, std::span<const Unit> units) {
  const Unit* best = &units.front();
  for (const Unit& u : units)
    if (u.factor <= value && u.factor > best->factor) best = &u;
  return *best;
}

[[noreturn]] void bad_quantity(std::string_view what, std::string_view text, QuantityError error,
                               std::string_view expected, std::string_view base) {
  std::string message = "invalid " + std::string(what) + " '" + std::string(text) + "': ";
  switch (error) {
    case QuantityError::kFraction:
      message += "not a whole number of " + std::string(base);
      break;
    case QuantityError::kRange:
      message += "too large (at most 2^64 - 1 " + std::string(base) + ")";
      break;
    default:
      message += expected;
  }
  throw std::invalid_argument(message);
}

}  // namespace

std::string DataRate::str() const { return format_exact(bps_, largest_unit(bps_, kRateUnits)); }

std::string ByteSize::str() const {
  const std::string decimal = format_exact(n_, largest_unit(n_, kDecimalSizeUnits));
  if (n_ < kBinarySizeUnits.front().factor) return decimal;
  const std::string binary = format_exact(n_, largest_unit(n_, kBinarySizeUnits));
  return binary.size() < decimal.size() ? binary : decimal;
}

DataRate parse_data_rate(std::string_view text) {
  std::uint64_t bps = 0;
  const QuantityError error = parse_quantity(text, kRateUnits, bps);
  if (error != QuantityError::kNone)
    bad_quantity("data rate", text, error, "expected a number and a unit: bps, Kbps, Mbps, Gbps, Tbps (e.g. \"1Gbps\")",
                 "bits per second");
  return DataRate::bps(bps);
}

ByteSize parse_byte_size(std::string_view text) {
  std::uint64_t bytes = 0;
  QuantityError error = parse_quantity(text, kDecimalSizeUnits, bytes);
  if (error == QuantityError::kSyntax) error = parse_quantity(text, kBinarySizeUnits, bytes);
  if (error != QuantityError::kNone)
    bad_quantity("byte size", text, error,
                 "expected a number and a unit: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB (e.g. \"64KiB\", \"1.5MB\")",
                 "bytes");
  return ByteSize::bytes(bytes);
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  if (text.size() >= 2 && text.front() == '+' && is_digit(text[1])) text.remove_prefix(1);
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> parse_number(std::string_view text) {
  if (text.size() >= 2 && text.front() == '+' && text[1] != '-') text.remove_prefix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::optional<bool> parse_bool(std::string_view text) {
  if (text == "true") return true;
  if (text == "false") return false;
  return std::nullopt;
}

// --- reading scalar text as a typed value ---

namespace {

bool is_integer_syntax(std::string_view text) {
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

std::string show(std::int64_t v) { return std::to_string(v); }
std::string show(int v) { return std::to_string(v); }
std::string show(Time v) { return to_string(v); }
std::string show(DataRate v) { return v.str(); }
std::string show(ByteSize v) { return v.str(); }
std::string show(double v) {
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
  return std::string(buffer, end);
}

template <class T>
std::string bounds(const Range<T>& r) {
  if (r.min && r.max) return " in " + show(*r.min) + ".." + show(*r.max);
  if (r.min) return " >= " + show(*r.min);
  if (r.max) return " <= " + show(*r.max);
  return "";
}

// Per type: what it is called, an example, and how its text is read. parse() returns nullopt
// for text that is not a T; `why` is then the message to report, or empty for the standard one.
template <class T>
struct Traits;

template <>
struct Traits<bool> {
  static constexpr std::string_view noun = "true or false", example = "";
  static std::optional<bool> parse(std::string_view text, std::string&) { return parse_bool(text); }
};

template <>
struct Traits<std::int64_t> {
  static constexpr std::string_view noun = "an integer", example = "42";
  static std::optional<std::int64_t> parse(std::string_view text, std::string& why) {
    const auto v = parse_integer(text);
    if (!v && is_integer_syntax(text))
      why = "expected an integer" + bounds(Range{INT64_MIN, INT64_MAX}) + ", got " + quoted(text);
    return v;
  }
};

template <>
struct Traits<int> {
  static constexpr std::string_view noun = "an integer", example = "42";
  static std::optional<int> parse(std::string_view text, std::string& why) {
    const auto v = parse_integer(text);
    if (v && *v >= INT_MIN && *v <= INT_MAX) return static_cast<int>(*v);
    if (v || is_integer_syntax(text))
      why = "expected an integer" + bounds(Range{INT_MIN, INT_MAX}) + ", got " + quoted(text);
    return std::nullopt;
  }
};

template <>
struct Traits<double> {
  static constexpr std::string_view noun = "a number", example = "0.5";
  static std::optional<double> parse(std::string_view text, std::string&) { return parse_number(text); }
};

template <>
struct Traits<std::string> {
  static constexpr std::string_view noun = "a string", example = "";
  static std::optional<std::string> parse(std::string_view text, std::string&) { return std::string(text); }
};

// Time, DataRate, ByteSize: their parsers throw with a message that already says what was expected.
template <class T, T (*Parse)(std::string_view)>
std::optional<T> parse_with_message(std::string_view text, std::string& why) {
  try {
    return Parse(text);
  } catch (const std::invalid_argument& e) {
    why = e.what();
    return std::nullopt;
  }
}

template <>
struct Traits<Time> {
  static constexpr std::string_view noun = "a duration", example = "\"250us\"";
  static constexpr auto parse = parse_with_message<Time, &parse_time>;
};

template <>
struct Traits<DataRate> {
  static constexpr std::string_view noun = "a data rate", example = "\"1Gbps\"";
  static constexpr auto parse = parse_with_message<DataRate, &parse_data_rate>;
};

template <>
struct Traits<ByteSize> {
  static constexpr std::string_view noun = "a byte size", example = "\"64KiB\"";
  static constexpr auto parse = parse_with_message<ByteSize, &parse_byte_size>;
};

// Addresses: their parse() returns nullopt.
template <class T>
std::optional<T> parse_address(std::string_view text, std::string&) {
  return T::parse(text);
}

template <>
struct Traits<Ipv4Address> {
  static constexpr std::string_view noun = "an IPv4 address", example = "192.168.10.100";
  static constexpr auto parse = parse_address<Ipv4Address>;
};

template <>
struct Traits<Ipv4Prefix> {
  static constexpr std::string_view noun = "an IPv4 prefix", example = "192.168.10.0/24";
  static constexpr auto parse = parse_address<Ipv4Prefix>;
};

template <>
struct Traits<MacAddress> {
  static constexpr std::string_view noun = "a MAC address", example = "02:00:00:00:00:01";
  static constexpr auto parse = parse_address<MacAddress>;
};

// Durations beyond kMaxSpan either way would overflow the clock once added to it.
void check_span(Time t, std::string_view text) {
  if (t > kMaxSpan || t < -kMaxSpan)
    throw std::invalid_argument("expected a duration of at most " + max_span_text() + " (365 days), got " +
                                quoted(text));
}

template <class T>
constexpr bool kNumeric = std::is_arithmetic_v<T>;  // a range replaces the message for these

}  // namespace

std::string quoted(std::string_view text) {
  std::string out = "'";
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == 57 && text.size() > 60) return out + "...'";
    if (text[i] == '\n')
      out += "\\n";
    else
      out.push_back(text[i]);
  }
  return out + "'";
}

template <ScalarValue T>
std::string describe_expected() {
  std::string out(Traits<T>::noun);
  if (!Traits<T>::example.empty()) out += " (e.g. " + std::string(Traits<T>::example) + ")";
  return out;
}

template <OrderedValue T>
std::string describe_expected(const Range<T>& range) {
  return std::string(Traits<T>::noun) + bounds(range);
}

template <ScalarValue T>
T read_scalar(std::string_view text) {
  std::string why;
  const std::optional<T> value = Traits<T>::parse(text, why);
  if (!value)
    throw std::invalid_argument(why.empty() ? "expected " + describe_expected<T>() + ", got " + quoted(text) : why);
  if constexpr (std::same_as<T, Time>) {
    if (*value < Time::zero())
      throw std::invalid_argument("expected a duration >= 0 (e.g. \"250us\"), got " + quoted(text));
    check_span(*value, text);
  }
  return *value;
}

template <OrderedValue T>
T read_scalar(std::string_view text, const Range<T>& range) {
  std::string why;
  const std::optional<T> value = Traits<T>::parse(text, why);
  const bool inside = value && (!range.min || *value >= *range.min) && (!range.max || *value <= *range.max);
  if constexpr (std::same_as<T, Time>) {
    if (value) check_span(*value, text);
  }
  if (inside) return *value;
  if (value || kNumeric<T> || why.empty())
    throw std::invalid_argument("expected " + describe_expected(range) + ", got " + quoted(text));
  throw std::invalid_argument(why);
}

#define LVS_SCALAR(T)                          \
  template T read_scalar<T>(std::string_view); \
  template std::string describe_expected<T>();
#define LVS_ORDERED(T)                                          \
  template T read_scalar<T>(std::string_view, const Range<T>&); \
  template std::string describe_expected<T>(const Range<T>&);
LVS_SCALAR(bool)
LVS_SCALAR(std::int64_t)
LVS_SCALAR(int)
LVS_SCALAR(double)
LVS_SCALAR(std::string)
LVS_SCALAR(Time)
LVS_SCALAR(DataRate)
LVS_SCALAR(ByteSize)
LVS_SCALAR(Ipv4Address)
LVS_SCALAR(Ipv4Prefix)
LVS_SCALAR(MacAddress)
LVS_ORDERED(std::int64_t)
LVS_ORDERED(int)
LVS_ORDERED(double)
LVS_ORDERED(Time)
LVS_ORDERED(DataRate)
LVS_ORDERED(ByteSize)
#undef LVS_SCALAR
#undef LVS_ORDERED

}  // namespace lvs::scenario
