#pragma once
// A loaded scenario document as a compact tree: the nodes in one vector, addressed by index.
// yaml-cpp's own YAML::Node costs several heap blocks and shared pointers per node (about
// 1 GB and 2 s of building and freeing for 100 000 servers, issue 13); this tree holds what
// the reader uses, a kind, a position and a scalar's text, in a tenth of that.
//
// An alias (*name) is the index of its anchor's node, so it shares that node as it does in
// yaml-cpp: a --set on the anchor's value is seen through every alias.

#include <yaml-cpp/mark.h>

#include <cstdint>
#include <string>
#include <vector>

namespace lvs::scenario::detail {

using NodeId = std::uint32_t;

enum class NodeKind : std::uint8_t { Null, Scalar, Sequence, Map };

struct YamlNode {
  NodeKind kind = NodeKind::Null;
  YAML::Mark mark = YAML::Mark::null_mark();  // null for a value set with --set
  std::string scalar;                         // a scalar's text
  std::vector<NodeId> children;               // a list's items; a map's keys and values, alternating, in file order
};

struct YamlTree {
  std::vector<YamlNode> nodes;
  NodeId root = 0;

  /// A new node with no children.
  NodeId add(NodeKind kind, YAML::Mark mark, std::string scalar = {}) {
    nodes.push_back(YamlNode{kind, mark, std::move(scalar), {}});
    return static_cast<NodeId>(nodes.size() - 1);
  }
  const YamlNode& operator[](NodeId id) const { return nodes[id]; }
  YamlNode& operator[](NodeId id) { return nodes[id]; }
};

/// A mark's line and column, counted from 1 as editors count them; 0 for a null mark.
inline int line_of(const YAML::Mark& m) { return m.is_null() ? 0 : m.line + 1; }
inline int column_of(const YAML::Mark& m) { return m.is_null() ? 0 : m.column + 1; }

}  // namespace lvs::scenario::detail
