#pragma once
// `lvslab theory`: the M/M/c model of a cluster (Erlang C), for a first sizing and for
// checking simulation results against.

#include <iosfwd>
#include <optional>
#include <string>

namespace lvs::cli {

struct TheoryOptions {
  double rate = 0;                     ///< arrivals per second
  std::string service_time;            ///< mean service time, e.g. "10ms"
  /// c; without it, with `slo`: the fewest servers meeting it; with neither: 1
  std::optional<int> servers;
  std::optional<std::string> slo;      ///< response-time target, e.g. "200ms"
  double quantile = 0.99;              ///< the SLO's quantile
  std::optional<int> choices;          ///< d of the supermarket model to print too
  std::optional<std::string> json;     ///< write the figures here too
};

/// Prints the model's figures to `out`; throws std::invalid_argument on bad options.
int run_theory(const TheoryOptions& options, std::ostream& out);

}  // namespace lvs::cli
