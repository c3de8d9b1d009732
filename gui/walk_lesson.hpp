#pragma once
// The packet walk as a lesson: how the four columns step together and what folds. A walk's
// rows are keyed by the packet of the request they carry — the client's k-th packet or the
// server side's k-th, in order of first appearance — so the same key names the same TCP
// segment in every mode's walk of the same request (each mode runs the same session of the
// same scenario, derived per mode). A run of consecutive ARP rows folds into one line; it
// leads to the packet that waited for it, and takes that packet's key.

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "run/trace.hpp"

namespace lvs::gui {

/// The k-th packet of the request in one direction (ordinal from 1; 0: none).
struct PacketKey {
  bool to_server = true;  ///< sent by the client
  int ordinal = 0;
  bool operator==(const PacketKey& o) const { return to_server == o.to_server && ordinal == o.ordinal; }
  bool operator!=(const PacketKey& o) const { return !(*this == o); }
  /// "client's packet 3", "server's packet 1", "" for none.
  std::string text() const;
};

/// The key of each row of `t`: an IP row its packet's; an ARP row the key of the next IP row.
std::vector<PacketKey> packet_keys(const run::Trace& t);

/// Runs of two or more consecutive ARP rows, as (first, last) row indices.
std::vector<std::pair<int, int>> arp_runs(const run::Trace& t);

/// The row of `t` (keys `keys`) that corresponds to `like`, a row of packet `key` in another
/// walk: that packet's row at the same node with the same event, else its `nth` row (from 0,
/// clamped to its last); -1 if the packet is not in `t`.
int matching_row(const run::Trace& t, const std::vector<PacketKey>& keys, PacketKey key, const run::TraceRow& like,
                 int nth);

/// The index of `row` among the rows of its own packet (0 for an ARP row).
int nth_of_packet(const run::Trace& t, int row);

/// The first row after `from` where a director acted (a frame out of one of `directors`
/// with a reason); -1 if none.
int next_director_row(const run::Trace& t, int from, const std::set<std::string>& directors);

}  // namespace lvs::gui
