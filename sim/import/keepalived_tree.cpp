#include "import/keepalived_tree.hpp"

namespace lvs::import {

namespace {

struct Builder {
  Diagnostics& diagnostics;
  std::vector<ConfNode> root;
  std::vector<std::vector<ConfNode>*> open{&root};  // innermost last
  std::vector<SourceLine> opened_at;

  void statement(const SourceLine& at, std::vector<std::string>& words) {
    if (!words.empty()) open.back()->push_back({at, std::move(words), false, {}});
    words.clear();
  }
  void open_brace(const SourceLine& at) {
    std::vector<ConfNode>& level = *open.back();
    if (level.empty() || level.back().has_block) {
      diagnostics.warn(at, "'{' without a keyword before it: its block is skipped");
      level.push_back({at, {"{"}, false, {}});
    }
    level.back().has_block = true;
    open.push_back(&level.back().block);
    opened_at.push_back(at);
  }
  void close_brace(const SourceLine& at) {
    if (open.size() == 1) {
      diagnostics.warn(at, "'}' without a matching '{' (skipped)");
      return;
    }
    open.pop_back();
    opened_at.pop_back();
  }
};

}  // namespace

std::vector<ConfNode> build_tree(const std::vector<ConfLine>& lines, Diagnostics& diagnostics) {
  Builder b{diagnostics, {}, {}, {}};
  b.open = {&b.root};
  for (const ConfLine& line : lines) {
    std::vector<std::string> words;
    for (const std::string& w : line.words) {
      if (w == "{") {
        b.statement(line.at, words);
        b.open_brace(line.at);
      } else if (w == "}") {
        b.statement(line.at, words);
        b.close_brace(line.at);
      } else {
        words.push_back(w);
      }
    }
    b.statement(line.at, words);
  }
  for (auto it = b.opened_at.rbegin(); it != b.opened_at.rend(); ++it)
    diagnostics.warn(*it, "'{' is never closed: the block runs to the end of the file");
  return std::move(b.root);
}

}  // namespace lvs::import
