#pragma once
// Shared by the keepalived_reader*.cpp files: reading a statement's arguments with a
// warning for each that does not fit, and reporting keywords that are skipped.

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "import/imported_config.hpp"
#include "import/keepalived_tree.hpp"

namespace lvs::import::detail {

struct Reader {
  explicit Reader(Diagnostics& d) : diagnostics(d) {}
  Diagnostics& diagnostics;
  KeepalivedConfig config;
  /// local_address_group and virtual_server_group blocks, by name (read before use).
  std::map<std::string, std::vector<Ipv4Address>> local_address_groups;
  std::map<std::string, const ConfNode*> server_groups;

  void warn(const ConfNode& n, std::string message) { diagnostics.warn(n.at, std::move(message)); }
  /// Word `i` of `n`, or nullopt with a warning "KEYWORD needs a value (skipped)".
  std::optional<std::string> word(const ConfNode& n, std::size_t i);
  /// An integer min..max at word `i`, or nullopt with a warning.
  std::optional<std::int64_t> integer(const ConfNode& n, std::size_t i, std::int64_t min, std::int64_t max);
  /// Seconds (decimals allowed) at word `i`, or nullopt with a warning.
  std::optional<Time> seconds(const ConfNode& n, std::size_t i);
  std::optional<Ipv4Address> address(const ConfNode& n, std::size_t i);
  /// Warns that `n` is not used: known to keepalived but not modelled, or unknown (with the
  /// nearest of `known` when there is a close one).
  void skip(const ConfNode& n, std::string_view block, std::initializer_list<std::string_view> unmodelled,
            std::initializer_list<std::string_view> known);
  /// Warns for a block given to a keyword that takes none, or none given where one is needed.
  bool expects_block(const ConfNode& n, bool block);

  void global_defs(const ConfNode& n);
  void vrrp_instance(const ConfNode& n);
  void vrrp_sync_group(const ConfNode& n);
  void vrrp_script(const ConfNode& n);
  void local_address_group(const ConfNode& n);
  void virtual_server(const ConfNode& n);
};

/// The closest of `known` to `word` by edit distance (at most 2 edits), or "".
std::string nearest(std::string_view word, std::initializer_list<std::string_view> known);

}  // namespace lvs::import::detail
