#include "lvs/local_ports.hpp"

namespace lvs {

std::uint32_t dpvs_pool_of(Ipv4Address rip, std::uint16_t rport) {
  return ((rip.value() & 0xffffU) + rport) % kDpvsPoolHash;
}

// The pair's key is the connection table's out key with the local port left at 0.
LocalPorts::Bitmap& LocalPorts::in_use(IpProto proto, Ipv4Address laddr, Ipv4Address rip, std::uint16_t rport) {
  return bitmaps_[ConnectionTable::key(proto, rip, rport, laddr, 0)];
}

std::optional<std::uint16_t> LocalPorts::fetch(Ipv4Address laddr, Ipv4Address rip, std::uint16_t rport) {
  SaPool& pool = pools_[pool_key(laddr, rip, rport)];
  if (pool.fresh <= kDpvsPortMax) return static_cast<std::uint16_t>(pool.fresh++);
  if (pool.released.empty()) return std::nullopt;
  return pool.released.pop();
}

void LocalPorts::release(Ipv4Address laddr, std::uint16_t lport, Ipv4Address rip, std::uint16_t rport) {
  pools_[pool_key(laddr, rip, rport)].released.push(lport);
}

}  // namespace lvs
