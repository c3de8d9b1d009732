#include "run/director_nic.hpp"

#include <algorithm>

#include "net/interface.hpp"
#include "net/link.hpp"
#include "net/segment.hpp"

namespace lvs::run {

std::vector<NicQueues> nic_queues(const Node& node) {
  std::vector<NicQueues> out;
  for (const auto& i : node.interfaces()) {
    if (i->kind() != InterfaceKind::Ethernet || i->channel() == nullptr) continue;
    const int port = i->port();
    NicQueues nic{i->name() + " on " + i->channel()->name()};
    if (const auto* link = dynamic_cast<const Link*>(i->channel())) {
      nic.out = &link->direction(port);      // Link: direction(p) sends from port p
      nic.in = &link->direction(1 - port);
    } else if (const auto* seg = dynamic_cast<const Segment*>(i->channel())) {
      nic.out = &seg->uplink(port);          // Segment: up into the switch, down out of it
      nic.in = &seg->downlink(port);
    } else {
      continue;
    }
    out.push_back(nic);
  }
  return out;
}

NicSampler::NicSampler(const Node& node) : nics_(nic_queues(node)), busy_(2 * nics_.size(), 0.0) {}

double NicSampler::take(Time now, double interval_s) {
  double busiest = 0;
  for (std::size_t k = 0; k < nics_.size(); ++k) {
    const TxQueue* q[2] = {nics_[k].out, nics_[k].in};
    for (int d = 0; d < 2; ++d) {
      const double busy = q[d]->utilization(now) * now.seconds();
      busiest = std::max(busiest, (busy - busy_[2 * k + d]) / interval_s);
      busy_[2 * k + d] = busy;
    }
  }
  return busiest;
}

double NicSampler::run_utilization(Time now, std::string& busiest) const {
  double most = 0;
  busiest.clear();
  for (const NicQueues& nic : nics_) {
    const double u = std::max(nic.out->utilization(now), nic.in->utilization(now));
    if (busiest.empty() || u > most) {
      most = u;
      busiest = nic.name;
    }
  }
  return most;
}

}  // namespace lvs::run
