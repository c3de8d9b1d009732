#include "scenario/overrides.hpp"

#include <charconv>
#include <cstdint>
#include <iterator>
#include <optional>

namespace lvs::scenario {

namespace {

using Step = KeyStep;

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

using detail::NodeId;
using detail::NodeKind;
using detail::YamlNode;
using detail::YamlTree;

// The keys of `map`, in file order.
std::vector<std::string> key_names(const YamlTree& tree, const YamlNode& map) {
  std::vector<std::string> keys;
  for (std::size_t k = 0; k < map.children.size(); k += 2) keys.push_back(tree[map.children[k]].scalar);
  return keys;
}

std::string keys_of(const YamlTree& tree, const YamlNode& map) {
  std::string out;
  for (const std::string& key : key_names(tree, map)) out += (out.empty() ? "" : ", ") + key;
  return out;
}

std::string list_of(std::size_t n) {
  if (n == 0) return "an empty list";
  return "a list of " + std::to_string(n) + (n == 1 ? " item" : " items");
}

std::string count_items(std::size_t n) {
  if (n == 0) return "no items";
  if (n == 1) return "1 item (0)";
  return std::to_string(n) + " items (0.." + std::to_string(n - 1) + ")";
}

// The index written in `text`, or nullopt if it is not digits (a huge number is just out of range).
std::optional<std::size_t> to_index(std::string_view text) {
  if (!all_digits(text)) return std::nullopt;
  std::size_t index = 0;
  if (std::from_chars(text.data(), text.data() + text.size(), index).ec != std::errc()) return SIZE_MAX;
  return index;
}

// Walks the tree and writes one value; every refusal says what is at the place it stopped.
// The tree is changed in place: a value replaced keeps its node, so every alias of it sees the
// new value, and errors about it, reached by any path, name the --set.
class Override {
 public:
  Override(Document& doc, std::string_view assignment) : doc_(doc), tree_(doc.tree()), assignment_(assignment) {}

  void apply() {
    const std::size_t eq = assignment_.find('=');
    std::optional<std::vector<Step>> steps;
    if (eq != std::string_view::npos) steps = parse_key_path(trim(assignment_.substr(0, eq)));
    if (!steps) throw refuse("expected KEY.PATH=VALUE, e.g. services.0.port=8080 or services[0].port=8080");
    NodeId node = tree_.root;
    for (std::size_t i = 0; i + 1 < steps->size(); ++i) {
      const std::optional<NodeId> next = child(node, (*steps)[i]);
      if (!next && !creates_maps(node, *steps, i)) throw refuse(missing(node, (*steps)[i]));
      path_ = step_path(node, (*steps)[i]);
      node = next ? *next : new_map(node, (*steps)[i]);
    }
    set(node, steps->back(), std::string(trim(assignment_.substr(eq + 1))));
  }

 private:
  ScenarioError refuse(const std::string& message) const {
    return ScenarioError::in_override(doc_.name(), std::string(assignment_), path_, message);
  }
  std::string here() const { return path_.empty() ? "the scenario" : path_; }
  std::string step_path(NodeId parent, const Step& step) const {
    return tree_[parent].kind == NodeKind::Sequence ? item_path(path_, *to_index(step.text))
                                                     : child_path(path_, step.text);
  }

  // The existing child of `id` at `step`, or nullopt; throws if `id` cannot have one.
  std::optional<NodeId> child(NodeId id, const Step& step) const {
    const YamlNode& node = tree_[id];
    if (node.kind == NodeKind::Map) {
      if (step.bracketed) throw refuse(here() + " is a map, not a list (keys: " + keys_of(tree_, node) + ")");
      for (std::size_t k = 0; k + 1 < node.children.size(); k += 2)
        if (tree_[node.children[k]].scalar == step.text) return node.children[k + 1];
      return std::nullopt;
    }
    if (node.kind == NodeKind::Sequence) {
      const std::optional<std::size_t> index = to_index(step.text);
      if (!index) throw refuse(here() + " is " + list_of(node.children.size()) + ", '" + step.text + "' is not an index");
      if (*index >= node.children.size()) return std::nullopt;
      return node.children[*index];
    }
    if (node.kind == NodeKind::Scalar) throw refuse(here() + " is '" + node.scalar + "', not a map or a list");
    throw refuse(here() + " is empty, not a map or a list");
  }

