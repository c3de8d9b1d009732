#include "metrics/queueing_finite.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace lvs {

// The birth-death chain's balance equations, p_n = p_{n-1} lambda / (min(n, c) mu)
// (Kleinrock vol. 1, eq. 3.39 generalised to m servers and K places), summed with the
// terms rescaled whenever they grow large so that c = 10 000 does not overflow.
MmckResult mmck(int servers, int capacity, double arrival_rate, double service_rate) {
  if (servers < 1) throw std::invalid_argument("servers must be >= 1 (got " + std::to_string(servers) + ")");
  if (capacity < servers)
    throw std::invalid_argument("capacity K must be >= the servers c (got K = " + std::to_string(capacity) +
                                ", c = " + std::to_string(servers) + ")");
  if (!(arrival_rate > 0) || !(service_rate > 0)) throw std::invalid_argument("rates must be > 0");
  std::vector<double> p(static_cast<std::size_t>(capacity) + 1);
  p[0] = 1;
  for (int n = 1; n <= capacity; ++n) {
    p[n] = p[n - 1] * arrival_rate / (std::min(n, servers) * service_rate);
    if (p[n] > 1e250)
      for (int m = 0; m <= n; ++m) p[m] *= 1e-250;
  }
  double total = 0, jobs = 0;
  for (int n = 0; n <= capacity; ++n) total += p[n], jobs += n * p[n];
  MmckResult q;
  q.servers = servers;
  q.capacity = capacity;
  q.arrival_rate = arrival_rate;
  q.service_rate = service_rate;
  q.p_block = p[capacity] / total;
  q.throughput = arrival_rate * (1 - q.p_block);
  q.mean_in_system = jobs / total;
  q.mean_response = q.mean_in_system / q.throughput;
  q.mean_wait = std::max(0.0, q.mean_response - 1 / service_rate);
  q.utilization = q.throughput / (servers * service_rate);
  return q;
}

}  // namespace lvs
