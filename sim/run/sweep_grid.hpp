#pragma once
// The grid of a sweep: each --param names a scenario key (a --set path) and its values,
// given as FROM:TO:STEP or as a comma list; several --param make the Cartesian product,
// the first varying slowest. A point of the grid is a list of --set assignments.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lvs::run {

/// The most points a sweep grid may have.
inline constexpr std::size_t kMaxSweepPoints = 100'000;

/// One --param: a key path and the values it takes, as the text --set gets.
struct SweepParam {
  std::string key;                  ///< "workload.clients[0].arrivals.rate"
  std::vector<std::string> values;  ///< "1000", "2000", ... (a range's values carry its unit)
  bool range = false;               ///< given as FROM:TO:STEP (ordered, evenly spaced)
};

/// Parses "KEY.PATH=FROM:TO:STEP" or "KEY.PATH=v1,v2,...". A range's three numbers may carry
/// one unit, the same on each ("10ms:50ms:10ms"); values are FROM + i STEP up to TO
/// inclusive, printed with as many decimals as the most precise of the three. Throws
/// std::invalid_argument ("--param KEY: ...") for no '=', an empty key or value, a STEP of
/// zero or of the wrong sign, mixed units, or more than kMaxSweepPoints values.
SweepParam parse_sweep_param(std::string_view text);

/// The number of points of the grid of `params` (1 with none). Throws std::invalid_argument
/// when it exceeds kMaxSweepPoints.
std::size_t grid_points(const std::vector<SweepParam>& params);

/// Point `index` of the grid: one value per param, the first param varying slowest.
std::vector<std::string> point_values(const std::vector<SweepParam>& params, std::size_t index);

/// The --set assignments of point `index`: "KEY=VALUE" per param.
std::vector<std::string> point_assignments(const std::vector<SweepParam>& params, std::size_t index);

/// How messages name point `index`: "point 3 (workload.clients[0].arrivals.rate=4000)".
std::string point_name(const std::vector<SweepParam>& params, std::size_t index);

}  // namespace lvs::run
