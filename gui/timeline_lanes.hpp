#pragma once
// The Timeline tab's model, without Qt: one lane per thing whose state the control plane
// changes (each VRRP instance's master, each director, each real server, each storage host,
// each link that went down), as spans of a state over the run, plus one mark per record of
// RunResult::timeline on the lane of the component it names. Every state change comes from
// a record of the run's own log (keepalived's words) or, for ipvsadm edits, from the
// scenario's timeline, which the run carries out at exactly the time written; nothing here
// is a statistic, and the master lane agrees with Sample::vrrp_master at every sample.

#include <cstddef>
#include <string>
#include <vector>

#include "run/results.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs::gui {

/// A state held over [from_s, to_s), seconds of simulated time.
struct LaneSpan {
  double from_s = 0, to_s = 0;
  std::string state;  ///< "up", "down", "removed", "weight 0", "MASTER", "BACKUP", "lvs1", "none", ...
  std::string why;    ///< the record that began it ("20.000 s lvs1: power off ..."), "" at the start
};

/// One record of the run's timeline, drawn on a lane.
struct LaneMark {
  double time_s = 0;
  std::size_t entry = 0;  ///< index into RunResult::timeline
  std::string text;       ///< timeline_text() of that record
};

struct Lane {
  enum class Kind { Master, Director, Server, Storage, Link, Other };
  Kind kind = Kind::Other;
  std::string name;    ///< the component: "VI_1", "lvs1", "web2", "nfs1", "heartbeat"
  std::string title;   ///< what the lane's label says: "VI_1 master", "web2", "nfs1 (NFS)"
  std::vector<LaneSpan> spans;  ///< in time order, adjacent, covering [0, the run's end)
  std::vector<LaneMark> marks;  ///< in time order
};

/// The lanes of run `r` of `spec`: masters, directors, real servers, storage hosts, links that
/// changed state, then "other" for records that name none of them (only if there are any).
/// Every record of r.timeline is marked on exactly one lane.
std::vector<Lane> timeline_lanes(const run::RunResult& r, const scenario::ScenarioSpec& spec);

/// The state of `lane` at `time_s` ("" outside the run).
std::string state_at(const Lane& lane, double time_s);

/// "20.000 s  lvs1: power off (silent: ...)": a record as the summary prints it.
std::string timeline_text(const run::TimelineEntry& e);

}  // namespace lvs::gui
