#include "walk_lesson.hpp"

#include <algorithm>
#include <map>

namespace lvs::gui {

namespace {

bool is_arp(const run::TraceRow& r) { return r.packet.ethertype == EtherType::Arp; }

}  // namespace

std::string PacketKey::text() const {
  if (ordinal == 0) return "";
  return std::string(to_server ? "client's packet " : "server's packet ") + std::to_string(ordinal);
}

std::vector<PacketKey> packet_keys(const run::Trace& t) {
  std::vector<PacketKey> keys(t.rows.size());
  std::map<std::uint64_t, PacketKey> seen;
  int sent[2] = {0, 0};  // packets seen so far from the server side, from the client
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const run::TraceRow& r = t.rows[i];
    if (is_arp(r)) continue;
    auto [it, added] = seen.try_emplace(r.packet.id, PacketKey{r.to_server, 0});
    if (added) it->second.ordinal = ++sent[r.to_server ? 1 : 0];
    keys[i] = it->second;
  }
  PacketKey next;  // an ARP row leads to the next IP row's packet
  for (std::size_t i = t.rows.size(); i-- > 0;) {
    if (is_arp(t.rows[i]))
      keys[i] = next;
    else
      next = keys[i];
  }
  return keys;
}

std::vector<std::pair<int, int>> arp_runs(const run::Trace& t) {
  std::vector<std::pair<int, int>> runs;
  const int n = static_cast<int>(t.rows.size());
  for (int i = 0; i < n;) {
    int j = i;
    while (j < n && is_arp(t.rows[j])) ++j;
    if (j - i >= 2) runs.emplace_back(i, j - 1);
    i = std::max(j, i + 1);
  }
  return runs;
}

int matching_row(const run::Trace& t, const std::vector<PacketKey>& keys, PacketKey key, const run::TraceRow& like,
                 int nth) {
  std::vector<int> rows;  // the packet's own rows, in order
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    if (keys[i] == key && !is_arp(t.rows[i])) rows.push_back(static_cast<int>(i));
  if (rows.empty() || key.ordinal == 0) return -1;
  for (const int i : rows)
    if (t.rows[i].node == like.node && t.rows[i].event == like.event) return i;
  return rows[std::clamp(nth, 0, static_cast<int>(rows.size()) - 1)];
}

int nth_of_packet(const run::Trace& t, int row) {
  const run::TraceRow& r = t.rows[row];
  if (is_arp(r)) return 0;
  int n = 0;
  for (int i = 0; i < row; ++i) n += !is_arp(t.rows[i]) && t.rows[i].packet.id == r.packet.id;
  return n;
}

int next_director_row(const run::Trace& t, int from, const std::set<std::string>& directors) {
  for (int i = std::max(from + 1, 0); i < static_cast<int>(t.rows.size()); ++i) {
    const run::TraceRow& r = t.rows[i];
    if (r.event == run::HopEvent::Out && !r.reason.empty() && directors.count(r.node) != 0) return i;
  }
  return -1;
}

}  // namespace lvs::gui
