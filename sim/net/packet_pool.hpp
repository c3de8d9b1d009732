#pragma once
// Packets in flight live in a pool and are passed around by a 32-bit id, so an event
// that carries a packet stays small and nothing is allocated per packet once the pool
// has grown. References stay valid while other packets are allocated (chunks never move).

#include <cstdint>
#include <memory>
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
  Packet& operator[](PacketId p) { return chunks_[p >> kChunkBits][p & kChunkMask]; }
  const Packet& operator[](PacketId p) const { return chunks_[p >> kChunkBits][p & kChunkMask]; }
  /// Packets allocated and not released.
  std::size_t live() const { return size_ - free_.size(); }

 private:
  /// A slot: the most recently released one (still warm in the cache), else a new one.
  /// Its contents are whatever was there.
  PacketId take_slot();

  // Fixed chunks of 256 packets: an id splits into chunk and slot by shifts (a deque of
  // 200-byte packets holds two per block and divides on every access).
  static constexpr unsigned kChunkBits = 8;
  static constexpr PacketId kChunkMask = (PacketId{1} << kChunkBits) - 1;
  std::vector<std::unique_ptr<Packet[]>> chunks_;
  PacketId size_ = 0;  // slots handed out at least once
  std::vector<PacketId> free_;
};

}  // namespace lvs
