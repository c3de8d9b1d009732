#pragma once
// `lvslab sweep SCENARIO --param KEY=FROM:TO:STEP|v1,v2,... [--param ...]`: the scenario at
// every point of the grid, R replications per point on common random numbers, J runs at once
// (run/sweep.hpp); with --slo and --find, the best value of one param meeting the SLO, by
// bisection (run/slo_search.hpp). Under mpirun or srun the ranks share the runs
// (cli/mpi_runner.hpp) and rank 0 alone writes the output.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace lvs::cli {

struct SweepCliOptions {
  std::string scenario;
  std::vector<std::string> overrides;   ///< --set KEY.PATH=VALUE, before every point's values
  std::vector<std::string> params;      ///< --param KEY.PATH=FROM:TO:STEP or KEY.PATH=v1,v2,...
  int replications = 5;                 ///< per point (per round of a probe), seeds seed .. seed + R - 1
  int jobs = 1;                         ///< runs at once, on threads (per MPI rank)
  std::optional<std::uint64_t> seed;    ///< the first replication's seed (default: the scenario's)
  std::optional<std::string> until;     ///< a duration: "30s"
  std::optional<std::string> json;      ///< file, or "-" for stdout instead of the table
  std::optional<std::string> csv;       ///< file, or "-" for stdout instead of the table
  std::optional<std::string> slo;       ///< "p99<200ms": with --find
  std::optional<std::string> find;      ///< "max:KEY" or "min:KEY": with --slo
  std::optional<int> max_replications;  ///< a probe's cap (default 5R)
};

/// Checks the options and every point's scenario before any run, runs the sweep or the SLO
/// search and writes the table / probes (and JSON, CSV); progress goes to stderr when it is
/// a terminal. Returns the exit status (130 after SIGINT); throws std::invalid_argument for
/// bad options or a bad point (exit 2).
int run_sweep_command(const SweepCliOptions& o, std::ostream& out, std::ostream& err);

}  // namespace lvs::cli
