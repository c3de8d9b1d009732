// The word splitter and the include walk of keepalived_lexer.hpp.

#include "import/keepalived_lexer.hpp"

#include <glob.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace lvs::import {

namespace fs = std::filesystem;

std::vector<std::string> split_words(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false, in_word = false;
  const auto flush = [&] {
    if (in_word) words.push_back(word);
    word.clear();
    in_word = false;
  };
  for (const char c : line) {
    if (quoted) {
      if (c == '"') quoted = false;
      else word += c;
      continue;
    }
    if (c == '"') {
      quoted = in_word = true;
    } else if (c == '!' || c == '#') {
      break;
    } else if (c == '{' || c == '}') {
      flush();
      words.emplace_back(1, c);
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
      flush();
    } else {
      word += c;
      in_word = true;
    }
  }
  flush();
  return words;
}

namespace {

struct Walk {
  Diagnostics& diagnostics;
  const LexLimits& limits;
  fs::path main_dir;
  std::vector<fs::path> stack;  // the files being read, outermost first
  std::vector<ConfLine> out;

  void read_file(const fs::path& file, const SourceLine& from);
  void include(const std::string& pattern, const fs::path& including, const SourceLine& at);
};

std::string read_all(const fs::path& file, const SourceLine& from, const std::string& shown, std::size_t max_bytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in || fs::is_directory(file))
    throw ImportError(from.line > 0 ? from : SourceLine{shown, 0},
                      "cannot read " + shown + ": " + (fs::is_directory(file) ? "is a directory" : std::strerror(errno)));
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes)
      throw ImportError({shown, 0}, "larger than " + std::to_string(max_bytes) + " bytes: not a keepalived.conf");
  }
  return text;
}

// The files `pattern` matches, sorted, directories left out.
std::vector<fs::path> glob_files(const std::string& pattern) {
  glob_t g{};
  std::vector<fs::path> files;
  if (glob(pattern.c_str(), GLOB_MARK, nullptr, &g) == 0)
    for (std::size_t i = 0; i < g.gl_pathc; ++i) {
      const std::string p = g.gl_pathv[i];
      if (!p.empty() && p.back() != '/') files.emplace_back(p);
    }
  globfree(&g);
  return files;
}

void Walk::read_file(const fs::path& file, const SourceLine& from) {
  const std::string shown = file.lexically_normal().string();
  if (static_cast<int>(stack.size()) > limits.max_include_depth)
    throw ImportError(from, "includes nested deeper than " + std::to_string(limits.max_include_depth) + " levels");
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(file, ec);
  for (std::size_t i = 0; i < stack.size(); ++i)
    if (stack[i] == canonical) {
      std::string chain;
      for (std::size_t j = i; j < stack.size(); ++j) chain += stack[j].filename().string() + " -> ";
      throw ImportError(from, "include cycle: " + chain + canonical.filename().string());
    }
  const std::string text = read_all(file, from, shown, limits.max_file_bytes);
  stack.push_back(canonical);
  std::istringstream lines(text);
  std::string line, logical;
  int number = 0, start = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (logical.empty()) start = number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line.back() == '\\') {
      logical += line.substr(0, line.size() - 1) + ' ';
      continue;
    }
    logical += line;
    std::vector<std::string> words = split_words(logical);
    logical.clear();
    if (words.empty()) continue;
    const SourceLine at{shown, start};
    if (words[0] == "include") {
      if (words.size() != 2) diagnostics.warn(at, "include takes one file name or pattern (skipped)");
      else include(words[1], file, at);
      continue;
    }
    if (out.size() >= limits.max_lines)
      throw ImportError(at, "more than " + std::to_string(limits.max_lines) + " lines in all: not a keepalived.conf");
    out.push_back({at, std::move(words)});
  }
  stack.pop_back();
}

void Walk::include(const std::string& pattern, const fs::path& including, const SourceLine& at) {
  const fs::path p(pattern);
  std::vector<fs::path> files = glob_files(p.is_absolute() ? pattern : (including.parent_path() / p).string());
  if (files.empty() && p.is_absolute()) {
    // A configuration copied off its machine: try the tail of the path under the main file's directory.
    const std::vector<fs::path> parts(std::next(p.begin()), p.end());
    for (std::size_t skip = 0; skip < parts.size() && files.empty(); ++skip) {
      fs::path tail = main_dir;
      for (std::size_t i = skip; i < parts.size(); ++i) tail /= parts[i];
      files = glob_files(tail.string());
      if (!files.empty())
        diagnostics.warn(at, "include " + pattern + ": not found; read " + tail.lexically_normal().string() +
                                 " under the main file's directory instead");
    }
  }
  if (files.empty()) {
    diagnostics.warn(at, "include " + pattern + ": no file matches (skipped, as keepalived does)");
    return;
  }
  if (files.size() > limits.max_glob_files)
    throw ImportError(at, "include " + pattern + " matches " + std::to_string(files.size()) + " files, more than " +
                              std::to_string(limits.max_glob_files));
  for (const fs::path& f : files) read_file(f, at);
}

}  // namespace

std::vector<ConfLine> lex_keepalived(const std::string& main_file, Diagnostics& diagnostics, const LexLimits& limits) {
  Walk walk{diagnostics, limits, fs::path(main_file).parent_path(), {}, {}};
  walk.read_file(main_file, SourceLine{});
  return std::move(walk.out);
}

}  // namespace lvs::import
