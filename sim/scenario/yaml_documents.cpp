#include "scenario/yaml_documents.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <unordered_map>

#include "scenario/yaml_reader.hpp"

namespace lvs::scenario::detail {

namespace {

// Builds the first non-empty document into a YamlTree from the parser's events, and notes where
// each document starts and where the first later document with content has it. One pass of the
// parser serves both: yaml-cpp's own scanner is most of the time it takes to read a large file.
class DocumentBuilder : public YAML::EventHandler {
 public:
  explicit DocumentBuilder(YamlTree& tree) : tree_(tree) {}

  /// Whether the last document started where the one before it did: the parser is stuck.
  bool stuck() const { return documents_ >= 2 && previous_start_.pos == start_.pos; }
  /// Where the last document started.
  YAML::Mark start() const { return start_; }
  /// Whether a document with content has been built.
  bool has_root() const { return has_root_; }
  /// The first content of the second non-empty document; null if there is none.
  YAML::Mark second_document() const { return second_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    previous_start_ = start_;
    start_ = mark;
    ++documents_;
    content_ = YAML::Mark::null_mark();
    building_ = !has_root_;
    if (!building_) return;
    tree_ = YamlTree{};  // an empty document before it built nothing worth keeping
    anchors_.clear();
    open_.clear();
    pending_.clear();
  }
  void OnDocumentEnd() override { has_root_ = has_root_ || (building_ && !content_.is_null()); }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(NodeKind::Null, mark, anchor, {}); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string& value) override {
    note(mark);
    leaf(NodeKind::Scalar, mark, anchor, value);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    note(mark);
    if (building_) attach(anchors_.at(anchor));  // the parser refuses an alias to an unknown anchor
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    note(mark);
    open(NodeKind::Sequence, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    note(mark);
    open(NodeKind::Map, mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  // The first node that is not an empty value makes its document non-empty.
  void note(const YAML::Mark& mark) {
    if (!content_.is_null()) return;
    content_ = mark;
    if (has_root_ && second_.is_null()) second_ = mark;
  }

  NodeId add(NodeKind kind, const YAML::Mark& mark, YAML::anchor_t anchor, const std::string& scalar) {
    const NodeId id = tree_.add(kind, mark, scalar);
    if (anchor != YAML::NullAnchor) anchors_[anchor] = id;
    attach(id);
    return id;
  }
  void leaf(NodeKind kind, const YAML::Mark& mark, YAML::anchor_t anchor, const std::string& scalar) {
    if (building_) add(kind, mark, anchor, scalar);
  }
  void open(NodeKind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (building_) open_.push_back(Open{add(kind, mark, anchor, {}), pending_.size()});
  }
  // The list or map gets its children in one block of their exact number: growing each one's
  // vector item by item cost several allocations per server, and their slack stayed.
  void close() {
    if (!building_) return;
    const Open done = open_.back();
    open_.pop_back();
    tree_[done.node].children.assign(pending_.begin() + static_cast<std::ptrdiff_t>(done.first), pending_.end());
    pending_.resize(done.first);
  }
  // Into the list or map being built (keys and values come in turn), or as the document itself.
  void attach(NodeId id) {
    if (open_.empty())
      tree_.root = id;
    else
      pending_.push_back(id);
  }

  // A list or map being built: its node, and where its children start in pending_.
  struct Open {
    NodeId node;
    std::size_t first;
  };

  YamlTree& tree_;
  std::unordered_map<YAML::anchor_t, NodeId> anchors_;  // of the document being built
  std::vector<Open> open_;                              // the lists and maps being built, innermost last
  std::vector<NodeId> pending_;                         // their children so far, innermost's last
  bool building_ = false;
  bool has_root_ = false;
  std::size_t documents_ = 0;
  YAML::Mark start_ = YAML::Mark::null_mark();
  YAML::Mark previous_start_ = YAML::Mark::null_mark();
  YAML::Mark content_ = YAML::Mark::null_mark();
  YAML::Mark second_ = YAML::Mark::null_mark();
};

// The text at `pos` up to the next white space, for "unexpected ','".
std::string token_at(std::string_view text, int pos) {
  const std::string_view rest = text.substr(static_cast<std::size_t>(pos));
  return std::string(rest.substr(0, rest.find_first_of(" \t\r\n")));
}

// Walks every document of `text`, building the first non-empty one into `tree`. Every document
// but a stuck one moves the parser on by at least one character, so there are at most
// text.size() + 1 of them (yaml-cpp #1040: LoadAll would loop here for ever).
DocumentBuilder parse_documents(std::string_view text, const std::string& name, YamlTree& tree) {
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  DocumentBuilder builder(tree);
  for (std::size_t n = 0; parser.HandleNextDocument(builder); ++n) {
    if (builder.stuck() || n > text.size()) {
      const YAML::Mark at = builder.start();
      throw ScenarioError(name, line_of(at), column_of(at), "",
                          "invalid YAML: unexpected " + quoted(token_at(text, at.pos)));
    }
  }
  return builder;
}

}  // namespace

YamlTree parse_single_document(std::string_view text, const std::string& name) {
  YamlTree tree;
  try {
    const DocumentBuilder found = parse_documents(text, name, tree);
    const YAML::Mark second = found.second_document();
    // Only once the whole text is parsed: a syntax error or stuck input anywhere is reported first.
    if (!second.is_null())
      throw ScenarioError(name, line_of(second), column_of(second), "",
                          "a second YAML document; a scenario file holds one");
    if (!found.has_root()) {
      tree = YamlTree{};
      tree.root = tree.add(NodeKind::Null, YAML::Mark::null_mark());
    }
  } catch (const YAML::Exception& e) {
    throw ScenarioError(name, line_of(e.mark), column_of(e.mark), "", "invalid YAML: " + e.msg);
  }
  return tree;
}

}  // namespace lvs::scenario::detail
