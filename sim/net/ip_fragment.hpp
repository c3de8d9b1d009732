#pragma once
// IPv4 reassembly queues of one host, as Linux's ip_fragment.c (struct ipq): one queue
// per datagram being reassembled, keyed by (source, destination, protocol, id) of the
// fragmented header (RFC 791), holding its fragments sorted by offset.
//
// As Linux since 4.19 (RFC 5722 applied to IPv4): a fragment wholly inside one already
// held is a duplicate and is dropped alone; any other overlap, or fragments that
// disagree about where the datagram ends, discard the whole datagram. The queue is
// complete when the last fragment (MF clear) has arrived and the bytes held, which
// never overlap, add up to its end.
//
// Queues live in slots that are reused, each keeping its fragment vector's capacity:
// after warm-up nothing is allocated per fragment. The live queues are found by a
// linear search (there are a handful at a time; at most `limit` under a fragment flood).
// The caller owns the timers and the drops; this class only files packet ids.

#include <cstdint>
#include <vector>

#include "core/event_queue.hpp"
#include "net/packet_pool.hpp"

namespace lvs {

class FragmentQueues {
 public:
  /// What insert() did with a fragment.
  enum class Verdict {
    Held,       ///< filed; the datagram is not complete yet
    Complete,   ///< filed, and the datagram is complete: call assemble()
    Duplicate,  ///< inside a fragment already held (or empty): the caller drops it, the queue stays
    Corrupt,    ///< overlaps, or disagrees about the end: the caller drops it and discard()s the queue
    Full,       ///< a new datagram but `limit` queues are in use: the caller drops it
  };
  struct Result {
    Verdict verdict;
    std::uint32_t queue;  ///< the queue's slot (not meaningful for Full)
    bool created;         ///< the fragment opened a new queue (arm its timer)
  };

  /// Files fragment `p` (the pool holds its headers); opens a queue if it is the datagram's first.
  Result insert(const PacketPool& pool, PacketId p, std::size_t limit);
  /// Turns complete queue `q` into one datagram: its first fragment with the whole payload.
  /// The other fragments are released; the queue is freed. Returns the datagram.
  PacketId assemble(PacketPool& pool, std::uint32_t q);
  /// Frees queue `q`; its held fragments are appended to `out` (first fragment first), for the caller to drop.
  void discard(std::uint32_t q, std::vector<PacketId>& out);

  /// The timer slot of queue `q` (the caller arms and cancels it).
  EventId& timer(std::uint32_t q) { return queues_[q].timer; }
  /// Fragments held by queue `q`.
  std::size_t fragments(std::uint32_t q) const { return queues_[q].pieces.size(); }
  /// IP-payload bytes held by queue `q`.
  std::uint32_t bytes(std::uint32_t q) const { return queues_[q].bytes; }
  /// True if queue `q` holds the fragment at offset 0 (an ICMP error can quote it).
  bool first_in(std::uint32_t q) const;
  /// Datagrams being reassembled.
  std::size_t live() const { return live_.size(); }

 private:
  struct Key {
    Ipv4Address src;
    Ipv4Address dst;
    IpProto proto = IpProto::Tcp;
    std::uint16_t id = 0;
    bool operator==(const Key&) const = default;
  };
  struct Piece {
    PacketId p;
    std::uint32_t start;  ///< byte offset in the datagram's IP payload
    std::uint32_t end;    ///< one past its last byte
  };
  struct Queue {
    Key key;
    std::vector<Piece> pieces;  // sorted by start, never overlapping
    std::uint32_t bytes = 0;    // sum of the pieces' lengths
    std::uint32_t end = 0;      // the datagram's IP-payload length once last_in, else the furthest end seen
    bool last_in = false;
    EventId timer;
  };

  std::uint32_t open(const Key& key);
  void close(std::uint32_t q);
  static Verdict file(Queue& q, Piece piece, bool last);

  std::vector<Queue> queues_;
  std::vector<std::uint32_t> live_;  // slots in use, in opening order
  std::vector<std::uint32_t> free_;
};

}  // namespace lvs
