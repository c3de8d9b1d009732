#pragma once
// What the statistics share: NaN for "no value", the machine epsilon, and a double written
// in its shortest decimal form (std::to_chars without a precision: the fewest digits that
// read back as the same double), for error messages that quote a value exactly.

#include <charconv>
#include <limits>
#include <string>

namespace lvs {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr double kEpsilon = std::numeric_limits<double>::epsilon();

inline std::string shortest_decimal(double v) {
  char buf[32];
  const auto result = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, result.ptr);
}

}  // namespace lvs
