#pragma once
// The control plane's part of the results: the timeline in keepalived's words, the
// failovers table and availability, for the summary and the JSON document.

#include <nlohmann/json.hpp>
#include <ostream>

#include "run/results.hpp"

namespace lvs::run {

/// Who a timeline record is about, then keepalived's line: "lvs2: VRRP_Instance(VI_1) Entering MASTER STATE".
std::string timeline_line(const TimelineEntry& e);
/// The summary's sections (only when r.control_plane): the timeline (the first `rows`
/// lines), the failovers and availability.
void print_control_plane(std::ostream& os, const RunResult& r, std::size_t rows = 40);
/// Adds "timeline", "failovers" and "availability" to `j`.
void add_control_plane_json(nlohmann::ordered_json& j, const RunResult& r);

}  // namespace lvs::run
