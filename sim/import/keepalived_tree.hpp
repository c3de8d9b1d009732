#pragma once
// keepalived.conf's lines as a tree of statements: a statement followed by `{` (on its own
// line, or glued to the statement's last word, or on the same line) owns the statements up
// to the matching `}`. Several statements may share a line between braces
// ("virtual_ipaddress { 10.0.0.1 }").

#include <string>
#include <vector>

#include "import/import_diagnostics.hpp"
#include "import/keepalived_lexer.hpp"

namespace lvs::import {

struct ConfNode {
  SourceLine at;
  std::vector<std::string> words;  ///< keyword first; never empty
  bool has_block = false;
  std::vector<ConfNode> block;
};

/// The tree of `lines`; a `}` without its `{` and a `{` never closed are warnings.
std::vector<ConfNode> build_tree(const std::vector<ConfLine>& lines, Diagnostics& diagnostics);

}  // namespace lvs::import
