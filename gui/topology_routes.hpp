#pragma once
// The lines of the topology view: each host interface to its segment or link, drawn with
// right angles so that no line crosses a box. A line leaves the host's side facing the net
// (a host's interfaces on one side spread along it), runs along a lane of the gap between
// the two columns (one lane per segment or link crossing that gap, so no two nets share a
// vertical run) and enters the side of the net's box. A host in an inner sub-column of a
// wrapped column first goes up the lane beside its sub-column to a trunk above the column.

#include <QPainterPath>
#include <QRectF>

#include <string>
#include <vector>

namespace lvs::gui {

/// Where a column of the topology view went: its sub-columns (a tall column wraps) and its top.
struct ColumnGeometry {
  std::vector<double> left, right;  ///< x of each sub-column's sides, left to right
  double top = 0;                   ///< y of the column's highest box
};

/// One line to draw: a host's interface to its segment or link.
struct Route {
  std::string host, iface, net;
  QRectF host_box, net_box;  ///< scene coordinates
  int host_column = 0, net_column = 0;
  int host_sub = 0;  ///< the host's sub-column in its column
};

/// The path of each route, in order; `gap`: the width between two columns.
std::vector<QPainterPath> route_paths(const std::vector<Route>& routes, const std::vector<ColumnGeometry>& columns,
                                      double gap);

}  // namespace lvs::gui
