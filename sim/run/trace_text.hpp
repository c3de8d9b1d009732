#pragma once
// Lines of text no wider than a terminal, built from fields that may carry an ANSI style
// (for run/trace_format.cpp). Widths count characters (UTF-8 code points), not bytes, and
// never the escape sequences.

#include <string>
#include <string_view>
#include <vector>

#include "run/trace.hpp"

namespace lvs::run {

/// SGR parameters of the styles used.
inline constexpr const char* kChanged = "1;33";  ///< a field changed at this hop: bold yellow
inline constexpr const char* kDropped = "1;31";  ///< a drop: bold red
inline constexpr const char* kAction = "36";     ///< a node's action: cyan
inline constexpr const char* kHeader = "1";      ///< bold

/// Characters of `s` as a terminal shows them (UTF-8 code points).
inline std::size_t visible(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return n;
}

inline std::string pad_right(std::string s, std::size_t width) {
  const std::size_t w = visible(s);
  if (w < width) s.append(width - w, ' ');
  return s;
}

inline std::string pad_left(const std::string& s, std::size_t width) {
  const std::size_t w = visible(s);
  return w < width ? std::string(width - w, ' ') + s : s;
}

/// A run of text in one style (nullptr: plain).
struct Span {
  std::string text;
  const char* style = nullptr;
};
/// What is never split across lines.
using Field = std::vector<Span>;

/// Appends lines to a string: a line starts with a head; fields follow, each after a
/// separator, and a field that would pass the width starts a continuation line indented
/// by the line's indent.
class Lines {
 public:
  Lines(const TraceFormat& f, std::string& out) : colour_(f.colour), width_(f.width), out_(out) {}

  void begin(std::string head, std::size_t indent) {
    used_ = visible(head);
    line_ = std::move(head);
    indent_ = indent;
    first_ = true;
  }
  void add(const Field& f, std::string_view sep = "  ") {
    std::size_t w = 0;
    for (const Span& s : f) w += visible(s.text);
    if (first_) sep = "";
    if (used_ > indent_ && used_ + sep.size() + w > width_) {
      flush();
      line_.assign(indent_, ' ');
      used_ = indent_;
      sep = "";
    }
    const char* first_style = f.empty() ? nullptr : f.front().style;
    put(sep, style_ == first_style ? style_ : nullptr);
    used_ += sep.size() + w;
    for (const Span& s : f) put(s.text, s.style);
    first_ = false;
  }
  /// Each word of `text` a field, after one space; the first after `first_sep`.
  void add_words(std::string_view text, const char* style, std::string_view first_sep = "  ") {
    std::string_view sep = first_sep;
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t space = text.find(' ', at);
      const std::size_t end = space == std::string_view::npos ? text.size() : space;
      if (end > at) {
        add({{std::string(text.substr(at, end - at)), style}}, sep);
        sep = " ";
      }
      at = end + 1;
    }
  }
  void end() { flush(); }
  /// A whole line of plain text.
  void line(std::string text) {
    begin(std::move(text), 0);
    end();
  }

 private:
  // Appends `text` in `style`, switching the terminal's style only where it changes.
  void put(std::string_view text, const char* style) {
    if (text.empty() || !colour_) {
      line_ += text;
      return;
    }
    if (style != style_ && style_ != nullptr) line_ += "\033[0m";
    if (style != style_ && style != nullptr) line_ += "\033[" + std::string(style) + "m";
    style_ = style;
    line_ += text;
  }
  void flush() {
    while (!line_.empty() && line_.back() == ' ') line_.pop_back();
    if (style_ != nullptr) line_ += "\033[0m";
    style_ = nullptr;
    out_ += line_;
    out_ += '\n';
    line_.clear();
  }

  bool colour_;
  std::size_t width_;
  std::string& out_;
  std::string line_;
  std::size_t used_ = 0;
  std::size_t indent_ = 0;
  bool first_ = true;
  const char* style_ = nullptr;  ///< the style in force at the end of line_ (colour only)
};

}  // namespace lvs::run
