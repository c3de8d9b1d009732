#include "scenario/yaml_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <system_error>
#include <utility>

#include "scenario/yaml_document_state.hpp"
#include "scenario/yaml_documents.hpp"

namespace lvs::scenario {

namespace detail {

// What a node is, for "got ...": "a map", "a list", "an empty value" or the quoted scalar.
std::string found(const YamlNode& node) {
  switch (node.kind) {
    case NodeKind::Map:
      return "a map";
    case NodeKind::Sequence:
      return "a list";
    case NodeKind::Scalar:
      return quoted(node.scalar);
    default:
      return "an empty value";
  }
}

}  // namespace detail

namespace {

using detail::found;

std::string located(const std::string& file, int line, int column, const std::string& key_path,
                    const std::string& message) {
  std::string out = file;
  if (line > 0) out += ':' + std::to_string(line) + ':' + std::to_string(column);
  out += ": ";
  if (!key_path.empty()) out += key_path + ": ";
  return out + message;
}

using detail::column_of;
using detail::line_of;
using detail::NodeId;
using detail::NodeKind;
using detail::YamlNode;
using detail::YamlTree;

// An empty value has no text of its own: yaml-cpp marks it where the next token starts, so it is
// reported at its key (`key_mark`; null for a list item) instead.
YAML::Mark reported_mark(const YamlNode& node, YAML::Mark key_mark) {
  const bool at_key = !key_mark.is_null() && (node.kind == NodeKind::Null || node.mark.is_null());
  return at_key ? key_mark : node.mark;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return "[" + out + "]";
}

// Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string read_file(const std::string& path) {
  const auto fail = [&path] {
    return ScenarioError(path, 0, 0, "", "cannot read the file: " + std::generic_category().message(errno));
  };
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) throw fail();
  std::string text;
  char buffer[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) text.append(buffer, n);
  if (std::ferror(file.get())) throw fail();
  return text;
}

}  // namespace

// --- ScenarioError ---

ScenarioError::ScenarioError(std::string file, int line, int column, std::string key_path, std::string message)
    : ScenarioError(located(file, line, column, key_path, message), file, line, column, key_path, message, "") {}

ScenarioError ScenarioError::in_override(std::string file, std::string setting, std::string key_path,
                                         std::string message) {
  std::string what = "--set " + setting + ": " + message;
  return ScenarioError(std::move(what), std::move(file), 0, 0, std::move(key_path), std::move(message),
                       std::move(setting));
}

ScenarioError::ScenarioError(std::string what, std::string file, int line, int column, std::string key_path,
                             std::string message, std::string setting)
    : std::runtime_error(what),
      file_(std::move(file)),
      line_(line),
      column_(column),
      key_path_(std::move(key_path)),
      message_(std::move(message)),
      setting_(std::move(setting)) {}

// --- Document ---

Document::Document(std::shared_ptr<detail::DocumentState> state) : state_(std::move(state)) {}

Document Document::load(const std::string& path) { return from_string(read_file(path), path); }

Document Document::from_string(std::string_view text, std::string name) {
  auto state = std::make_shared<detail::DocumentState>();
  state->tree = detail::parse_single_document(text, name);
  detail::check_keys(state->tree, name);
  state->name = std::move(name);
  return Document(std::move(state));
}

Cursor Document::root() const { return Cursor(state_, state_->tree.root, "", YAML::Mark()); }
const std::string& Document::name() const { return state_->name; }
YamlTree& Document::tree() { return state_->tree; }
void Document::note_override(std::string key_path, NodeId node) {
  state_->overridden_nodes.emplace_back(node, key_path);
  state_->overridden.insert(std::move(key_path));
}
bool Document::is_overridden(std::string_view key_path) const { return state_->overridden.contains(key_path); }

// --- Cursor: navigation ---

Cursor::Cursor(std::shared_ptr<const detail::DocumentState> doc, NodeId node, std::string path, YAML::Mark key_mark)
    : doc_(std::move(doc)), node_(node), path_(std::move(path)), key_mark_(key_mark) {}

Cursor& Cursor::operator=(const Cursor& other) = default;

Cursor Cursor::child(NodeId node, std::string path, YAML::Mark key_mark) const {
  return Cursor(doc_, node, std::move(path), key_mark);
}

const YamlNode& Cursor::node() const { return doc_->tree[node_]; }
NodeKind Cursor::kind() const { return node().kind; }

// A linear search: scenario maps have a dozen keys at most. The index in children of the key, or
// none; no cursor is built, so has() costs no path.
std::optional<std::size_t> Cursor::key_index(std::string_view key) const {
  const YamlNode& map = node();
  if (map.kind != NodeKind::Map) fail("expected a map, got " + found(map));
  for (std::size_t k = 0; k + 1 < map.children.size(); k += 2) {
    const YamlNode& key_node = doc_->tree[map.children[k]];
    if (key_node.kind == NodeKind::Scalar && key_node.scalar == key) return k;
  }
  return std::nullopt;
}

