// ring: consistent hashing on a ring of virtual nodes (Karger et al., "Consistent Hashing
// and Random Trees", STOC 1997), in the shape of Envoy's ring_hash load balancer
// (source/extensions/load_balancing_policies/ring_hash): every destination with a positive
// last_weight places virtual nodes at 64-bit hashes of (address, port, replica index), the
// ring is sorted by hash, and a flow (the source address, plus the source port when
// svc_f_sched2 is set) goes to the first virtual node clockwise from its own hash; if that
// destination has weight 0 or is overloaded, the walk goes on clockwise to the next
// eligible one, and none if nothing is eligible. Sizing: the heaviest destination gets
// 1024 virtual nodes (Envoy's minimum ring size; make_hash_ring in ring.hpp takes another
// count V, as `lvslab disruption --vnodes` does) and each other ceil(1024 * w / w_max), at
// least 1, so a destination's nodes depend only on its own weight and the largest one;
// Envoy instead scales so the lightest host gets ceil(1024 * w_min / W), which re-sizes
// every host when one leaves. Here removing (or quiescing) a destination other than the
// unique heaviest moves exactly its own flows and no others, by construction. The ring
// is built from the destinations sorted by (address, port), so list order plays no part;
// it is rebuilt on init, and on an add, del or upd that changes other destinations' node
// counts; other adds and deletes merge or cut one destination's nodes. Compared with mh: Maglev fills a fixed table of
// M = 4093 slots with near-perfect balance (each share within one slot) and O(1) lookup,
// but a removal also moves a small fraction of other flows; the ring costs O(log V) per
// lookup and memory proportional to the virtual nodes, and its balance is only as good as
// 1/sqrt(nodes per destination), but it never moves a flow between two survivors.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <tuple>
#include <vector>

#include "schedulers/hash.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/ring.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

namespace {

class HashRing final : public Scheduler {
 public:
  explicit HashRing(std::int64_t vnodes = 1024) : vnodes_(std::max<std::int64_t>(vnodes, 1)) {}
  std::string_view name() const override { return "ring"; }

  void init_service(DestList dests) override { build(dests); }
  // An add or a delete that leaves every other destination's node count as it was (the
  // largest weight and the cap unchanged) is merged into the ring or cut out of it in
  // O(V); anything else rebuilds it. Either way the ring is the one build() would make.
  void add_dest(DestList dests, std::size_t index) override {
    if (!insert(dests, index)) build(dests);
  }
  void del_dest(DestList dests, std::size_t index, const SchedDest& removed) override {
    if (!erase(dests, index, removed)) build(dests);
  }
  // The ring depends on last_weight only: a weight edit to 0 (or back) changes nothing.
  void upd_dest(DestList dests, std::size_t index) override {
    if (index < last_weights_.size() && last_weights_[index] == dests[index].last_weight) return;
    build(dests);
  }

  std::optional<std::size_t> schedule(const SchedContext& ctx, Rng& rng) override;

 private:
  /// Cap on the ring (Envoy's default maximum_ring_size is 8M); nodes shrink beyond it.
  static constexpr std::int64_t max_ring_size = std::int64_t{1} << 22;

  struct Node {
    std::uint64_t hash;
    std::uint32_t rank;   // position in (addr, port) order: the tie-break
    std::uint32_t index;  // list index
  };
  static bool node_less(const Node& a, const Node& b) { return std::tie(a.hash, a.rank) < std::tie(b.hash, b.rank); }
  void build(DestList dests);
  bool insert(DestList dests, std::size_t index);
  bool erase(DestList dests, std::size_t index, const SchedDest& removed);
  std::int64_t per_max(std::int64_t w_sum) const {
    return std::clamp<std::int64_t>(max_ring_size * w_max_ / w_sum, 1, vnodes_);
  }
  std::int64_t node_count(std::int32_t weight) const {
    return std::max<std::int64_t>(1, (per_max_ * weight + w_max_ - 1) / w_max_);
  }
  static bool before(const SchedDest& a, const SchedDest& b) {
    return std::tie(a.addr, a.port, a.id) < std::tie(b.addr, b.port, b.id);
  }

