#pragma once
// `lvslab schedule SCHED --weights W,...`: probe one scheduler on a service whose
// destinations are given in the kernel's list order, and print its picks, one per line
// (the 0-based list index, or `none` where the kernel would return no destination).

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace lvs::cli {

struct ScheduleOptions {
  std::string scheduler;
  std::vector<std::int64_t> weights;       ///< one per destination, in list order
  std::vector<std::int64_t> active;        ///< activeconns (default 0)
  std::vector<std::int64_t> inactive;      ///< inactconns (default 0)
  std::vector<std::int64_t> overloaded;    ///< IP_VS_DEST_F_OVERLOAD, 0 or 1 (default 0)
  std::vector<std::int64_t> last_weights;  ///< last non-zero weight (default: the weight)
  std::vector<std::string> dests;          ///< IP:PORT per destination (default 10.1.0.N:80)
  std::vector<std::string> addrs;          ///< one pick per flow address (IPv4 or IPv6)
  std::vector<std::int64_t> ports;         ///< the flows' source ports, one per address
  std::vector<std::string> flags;          ///< sh-fallback, sh-port, mh-fallback, mh-port
  std::int64_t picks = 1;                  ///< consecutive picks without --addrs
  std::uint64_t seed = 1;                  ///< the scheduler's random stream
};

/// Prints one line per pick to `out`. Throws std::invalid_argument naming the option for
/// bad input (lengths that disagree with --weights, values out of range, bad addresses).
void run_schedule(const ScheduleOptions& o, std::ostream& out);

}  // namespace lvs::cli
