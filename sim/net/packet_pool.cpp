#include "net/packet_pool.hpp"

namespace lvs {

PacketId PacketPool::alloc() {
  if (free_.empty()) {
    if ((size_ >> kChunkBits) == chunks_.size()) chunks_.push_back(std::make_unique<Packet[]>(kChunkMask + 1));
    return size_++;  // a slot never used: value-initialised with its chunk
  }
  const PacketId p = free_.back();
  free_.pop_back();
  (*this)[p] = Packet{};
  return p;
}

PacketId PacketPool::clone(PacketId p) {
  const PacketId c = alloc();
  (*this)[c] = (*this)[p];
  return c;
}

void PacketPool::release(PacketId p) { free_.push_back(p); }

}  // namespace lvs
