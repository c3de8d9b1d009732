#pragma once
// Where the topology view puts things: every host, segment and point-to-point link of a
// scenario in a column given by its hop distance from the nearest client over the topology
// graph (host - segment - host, host - link - host), so clients are on the left and the real
// servers on the right; within a column, scenario order. Pure data, no drawing.

#include <cstddef>
#include <string>
#include <vector>

#include "scenario/scenario_spec.hpp"

namespace lvs::gui {

/// One thing the view draws: a host, a segment or a point-to-point link of the spec.
struct TopologyNode {
  enum class Kind { Segment, Link, Host };
  Kind kind = Kind::Host;
  std::size_t index = 0;  ///< into topology.segments, .links or .hosts
  std::string name;
  int column = 0;  ///< hops from the nearest client; unreachable ones one past the last
};

/// The columns, left to right; each in scenario order (segments, links, then hosts, each as
/// declared). Without a client the walk starts at the first host.
std::vector<std::vector<TopologyNode>> topology_columns(const scenario::TopologySpec& t);

}  // namespace lvs::gui
