#include "topology_routes.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

namespace lvs::gui {

namespace {

constexpr double kTrunkStep = 10;  // trunks above a wrapped column, one per net, this far apart

int gap_of(const Route& r) { return std::min(r.host_column, r.net_column); }  // the gap right of that column
bool rightwards(const Route& r) { return r.net_column >= r.host_column; }     // leaves the host's right side

// The lane beside the host's sub-column towards the net, when another sub-column is in the way.
std::optional<double> detour_x(const Route& r, const ColumnGeometry& c) {
  const int s = r.host_sub;
  if (!rightwards(r) && s > 0) return (c.left[s] + c.right[s - 1]) / 2;
  if (rightwards(r) && s + 1 < static_cast<int>(c.left.size())) return (c.right[s] + c.left[s + 1]) / 2;
  return std::nullopt;
}

}  // namespace

std::vector<QPainterPath> route_paths(const std::vector<Route>& routes, const std::vector<ColumnGeometry>& columns,
                                      double gap) {
  std::map<int, std::vector<std::string>> lanes;         // gap -> nets, as met
  std::map<std::pair<std::string, bool>, int> per_side;  // (host, right side) -> its lines there
  for (const Route& r : routes) {
    std::vector<std::string>& l = lanes[gap_of(r)];
    if (std::find(l.begin(), l.end(), r.net) == l.end()) l.push_back(r.net);
    ++per_side[{r.host, rightwards(r)}];
  }
  std::map<std::pair<std::string, bool>, int> drawn;
  std::vector<QPainterPath> out;
  for (const Route& r : routes) {
    const std::vector<std::string>& l = lanes[gap_of(r)];
    const auto lane = std::find(l.begin(), l.end(), r.net) - l.begin();
    const double x =
        columns[gap_of(r)].right.back() + gap * static_cast<double>(lane + 1) / static_cast<double>(l.size() + 1);
    const std::pair<std::string, bool> side{r.host, rightwards(r)};
    const double y = r.host_box.top() + r.host_box.height() * (drawn[side]++ + 1) / (per_side[side] + 1);
    QPainterPath p(QPointF(rightwards(r) ? r.host_box.right() : r.host_box.left(), y));
    const ColumnGeometry& own = columns[r.host_column];
    if (const std::optional<double> via = detour_x(r, own)) {
      const double trunk = own.top - kTrunkStep * static_cast<double>(lane + 1);
      p.lineTo(*via, y);
      p.lineTo(*via, trunk);
      p.lineTo(x, trunk);
    } else {
      p.lineTo(x, y);
    }
    const bool net_left = r.net_column > r.host_column;  // the net's side facing the host
    p.lineTo(x, r.net_box.center().y());
    p.lineTo(net_left ? r.net_box.left() : r.net_box.right(), r.net_box.center().y());
    out.push_back(p);
  }
  return out;
}

}  // namespace lvs::gui
