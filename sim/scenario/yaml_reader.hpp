#pragma once
// Reading scenario YAML so that every bad input is reported where it is: a Cursor is a YAML
// node plus its key path ("services[0].destinations[1].weight") and its document, and every
// typed read through it throws a ScenarioError naming file, line, column, key path and what
// was expected. Scenario sections are written on top of Cursor; they never touch yaml-cpp.
//
// Reading rules (strict rather than surprising):
// - The getter's type decides how a scalar is read; quoting does not matter ("80" is 80 for an integer).
// - Booleans are exactly true or false (yes/no/on/off mean different things in YAML 1.1 and 1.2).
// - Integers are decimal, no fraction, no suffix ("3.5", "3abc", "0x10" are errors).
// - An empty value ("key:" or "key: ~") is an error for every typed read, also for optional<T>:
//   leave the key out to get the default.
// - Durations are non-negative unless a Range allows negatives.
// - Duplicate keys and non-scalar keys are errors when the document is loaded.
// - A value reached through an alias (*name) is reported where its anchor (&name) is; a value
//   set with --set names the --set, however it is reached.
// - yaml-cpp 0.7 has no merge keys: "<<" is an ordinary key, which allow_keys refuses.

#include <yaml-cpp/mark.h>

#include <concepts>
#include <initializer_list>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "net/address.hpp"
#include "scenario/key_positions.hpp"
#include "scenario/scenario_error.hpp"
#include "scenario/units.hpp"
#include "scenario/yaml_tree.hpp"

namespace lvs::scenario {

namespace detail {
struct DocumentState;  // file name, tree and overridden paths; shared by a Document and its cursors
}  // namespace detail

struct MapEntry;

/// A node of a loaded scenario with its key path. Cheap to copy; keeps its document alive.
class Cursor {
 public:
  Cursor(const Cursor&) = default;
  /// Rebinds this cursor (never writes to the document, unlike YAML::Node's assignment).
  Cursor& operator=(const Cursor& other);

  /// The value under `key` of this map; missing key: error at this map ("missing required key 'vip'").
  Cursor at(std::string_view key) const;
  /// Item `index` (0-based) of this list; error if out of range.
  Cursor at(std::size_t index) const;
  /// Whether this map has `key` (error if this is not a map).
  bool has(std::string_view key) const;
  /// The value under `key`, or nullopt if this map has no such key.
  std::optional<Cursor> find(std::string_view key) const;
  /// The items of this list, in order, with paths "services[0]", "services[1]", ...
  std::vector<Cursor> items() const;
  /// The entries of this map, in file order.
  std::vector<MapEntry> entries() const;
  /// Number of items of a list or entries of a map (error for a scalar or an empty value).
  std::size_t size() const;
  /// What mark() says of the node at `path` below this one, spelt as path() spells it
  /// ("topology.hosts[2].name"), at most `max_depth` steps down; nullopt if there is none.
  /// Builds no cursor on the way.
  std::optional<Position> position_below(std::string_view path, std::size_t max_depth) const;
  /// Whether every map key of the document is a non-empty name without '.', '[' or ']': only
  /// then does each key path name one node, the one position_below() finds.
  bool keys_spell_paths() const;

  /// A map ("key: value" entries).
  bool is_map() const { return kind() == detail::NodeKind::Map; }
  /// A list ("- item" or "[a, b]").
  bool is_sequence() const { return kind() == detail::NodeKind::Sequence; }
  /// A single value such as "80" or "wlc".
  bool is_scalar() const { return kind() == detail::NodeKind::Scalar; }
  /// An empty value ("key:" or "key: ~").
  bool is_null() const { return kind() == detail::NodeKind::Null; }

  /// This node read as T (see the reading rules at the top of this file).
  template <ScalarValue T>
  T as() const;
  /// This node read as T, which must lie in `range`.
  template <OrderedValue T>
  T as(Range<T> range) const;

  /// The value under `key` read as T; error if the key is missing.
  template <ScalarValue T>
  T required(std::string_view key) const {
    return at(key).as<T>();
  }
  /// The value under `key` read as T within `range`: required<std::int64_t>("port", Range{1, 65535}).
  template <OrderedValue T, class B>
  T required(std::string_view key, Range<B> range) const {
    return at(key).as<T>(convert<T>(range));
  }
  /// The value under `key` read as T, or `fallback` if the key is absent.
  template <ScalarValue T>
  T optional(std::string_view key, T fallback) const {
    const std::optional<Cursor> value = find(key);
    return value ? value->as<T>() : fallback;
  }
  /// The value under `key` read as T within `range`, or `fallback` (not checked) if the key is absent.
  template <OrderedValue T, class B>
  T optional(std::string_view key, T fallback, Range<B> range) const {
    const std::optional<Cursor> value = find(key);
    return value ? value->as<T>(convert<T>(range)) : fallback;
  }

