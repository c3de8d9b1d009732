#include "scenario/scenario_text.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <utility>

namespace lvs::scenario {

namespace ts = text_scan;

namespace {

int line_of(const YAML::Node& n) { return n.Mark().is_null() ? 0 : n.Mark().line + 1; }
int column_of(const YAML::Node& n) { return n.Mark().is_null() ? 0 : n.Mark().column + 1; }
bool is_flow(const YAML::Node& n) { return n.Style() == YAML::EmitterStyle::Flow; }

YAML::Node parse(const std::string& text, const std::string& name) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    const int line = e.mark.is_null() ? 0 : e.mark.line + 1, column = e.mark.is_null() ? 0 : e.mark.column + 1;
    throw ScenarioError(name, line, column, "", "invalid YAML: " + e.msg);
  }
}

std::string count_items(std::size_t n) {
  if (n == 0) return "no items";
  if (n == 1) return "1 item (0)";
  return std::to_string(n) + " items (0.." + std::to_string(n - 1) + ")";
}

// What a node is, for "got ...": "a map", "a list", "an empty value" or the quoted value.
std::string got(const YAML::Node& n) {
  if (n.IsMap()) return "a map";
  if (n.IsSequence()) return "a list";
  if (n.IsScalar()) return "'" + n.Scalar() + "'";
  return "an empty value";
}

}  // namespace

/// Where a value is in the text: the end of its ':' or '-', and the value's own span (after
/// any anchor or tag, which stay); an empty value is filled in at `start`.
struct ScenarioText::ValueSpan {
  std::size_t after = 0;
  std::size_t start = 0;
  std::size_t end = 0;
  bool empty = false;
  char quote = 0;  // '\'' or '"' if quoted
};

/// A key path resolved against the tree: the map or list holding the value, and the value.
struct ScenarioText::Target {
  std::string path;        // as asked
  YAML::Node parent;       // the map or list holding the value
  bool in_map = false;     // parent is a map (else a list)
  std::string key;         // in_map: the key
  std::size_t index = 0;   // the entry's or item's index in parent
  bool found = false;      // the key or item exists
  YAML::Node key_node;     // in_map && found
  YAML::Node node;         // found: the value
};

ScenarioText::ScenarioText(std::string text, std::string name)
    : text_(std::move(text)), name_(std::move(name)), root_(std::make_shared<const YAML::Node>(parse(text_, name_))) {}

ScenarioText& ScenarioText::operator=(const ScenarioText& other) {
  text_ = other.text_;
  name_ = other.name_;
  root_ = other.root_;
  return *this;
}

ScenarioError ScenarioText::error_at(const YAML::Node& node, std::string_view path, std::string message) const {
  return ScenarioError(name_, line_of(node), column_of(node), std::string(path), std::move(message));
}

// --- finding values ---

ScenarioText::Target ScenarioText::locate(std::string_view path, Mode mode) const {
  const std::optional<std::vector<KeyStep>> steps = parse_key_path(path);
  if (!steps) throw ScenarioError(name_, 0, 0, std::string(path), "not a key path (expected e.g. services[0].scheduler)");
  Target t;
  t.path = std::string(path);
  YAML::Node node = *root_;
  std::string walked;
  for (std::size_t i = 0; i < steps->size(); ++i) {
    const KeyStep& step = (*steps)[i];
    const std::string here = walked.empty() ? "the scenario" : walked;
    if (!node.IsMap() && !node.IsSequence())
      throw error_at(node, path, here + " is " + got(node) + ", not a map or a list");
    t.parent.reset(node);
    t.in_map = node.IsMap();
    t.found = find_child(t, step, here);
    if (!t.found) {
      const bool last = i + 1 == steps->size();
      if (mode == Mode::Probe || (mode == Mode::Parent && last && t.in_map)) return t;
      throw error_at(node, path, here + (t.in_map ? " has no key '" + step.text + "'" : " has " + count_items(node.size())));
    }
    walked = t.in_map ? child_path(walked, step.text) : item_path(walked, t.index);
    node.reset(t.node);
  }
  return t;
}

