#pragma once
// Port names as `ipvsadm -S` without -n and ldirectord write them (":http"): looked up in
// /etc/services when that file exists and names the port, else in a small built-in table of
// the well-known names (IANA's assignments, as /etc/services of Debian 12 lists them).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lvs::import {

/// Where a name was found: "/etc/services" or "built-in table".
struct PortLookup {
  std::uint16_t port = 0;
  std::string source;
};

/// The port `text` names: a decimal number 0..65535, or a service name for `protocol`
/// ("tcp"/"udp"). `services_file` is read when it exists ("" skips it).
std::optional<PortLookup> resolve_port(std::string_view text, std::string_view protocol,
                                       const std::string& services_file = "/etc/services");

/// The built-in table alone (tests): the port of a well-known name, or nullopt.
std::optional<std::uint16_t> builtin_port(std::string_view name);

}  // namespace lvs::import
