#include "net/ip_fragment.hpp"

#include <algorithm>

namespace lvs {

FragmentQueues::Result FragmentQueues::insert(const PacketPool& pool, PacketId p, std::size_t limit) {
  const Packet& pkt = pool[p];
  const Ipv4Header& h = pkt.outermost();
  const Key key{h.src, h.dst, h.proto, h.id};
  const std::uint32_t start = std::uint32_t{h.frag_offset} * 8;
  const Piece piece{p, start, start + pkt.ip_bytes() - kIpv4Header};
  for (const std::uint32_t q : live_)
    if (queues_[q].key == key) return {file(queues_[q], piece, !h.more_fragments), q, false};
  if (live_.size() >= limit) return {Verdict::Full, 0, false};
  const std::uint32_t q = open(key);
  const Verdict v = file(queues_[q], piece, !h.more_fragments);
  if (v == Verdict::Duplicate || v == Verdict::Corrupt) {  // nothing was filed: no queue after all
    close(q);
    return {Verdict::Duplicate, q, false};
  }
  return {v, q, true};
}

// ip_frag_queue: where the fragment goes, and whether it fits with those held.
FragmentQueues::Verdict FragmentQueues::file(Queue& q, Piece piece, bool last) {
  if (piece.end == piece.start) return Verdict::Duplicate;  // nothing in it
  if (last) {
    if (piece.end < q.end || (q.last_in && piece.end != q.end)) return Verdict::Corrupt;
    q.last_in = true;
    q.end = piece.end;
  } else if (piece.end > q.end) {
    if (q.last_in) return Verdict::Corrupt;  // bytes beyond the end
    q.end = piece.end;
  }
  const auto at = std::lower_bound(q.pieces.begin(), q.pieces.end(), piece.start,
                                   [](const Piece& held, std::uint32_t s) { return held.start < s; });
  if (at != q.pieces.begin()) {
    const Piece& prev = *(at - 1);
    if (prev.end >= piece.end) return Verdict::Duplicate;
    if (prev.end > piece.start) return Verdict::Corrupt;
  }
  if (at != q.pieces.end()) {
    if (at->start == piece.start && at->end >= piece.end) return Verdict::Duplicate;
    if (at->start < piece.end) return Verdict::Corrupt;
  }
  q.pieces.insert(at, piece);
  q.bytes += piece.end - piece.start;
  return q.last_in && q.bytes == q.end ? Verdict::Complete : Verdict::Held;
}

// ip_frag_reasm: the first fragment's headers, the whole datagram's length.
PacketId FragmentQueues::assemble(PacketPool& pool, std::uint32_t q) {
  Queue& queue = queues_[q];
  const PacketId head = queue.pieces.front().p;
  Packet& pkt = pool[head];
  const std::uint32_t headers = pkt.ip_bytes() - kIpv4Header - pkt.payload;
  pkt.payload = queue.end - headers;
  pkt.outermost().more_fragments = false;
  for (std::size_t i = 1; i < queue.pieces.size(); ++i) pool.release(queue.pieces[i].p);
  close(q);
  return head;
}

void FragmentQueues::discard(std::uint32_t q, std::vector<PacketId>& out) {
  for (const Piece& piece : queues_[q].pieces) out.push_back(piece.p);
  close(q);
}

bool FragmentQueues::first_in(std::uint32_t q) const {
  const auto& pieces = queues_[q].pieces;
  return !pieces.empty() && pieces.front().start == 0;
}

std::uint32_t FragmentQueues::open(const Key& key) {
  std::uint32_t q;
  if (free_.empty()) {
    q = static_cast<std::uint32_t>(queues_.size());
    queues_.emplace_back();
  } else {
    q = free_.back();
    free_.pop_back();
  }
  queues_[q].key = key;
  live_.push_back(q);
  return q;
}

void FragmentQueues::close(std::uint32_t q) {
  Queue& queue = queues_[q];
  queue.pieces.clear();  // keeps its capacity for the next datagram
  queue.bytes = 0;
  queue.end = 0;
  queue.last_in = false;
  queue.timer = EventId{};
  live_.erase(std::find(live_.begin(), live_.end(), q));
  free_.push_back(q);
}

}  // namespace lvs
