#pragma once
// Imported configurations -> one ScenarioSpec. Services and VRRP come from the sources;
// everything they do not say (the network, the clients, the application) is inferred from
// the addresses or filled in from the named defaults below, and each such choice is listed
// in ImportResult::filled (the "# Filled in:" block of the generated YAML).
//
// Several keepalived.conf files are the directors of one cluster (a VRRP pair): the same
// virtual_server on each becomes one service `director: [lvs1, lvs2]`, and vrrp_instance
// blocks of the same name become one instance with a member per file.

#include <cstdint>
#include <string>
#include <vector>

#include "import/imported_config.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs::import {

/// Prefix length of an address whose source gives none (a VIP, a RIP).
inline constexpr int kDefaultPrefix = 24;
/// The clients' side of the router: an RFC 2544 benchmarking network.
inline constexpr Ipv4Prefix kClientNetwork{Ipv4Address(198, 18, 0, 1), 16};
/// Sessions per second of each service's client population (Poisson arrivals).
inline constexpr double kDefaultClientRate = 100;
/// Sources (consecutive addresses) per client population.
inline constexpr std::uint32_t kDefaultClientSources = 100;
/// Mean service time of the application on the real servers (exponential).
inline constexpr Time kDefaultServiceTime = Time::ms(5);

/// A table of one director without a name of its own: an ipvsadm-save or ldirectord.cf file.
struct ImportedTable {
  std::string director;  ///< the director's host name (--director, default "director")
  std::string file;
  std::vector<ImportedService> services;
};

struct ImportInput {
  std::vector<KeepalivedConfig> keepalived;  ///< one per director, in command-line order
  std::vector<ImportedTable> tables;
};

struct ImportResult {
  scenario::ScenarioSpec spec;
  std::vector<std::string> sources;  ///< the files read, as given
  std::vector<std::string> filled;   ///< what was inferred or filled in, one line each
};

/// The scenario the sources describe. Throws ImportError when there is neither a virtual
/// service nor a vrrp_instance to import.
ImportResult to_scenario(const ImportInput& input, Diagnostics& diagnostics);

/// The director a keepalived.conf stands for: its router_id, else the file's stem.
std::string director_name(const KeepalivedConfig& config);

}  // namespace lvs::import
