#pragma once
// keepalived.conf -> KeepalivedConfig, following keepalived 2.2.7's parsers
// (check/check_parser.c, vrrp/vrrp_parser.c, core/global_parser.c; docs/keepalived-conf.md).
// What keepalived would accept but the model does not use, what it would not accept, and
// what is read differently from how it is written, each become a warning with FILE:LINE.

#include <string>
#include <vector>

#include "import/imported_config.hpp"
#include "import/keepalived_lexer.hpp"
#include "import/keepalived_tree.hpp"

namespace lvs::import {

/// Reads `file` and its includes. Throws ImportError for input that cannot be read.
KeepalivedConfig read_keepalived(const std::string& file, Diagnostics& diagnostics, const LexLimits& limits = {});

/// Reads an already built tree (`file` names the main file).
KeepalivedConfig read_keepalived_tree(const std::vector<ConfNode>& root, const std::string& file,
                                      Diagnostics& diagnostics);

}  // namespace lvs::import
