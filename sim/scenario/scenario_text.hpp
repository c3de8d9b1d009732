#pragma once
// Editing a scenario's YAML text in place, for the GUI's what-if controls: each edit replaces
// or inserts the fewest characters that make the change, so the editor shows exactly what
// changed, comments and layout elsewhere stay as written, and the saved file reads back as
// the edited scenario. Values are found by key path ("services[0].destinations[2].weight", the
// syntax of --set) through yaml-cpp's marks; scenario_text_scan.hpp finds where they end.
//
// YAML anchors and aliases: a value written as an alias (`weight: *to8`) is replaced by the
// new value at that place only; a value carrying an anchor (`weight: &to8 1`) keeps its anchor,
// so every alias of it changes too, as with --set. A collection reached through an alias is
// edited where its anchor is. Every edit is checked by parsing the result; an edit that would
// not read back is refused with a ScenarioError and the text is left as it was.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/key_path.hpp"
#include "scenario/scenario_error.hpp"
#include "scenario/scenario_text_scan.hpp"

namespace YAML {
class Node;  // the parsed text, kept out of this header: its users need no YAML library
}

namespace lvs::scenario {

/// A scenario file's text with edits by key path.
class ScenarioText {
 public:
  /// Parses `text`; `name` is the file name used in errors. Throws ScenarioError if not YAML.
  ScenarioText(std::string text, std::string name);
  /// Shares the parsed tree, which edits replace and never write into.
  ScenarioText(const ScenarioText&) = default;
  /// Copies the text (YAML::Node's own assignment would write into the tree).
  ScenarioText& operator=(const ScenarioText& other);

  /// The text, with every edit so far.
  const std::string& text() const { return text_; }
  /// The file name given to the constructor.
  const std::string& name() const { return name_; }

  /// Sets the scalar at `path` ("services[0].scheduler") to `value`, written plain unless it
  /// needs quotes (a quoted value keeps its quotes); inserts the key into its existing map
  /// when absent. Throws ScenarioError naming the path when the parent is missing, an index is
  /// out of range, or the target is a map or a list.
  void set(std::string_view path, std::string_view value);
  /// Like set(), but writes `flow_yaml` verbatim (a flow value such as "[rs1, rs2]"); the
  /// target may also be a flow list or map, which it replaces.
  void set_flow(std::string_view path, std::string_view flow_yaml);
  /// Removes the map entry at `path` (block or flow) if present.
  void erase(std::string_view path);
  /// Renames the key of the map entry at `path` to `new_key`, keeping its value. Throws if absent.
  void rename(std::string_view path, std::string_view new_key);

  /// The number of items of the list at `path`; 0 if absent. Throws if it is not a list.
  std::size_t count(std::string_view path) const;
  /// The scalar at `path`, or nullopt if absent or not a scalar.
  std::optional<std::string> value(std::string_view path) const;
  /// The value at `path` as one flow value: as written if it is a scalar or in flow style,
  /// else rendered by yaml-cpp in flow style (comments dropped). Throws if absent.
  std::string flow_text(std::string_view path) const;

  /// Inserts a copy of item `index` of the list at `path` right after it, without the YAML
  /// anchors it defines (its aliases, and aliases in the copy, keep referring to the original).
  /// Returns the copy's index (index + 1).
  std::size_t duplicate(std::string_view path, std::size_t index);
  /// Appends the scalar `value` to the list at `path`.
  void append(std::string_view path, std::string_view value);
  /// Appends `flow_yaml` verbatim (a flow value such as "{name: lan, rate: 1Gbps}") to the list at `path`.
  void append_flow(std::string_view path, std::string_view flow_yaml);
  /// Removes item `index` of the list at `path`; removing the only item leaves "[]".
  void remove(std::string_view path, std::size_t index);

 private:
  enum class Mode { Need, Parent, Probe };  // what must exist: everything, the parent, nothing
  struct Target;
  struct ValueSpan;
  Target locate(std::string_view path, Mode mode) const;
  bool find_child(Target& t, const KeyStep& step, const std::string& here) const;
  ValueSpan value_span(const Target& t) const;
  void write_value(const ValueSpan& v, const std::string& rendered);
  void insert_key(const Target& t, const std::string& rendered);
  void verify_scalar(std::string_view path, std::string_view value, const std::string& before);
  void erase_block_entry(const Target& t, const std::vector<std::size_t>& keys);
  void erase_flow_entry(const Target& t, const std::vector<std::size_t>& keys);
  Target list_at(std::string_view path) const;
  void append_item(std::string_view path, std::string_view value, bool verbatim);
  std::vector<text_scan::ItemSpan> items_of(const Target& list) const;
  std::string strip_anchors(std::size_t from, std::size_t to) const;
  void replace(std::size_t from, std::size_t to, std::string_view with);
  void restore(const std::string& text);
  ScenarioError error_at(const YAML::Node& node, std::string_view path, std::string message) const;

  std::string text_;
  std::string name_;
  std::shared_ptr<const YAML::Node> root_;  // the parsed text_; replaced, never changed, after each edit
};

/// Makes service `service` have `n` destinations (n >= 1). Adding clones the last destination's
/// real server: its topology host entry (a new unique name such as rs5, the next free address
/// in each interface's subnet, unique across the scenario; an explicit `mac` removed; a
/// point-to-point link it is on becomes a segment), its name added to the `servers[]` entry
/// running the cloned host, and its destination entry (server renamed, `address` renumbered).
/// Removing drops the last destinations, and their hosts from `servers[]` and the topology
/// when no other destination uses them. Throws ScenarioError when the scenario does not read
/// or when it cannot (an `events:` entry names a destination being removed). A service with
/// server groups (`groups`) has its last group's `count` set instead (to n minus the service's
/// other destinations; below that is an error), and no entry is copied.
void set_server_count(ScenarioText& text, std::size_t service, std::size_t n);

}  // namespace lvs::scenario
