#include "net/packet_pool.hpp"

namespace lvs {

PacketId PacketPool::alloc() {
  if (free_.empty()) {
    slots_.emplace_back();
    return static_cast<PacketId>(slots_.size() - 1);
  }
  const PacketId p = free_.back();
  free_.pop_back();
  slots_[p] = Packet{};
  return p;
}

PacketId PacketPool::clone(PacketId p) {
  const PacketId c = alloc();
  slots_[c] = slots_[p];
  return c;
}

void PacketPool::release(PacketId p) { free_.push_back(p); }

}  // namespace lvs
