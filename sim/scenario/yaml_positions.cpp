// ScenarioSpec::positions: the position of a key path, looked up in the loaded document when
// validate() asks for it. A key path is read back into steps and walked down the tree; that
// finds exactly the node walking every entry and item would have recorded under that path as
// long as no key could be mistaken for part of a path (a key "a.b", "x[0]" or ""). A document
// with such a key gets the recording instead, as before. See docs/scenario-loading.md.

#include <charconv>
#include <map>

#include "scenario/yaml_document_state.hpp"
#include "scenario/yaml_reader.hpp"

namespace lvs::scenario {

namespace {

using detail::NodeId;
using detail::NodeKind;
using detail::YamlNode;

// The depth below which nothing is recorded: scenario files are shallow, and an alias that
// holds its own anchor (a cycle) must not be followed for ever.
constexpr std::size_t kMaxDepth = 64;

// The index in "[12]" as item_path() writes it (digits, no leading zero); nullopt otherwise.
std::optional<std::size_t> canonical_index(std::string_view digits) {
  if (digits.empty() || (digits.size() > 1 && digits.front() == '0')) return std::nullopt;
  std::size_t index = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return index;
}

// Positions looked up in the document: nothing is built until a position is asked for.
class DocumentPositions final : public KeyPositions::Source {
 public:
  explicit DocumentPositions(Cursor root) : root_(std::move(root)) {}
  std::optional<Position> find(std::string_view path) const override { return root_.position_below(path, kMaxDepth); }

 private:
  Cursor root_;
};

// Every key and list item below `c` with its position (where a path could name two nodes, the
// one visited later wins).
void record(const Cursor& c, std::map<std::string, Position, std::less<>>& out, std::size_t depth = 0) {
  if (depth > kMaxDepth) return;
  out[c.path()] = c.mark();
  if (c.is_map())
    for (const MapEntry& entry : c.entries()) record(entry.value, out, depth + 1);
  else if (c.is_sequence())
    for (const Cursor& item : c.items()) record(item, out, depth + 1);
}

// Positions recorded up front, for a document with a key that a path cannot spell.
class RecordedPositions final : public KeyPositions::Source {
 public:
  explicit RecordedPositions(const Cursor& root) { record(root, positions_); }
  std::optional<Position> find(std::string_view path) const override {
    const auto it = positions_.find(path);
    return it == positions_.end() ? std::nullopt : std::optional<Position>(it->second);
  }

 private:
  std::map<std::string, Position, std::less<>> positions_;
};

}  // namespace

KeyPositions key_positions(const Cursor& root) {
  if (root.keys_spell_paths()) return KeyPositions(std::make_shared<DocumentPositions>(root));
  return KeyPositions(std::make_shared<RecordedPositions>(root));
}

bool Cursor::keys_spell_paths() const {
  const detail::YamlTree& tree = doc_->tree;
  for (const YamlNode& map : tree.nodes) {
    if (map.kind != NodeKind::Map) continue;
    for (std::size_t k = 0; k < map.children.size(); k += 2) {
      const YamlNode& key = tree[map.children[k]];
      if (key.kind != NodeKind::Scalar || key.scalar.empty() ||
          key.scalar.find_first_of(".[]") != std::string::npos)
        return false;
    }
  }
  return true;
}

// The steps are read back as child_path() and item_path() write them: a key (after a '.' but
// for the first), or "[n]". A map's key is found by a linear search (a dozen keys at most); a
// list's item directly.
std::optional<Position> Cursor::position_below(std::string_view path, std::size_t max_depth) const {
  const detail::YamlTree& tree = doc_->tree;
  NodeId id = node_;
  YAML::Mark key_mark = key_mark_;
  std::string_view rest = path;
  for (std::size_t depth = 1; !rest.empty(); ++depth) {
    if (depth > max_depth) return std::nullopt;
    const YamlNode& here = tree[id];
    if (rest.front() == '[') {
      const std::size_t close = rest.find(']');
      if (close == std::string_view::npos) return std::nullopt;
      const std::optional<std::size_t> index = canonical_index(rest.substr(1, close - 1));
      if (!index || here.kind != NodeKind::Sequence || *index >= here.children.size()) return std::nullopt;
      id = here.children[*index];
      key_mark = YAML::Mark::null_mark();
      rest.remove_prefix(close + 1);
      continue;
    }
    if (depth > 1) {
      if (rest.front() != '.') return std::nullopt;
      rest.remove_prefix(1);
    }
    const std::string_view key = rest.substr(0, rest.find_first_of(".["));
    if (key.empty() || here.kind != NodeKind::Map) return std::nullopt;
    std::optional<NodeId> value;
    for (std::size_t k = 0; k + 1 < here.children.size() && !value; k += 2) {
      const YamlNode& key_node = tree[here.children[k]];
      if (key_node.kind == NodeKind::Scalar && key_node.scalar == key) {
        value = here.children[k + 1];
        key_mark = key_node.mark;
      }
    }
    if (!value) return std::nullopt;
    id = *value;
    rest.remove_prefix(key.size());
  }
  if (path_.empty()) return mark_of(id, path, key_mark);
  return mark_of(id, path.empty() || path.front() == '[' ? path_ + std::string(path) : child_path(path_, path), key_mark);
}

}  // namespace lvs::scenario