// Looks `step` up in t.parent, filling in t's key, index, key_node and node; false if absent.
bool ScenarioText::find_child(Target& t, const KeyStep& step, const std::string& here) const {
  if (t.in_map) {
    if (step.bracketed) throw error_at(t.parent, t.path, here + " is a map, not a list");
    t.key = step.text;
    t.index = 0;
    for (const auto& kv : t.parent) {
      if (kv.first.IsScalar() && kv.first.Scalar() == step.text) {
        t.key_node.reset(kv.first);
        t.node.reset(kv.second);
        return true;
      }
      ++t.index;
    }
    return false;
  }
  if (step.text.empty() || step.text.find_first_not_of("0123456789") != std::string::npos)
    throw error_at(t.parent, t.path, here + " is a list, '" + step.text + "' is not an index");
  t.index = step.text.size() > 9 ? SIZE_MAX : std::stoul(step.text);
  if (t.index >= t.parent.size()) return false;
  const YAML::Node& list = t.parent;
  t.node.reset(list[t.index]);
  return true;
}

ScenarioText::ValueSpan ScenarioText::value_span(const Target& t) const {
  const bool flow = is_flow(t.parent);
  ValueSpan v;
  if (t.in_map) {
    const std::size_t colon = ts::skip_blanks(text_, ts::key_end(text_, t.key_node.Mark().pos, flow));
    if (colon >= text_.size() || text_[colon] != ':') throw error_at(t.key_node, t.path, "cannot find the ':' after the key");
    v.after = colon + 1;
  } else {
    const ts::ItemSpan item = items_of(t).at(t.index);
    v.after = flow ? item.dash : item.dash + 1;
  }
  std::size_t p = ts::skip_inline_properties(text_, v.after);
  if (ts::at_value_end(text_, p, flow) && !t.node.IsNull()) p = ts::skip_properties(text_, p);  // on a later line
  v.start = p;
  v.empty = ts::at_value_end(text_, p, flow);
  if (v.empty) return v;
  v.quote = text_[p] == '"' || text_[p] == '\'' ? text_[p] : 0;
  v.end = text_[p] == '[' || text_[p] == '{' ? ts::flow_node_end(text_, p) : ts::scalar_end(text_, p, flow);
  return v;
}

// --- scalars and map entries ---

void ScenarioText::set(std::string_view path, std::string_view value) {
  const Target t = locate(path, Mode::Parent);
  const std::string before = text_;
  if (!t.found) {
    insert_key(t, ts::render_scalar(value, is_flow(t.parent), 0));
  } else {
    if (t.node.IsMap() || t.node.IsSequence()) throw error_at(t.node, path, "expected a single value, got " + got(t.node));
    const ValueSpan v = value_span(t);
    write_value(v, ts::render_scalar(value, is_flow(t.parent), v.quote));
  }
  verify_scalar(path, value, before);
}

void ScenarioText::set_flow(std::string_view path, std::string_view flow_yaml) {
  const Target t = locate(path, Mode::Parent);
  if (!t.found) return insert_key(t, std::string(flow_yaml));
  if ((t.node.IsMap() || t.node.IsSequence()) && !is_flow(t.node))
    throw error_at(t.node, path, "expected a single value or a flow collection, got a block " +
                                     std::string(t.node.IsMap() ? "map" : "list"));
  write_value(value_span(t), std::string(flow_yaml));
}

void ScenarioText::write_value(const ValueSpan& v, const std::string& rendered) {
  if (!v.empty) return replace(v.start, v.end, rendered);
  std::size_t at = v.start;  // an empty value: after its ':' or '-', or after its anchor
  while (at > v.after && (text_[at - 1] == ' ' || text_[at - 1] == '\t')) --at;
  const std::size_t eol = std::min(text_.find('\n', at), text_.size());
  if (ts::skip_blanks(text_, at) >= eol) return replace(at, eol, " " + rendered);  // replaces trailing blanks
  replace(at, at, " " + rendered);
}

void ScenarioText::insert_key(const Target& t, const std::string& rendered) {
  const bool flow = is_flow(t.parent);
  const std::string entry = ts::render_scalar(t.key, flow, 0) + ": " + rendered;
  if (t.parent.size() == 0) {
    const std::size_t open = ts::skip_properties(text_, t.parent.Mark().pos);
    if (open >= text_.size() || text_[open] != '{') throw error_at(t.parent, t.path, "cannot find the '{' of this map");
    return replace(open + 1, open + 1, entry);
  }
  const std::size_t first = (*t.parent.begin()).first.Mark().pos;
  replace(first, first, flow ? entry + ", " : entry + "\n" + std::string(ts::column(text_, first), ' '));
}

