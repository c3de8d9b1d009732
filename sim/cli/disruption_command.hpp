#pragma once
// `lvslab disruption`: the fraction of flows the hashing schedulers (sh, dh, mh, and the
// non-kernel ring) send elsewhere when K of N servers fail or K are added, with and without
// the connection table, and each table's balance (docs/hash-disruption.md). With
// `--maglev-example`: the Maglev paper's Table 1 (NSDI 2016, §3.4).

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace lvs::cli {

struct DisruptionOptions {
  std::vector<std::string> schedulers{"sh", "dh", "mh", "ring"};  ///< in output order
  std::optional<std::int64_t> servers;     ///< N
  std::optional<std::int64_t> fail;        ///< K servers fail
  std::optional<std::int64_t> add;         ///< K servers are added
  std::vector<std::int64_t> failed;        ///< which fail, 1-based (default: drawn from the seed)
  std::string on_failure = "remove";       ///< remove (DELDEST) or inhibit (weight 0)
  bool fallback = false;                   ///< sh-fallback / mh-fallback (svc_f_sched1)
  std::optional<std::int64_t> table_size;  ///< mh's M
  std::int64_t vnodes = 160;               ///< ring: virtual nodes per server
  std::int64_t flows = 100000;             ///< F
  std::uint64_t seed = 1;                  ///< flows and the failed servers
  std::vector<std::int64_t> weights;       ///< per server, N (+ K with --add)
  std::optional<std::string> json;         ///< write the figures here too ('-': stdout only)
  bool maglev_example = false;             ///< print the paper's Table 1 instead
};

/// Prints the tables to `out`; throws std::invalid_argument naming the option on bad input.
void run_disruption(const DisruptionOptions& options, std::ostream& out);

}  // namespace lvs::cli
