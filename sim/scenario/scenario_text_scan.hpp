#pragma once
// Finding the extent of YAML nodes in the text itself, for ScenarioText. yaml-cpp's marks give
// where a node starts (at its anchor or tag if it has one); these functions find where keys,
// scalars, flow collections, block list items and block map entries end, so that an edit can
// replace exactly one value and leave every other byte (comments, layout) as written.
//
// Assumed layout (what the scenario files use): spaces for indentation, single-line plain
// scalars, continuation lines of an item or entry indented deeper than it. ScenarioText checks
// every edit by parsing the result, so a file outside these assumptions gets an error, not a
// silently wrong edit.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lvs::scenario::text_scan {

/// Where the line holding `pos` starts.
std::size_t line_start(std::string_view t, std::size_t pos);
/// Just after the line holding `pos`: after its '\n', or the end of the text.
std::size_t next_line(std::string_view t, std::size_t pos);
/// The 0-based column of `pos`.
std::size_t column(std::string_view t, std::size_t pos);
/// Whether only spaces precede `pos` on its line.
bool first_on_line(std::string_view t, std::size_t pos);
/// The first position at or after `pos` that is not a space or a tab.
std::size_t skip_blanks(std::string_view t, std::size_t pos);
/// The first position at or after `pos` that is not a space, a line break or in a comment.
std::size_t skip_space(std::string_view t, std::size_t pos);
/// The first position at or after `pos` past node properties ("&anchor", "!tag") and space.
std::size_t skip_properties(std::string_view t, std::size_t pos);
/// The first position at or after `pos` past properties ("&anchor", "!tag") and blanks on the same line.
std::size_t skip_inline_properties(std::string_view t, std::size_t pos);

/// Whether `pos` is where a value ends: a line break, a comment, the end, or (in flow) , ] }.
bool at_value_end(std::string_view t, std::size_t pos, bool flow);
/// The end of the scalar or alias starting at `pos`: after a closing quote, or the end of a
/// plain scalar (before " #", the line break, or in flow a flow indicator), trailing spaces excluded.
std::size_t scalar_end(std::string_view t, std::size_t pos, bool flow);
/// The end of a map key starting at `pos` (before its ':').
std::size_t key_end(std::string_view t, std::size_t pos, bool flow);
/// The end of the flow node (scalar, alias, [...] or {...}) starting at `pos`, properties included.
std::size_t flow_node_end(std::string_view t, std::size_t pos);

/// One item of a list in the text.
struct ItemSpan {
  std::size_t start = 0;  ///< block: its line's start (or the '-' if not first on the line); flow: the item
  std::size_t dash = 0;   ///< block: the '-'; flow: the item
  std::size_t end = 0;    ///< block: after its last content line's '\n'; flow: after the item
};
/// The items of the block list whose first '-' is at `dash`.
std::vector<ItemSpan> block_items(std::string_view t, std::size_t dash);
/// The items of the flow list whose '[' is at `open`.
std::vector<ItemSpan> flow_items(std::string_view t, std::size_t open);
/// After the last line of the block map entry whose key is at `key` (its value's lines
/// included; `indentless`: lines "- " at the key's column too, a list written at the key's indentation).
std::size_t block_entry_end(std::string_view t, std::size_t key, bool indentless);

/// An anchor definition ("&name") in a text.
struct Anchor {
  std::size_t pos = 0;  ///< where its '&' is
  std::string name;
};
/// The anchors defined in `text`, in order (from yaml-cpp's event parser; none if it does not parse).
std::vector<Anchor> anchors(const std::string& text);

/// `value` as a scalar that reads back as exactly `value`: plain when it can be, else in
/// `quote` ('\'' or '"'; any other character: double quotes). `flow`: inside [...] or {...}.
std::string render_scalar(std::string_view value, bool flow, char quote);
/// Whether `value` can be written as a plain scalar (in flow context when `flow`).
bool plain_safe(std::string_view value, bool flow);

}  // namespace lvs::scenario::text_scan
