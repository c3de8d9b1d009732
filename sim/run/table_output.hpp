#pragma once
// The pieces `compare` and `sweep` format their results with: aligned text tables, numbers
// that are never "-0.000", intervals as JSON objects, CSV fields.

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "metrics/confidence.hpp"

namespace lvs::run {

/// Rows of cells.
using TextTable = std::vector<std::vector<std::string>>;

/// `v` with `digits` decimals ("+" before a positive value if `sign`); "n/a" when not
/// finite; a value that rounds to zero is printed unsigned ("0.000").
std::string fixed_or_na(double v, int digits, bool sign = false);
/// Columns left-aligned to their widest cell (counting "±" as one character), two spaces apart.
void print_table(std::ostream& os, const TextTable& t);
/// {"mean", "half_width", "lower", "upper", "n"}; NaN is written as null.
nlohmann::ordered_json interval_json(const ConfidenceInterval& ci);
/// A CSV field: 10 significant digits, empty for NaN (pandas reads it as NaN).
std::string csv_number(double v);
/// "warm-up 1.000 s", or for NaN (`warmup: auto`) "warm-up chosen per run by MSER-5".
std::string warmup_text(double warmup_s);

}  // namespace lvs::run
