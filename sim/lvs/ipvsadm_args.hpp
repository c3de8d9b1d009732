#pragma once
// The ipvsadm command lines lvslab answers (`lvslab run --ipvsadm "ARGS"`): the listing
// (-L/-l) and save (-S) commands with -n, checked as ipvsadm 1.26 checks them
// (ipvsadm.c: parse_options, generic_opt_check's commands_v_options table, process_options).
// Anything that changes the table or asks for what the model lacks is refused.

#include <cstdint>
#include <string>
#include <string_view>

namespace lvs {

/// Which table ipvsadm prints.
enum class IpvsadmView : std::uint8_t {
  List,            ///< -Ln
  Stats,           ///< -Ln --stats
  Rate,            ///< -Ln --rate
  Thresholds,      ///< -Ln --thresholds
  PersistentConn,  ///< -Ln --persistent-conn
  Connections,     ///< -Lnc
  Timeout,         ///< -L --timeout
  Save,            ///< -S -n
};

/// A parsed ipvsadm command line.
struct IpvsadmCommand {
  std::string args;                       ///< as given: "-Ln --stats"
  IpvsadmView view = IpvsadmView::List;
  bool exact = false;                     ///< --exact / -X: full numbers in --stats and --rate
};

/// Parses ARGS (whitespace-separated, short options may be clustered: "-Lnc").
/// Throws std::invalid_argument with ipvsadm's own message for a malformed combination
/// ("multiple commands specified", "Illegal 'stats' option with the 'save' command" ...)
/// or with lvslab's for what it does not model (-A, --daemon, names without -n ...).
IpvsadmCommand parse_ipvsadm_args(std::string_view args);

}  // namespace lvs
