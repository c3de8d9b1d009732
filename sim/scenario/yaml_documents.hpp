#pragma once
// Reading scenario text into a YamlTree in one pass of yaml-cpp's parser, in bounded time and
// memory. yaml-cpp 0.7's LoadAll loops for ever on some input (a lone ',' makes the parser hand
// out the same empty document again and again, upstream issue jbeder/yaml-cpp#1040), so the
// documents are walked one by one here, noticing a document that starts where the last one did;
// the first non-empty one is built as it is parsed, the others only looked at.

#include <string>
#include <string_view>

#include "scenario/yaml_tree.hpp"

namespace lvs::scenario::detail {

/// The one non-empty document of `text` (a tree holding one empty node, without a position, if
/// there is none). Throws ScenarioError naming `name`, line and column for a YAML syntax error,
/// input the parser cannot get past, or a second non-empty document.
YamlTree parse_single_document(std::string_view text, const std::string& name);

/// Rejects a key that is not a scalar and a key given twice in one map, anywhere in `tree`
/// (yaml-cpp 0.7 accepts both silently): ScenarioError naming `file`, the key's line and path.
void check_keys(const YamlTree& tree, const std::string& file);

/// What a node is, for "got ...": "a map", "a list", "an empty value" or the quoted scalar.
std::string found(const YamlNode& node);

}  // namespace lvs::scenario::detail
