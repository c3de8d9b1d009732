#pragma once
// Packets in flight live in a pool and are passed around by a 32-bit id, so an event
// that carries a packet stays small and nothing is allocated per packet once the pool
// has grown. References stay valid while other packets are allocated (std::deque).

#include <cstdint>
#include <deque>
#include <vector>

#include "net/packet.hpp"

namespace lvs {

using PacketId = std::uint32_t;

class PacketPool {
 public:
  /// A fresh, default-initialised packet.
  PacketId alloc();
  /// A copy of packet `p` (a flooded frame, a retransmission).
  PacketId clone(PacketId p);
  /// Returns the packet to the pool.
  void release(PacketId p);
  Packet& operator[](PacketId p) { return slots_[p]; }
  const Packet& operator[](PacketId p) const { return slots_[p]; }
  /// Packets allocated and not released.
  std::size_t live() const { return slots_.size() - free_.size(); }

 private:
  std::deque<Packet> slots_;
  std::vector<PacketId> free_;
};

}  // namespace lvs
