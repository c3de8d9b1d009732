#pragma once
// keepalived.conf as lines of words, includes expanded, the way keepalived 2.2.7's
// lib/parser.c reads it (docs/keepalived-conf.md): words split at blanks; "quoted strings"
// are one word; `!` and `#` start a comment anywhere outside quotes; `{` and `}` are words of
// their own even when glued to another ("real_server 10.0.0.1 80{"); a line ending in `\`
// continues on the next; `include PATTERN` is replaced by the files the glob matches (in
// sorted order), a relative pattern taken from the including file's directory.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "import/import_diagnostics.hpp"

namespace lvs::import {

/// One logical line: its words, and where it starts.
struct ConfLine {
  SourceLine at;
  std::vector<std::string> words;
};

/// What bounds a read: nested includes, files per pattern, lines and bytes in all.
struct LexLimits {
  int max_include_depth = 8;
  std::size_t max_glob_files = 256;
  std::size_t max_lines = 1'000'000;
  std::size_t max_file_bytes = 16u << 20;
};

/// The lines of `main_file` and what it includes. Throws ImportError for a main file that
/// cannot be read, an include cycle, includes nested too deep, or input over the limits;
/// warns for an include that matches nothing (keepalived goes on without it).
std::vector<ConfLine> lex_keepalived(const std::string& main_file, Diagnostics& diagnostics,
                                     const LexLimits& limits = {});

/// The words of one line as the rules above split it (comments dropped).
std::vector<std::string> split_words(std::string_view line);

}  // namespace lvs::import
