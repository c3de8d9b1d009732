#pragma once
// What the control plane did, marked on the topology drawing: each director's VRRP role at
// the run's end (the master outlined in blue), and every director, real server, storage host
// or link that was down, removed or at weight 0 during the run (outlined in red, with a badge
// giving the intervals, "down 20.0–40.0 s"), read from the Timeline tab's lanes so both say
// the same; and the storage tier's links, which the network drawing does not show: each web
// server's NFS mount as a dashed curve to its storage host (hover: the mount).

#include <QString>

#include <string>
#include <vector>

#include "scenario/scenario_spec.hpp"
#include "timeline_lanes.hpp"

namespace lvs::gui {

class TopologyView;

/// Item data keys of the marks in the view's scene: what the item is ("state", "mount") and
/// the node it is about (the web server, for a mount).
inline constexpr int kMarkWhatKey = 10, kMarkNodeKey = 11;

/// Draws each web server's mount (ServerAppSpec::mount) to the host serving its address, and
/// badges that host "NFS server". Call after TopologyView::set_topology(spec).
void mark_mounts(TopologyView& view, const scenario::ScenarioSpec& spec);
/// Marks each lane's component on the drawing (see above), replacing earlier state marks.
void mark_states(TopologyView& view, const std::vector<Lane>& lanes);
/// Removes the state marks (a new run is on its way).
void clear_states(TopologyView& view);

/// The badge of `node` ("" if none): "VRRP MASTER", "BACKUP; down 20.0–40.0 s", "NFS server".
QString badge_text(const TopologyView& view, const std::string& node);
/// The web servers with a mount curve drawn, in scenario order.
std::vector<std::string> mounted_servers(const TopologyView& view);

/// A lane's spans other than `up` (and other than a director's VRRP role) as one line:
/// "down 20.0–40.0 s, removed 40.0–42.5 s" ("" if it stayed up).
std::string trouble_text(const Lane& lane);

}  // namespace lvs::gui
