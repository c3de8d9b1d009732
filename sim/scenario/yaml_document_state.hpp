#pragma once
// Internal to the YAML reader (yaml_reader.cpp, yaml_positions.cpp): what a Document and the
// cursors taken from it share.

#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "scenario/yaml_tree.hpp"

namespace lvs::scenario::detail {

/// A loaded scenario: its file name, its tree and the values set with --set.
struct DocumentState {
  std::string name;
  YamlTree tree;
  std::set<std::string, std::less<>> overridden;  // key paths set with --set
  // The nodes set with --set and their key paths: a node reached through an alias (another
  // path) still names its --set. A node set twice names the later --set, which replaced it.
  std::vector<std::pair<NodeId, std::string>> overridden_nodes;

  const std::string* setting_of(NodeId node) const {
    for (auto it = overridden_nodes.rbegin(); it != overridden_nodes.rend(); ++it)
      if (it->first == node) return &it->second;
    return nullptr;
  }
};

}  // namespace lvs::scenario::detail