std::optional<Cursor> Cursor::lookup(std::string_view key) const {
  const std::optional<std::size_t> k = key_index(key);
  if (!k) return std::nullopt;
  const YamlNode& map = node();
  return child(map.children[*k + 1], child_path(path_, key), doc_->tree[map.children[*k]].mark);
}

Cursor Cursor::at(std::string_view key) const {
  std::optional<Cursor> value = lookup(key);
  if (!value) fail("missing required key '" + std::string(key) + "'");
  return *value;
}

Cursor Cursor::at(std::size_t index) const {
  const YamlNode& list = node();
  if (list.kind != NodeKind::Sequence) fail("expected a list, got " + found(list));
  if (index >= list.children.size())
    fail("expected at least " + std::to_string(index + 1) + " items, got " + std::to_string(list.children.size()));
  return child(list.children[index], item_path(path_, index), YAML::Mark::null_mark());
}

bool Cursor::has(std::string_view key) const { return key_index(key).has_value(); }
std::optional<Cursor> Cursor::find(std::string_view key) const { return lookup(key); }

std::vector<Cursor> Cursor::items() const {
  const YamlNode& list = node();
  if (list.kind != NodeKind::Sequence) fail("expected a list, got " + found(list));
  std::vector<Cursor> out;
  out.reserve(list.children.size());
  for (const NodeId item : list.children)
    out.push_back(child(item, item_path(path_, out.size()), YAML::Mark::null_mark()));
  return out;
}

std::vector<MapEntry> Cursor::entries() const {
  const YamlNode& map = node();
  if (map.kind != NodeKind::Map) fail("expected a map, got " + found(map));
  std::vector<MapEntry> out;
  out.reserve(map.children.size() / 2);
  for (std::size_t k = 0; k + 1 < map.children.size(); k += 2) {
    const YamlNode& key = doc_->tree[map.children[k]];
    out.push_back(MapEntry{key.scalar, child(map.children[k + 1], child_path(path_, key.scalar), key.mark)});
  }
  return out;
}

std::size_t Cursor::size() const {
  const YamlNode& here = node();
  if (here.kind == NodeKind::Map) return here.children.size() / 2;
  if (here.kind != NodeKind::Sequence) fail("expected a list or a map, got " + found(here));
  return here.children.size();
}

// --- Cursor: typed reads ---

// This scalar's text; else an error "expected <describe()>, got ...". The description is spelt
// only for the error: spelling it for every read cost an allocation or more each.
template <class Describe>
const std::string& Cursor::scalar_text(Describe describe) const {
  const YamlNode& here = node();
  if (here.kind != NodeKind::Scalar) fail("expected " + std::string(describe()) + ", got " + found(here));
  return here.scalar;
}

template <ScalarValue T>
T Cursor::as() const {
  const std::string& text = scalar_text([] { return describe_expected<T>(); });
  try {
    return read_scalar<T>(text);
  } catch (const std::invalid_argument& e) {
    fail(e.what());
  }
}

template <OrderedValue T>
T Cursor::as(Range<T> range) const {
  const std::string& text = scalar_text([&range] { return describe_expected(range); });
  try {
    return read_scalar(text, range);
  } catch (const std::invalid_argument& e) {
    fail(e.what());
  }
}

template bool Cursor::as<bool>() const;
template std::int64_t Cursor::as<std::int64_t>() const;
template int Cursor::as<int>() const;
template double Cursor::as<double>() const;
template std::string Cursor::as<std::string>() const;
template Time Cursor::as<Time>() const;
template DataRate Cursor::as<DataRate>() const;
template ByteSize Cursor::as<ByteSize>() const;
template Ipv4Address Cursor::as<Ipv4Address>() const;
template Ipv4Prefix Cursor::as<Ipv4Prefix>() const;
template MacAddress Cursor::as<MacAddress>() const;
template std::int64_t Cursor::as<std::int64_t>(Range<std::int64_t>) const;
template int Cursor::as<int>(Range<int>) const;
template double Cursor::as<double>(Range<double>) const;
template Time Cursor::as<Time>(Range<Time>) const;
template DataRate Cursor::as<DataRate>(Range<DataRate>) const;
template ByteSize Cursor::as<ByteSize>(Range<ByteSize>) const;

// --- Cursor: choices, keys, errors ---