  std::vector<Node> ring_;
  std::vector<std::uint32_t> order_;        // list indices of the destinations with nodes, by (addr, port, id)
  std::vector<std::int32_t> last_weights_;  // by list index, as the ring was built
  std::int64_t vnodes_;  // virtual nodes of the heaviest destination (registered: 1024)
  std::int64_t w_max_ = 0, w_sum_ = 0, per_max_ = 0;
};

void HashRing::build(DestList dests) {
  ring_.clear();
  order_.clear();
  last_weights_.clear();
  w_max_ = w_sum_ = 0;
  for (std::uint32_t i = 0; i < dests.size(); ++i) {
    last_weights_.push_back(dests[i].last_weight);
    if (dests[i].last_weight <= 0) continue;
    order_.push_back(i);
    w_max_ = std::max<std::int64_t>(w_max_, dests[i].last_weight);
    w_sum_ += dests[i].last_weight;
  }
  if (order_.empty()) return;
  std::sort(order_.begin(), order_.end(), [&](std::uint32_t a, std::uint32_t b) { return before(dests[a], dests[b]); });
  // ceil(per_max * w / w_max) nodes each, per_max = 1024 unless the ring would pass its cap.
  per_max_ = per_max(w_sum_);
  for (std::uint32_t rank = 0; rank < order_.size(); ++rank) {
    const SchedDest& d = dests[order_[rank]];
    for (std::int64_t r = 0; r < node_count(d.last_weight); ++r)
      ring_.push_back({hash_endpoint(d.addr, d.port, static_cast<std::uint32_t>(r)), rank, order_[rank]});
  }
  std::sort(ring_.begin(), ring_.end(), node_less);
}

bool HashRing::insert(DestList dests, std::size_t index) {
  const SchedDest& d = dests[index];
  if (order_.empty() || d.last_weight > w_max_ || per_max(w_sum_ + std::max(0, d.last_weight)) != per_max_) return false;
  const auto at = static_cast<std::uint32_t>(index);
  for (std::uint32_t& i : order_) i += i >= at ? 1 : 0;
  for (Node& n : ring_) n.index += n.index >= at ? 1 : 0;
  last_weights_.insert(last_weights_.begin() + static_cast<std::ptrdiff_t>(index), d.last_weight);
  if (d.last_weight <= 0) return true;
  const auto pos = static_cast<std::uint32_t>(
      std::lower_bound(order_.begin(), order_.end(), d, [&](std::uint32_t i, const SchedDest& x) { return before(dests[i], x); }) -
      order_.begin());
  order_.insert(order_.begin() + pos, at);
  for (Node& n : ring_) n.rank += n.rank >= pos ? 1 : 0;
  const std::size_t old_size = ring_.size();
  for (std::int64_t r = 0; r < node_count(d.last_weight); ++r)
    ring_.push_back({hash_endpoint(d.addr, d.port, static_cast<std::uint32_t>(r)), pos, at});
  std::sort(ring_.begin() + static_cast<std::ptrdiff_t>(old_size), ring_.end(), node_less);
  std::inplace_merge(ring_.begin(), ring_.begin() + static_cast<std::ptrdiff_t>(old_size), ring_.end(), node_less);
  w_sum_ += d.last_weight;
  return true;
}

bool HashRing::erase(DestList /*dests*/, std::size_t index, const SchedDest& removed) {
  if (removed.last_weight >= w_max_ || index >= last_weights_.size()) return false;  // the largest may go: resize
  if (removed.last_weight > 0 && per_max(w_sum_ - removed.last_weight) != per_max_) return false;
  const auto at = static_cast<std::uint32_t>(index);
  last_weights_.erase(last_weights_.begin() + static_cast<std::ptrdiff_t>(index));
  const auto it = std::find(order_.begin(), order_.end(), at);
  if (it != order_.end()) {
    const auto pos = static_cast<std::uint32_t>(it - order_.begin());
    order_.erase(it);
    std::erase_if(ring_, [at](const Node& n) { return n.index == at; });
    for (Node& n : ring_) n.rank -= n.rank > pos ? 1 : 0;
    w_sum_ -= removed.last_weight;
  }
  for (std::uint32_t& i : order_) i -= i > at ? 1 : 0;
  for (Node& n : ring_) n.index -= n.index > at ? 1 : 0;
  return true;
}

std::optional<std::size_t> HashRing::schedule(const SchedContext& ctx, Rng& /*rng*/) {
  if (ring_.empty()) return std::nullopt;
  const std::uint16_t port = (ctx.svc_flags & svc_f_sched2) != 0 ? ctx.flow.sport : 0;
  const std::uint64_t key = hash_endpoint(ctx.flow.saddr, port, 0xffffffffu);
  auto it = std::lower_bound(ring_.begin(), ring_.end(), key, [](const Node& n, std::uint64_t k) { return n.hash < k; });
  std::size_t at = it == ring_.end() ? 0 : static_cast<std::size_t>(it - ring_.begin());
  for (std::size_t step = 0; step < ring_.size(); ++step, at = at + 1 == ring_.size() ? 0 : at + 1) {
    const std::uint32_t i = ring_[at].index;
    if (i < ctx.dests.size() && is_eligible(ctx.dests[i])) return i;
  }
  return std::nullopt;
}

}  // namespace

std::unique_ptr<Scheduler> make_hash_ring(std::int64_t vnodes) { return std::make_unique<HashRing>(vnodes); }

namespace {

const SchedulerRegistrar ring_registrar{
    "ring", "consistent hashing ring with virtual nodes (Karger et al. 1997)",
    []() -> std::unique_ptr<Scheduler> { return std::make_unique<HashRing>(); }};

}  // namespace

}  // namespace lvs
