#pragma once
// Key paths as --set and the GUI's text edits write them: "services[0].destinations.1.weight".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lvs::scenario {

/// One step of a key path: a map key, or a list index written "[n]" (or as a plain key "n").
struct KeyStep {
  std::string text;        ///< the key, or the index's digits
  bool bracketed = false;  ///< written "[n]": must index a list
};

/// Splits "services[0].destinations.1.weight" into steps; nullopt if malformed (an empty key,
/// an unclosed or non-numeric "[...]"). Shared by --set and ScenarioText.
std::optional<std::vector<KeyStep>> parse_key_path(std::string_view path);

}  // namespace lvs::scenario
