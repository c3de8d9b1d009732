#include "scenario/yaml_documents.hpp"

#include <yaml-cpp/eventhandler.h>

#include <sstream>
#include <vector>

#include "scenario/yaml_reader.hpp"

namespace lvs::scenario::detail {

namespace {

int line_of(const YAML::Mark& m) { return m.is_null() ? 0 : m.line + 1; }
int column_of(const YAML::Mark& m) { return m.is_null() ? 0 : m.column + 1; }

// Where each document starts and whether it holds anything but an empty value; builds no nodes.
class DocumentScan : public YAML::EventHandler {
 public:
  struct Found {
    YAML::Mark start;
    YAML::Mark content;  // the first non-empty node; null when the document is empty
  };
  std::vector<Found> documents;

  void OnDocumentStart(const YAML::Mark& mark) override { documents.push_back(Found{mark, YAML::Mark::null_mark()}); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { note(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override { note(mark); }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    note(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    note(mark);
  }
  void OnMapEnd() override {}

 private:
  void note(const YAML::Mark& mark) {
    if (!documents.empty() && documents.back().content.is_null()) documents.back().content = mark;
  }
};

// The text at `pos` up to the next white space, for "unexpected ','".
std::string token_at(std::string_view text, int pos) {
  const std::string_view rest = text.substr(static_cast<std::size_t>(pos));
  return std::string(rest.substr(0, rest.find_first_of(" \t\r\n")));
}

// Walks the documents of `text` without building them. Every document but a stuck one moves
// the parser on by at least one character, so there are at most text.size() + 1 of them.
DocumentScan scan(std::string_view text, const std::string& name) {
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  DocumentScan found;
  for (std::size_t n = 0; parser.HandleNextDocument(found); ++n) {
    const auto& docs = found.documents;
    const bool stuck = docs.size() >= 2 && docs[docs.size() - 2].start.pos == docs.back().start.pos;
    if (stuck || n > text.size()) {
      const YAML::Mark at = docs.back().start;
      throw ScenarioError(name, line_of(at), column_of(at), "",
                          "invalid YAML: unexpected " + quoted(token_at(text, at.pos)));
    }
  }
  return found;
}

}  // namespace

YAML::Node parse_single_document(std::string_view text, const std::string& name) {
  std::vector<YAML::Node> documents;
  try {
    const DocumentScan found = scan(text, name);
    std::size_t non_empty = 0;
    for (const DocumentScan::Found& d : found.documents) {
      if (d.content.is_null()) continue;
      if (++non_empty == 2)
        throw ScenarioError(name, line_of(d.content), column_of(d.content), "",
                            "a second YAML document; a scenario file holds one");
    }
    documents = YAML::LoadAll(std::string(text));  // ends: the scan above got through
  } catch (const YAML::Exception& e) {
    throw ScenarioError(name, line_of(e.mark), column_of(e.mark), "", "invalid YAML: " + e.msg);
  }
  for (const YAML::Node& document : documents)
    if (!document.IsNull()) return document;
  return YAML::Node();
}

}  // namespace lvs::scenario::detail
