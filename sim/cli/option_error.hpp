#pragma once
// The error a command gives for a bad command-line value: "--option: what was wrong", thrown
// as std::invalid_argument, which main() reports with exit status 2.

#include <stdexcept>
#include <string>

namespace lvs::cli {

inline std::invalid_argument option_error(const std::string& option, const std::string& what) {
  return std::invalid_argument(option + ": " + what);
}

}  // namespace lvs::cli
