// Service names: /etc/services first (the format of services(5): NAME PORT/PROTO [ALIASES]
// [# comment]), then the built-in table.

#include "import/service_names.hpp"

#include <array>
#include <charconv>
#include <fstream>
#include <sstream>
#include <utility>

namespace lvs::import {

namespace {

// The well-known names an LVS configuration uses (IANA; /etc/services of Debian 12).
constexpr std::array<std::pair<std::string_view, std::uint16_t>, 22> kWellKnown{{
    {"ftp-data", 20}, {"ftp", 21},      {"ssh", 22},     {"telnet", 23},   {"smtp", 25},     {"domain", 53},
    {"http", 80},     {"www", 80},      {"pop3", 110},   {"ntp", 123},     {"imap", 143},    {"imap2", 143},
    {"snmp", 161},    {"ldap", 389},    {"https", 443},  {"submission", 587}, {"ldaps", 636}, {"imaps", 993},
    {"pop3s", 995},   {"mysql", 3306},  {"postgresql", 5432}, {"http-alt", 8080},
}};

std::optional<std::uint16_t> number(std::string_view text) {
  unsigned v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty() || v > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

// The port of `name`/`protocol` in a services(5) file, or nullopt (also when it cannot be read).
std::optional<std::uint16_t> from_file(const std::string& path, std::string_view name, std::string_view protocol) {
  std::ifstream in(path);
  std::string line;
  for (int n = 0; n < 100'000 && std::getline(in, line); ++n) {
    line = line.substr(0, line.find('#'));
    std::istringstream words(line);
    std::string service, port_proto, alias;
    if (!(words >> service >> port_proto)) continue;
    const std::size_t slash = port_proto.find('/');
    if (slash == std::string::npos || port_proto.substr(slash + 1) != protocol) continue;
    bool match = service == name;
    while (!match && words >> alias) match = alias == name;
    if (match) return number(std::string_view(port_proto).substr(0, slash));
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::uint16_t> builtin_port(std::string_view name) {
  for (const auto& [n, port] : kWellKnown)
    if (n == name) return port;
  return std::nullopt;
}

std::optional<PortLookup> resolve_port(std::string_view text, std::string_view protocol,
                                       const std::string& services_file) {
  if (const auto n = number(text)) return PortLookup{*n, ""};
  if (!services_file.empty())
    if (const auto p = from_file(services_file, text, protocol)) return PortLookup{*p, services_file};
  if (const auto p = builtin_port(text)) return PortLookup{*p, "built-in table"};
  return std::nullopt;
}

}  // namespace lvs::import
