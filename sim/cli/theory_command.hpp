#pragma once
// `lvslab theory`: the M/M/c model of a cluster (Erlang C) from flags, for a first sizing;
// or `lvslab theory SCENARIO`: the models that apply to a scenario's services, derived from
// the scenario itself (run/scenario_theory.hpp).

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace lvs::cli {

struct TheoryOptions {
  std::optional<std::string> scenario;  ///< a scenario file: derive everything from it
  std::vector<std::string> overrides;  ///< --set KEY.PATH=VALUE, with a scenario
  double rate = 0;                     ///< arrivals per second (0: not given)
  std::string service_time;            ///< mean service time, e.g. "10ms"
  /// c; without it, with `slo`: the fewest servers meeting it; with neither: 1
  std::optional<int> servers;
  std::optional<std::string> slo;      ///< response-time target, e.g. "200ms"
  double quantile = 0.99;              ///< the SLO's quantile
  std::optional<int> choices;          ///< d of the supermarket model to print too
  std::optional<std::string> json;     ///< write the figures here too
};

/// Prints the model's figures to `out` (a scenario's findings to `err`); returns the exit
/// status; throws std::invalid_argument on bad options.
int run_theory(const TheoryOptions& options, std::ostream& out, std::ostream& err);

}  // namespace lvs::cli
