#pragma once
// Splitting scenario text into YAML documents in bounded time and memory. yaml-cpp 0.7's
// LoadAll loops for ever on some input (a lone ',' makes the parser hand out the same empty
// document again and again, upstream issue jbeder/yaml-cpp#1040), so the documents are first
// walked with an event counter that notices a document starting where the last one did.

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

namespace lvs::scenario::detail {

/// The one non-empty document of `text` (an empty node if there is none). Throws ScenarioError
/// naming `name`, line and column for a YAML syntax error, input the parser cannot get past,
/// or a second non-empty document.
YAML::Node parse_single_document(std::string_view text, const std::string& name);

}  // namespace lvs::scenario::detail
