#include "run/job_pool.hpp"

#include <algorithm>
#include <thread>
#include <vector>

namespace lvs::run {

void for_each_job(int total, int threads, const std::atomic<bool>& stop, const std::function<void(int)>& work) {
  std::atomic<int> next{0};
  const auto take = [&] {
    for (;;) {
      const int j = next.fetch_add(1);
      if (j >= total || stop.load()) return;
      work(j);
    }
  };
  const int n = std::min(threads, total);
  if (n <= 1) return take();
  std::vector<std::jthread> pool;
  for (int i = 0; i < n; ++i) pool.emplace_back(take);
}

}  // namespace lvs::run
