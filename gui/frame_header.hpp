#pragma once
// The header fields of one row of a packet walk, for the packet walk panel's frame pane:
// Ethernet, the IPIP outer header, IP, protocol, ports, TCP flags, bytes, and the action or
// drop. Every field the row's `changed` names is marked (bold on yellow), as `lvslab trace`
// marks it with '*'.

#include <QString>

#include <string>
#include <utility>
#include <vector>

#include "net/address.hpp"
#include "run/trace.hpp"

namespace lvs::gui {

/// One row's header fields, ready to show.
struct FrameHeader {
  QString html;                     ///< a <pre> block, one field per line
  std::vector<std::string> marked;  ///< the field names marked, in the order of TraceRow::changed
};

/// The fields of `r`; `macs` names each MAC's interface ("node/iface"), as Trace::macs.
FrameHeader frame_header(const run::TraceRow& r, const std::vector<std::pair<MacAddress, std::string>>& macs);

}  // namespace lvs::gui
