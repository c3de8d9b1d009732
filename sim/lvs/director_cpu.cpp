#include "lvs/director_cpu.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace lvs {

DirectorCpu::DirectorCpu(DirectorCpuConfig cfg) : cfg_(std::move(cfg)) {
  if (cfg_.cores < 1) throw std::invalid_argument("director cores must be >= 1");
  free_at_.assign(static_cast<std::size_t>(cfg_.cores), Time::zero());
}

std::optional<Time> DirectorCpu::admit(Time now, Time cost) {
  const auto core = std::min_element(free_at_.begin(), free_at_.end());
  const Time start = std::max(now, *core);
  // The backlog is full when floor(wait / cost) >= backlog_packets, that is exactly when
  // wait >= backlog_packets x cost (wait >= 0, cost > 0): a multiplication in 128 bits, no
  // division per packet (docs/hot-path.md).
  __extension__ using i128 = __int128;
  if (cost > Time::zero() &&
      i128{(start - now).count()} >= i128{cost.count()} * static_cast<i128>(cfg_.backlog_packets)) [[unlikely]]
    return std::nullopt;
  *core = start + cost;
  busy_ += cost;
  ++packets_;
  return *core;
}

double DirectorCpu::utilization(Time now) const {
  if (now <= Time::zero()) return 0.0;
  return busy_time(now).seconds() / (now.seconds() * cfg_.cores);
}

Time DirectorCpu::busy_time(Time now) const {
  Time ahead;
  for (Time t : free_at_)
    if (t > now) ahead += t - now;
  return busy_ - ahead;
}

}  // namespace lvs