  // Whether the missing key steps[i] of the map `id` may be created as a map, with maps down
  // to the value: only when no step from it on is a list index (a list item is never created).
  bool creates_maps(NodeId id, const std::vector<Step>& steps, std::size_t i) const {
    if (tree_[id].kind != NodeKind::Map) return false;
    for (std::size_t j = i; j < steps.size(); ++j)
      if (steps[j].bracketed || all_digits(steps[j].text)) return false;
    return true;
  }

  // A new entry `key` of the map `map`, at its end and with no position in the file.
  void insert(NodeId map, const std::string& key, NodeId value) {
    const NodeId key_node = tree_.add(NodeKind::Scalar, YAML::Mark::null_mark(), key);
    tree_[map].children.push_back(key_node);
    tree_[map].children.push_back(value);
  }

  // An empty map under `step` of `parent`, noted as set with --set (errors about its keys name it).
  NodeId new_map(NodeId parent, const Step& step) {
    const NodeId map = tree_.add(NodeKind::Map, YAML::Mark::null_mark());
    insert(parent, step.text, map);
    doc_.note_override(path_, map);
    return map;
  }

  std::string missing(NodeId id, const Step& step) const {
    const YamlNode& node = tree_[id];
    if (node.kind == NodeKind::Sequence) return here() + " has " + count_items(node.children.size());
    const std::string hint = closest_name(step.text, key_names(tree_, node));
    if (!hint.empty()) return here() + " has no key '" + step.text + "', did you mean '" + hint + "'?";
    return here() + " has no key '" + step.text + "' (keys: " + keys_of(tree_, node) + ")";
  }

  void set(NodeId parent, const Step& step, const std::string& value) {
    const std::optional<NodeId> target = child(parent, step);
    if (!target && tree_[parent].kind == NodeKind::Sequence) throw refuse(missing(parent, step));
    path_ = step_path(parent, step);
    if (target && tree_[*target].kind == NodeKind::Map)
      throw refuse(path_ + " is a map (keys: " + keys_of(tree_, tree_[*target]) + "); --set replaces single values only");
    if (target && tree_[*target].kind == NodeKind::Sequence)
      throw refuse(path_ + " is " + list_of(tree_[*target].children.size()) + "; --set replaces single values only");
    NodeId fresh = 0;
    if (target) {
      fresh = *target;  // replaced in place: the map or list, and every alias, now hold the new value
      tree_[fresh] = YamlNode{NodeKind::Scalar, YAML::Mark::null_mark(), value, {}};
    } else {
      fresh = tree_.add(NodeKind::Scalar, YAML::Mark::null_mark(), value);
      insert(parent, step.text, fresh);
    }
    doc_.note_override(path_, fresh);
  }

  Document& doc_;
  YamlTree& tree_;
  std::string_view assignment_;
  std::string path_;  // the key path walked so far
};

}  // namespace

std::optional<std::vector<KeyStep>> parse_key_path(std::string_view path) {
  std::vector<KeyStep> steps;
  for (bool first = true;; first = false) {
    const std::string_view key = path.substr(0, path.find_first_of(".["));
    if (!key.empty())
      steps.push_back(KeyStep{std::string(key), false});
    else if (!first || path.empty() || path.front() != '[')
      return std::nullopt;  // an empty key
    path.remove_prefix(key.size());
    while (!path.empty() && path.front() == '[') {
      const std::size_t close = path.find(']');
      if (close == std::string_view::npos || !all_digits(path.substr(1, close - 1))) return std::nullopt;
      steps.push_back(KeyStep{std::string(path.substr(1, close - 1)), true});
      path.remove_prefix(close + 1);
    }
    if (path.empty()) return steps;
    if (path.front() != '.') return std::nullopt;
    path.remove_prefix(1);
  }
}

void apply_override(Document& doc, std::string_view assignment) { Override(doc, assignment).apply(); }

void apply_overrides(Document& doc, const std::vector<std::string>& assignments) {
  for (const std::string& assignment : assignments) apply_override(doc, assignment);
}

}  // namespace lvs::scenario
