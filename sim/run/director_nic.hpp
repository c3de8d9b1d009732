#pragma once
// A director's network interfaces as a resource: the transmit queues that carry its traffic
// (each Ethernet interface's own sending direction, and the link's or switch port's direction
// towards it), for the bottleneck attribution's "director nic" (docs/bottleneck.md).

#include <string>
#include <vector>

#include "core/time.hpp"
#include "net/node.hpp"
#include "net/tx_queue.hpp"

namespace lvs::run {

/// One Ethernet interface's two transmit queues: from it, and towards it.
struct NicQueues {
  std::string name;                  ///< "eth0 on lan": the interface and its link or segment
  const TxQueue* out = nullptr;      ///< the interface sending
  const TxQueue* in = nullptr;       ///< the link or switch port sending to it
};

/// Every Ethernet interface of `node` attached to a link or segment, in interface order.
std::vector<NicQueues> nic_queues(const Node& node);

/// A node's NICs sampled interval by interval: the busiest direction of any of them.
class NicSampler {
 public:
  explicit NicSampler(const Node& node);
  /// The busiest direction's busy fraction of the interval (now - interval_s, now].
  double take(Time now, double interval_s);
  /// The busiest direction over [0, now], and its interface ("eth0 on lan"; "" with none).
  double run_utilization(Time now, std::string& busiest) const;

 private:
  std::vector<NicQueues> nics_;
  std::vector<double> busy_;  ///< busy seconds of each direction (out, in per NIC) at the last take
};

}  // namespace lvs::run
