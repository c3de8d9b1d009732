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

std::string keys_of(const YAML::Node& map) {
  std::string out;
  for (const auto& kv : map) out += (out.empty() ? "" : ", ") + kv.first.Scalar();
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
class Override {
 public:
  Override(Document& doc, std::string_view assignment) : doc_(doc), assignment_(assignment) {}

  void apply() {
    const std::size_t eq = assignment_.find('=');
    std::optional<std::vector<Step>> steps;
    if (eq != std::string_view::npos) steps = parse_key_path(trim(assignment_.substr(0, eq)));
    if (!steps) throw refuse("expected KEY.PATH=VALUE, e.g. services.0.port=8080 or services[0].port=8080");
    YAML::Node node = doc_.tree();
    for (std::size_t i = 0; i + 1 < steps->size(); ++i) {
      const std::optional<YAML::Node> next = child(node, (*steps)[i]);
      if (!next && !creates_maps(node, *steps, i)) throw refuse(missing(node, (*steps)[i]));
      path_ = step_path(node, (*steps)[i]);
      node.reset(next ? *next : new_map(node, (*steps)[i]));  // rebinds; operator= would write into the tree
    }
    set(node, steps->back(), std::string(trim(assignment_.substr(eq + 1))));
  }

 private:
  ScenarioError refuse(const std::string& message) const {
    return ScenarioError::in_override(doc_.name(), std::string(assignment_), path_, message);
  }
  std::string here() const { return path_.empty() ? "the scenario" : path_; }
  std::string step_path(const YAML::Node& parent, const Step& step) const {
    return parent.IsSequence() ? item_path(path_, *to_index(step.text)) : child_path(path_, step.text);
  }

  // The existing child of `node` at `step`, or nullopt; throws if `node` cannot have one.
  std::optional<YAML::Node> child(const YAML::Node& node, const Step& step) const {
    if (node.IsMap()) {
      if (step.bracketed) throw refuse(here() + " is a map, not a list (keys: " + keys_of(node) + ")");
      for (const auto& kv : node)
        if (kv.first.Scalar() == step.text) return YAML::Node(kv.second);
      return std::nullopt;
    }
    if (node.IsSequence()) {
      const std::optional<std::size_t> index = to_index(step.text);
      if (!index) throw refuse(here() + " is " + list_of(node.size()) + ", '" + step.text + "' is not an index");
      if (*index >= node.size()) return std::nullopt;
      return YAML::Node(*std::next(node.begin(), static_cast<std::ptrdiff_t>(*index)));
    }
    if (node.IsScalar()) throw refuse(here() + " is '" + node.Scalar() + "', not a map or a list");
    throw refuse(here() + " is empty, not a map or a list");
  }

  // Whether the missing key steps[i] of the map `node` may be created as a map, with maps down
  // to the value: only when no step from it on is a list index (a list item is never created).
  static bool creates_maps(const YAML::Node& node, const std::vector<Step>& steps, std::size_t i) {
    if (!node.IsMap()) return false;
    for (std::size_t j = i; j < steps.size(); ++j)
      if (steps[j].bracketed || all_digits(steps[j].text)) return false;
    return true;
  }

  // An empty map under `step` of `parent`, noted as set with --set (errors about its keys name it).
  YAML::Node new_map(YAML::Node& parent, const Step& step) {
    YAML::Node map(YAML::NodeType::Map);
    parent[step.text] = map;
    doc_.note_override(path_, map);
    return map;
  }

  std::string missing(const YAML::Node& node, const Step& step) const {
    if (node.IsSequence()) return here() + " has " + count_items(node.size());
    std::vector<std::string> keys;
    for (const auto& kv : node) keys.push_back(kv.first.Scalar());
    const std::string hint = closest_name(step.text, keys);
    if (!hint.empty()) return here() + " has no key '" + step.text + "', did you mean '" + hint + "'?";
    return here() + " has no key '" + step.text + "' (keys: " + keys_of(node) + ")";
  }

  void set(YAML::Node& parent, const Step& step, const std::string& value) {
    std::optional<YAML::Node> target = child(parent, step);
    if (!target && parent.IsSequence()) throw refuse(missing(parent, step));
    path_ = step_path(parent, step);
    if (target && target->IsMap())
      throw refuse(path_ + " is a map (keys: " + keys_of(*target) + "); --set replaces single values only");
    if (target && target->IsSequence())
      throw refuse(path_ + " is " + list_of(target->size()) + "; --set replaces single values only");
    const YAML::Node fresh(value);  // a new node: no position in the file
    if (target)
      *target = fresh;  // the map or list now refers to `fresh`
    else
      parent[step.text] = fresh;
    doc_.note_override(path_, fresh);
  }

  Document& doc_;
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
