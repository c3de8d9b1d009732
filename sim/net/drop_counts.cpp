#include "net/drop_counts.hpp"

#include <algorithm>

namespace lvs {

void DropCounts::count(std::string_view node, std::string_view reason) {
  const auto it = counts_.find(KeyView{node, reason});
  if (it != counts_.end()) {
    ++it->second;
    return;
  }
  counts_.emplace(Key{std::string(node), std::string(reason)}, 1);
}

std::vector<DropCounts::Entry> DropCounts::sorted() const {
  std::vector<Entry> out;
  for (const auto& [k, n] : counts_) out.push_back({k.node, k.reason, n});
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
    if (a.count != b.count) return a.count > b.count;
    return a.node != b.node ? a.node < b.node : a.reason < b.reason;
  });
  return out;
}

}  // namespace lvs
