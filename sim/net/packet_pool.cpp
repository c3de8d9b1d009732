#include "net/packet_pool.hpp"

namespace lvs {

namespace {
// A default packet to copy from: resetting a reused slot is one copy of this, not the
// construction of a temporary followed by its copy (docs/hot-path.md).
const Packet kFreshPacket{};
}  // namespace

PacketId PacketPool::take_slot() {
  if (free_.empty()) [[unlikely]] {
    if ((size_ >> kChunkBits) == chunks_.size()) chunks_.push_back(std::make_unique<Packet[]>(kChunkMask + 1));
    return size_++;  // a slot never used: value-initialised with its chunk
  }
  const PacketId p = free_.back();
  free_.pop_back();
  return p;
}

PacketId PacketPool::alloc() {
  const bool reused = !free_.empty();
  const PacketId p = take_slot();
  if (reused) (*this)[p] = kFreshPacket;
  return p;
}

// The copy overwrites every field of the slot: no reset first.
PacketId PacketPool::clone(PacketId p) {
  const PacketId c = take_slot();
  (*this)[c] = (*this)[p];
  return c;
}

void PacketPool::release(PacketId p) { free_.push_back(p); }

}  // namespace lvs
