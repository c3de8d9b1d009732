#pragma once
// Numbers as the printed results write them.

#include <iomanip>
#include <sstream>
#include <string>

namespace lvs::run {

/// `v` with `digits` digits after the point: fixed(12.3456, 1) == "12.3".
inline std::string fixed(double v, int digits) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(digits) << v;
  return os.str();
}

/// Bytes in decimal megabytes, two decimals: "12.35".
inline std::string megabytes(std::uint64_t bytes) { return fixed(static_cast<double>(bytes) / 1e6, 2); }

}  // namespace lvs::run