  /// This scalar, which must be one of `allowed` (the error lists them, or suggests the closest).
  std::string one_of(const std::vector<std::string>& allowed) const;
  /// The value under `key`, one of `allowed`; error if missing.
  std::string choice(std::string_view key, const std::vector<std::string>& allowed) const;
  /// The value under `key`, one of `allowed`, or `fallback` if the key is absent.
  std::string choice(std::string_view key, const std::vector<std::string>& allowed, std::string_view fallback) const;
  /// The same for a list written in place; nothing is built unless the value is refused.
  std::string choice(std::string_view key, std::initializer_list<std::string_view> allowed,
                     std::string_view fallback) const;

  /// Checks that this is a map whose keys are all in `allowed`; an unknown key is an error at
  /// that key, suggesting the closest allowed key within edit distance 2 or listing them all.
  void allow_keys(const std::vector<std::string>& allowed) const;
  /// The same for a list written in place; nothing is built unless a key is refused.
  void allow_keys(std::initializer_list<std::string_view> allowed) const;

  /// An error about this node (at its position, or its --set) for checks the getters cannot do.
  ScenarioError error(std::string_view message) const;
  /// Throws error(message).
  [[noreturn]] void fail(std::string_view message) const;

  /// Where this node is in the file (1-based); {0, 0} if it was set with --set.
  Position mark() const;
  /// The key path: "services[0].destinations[1].weight"; "" for the root.
  const std::string& path() const { return path_; }
  /// The scenario file name.
  const std::string& file() const;

 private:
  friend class Document;
  Cursor(std::shared_ptr<const detail::DocumentState> doc, detail::NodeId node, std::string path, YAML::Mark key_mark);

  template <class T, class B>
  static Range<T> convert(Range<B> r) {
    return Range<T>{r.min ? std::optional<T>(T(*r.min)) : std::nullopt,
                    r.max ? std::optional<T>(T(*r.max)) : std::nullopt};
  }
  Cursor child(detail::NodeId node, std::string path, YAML::Mark key_mark) const;
  const detail::YamlNode& node() const;
  detail::NodeKind kind() const;
  std::optional<std::size_t> key_index(std::string_view key) const;
  std::optional<Cursor> lookup(std::string_view key) const;
  template <class Describe>
  const std::string& scalar_text(Describe describe) const;
  YAML::Mark report_mark() const;
  Position mark_of(detail::NodeId node, std::string_view path, YAML::Mark key_mark) const;
  ScenarioError error_at(const std::string& path, YAML::Mark mark, std::string_view message) const;

  std::shared_ptr<const detail::DocumentState> doc_;
  detail::NodeId node_;
  std::string path_;
  YAML::Mark key_mark_;  // the key naming this node: where an empty value is reported
};

/// One key and its value, from Cursor::entries().
struct MapEntry {
  std::string key;
  Cursor value;
};

/// Every key and list item below `root` (at most 64 steps down) with its position, for
/// ScenarioSpec::positions; looked up in `root`'s document when asked for (yaml_positions.cpp).
KeyPositions key_positions(const Cursor& root);

/// A loaded scenario file. Move-only; cursors taken from it stay valid after it is gone.
class Document {
 public:
  /// Reads and parses the YAML file at `path`; a missing or unreadable file, a YAML syntax error,
  /// a duplicate key or a second document throws ScenarioError naming `path`.
  static Document load(const std::string& path);
  /// Parses `text` as if it were the file `name` (tests, generated scenarios).
  static Document from_string(std::string_view text, std::string name);

  Document(Document&&) = default;
  Document& operator=(Document&&) = default;

  /// The top of the document.
  Cursor root() const;
  /// The file name given to load() or from_string().
  const std::string& name() const;

  /// The YAML tree itself, writable (for apply_override).
  detail::YamlTree& tree();
  /// Records that `node`, at `key_path`, came from --set: errors about it name the --set,
  /// also where an alias shares it.
  void note_override(std::string key_path, detail::NodeId node);
  /// Whether the value at `key_path` came from --set.
  bool is_overridden(std::string_view key_path) const;

 private:
  explicit Document(std::shared_ptr<detail::DocumentState> state);
  std::shared_ptr<detail::DocumentState> state_;
};



}  // namespace lvs::scenario