void ScenarioText::verify_scalar(std::string_view path, std::string_view value, const std::string& before) {
  try {
    const Target t = locate(path, Mode::Need);
    if (t.node.IsScalar() && t.node.Scalar() == value) return;
  } catch (const ScenarioError&) {
  }
  restore(before);
  const Target t = locate(path, Mode::Probe);
  throw error_at(t.found ? t.node : t.parent, path,
                 "cannot write '" + std::string(value) + "' in place here (a multi-line value?); edit the text");
}

void ScenarioText::erase(std::string_view path) {
  const Target t = locate(path, Mode::Probe);
  if (!t.found) return;
  if (!t.in_map) throw error_at(t.node, path, "a list item, not a map entry (remove() removes items)");
  std::vector<std::size_t> keys;
  for (const auto& kv : t.parent) keys.push_back(kv.first.Mark().pos);
  if (is_flow(t.parent))
    erase_flow_entry(t, keys);
  else
    erase_block_entry(t, keys);
}

void ScenarioText::erase_block_entry(const Target& t, const std::vector<std::size_t>& keys) {
  const std::size_t key = keys[t.index];
  const std::size_t end = ts::block_entry_end(text_, key, t.node.IsSequence() && !is_flow(t.node));
  if (keys.size() == 1) return replace(key, end - (text_[end - 1] == '\n' ? 1 : 0), "{}");
  if (ts::first_on_line(text_, key)) return replace(ts::line_start(text_, key), end, "");
  replace(key, keys[t.index + 1], "");  // the first key, after "- ": the next key moves up
}

void ScenarioText::erase_flow_entry(const Target& t, const std::vector<std::size_t>& keys) {
  std::vector<std::size_t> ends;  // after each entry's value
  for (const auto& kv : t.parent) {
    Target entry = t;
    entry.key_node.reset(kv.first);
    entry.node.reset(kv.second);
    const ValueSpan v = value_span(entry);
    ends.push_back(v.empty ? v.start : v.end);
  }
  const std::size_t i = t.index;
  if (keys.size() == 1) return replace(keys[0], ends[0], "");
  if (i + 1 < keys.size()) return replace(keys[i], keys[i + 1], "");
  replace(ends[i - 1], ends[i], "");
}

void ScenarioText::rename(std::string_view path, std::string_view new_key) {
  const Target t = locate(path, Mode::Need);
  if (!t.in_map) throw error_at(t.node, path, "a list item, not a map entry");
  const std::size_t key = t.key_node.Mark().pos;
  const bool flow = is_flow(t.parent);
  replace(key, ts::key_end(text_, key, flow), ts::render_scalar(new_key, flow, 0));
}

std::size_t ScenarioText::count(std::string_view path) const {
  const Target t = locate(path, Mode::Probe);
  if (!t.found) return 0;
  if (!t.node.IsSequence()) throw error_at(t.node, path, "expected a list, got " + got(t.node));
  return t.node.size();
}

std::optional<std::string> ScenarioText::value(std::string_view path) const {
  try {
    const Target t = locate(path, Mode::Probe);
    if (t.found && t.node.IsScalar()) return t.node.Scalar();
  } catch (const ScenarioError&) {
  }
  return std::nullopt;
}

std::string ScenarioText::flow_text(std::string_view path) const {
  const Target t = locate(path, Mode::Need);
  if (!(t.node.IsMap() || t.node.IsSequence()) || is_flow(t.node)) {
    const ValueSpan v = value_span(t);
    if (!v.empty) return text_.substr(v.start, v.end - v.start);
  }
  YAML::Emitter out;
  out.SetMapFormat(YAML::Flow);
  out.SetSeqFormat(YAML::Flow);
  out << t.node;
  return out.c_str();
}

// --- list items ---

ScenarioText::Target ScenarioText::list_at(std::string_view path) const {
  Target t = locate(path, Mode::Need);
  if (!t.node.IsSequence()) throw error_at(t.node, path, "expected a list, got " + got(t.node));
  t.parent.reset(t.node);  // items_of() reads the items of t.parent
  return t;
}

std::vector<ts::ItemSpan> ScenarioText::items_of(const Target& list) const {
  const YAML::Node& node = list.parent;
  const std::size_t open = ts::skip_properties(text_, node.Mark().pos);
  std::vector<ts::ItemSpan> items;
  if (is_flow(node) && open < text_.size() && text_[open] == '[')
    items = ts::flow_items(text_, open);
  else if (!is_flow(node) && open < text_.size() && text_[open] == '-')
    items = ts::block_items(text_, open);
  if (items.size() != node.size()) throw error_at(node, list.path, "cannot find this list's items in the text");
  return items;
}

