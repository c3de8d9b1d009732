#include "lvs/fullnat_pool.hpp"

#include <algorithm>

namespace lvs {

bool FullNatPool::owns(Ipv4Address a) const { return std::find(laddrs_.begin(), laddrs_.end(), a) != laddrs_.end(); }

// Local addresses are taken in turn; within a pair ports are handed out upwards from
// where the last search stopped, so a freed port is not reused at once.
std::optional<std::pair<Ipv4Address, std::uint16_t>> FullNatPool::allocate(Ipv4Address server,
                                                                            std::uint16_t server_port) {
  for (std::size_t tried = 0; tried < laddrs_.size(); ++tried) {
    const Ipv4Address laddr = laddrs_[next_laddr_];
    next_laddr_ = (next_laddr_ + 1) % laddrs_.size();
    Ports& p = ports_[pair_key(laddr, server, server_port)];
    if (p.count == kPortsPerServer) continue;
    while (p.used[p.next]) p.next = (p.next + 1) % kPortsPerServer;
    const std::uint32_t index = p.next;
    p.used[index] = true;
    ++p.count;
    ++in_use_;
    p.next = (index + 1) % kPortsPerServer;
    return std::pair{laddr, static_cast<std::uint16_t>(kFirstPort + index)};
  }
  return std::nullopt;
}

void FullNatPool::release(Ipv4Address laddr, std::uint16_t lport, Ipv4Address server, std::uint16_t server_port) {
  Ports& p = ports_[pair_key(laddr, server, server_port)];
  const std::uint32_t index = lport - kFirstPort;
  if (!p.used[index]) return;
  p.used[index] = false;
  --p.count;
  --in_use_;
}

}  // namespace lvs
