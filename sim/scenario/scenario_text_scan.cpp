#include "scenario/scenario_text_scan.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <cstdio>
#include <sstream>

namespace lvs::scenario::text_scan {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_break(char c) { return c == '\n' || c == '\r'; }
bool is_flow_indicator(char c) { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}'; }

// After the closing quote of the quoted scalar opening at `pos`.
std::size_t quoted_end(std::string_view t, std::size_t pos) {
  const char q = t[pos];
  std::size_t i = pos + 1;
  while (i < t.size()) {
    if (q == '"' && t[i] == '\\') {
      i += 2;
    } else if (t[i] == q) {
      if (q == '\'' && i + 1 < t.size() && t[i + 1] == '\'') {
        i += 2;  // '' is a quote inside single quotes
      } else {
        return i + 1;
      }
    } else {
      ++i;
    }
  }
  return t.size();
}

// The indentation of the line starting at `line`, and whether it holds content (not only
// spaces or a comment).
struct LineInfo {
  std::size_t indent = 0;
  bool content = false;
};

LineInfo line_info(std::string_view t, std::size_t line) {
  std::size_t i = line;
  while (i < t.size() && t[i] == ' ') ++i;
  const bool content = i < t.size() && !is_break(t[i]) && t[i] != '#';
  return LineInfo{i - line, content};
}

// After the anchor, tag or alias token starting at `pos`.
std::size_t token_end(std::string_view t, std::size_t pos) {
  while (pos < t.size() && !is_blank(t[pos]) && !is_break(t[pos]) && !is_flow_indicator(t[pos])) ++pos;
  return pos;
}

bool is_dash_at(std::string_view t, std::size_t pos) {
  return pos < t.size() && t[pos] == '-' && (pos + 1 == t.size() || t[pos + 1] == ' ' || is_break(t[pos + 1]));
}

// Collects the anchors of a text from yaml-cpp's event parser.
class AnchorFinder : public YAML::EventHandler {
 public:
  std::vector<Anchor> anchors;
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
  void OnAnchor(const YAML::Mark& mark, const std::string& name) override {
    anchors.push_back(Anchor{static_cast<std::size_t>(mark.pos), name});
  }
};

}  // namespace

std::size_t line_start(std::string_view t, std::size_t pos) {
  const std::size_t nl = pos == 0 ? std::string_view::npos : t.rfind('\n', pos - 1);
  return nl == std::string_view::npos ? 0 : nl + 1;
}

std::size_t next_line(std::string_view t, std::size_t pos) {
  const std::size_t nl = t.find('\n', pos);
  return nl == std::string_view::npos ? t.size() : nl + 1;
}

std::size_t column(std::string_view t, std::size_t pos) { return pos - line_start(t, pos); }

bool first_on_line(std::string_view t, std::size_t pos) {
  for (std::size_t i = line_start(t, pos); i < pos; ++i)
    if (t[i] != ' ') return false;
  return true;
}

std::size_t skip_blanks(std::string_view t, std::size_t pos) {
  while (pos < t.size() && is_blank(t[pos])) ++pos;
  return pos;
}

std::size_t skip_space(std::string_view t, std::size_t pos) {
  while (pos < t.size()) {
    if (is_blank(t[pos]) || is_break(t[pos]))
      ++pos;
    else if (t[pos] == '#')
      pos = next_line(t, pos);
    else
      break;
  }
  return pos;
}

std::size_t skip_properties(std::string_view t, std::size_t pos) {
  pos = skip_space(t, pos);
  while (pos < t.size() && (t[pos] == '&' || t[pos] == '!')) pos = skip_space(t, token_end(t, pos));
  return pos;
}

std::size_t skip_inline_properties(std::string_view t, std::size_t pos) {
  pos = skip_blanks(t, pos);
  while (pos < t.size() && (t[pos] == '&' || t[pos] == '!')) pos = skip_blanks(t, token_end(t, pos));
  return pos;
}

bool at_value_end(std::string_view t, std::size_t pos, bool flow) {
  pos = skip_blanks(t, pos);
  if (pos >= t.size() || is_break(t[pos]) || t[pos] == '#') return true;
  return flow && (t[pos] == ',' || t[pos] == ']' || t[pos] == '}');
}

std::size_t scalar_end(std::string_view t, std::size_t pos, bool flow) {
  if (pos < t.size() && (t[pos] == '"' || t[pos] == '\'')) return quoted_end(t, pos);
  const bool alias = pos < t.size() && t[pos] == '*';
  std::size_t end = pos;
  for (std::size_t i = pos; i < t.size() && !is_break(t[i]); ++i) {
    if (t[i] == '#' && i > pos && is_blank(t[i - 1])) break;
    if ((flow || alias) && is_flow_indicator(t[i])) break;
    if (alias && is_blank(t[i])) break;
    if (flow && t[i] == ':' && (i + 1 == t.size() || is_blank(t[i + 1]) || is_flow_indicator(t[i + 1]))) break;
    if (!is_blank(t[i])) end = i + 1;
  }
  return end;
}

