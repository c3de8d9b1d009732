#pragma once
// `lvslab trace SCENARIO`: the hop-by-hop walk of one request and its reply (run/trace.hpp),
// or with --modes the same request in several forwarding modes and a comparison.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace lvs::cli {

struct TraceOptions {
  std::string scenario;
  std::vector<std::string> overrides;  ///< --set KEY.PATH=VALUE
  std::uint64_t request = 1;           ///< the N-th session of the client population
  std::string client;                  ///< the population's name; "" = the first
  std::optional<std::string> modes;    ///< "nat,dr,tun,fullnat"
  std::optional<std::string> json;     ///< file, or "-" for stdout instead of the text
  std::optional<std::string> pcap;     ///< also capture the request's frames to this file
  bool pcap_all = false;               ///< --pcap-all: every frame at the capture points instead
};

/// Prints the walk (colour only on a terminal without NO_COLOR); returns the exit status.
/// Throws std::invalid_argument for a bad --client, --request or --modes.
int run_trace(const TraceOptions& o, std::ostream& out, std::ostream& err);

}  // namespace lvs::cli