std::size_t ScenarioText::duplicate(std::string_view path, std::size_t index) {
  const Target list = list_at(path);
  const std::vector<ts::ItemSpan> items = items_of(list);
  if (index >= items.size()) throw error_at(list.node, path, "the list has " + count_items(items.size()));
  const ts::ItemSpan& item = items[index];
  if (is_flow(list.node)) {
    replace(item.end, item.end, ", " + strip_anchors(item.start, item.end));
    return index + 1;
  }
  const std::string indent(ts::column(text_, item.dash), ' ');
  const std::string copy = (text_[item.end - 1] == '\n' ? indent : "\n" + indent) + strip_anchors(item.dash, item.end);
  replace(item.end, item.end, copy);
  return index + 1;
}

void ScenarioText::append(std::string_view path, std::string_view value) { append_item(path, value, false); }

void ScenarioText::append_flow(std::string_view path, std::string_view flow_yaml) { append_item(path, flow_yaml, true); }

void ScenarioText::append_item(std::string_view path, std::string_view value, bool verbatim) {
  const Target list = list_at(path);
  const std::vector<ts::ItemSpan> items = items_of(list);
  const bool flow = is_flow(list.node);
  const std::string item = verbatim ? std::string(value) : ts::render_scalar(value, flow, 0);
  if (flow) {
    if (!items.empty()) return replace(items.back().end, items.back().end, ", " + item);
    const std::size_t open = ts::skip_properties(text_, list.node.Mark().pos);
    return replace(open + 1, open + 1, item);
  }
  const ts::ItemSpan& last = items.back();
  const std::string indent(ts::column(text_, last.dash), ' ');
  const std::string line = (text_[last.end - 1] == '\n' ? indent : "\n" + indent) + "- " + item + "\n";
  replace(last.end, last.end, line);
}

void ScenarioText::remove(std::string_view path, std::size_t index) {
  const Target list = list_at(path);
  const std::vector<ts::ItemSpan> items = items_of(list);
  if (index >= items.size()) throw error_at(list.node, path, "the list has " + count_items(items.size()));
  const ts::ItemSpan& item = items[index];
  if (is_flow(list.node)) {
    if (items.size() == 1) return replace(item.start, item.end, "");
    if (index + 1 < items.size()) return replace(item.start, items[index + 1].start, "");
    return replace(items[index - 1].end, item.end, "");
  }
  if (items.size() == 1) return replace(item.dash, item.end - (text_[item.end - 1] == '\n' ? 1 : 0), "[]");
  if (ts::first_on_line(text_, item.dash)) return replace(item.start, item.end, "");
  replace(item.dash, items[index + 1].dash, "");  // the first item, after "- ": the next one moves up
}

// The text from `from` to `to` without the anchors defined there ("&name"), so that a copy
// does not define them a second time.
std::string ScenarioText::strip_anchors(std::size_t from, std::size_t to) const {
  const std::vector<ts::Anchor> anchors = ts::anchors(text_);
  std::string out = text_.substr(from, to - from);
  for (auto it = anchors.rbegin(); it != anchors.rend(); ++it) {
    if (it->pos < from || it->pos >= to || text_[it->pos] != '&') continue;
    std::size_t a = it->pos - from, b = a + 1 + it->name.size();
    const std::size_t next = ts::skip_blanks(out, b);
    if (next < out.size() && out[next] != '\n' && out[next] != '#')
      b = next;  // "&name value" -> "value"
    else
      while (a > 0 && out[a - 1] == ' ') --a;  // "key: &name" at the end of a line -> "key:"
    out.erase(a, b - a);
  }
  return out;
}

// --- applying an edit ---

void ScenarioText::replace(std::size_t from, std::size_t to, std::string_view with) {
  std::string next = text_.substr(0, from);
  next.append(with).append(text_, to, std::string::npos);
  YAML::Node root;
  try {
    root = YAML::Load(next);
  } catch (const YAML::Exception& e) {
    const int line = static_cast<int>(std::count(text_.begin(), text_.begin() + static_cast<std::ptrdiff_t>(from), '\n')) + 1;
    throw ScenarioError(name_, line, static_cast<int>(ts::column(text_, from)) + 1, "",
                        "this edit would not read back (" + e.msg + "); the text is unchanged");
  }
  text_ = std::move(next);
  root_ = std::make_shared<const YAML::Node>(root);
}

void ScenarioText::restore(const std::string& text) {
  text_ = text;
  root_ = std::make_shared<const YAML::Node>(parse(text_, name_));
}

}  // namespace lvs::scenario
