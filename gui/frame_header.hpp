#pragma once
// One hop of a packet walk as the packet walk panel's frame pane shows it: where and when,
// the action, the sentence saying why the node acted (TraceRow::reason, from the library),
// then the header fields before → after, grouped by layer: Ethernet; the IPIP outer header
// when there is one, with the IP header it carries nested under it; IP; TCP or UDP; the
// frame's bytes. "Before" is the same packet at its previous frame (the row TraceRow::changed
// compares against, run::previous_frame); every field the row changed is coloured, as
// `lvslab trace` marks it with '*'.

#include <QString>

#include <cstddef>
#include <string>
#include <vector>

#include "run/trace.hpp"

namespace lvs::gui {

/// One field of the before → after table.
struct HeaderCell {
  std::string key;  ///< the TraceRow::changed name it shows ("eth_dst", "outer", ...); "" if never marked
  QString layer;    ///< "Ethernet", "outer IP (IPIP)", "IP", "TCP", "UDP", "ARP", "frame"
  QString label;    ///< "src MAC", "dst", "flags", ...
  QString before;   ///< the value at the packet's previous frame; "—" when there is none
  QString after;    ///< the value at this row
  bool changed = false;  ///< the row names `key` as changed
};

/// One row's pane, ready to show.
struct FrameHeader {
  QString html;                     ///< the pane's rich text
  std::vector<std::string> marked;  ///< the field names coloured, in the order of TraceRow::changed
  std::vector<HeaderCell> cells;    ///< the table's fields, top to bottom
};

/// The pane of row `i` of `t`.
FrameHeader frame_header(const run::Trace& t, std::size_t i);

/// A walk's time as the GUI shows it: milliseconds from the request's first row, 3 decimals ("3.048 ms").
QString walk_time(Time since_first_row);

}  // namespace lvs::gui
