#pragma once
// `lvslab compare SCENARIO --schedulers rr,wrr,...`: the scenario run with each scheduler,
// R replications each on common random numbers (or, with --independent, on streams of
// their own), J runs at once (run/compare.hpp); prints mean ± 95% CI per scheduler and the
// differences against the first.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace lvs::cli {

struct CompareCliOptions {
  std::string scenario;
  std::vector<std::string> overrides;   ///< --set KEY.PATH=VALUE
  std::vector<std::string> schedulers;  ///< --schedulers rr,wrr: registry names, the first is the baseline
  int replications = 5;                 ///< per scheduler, seeds seed .. seed + R - 1
  int jobs = 1;                         ///< runs at once, on threads
  std::optional<std::uint64_t> seed;    ///< the first replication's seed (default: the scenario's)
  bool independent = false;             ///< --independent: seeds of their own per scheduler, Welch intervals
  std::optional<std::string> until;     ///< a duration: "30s"
  std::optional<std::string> json;      ///< file, or "-" for stdout instead of the tables
  std::optional<std::string> csv;       ///< file, or "-" for stdout instead of the tables
};

/// Reads and checks the scenario as `run` does, runs the comparison and writes the tables
/// (and JSON, CSV); progress goes to stderr when it is a terminal. Returns the exit status;
/// throws std::invalid_argument for bad options (an unknown or repeated scheduler).
int run_compare(const CompareCliOptions& o, std::ostream& out, std::ostream& err);

}  // namespace lvs::cli
