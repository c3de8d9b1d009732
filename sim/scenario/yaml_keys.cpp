// Load-time checks of a document's keys that yaml-cpp 0.7 does not make: every key a scalar,
// no key twice in one map. Errors name the key path, which is spelt only for an error.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario_error.hpp"
#include "scenario/yaml_documents.hpp"

namespace lvs::scenario::detail {

namespace {

// Where check_keys is: the steps from the root, each on the stack of the call that takes it.
// The path is spelt only for an error; spelling it for every key and item cost a tenth of
// loading a large file.
struct KeyStepLink {
  const KeyStepLink* parent = nullptr;  // nullptr: this is the root
  bool item = false;                    // a list item (else a map key)
  std::string_view key;                 // a map key
  std::size_t index = 0;                // a list item's index
};

std::string spelt(const KeyStepLink* link) {
  if (link == nullptr || link->parent == nullptr) return "";
  const std::string parent = spelt(link->parent);
  return link->item ? item_path(parent, link->index) : child_path(parent, link->key);
}

// The first key of `map` before the one at children[k] that equals it; nullptr if there is none.
// A linear scan for a map of scenario size, a sorted index beyond.
const YamlNode* earlier_key(const YamlTree& tree, const YamlNode& map, std::size_t k,
                            std::map<std::string_view, std::size_t, std::less<>>& index) {
  constexpr std::size_t kScanned = 32;  // keys: beyond this many the index is cheaper
  const std::string& key = tree[map.children[k]].scalar;
  if (map.children.size() <= 2 * kScanned) {
    for (std::size_t j = 0; j < k; j += 2)
      if (tree[map.children[j]].scalar == key) return &tree[map.children[j]];
    return nullptr;
  }
  const auto [first, inserted] = index.emplace(key, k);
  return inserted ? nullptr : &tree[map.children[first->second]];
}

// Rejects duplicate and non-scalar keys anywhere below `id` (yaml-cpp 0.7 accepts both silently).
// `visited` marks the collections already checked: an alias shares its anchor's node.
void check_keys(const YamlTree& tree, NodeId id, const KeyStepLink& here, const std::string& file,
                std::vector<bool>& visited) {
  const YamlNode& node = tree[id];
  if (node.kind != NodeKind::Map && node.kind != NodeKind::Sequence) return;
  if (visited[id]) return;
  visited[id] = true;
  if (node.kind == NodeKind::Sequence) {
    for (std::size_t i = 0; i < node.children.size(); ++i)
      check_keys(tree, node.children[i], KeyStepLink{&here, true, {}, i}, file, visited);
    return;
  }
  std::map<std::string_view, std::size_t, std::less<>> index;
  const auto mark_of = [&](const YamlNode& key) { return key.mark.is_null() ? node.mark : key.mark; };
  for (std::size_t k = 0; k + 1 < node.children.size(); k += 2) {
    const YamlNode& key_node = tree[node.children[k]];
    const YAML::Mark at = mark_of(key_node);
    if (key_node.kind != NodeKind::Scalar)
      throw ScenarioError(file, line_of(at), column_of(at), spelt(&here),
                          "a map key must be a name, got " + found(key_node));
    const KeyStepLink child{&here, false, key_node.scalar, 0};
    if (const YamlNode* first = earlier_key(tree, node, k, index))
      throw ScenarioError(file, line_of(at), column_of(at), spelt(&child),
                          "duplicate key '" + key_node.scalar + "', first at line " +
                              std::to_string(line_of(mark_of(*first))));
    check_keys(tree, node.children[k + 1], child, file, visited);
  }
}

}  // namespace

void check_keys(const YamlTree& tree, const std::string& file) {
  std::vector<bool> visited(tree.nodes.size());
  check_keys(tree, tree.root, KeyStepLink{}, file, visited);
}

}  // namespace lvs::scenario::detail
