#include "run/sweep_grid.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <optional>
#include <stdexcept>

#include "scenario/units.hpp"

namespace lvs::run {

namespace {

// A range bound as written: a decimal number and the unit after it ("10ms": 10, "ms").
struct Quantity {
  double value = 0;
  std::string unit;
  int decimals = 0;  // digits after the decimal point as written
};

std::string trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

std::invalid_argument param_error(const std::string& key, const std::string& message) {
  return std::invalid_argument("--param " + key + ": " + message);
}

std::optional<Quantity> quantity(std::string_view text) {
  std::size_t end = 0;
  while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '.' ||
                               (end == 0 && (text[end] == '-' || text[end] == '+'))))
    ++end;
  const std::optional<double> v = scenario::parse_number(text.substr(0, end));
  if (!v || !std::isfinite(*v)) return std::nullopt;
  Quantity q{*v, std::string(text.substr(end)), 0};
  const std::size_t point = text.substr(0, end).find('.');
  if (point != std::string_view::npos) q.decimals = static_cast<int>(end - point - 1);
  return q;
}

std::string number_text(double v, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
  std::string text = buffer;
  if (text[0] == '-' && text.find_first_of("123456789") == std::string::npos) text.erase(0, 1);  // never "-0"
  return text;
}

// FROM:TO:STEP, each a number with the same unit.
std::vector<std::string> range_values(const std::string& key, const std::string& text) {
  const std::size_t a = text.find(':'), b = text.find(':', a + 1);
  const std::string parts[3] = {trimmed(text.substr(0, a)), trimmed(text.substr(a + 1, b - a - 1)),
                                trimmed(text.substr(b + 1))};
  Quantity q[3];
  for (int i = 0; i < 3; ++i) {
    const std::optional<Quantity> parsed = quantity(parts[i]);
    if (!parsed) throw param_error(key, "expected FROM:TO:STEP of numbers (with one unit), got '" + text + "'");
    q[i] = *parsed;
  }
  if (q[1].unit != q[0].unit || q[2].unit != q[0].unit)
    throw param_error(key, "FROM, TO and STEP must have the same unit, got '" + text + "'");
  const double span = q[1].value - q[0].value;
  if (q[2].value == 0) throw param_error(key, "STEP must not be 0");
  if (span != 0 && (span > 0) != (q[2].value > 0))
    throw param_error(key, "STEP " + parts[2] + " goes away from TO " + parts[1] + " (wrong sign)");
  const double steps = std::floor(span / q[2].value + 1e-9);
  if (steps + 1 > static_cast<double>(kMaxSweepPoints))
    throw param_error(key, "more than " + std::to_string(kMaxSweepPoints) + " values");
  const int decimals = std::max({q[0].decimals, q[1].decimals, q[2].decimals});
  std::vector<std::string> values;
  for (long i = 0; i <= static_cast<long>(steps); ++i)
    values.push_back(number_text(q[0].value + static_cast<double>(i) * q[2].value, decimals) + q[0].unit);
  return values;
}

std::vector<std::string> list_values(const std::string& key, const std::string& text) {
  std::vector<std::string> values;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = text.find(',', start);
    values.push_back(trimmed(std::string_view(text).substr(start, comma - start)));
    if (values.back().empty()) throw param_error(key, "an empty value in '" + text + "'");
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (values.size() > kMaxSweepPoints) throw param_error(key, "more than " + std::to_string(kMaxSweepPoints) + " values");
  return values;
}

}  // namespace

SweepParam parse_sweep_param(std::string_view text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string_view::npos)
    throw std::invalid_argument("--param " + std::string(text) + ": expected KEY.PATH=FROM:TO:STEP or KEY.PATH=v1,v2,...");
  SweepParam p{trimmed(text.substr(0, eq)), {}, false};
  const std::string value = trimmed(text.substr(eq + 1));
  if (p.key.empty()) throw std::invalid_argument("--param " + std::string(text) + ": no key before '='");
  if (value.empty()) throw param_error(p.key, "no values after '='");
  const std::size_t colons = static_cast<std::size_t>(std::count(value.begin(), value.end(), ':'));
  p.range = colons == 2 && value.find(',') == std::string::npos;
  if (colons != 0 && !p.range) throw param_error(p.key, "expected FROM:TO:STEP or v1,v2,..., got '" + value + "'");
  p.values = p.range ? range_values(p.key, value) : list_values(p.key, value);
  return p;
}

std::size_t grid_points(const std::vector<SweepParam>& params) {
  std::size_t n = 1;
  for (const SweepParam& p : params) {
    n *= p.values.size();
    if (n > kMaxSweepPoints)
      throw std::invalid_argument("--param: the grid has more than " + std::to_string(kMaxSweepPoints) + " points");
  }
  return n;
}

std::vector<std::string> point_values(const std::vector<SweepParam>& params, std::size_t index) {
  std::vector<std::string> values(params.size());
  for (std::size_t i = params.size(); i-- > 0;) {
    values[i] = params[i].values[index % params[i].values.size()];
    index /= params[i].values.size();
  }
  return values;
}

std::vector<std::string> point_assignments(const std::vector<SweepParam>& params, std::size_t index) {
  std::vector<std::string> out = point_values(params, index);
  for (std::size_t i = 0; i < params.size(); ++i) out[i] = params[i].key + "=" + out[i];
  return out;
}

std::string point_name(const std::vector<SweepParam>& params, std::size_t index) {
  std::string text = "point " + std::to_string(index + 1) + " (";
  const std::vector<std::string> set = point_assignments(params, index);
  for (std::size_t i = 0; i < set.size(); ++i) text += (i ? ", " : "") + set[i];
  return text + ")";
}

}  // namespace lvs::run
