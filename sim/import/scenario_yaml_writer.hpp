#pragma once
// An imported scenario as YAML text in scenarios/README.md's format, with a comment block
// on top naming the sources and listing what was filled in. Written by hand (no yaml-cpp:
// sim/import does not read YAML); every value the spec holds at its default is left out.

#include <string>

#include "import/to_scenario.hpp"

namespace lvs::import {

/// The YAML of `result.spec`, headed by "# Imported by lvslab import from: ..." and
/// "# Filled in: ..." comment lines.
std::string scenario_yaml(const ImportResult& result);

}  // namespace lvs::import
