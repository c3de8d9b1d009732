#pragma once
// --set KEY.PATH=VALUE: changes to a loaded scenario from the command line, applied before
// the scenario is read. A value set this way is validated later by the same typed getters as
// the file's own values, and errors about it say "--set services[0].port" instead of a position.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/key_path.hpp"
#include "scenario/yaml_reader.hpp"

namespace lvs::scenario {

/// Applies one "KEY.PATH=VALUE" to `doc`. The path is dotted, list items by index:
/// "services.0.destinations.1.weight=3" or "services[0].destinations[1].weight=3". The target
/// must be a scalar (or an empty value), or a key absent from an existing map (to override a
/// default). A missing intermediate key of a map is created as a map when no list index follows
/// it ("hosts[2].sysctl.arp_ignore=1" on a host without sysctl); the reader then checks its keys
/// as any other. VALUE (spaces trimmed) becomes a plain scalar. A malformed assignment, a missing
/// list item, an index out of range, or a map or list as the target throws ScenarioError
/// naming the assignment and what is there: "--set services.3.port=80: services has 2 items (0..1)".
/// A value shared through a YAML alias changes everywhere the alias is used.
void apply_override(Document& doc, std::string_view assignment);

/// Applies each of `assignments` in order (a later one wins).
void apply_overrides(Document& doc, const std::vector<std::string>& assignments);

}  // namespace lvs::scenario
