#pragma once
// Tests that count nanoseconds turn off the random delay before a host answers an ARP
// request (NeighbourParams::reply_delay_max), so that an ARP exchange takes exactly its
// wire time.

#include "net/host.hpp"

namespace lvs::test {

/// `h` answers ARP requests the moment they arrive.
inline void answer_arp_at_once(Host& h) { h.neighbours().params().reply_delay_max = Time::zero(); }

/// Every host of `net` answers ARP requests the moment they arrive.
template <class NetworkT>
void answer_arp_at_once_everywhere(NetworkT& net) {
  for (const auto& n : net.nodes())
    if (auto* h = dynamic_cast<Host*>(n.get())) answer_arp_at_once(*h);
}

}  // namespace lvs::test
