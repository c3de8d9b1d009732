#include "run/table_output.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace lvs::run {

std::string fixed_or_na(double v, int digits, bool sign) {
  if (!std::isfinite(v)) return "n/a";
  std::ostringstream os;
  if (sign) os << std::showpos;
  os << std::fixed << std::setprecision(digits) << v;
  std::string text = os.str();
  if (text.find_first_of("123456789") == std::string::npos && (text[0] == '-' || text[0] == '+')) text.erase(0, 1);
  return text;
}

void print_table(std::ostream& os, const TextTable& t) {
  const auto width = [](const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // UTF-8 code points
    return n;
  };
  std::vector<std::size_t> widths;
  for (const auto& row : t)
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], width(row[i]));
    }
  for (const auto& row : t) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - width(row[i]) + 2, ' ');
    }
    os << line << '\n';
  }
}

nlohmann::ordered_json interval_json(const ConfidenceInterval& ci) {
  return {{"mean", ci.mean}, {"half_width", ci.half_width}, {"lower", ci.lower()}, {"upper", ci.upper()}, {"n", ci.n}};
}

std::string csv_number(double v) {
  if (!std::isfinite(v)) return "";
  std::ostringstream os;
  os << std::setprecision(10) << v;
  return os.str();
}

std::string warmup_text(double warmup_s) {
  if (std::isnan(warmup_s)) return "warm-up chosen per run by MSER-5";
  return "warm-up " + fixed_or_na(warmup_s, 3) + " s";
}

}  // namespace lvs::run
