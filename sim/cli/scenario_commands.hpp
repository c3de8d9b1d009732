#pragma once
// `lvslab validate SCENARIO` and `lvslab run SCENARIO`: read a scenario (with --set
// overrides), check it, and run it.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace lvs::scenario {
struct ScenarioSpec;
}  // namespace lvs::scenario

namespace lvs::cli {

struct ValidateOptions {
  std::string scenario;
  std::vector<std::string> overrides;  ///< --set KEY.PATH=VALUE
};

struct RunOptions {
  std::string scenario;
  std::vector<std::string> overrides;
  std::optional<std::uint64_t> seed;
  std::optional<std::string> until;    ///< a duration: "30s"
  std::optional<std::string> json;     ///< file, or "-" for stdout instead of the summary
  std::optional<std::string> csv;      ///< directory
  std::optional<std::string> pcap;     ///< pcap file of the frames at the directors and real servers
  bool pcap_both_ends = false;         ///< --pcap-both-ends: each frame as sent and as received
  std::vector<std::string> ipvsadm;    ///< --ipvsadm ARGS: ipvsadm views printed after the summary
  std::vector<std::string> at;         ///< --at TIME: when the views are taken (default: the end)
  std::optional<std::string> director; ///< --director NAME: whose table (default: the first director)
  int replications = 1;                ///< --replications N: availability over N seeds
};

/// Exit status for bad input (a scenario, an option).
inline constexpr int kExitBadInput = 2;
/// Prints validate()'s findings on `spec` to `err`; true if one of them is an error.
bool report_findings(const scenario::ScenarioSpec& spec, std::ostream& err);
/// --until's duration ("30s"), nullopt when not given. Throws std::invalid_argument
/// ("--until: ...") for a malformed duration or one that is not > 0.
std::optional<Time> parse_until(const std::optional<std::string>& until);

/// Prints the findings; returns 0 when there is no error (warnings allowed), 2 otherwise.
/// Throws ScenarioError for a file that cannot be read.
int run_validate(const ValidateOptions& o, std::ostream& out, std::ostream& err);
/// Runs the scenario and writes the summary / JSON / CSV; returns the exit status.
int run_run(const RunOptions& o, std::ostream& out, std::ostream& err);

}  // namespace lvs::cli