std::size_t key_end(std::string_view t, std::size_t pos, bool flow) {
  if (pos < t.size() && (t[pos] == '"' || t[pos] == '\'')) return quoted_end(t, pos);
  std::size_t end = pos;
  for (std::size_t i = pos; i < t.size() && !is_break(t[i]); ++i) {
    if (t[i] == ':' && (i + 1 == t.size() || is_blank(t[i + 1]) || is_break(t[i + 1]) ||
                        (flow && is_flow_indicator(t[i + 1]))))
      break;
    if (flow && is_flow_indicator(t[i])) break;
    if (!is_blank(t[i])) end = i + 1;
  }
  return end;
}

std::size_t flow_node_end(std::string_view t, std::size_t pos) {
  pos = skip_properties(t, pos);
  if (pos >= t.size() || (t[pos] != '[' && t[pos] != '{')) return scalar_end(t, pos, true);
  int depth = 0;
  std::size_t i = pos;
  while (i < t.size()) {
    const char c = t[i];
    if (c == '"' || c == '\'') {
      i = quoted_end(t, i);
      continue;
    }
    if (c == '#' && i > 0 && (is_blank(t[i - 1]) || is_break(t[i - 1]))) {
      i = next_line(t, i);
      continue;
    }
    if (c == '[' || c == '{') ++depth;
    if ((c == ']' || c == '}') && --depth == 0) return i + 1;
    ++i;
  }
  return t.size();
}

std::vector<ItemSpan> block_items(std::string_view t, std::size_t dash) {
  const std::size_t col = column(t, dash);
  std::vector<ItemSpan> items;
  ItemSpan item{first_on_line(t, dash) ? line_start(t, dash) : dash, dash, next_line(t, dash)};
  for (std::size_t line = item.end; line < t.size(); line = next_line(t, line)) {
    const LineInfo info = line_info(t, line);
    if (!info.content) continue;
    if (info.indent > col) {
      item.end = next_line(t, line);
    } else if (info.indent == col && is_dash_at(t, line + col)) {
      items.push_back(item);
      item = ItemSpan{line, line + col, next_line(t, line)};
    } else {
      break;
    }
  }
  items.push_back(item);
  return items;
}

std::vector<ItemSpan> flow_items(std::string_view t, std::size_t open) {
  std::vector<ItemSpan> items;
  std::size_t pos = skip_space(t, open + 1);
  while (pos < t.size() && t[pos] != ']') {
    const std::size_t end = flow_node_end(t, pos);
    items.push_back(ItemSpan{pos, pos, end});
    pos = skip_space(t, end);
    if (pos >= t.size() || t[pos] != ',') break;
    pos = skip_space(t, pos + 1);
  }
  return items;
}

std::size_t block_entry_end(std::string_view t, std::size_t key, bool indentless) {
  const std::size_t col = column(t, key);
  std::size_t end = next_line(t, key);
  for (std::size_t line = end; line < t.size(); line = next_line(t, line)) {
    const LineInfo info = line_info(t, line);
    if (!info.content) continue;
    if (info.indent > col || (indentless && info.indent == col && is_dash_at(t, line + col)))
      end = next_line(t, line);
    else
      break;
  }
  return end;
}

std::vector<Anchor> anchors(const std::string& text) {
  AnchorFinder finder;
  std::istringstream in(text);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(finder)) {
    }
  } catch (const YAML::Exception&) {
    return {};
  }
  return finder.anchors;
}

bool plain_safe(std::string_view v, bool flow) {
  if (v.empty() || is_blank(v.front()) || is_blank(v.back())) return false;
  if (v == "~" || v == "null" || v == "Null" || v == "NULL") return false;  // would read as an empty value
  constexpr std::string_view indicators = "[]{},#&*!|>'\"%@`";
  if (indicators.find(v.front()) != std::string_view::npos) return false;
  if ((v.front() == '-' || v.front() == '?' || v.front() == ':') && (v.size() == 1 || is_blank(v[1]))) return false;
  if (v.back() == ':' || v.find(": ") != std::string_view::npos || v.find(" #") != std::string_view::npos)
    return false;
  for (const char c : v) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
    if (flow && is_flow_indicator(c)) return false;
  }
  return true;
}

std::string render_scalar(std::string_view value, bool flow, char quote) {
  bool control = false;
  for (const char c : value) control = control || static_cast<unsigned char>(c) < 0x20;
  if (quote != '\'' && quote != '"' && plain_safe(value, flow)) return std::string(value);
  std::string out;
  if (quote == '\'' && !control) {
    out = "'";
    for (const char c : value) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  }
  out = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      std::array<char, 8> hex{};
      std::snprintf(hex.data(), hex.size(), "\\x%02x", static_cast<unsigned>(c));
      out += hex.data();
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace lvs::scenario::text_scan