std::string Cursor::one_of(const std::vector<std::string>& allowed) const {
  const std::string& text = scalar_text([&allowed] { return "one of " + join(allowed); });
  if (std::find(allowed.begin(), allowed.end(), text) != allowed.end()) return text;
  const std::string hint = closest_name(text, allowed);
  fail("expected one of " + join(allowed) + ", got " + quoted(text) +
       (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
}

std::string Cursor::choice(std::string_view key, const std::vector<std::string>& allowed) const {
  return at(key).one_of(allowed);
}

std::string Cursor::choice(std::string_view key, const std::vector<std::string>& allowed,
                           std::string_view fallback) const {
  if (std::find(allowed.begin(), allowed.end(), fallback) == allowed.end())
    throw std::logic_error("choice('" + std::string(key) + "'): the default '" + std::string(fallback) +
                           "' is not allowed");
  const std::optional<Cursor> value = find(key);
  return value ? value->one_of(allowed) : std::string(fallback);
}

namespace {

// The names of a list written in place, for an error.
std::vector<std::string> names_of(std::initializer_list<std::string_view> names) {
  return std::vector<std::string>(names.begin(), names.end());
}

bool contains(std::initializer_list<std::string_view> names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::string Cursor::choice(std::string_view key, std::initializer_list<std::string_view> allowed,
                           std::string_view fallback) const {
  if (!contains(allowed, fallback)) return choice(key, names_of(allowed), fallback);  // throws: a bad default
  const std::optional<Cursor> value = find(key);
  if (!value) return std::string(fallback);
  if (value->is_scalar() && contains(allowed, value->node().scalar)) return value->node().scalar;
  return value->one_of(names_of(allowed));  // throws, naming them
}

void Cursor::allow_keys(std::initializer_list<std::string_view> allowed) const {
  const YamlNode& map = node();
  if (map.kind == NodeKind::Map)
    for (std::size_t k = 0; k < map.children.size(); k += 2)
      if (!contains(allowed, doc_->tree[map.children[k]].scalar)) return allow_keys(names_of(allowed));  // throws
  if (map.kind != NodeKind::Map) allow_keys(names_of(allowed));  // throws: not a map
}

void Cursor::allow_keys(const std::vector<std::string>& allowed) const {
  const YamlNode& map = node();
  if (map.kind != NodeKind::Map) fail("expected a map, got " + found(map));
  for (std::size_t k = 0; k < map.children.size(); k += 2) {
    const YamlNode& key_node = doc_->tree[map.children[k]];
    const std::string& key = key_node.scalar;
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    const std::string hint = closest_name(key, allowed);
    throw error_at(child_path(path_, key), key_node.mark,
                   "unknown key '" + key + "'" +
                       (hint.empty() ? ", expected one of " + join(allowed) : ", did you mean '" + hint + "'?"));
  }
}


ScenarioError Cursor::error_at(const std::string& path, YAML::Mark mark, std::string_view message) const {
  if (doc_->overridden.contains(path)) return ScenarioError::in_override(doc_->name, path, path, std::string(message));
  return ScenarioError(doc_->name, line_of(mark), column_of(mark), path, std::string(message));
}

YAML::Mark Cursor::report_mark() const { return reported_mark(node(), key_mark_); }

ScenarioError Cursor::error(std::string_view message) const {
  if (const std::string* setting = doc_->setting_of(node_))
    return ScenarioError::in_override(doc_->name, *setting, *setting, std::string(message));
  return error_at(path_, report_mark(), message);
}

void Cursor::fail(std::string_view message) const { throw error(message); }

Position Cursor::mark() const { return mark_of(node_, path_, key_mark_); }

// The node `node` at `path`, named by the key at `key_mark`: mark() of a cursor on it.
Position Cursor::mark_of(NodeId node, std::string_view path, YAML::Mark key_mark) const {
  if (doc_->overridden.contains(path) || doc_->setting_of(node)) return Position{};
  const YAML::Mark m = reported_mark(doc_->tree[node], key_mark);
  return Position{line_of(m), column_of(m)};
}

const std::string& Cursor::file() const { return doc_->name; }

// --- free functions ---

std::string child_path(std::string_view parent, std::string_view key) {
  return parent.empty() ? std::string(key) : std::string(parent) + '.' + std::string(key);
}

std::string item_path(std::string_view parent, std::size_t index) {
  return std::string(parent) + '[' + std::to_string(index) + ']';
}

std::string closest_name(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 3;  // only within 2
  bool tie = false;
  for (const std::string& candidate : candidates) {
    const std::size_t d = edit_distance(word, candidate);
    if (d >= candidate.size()) continue;
    if (d < best_distance) {
      best = candidate;
      best_distance = d;
      tie = false;
    } else if (d == best_distance && candidate != best) {
      tie = true;
    }
  }
  return tie ? "" : best;
}

}  // namespace lvs::scenario
