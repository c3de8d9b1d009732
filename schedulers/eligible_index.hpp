#pragma once
// The eligible destinations as a Fenwick tree (Fenwick, "A new data structure for cumulative
// frequency tables", Software: Practice and Experience 24(3), 1994), for the randomised
// comparison schedulers (random, p2c, peak-ewma, jiq's fallback): per list index, the
// destination's weight (or 1) while it is eligible (weight > 0, not overloaded), else 0.
// A draw r in [0, total) finds the first index whose prefix sum exceeds r, exactly the
// entry a walk in list order subtracting values would stop at, in O(log N). The hooks keep
// it current: rebuilt in init/add/del (O(N)), one point update in upd_dest and
// on_counts_changed (O(log N), no allocation), which the director calls after every weight,
// count or overloaded change (scheduler.hpp).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "core/rng.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

/// Prefix sums over list order of each destination's value while it is eligible.
class EligibleIndex {
 public:
  /// What an eligible destination counts for: its weight, or 1.
  enum class Value { Weight, One };

  /// An empty index whose eligible entries count `value`.
  explicit EligibleIndex(Value value) : by_weight_(value == Value::Weight) {}

  /// Rebuilds from the whole list (init_service, add_dest, del_dest).
  void rebuild(DestList dests) {
    value_.assign(dests.size(), 0);
    tree_.assign(dests.size() + 1, 0);
    for (std::size_t i = 0; i < dests.size(); ++i) update(dests, i);
  }
  /// Refreshes `dests[index]` after a weight, count or overloaded change.
  void update(DestList dests, std::size_t index) {
    const std::uint64_t v = value_of(dests[index]);
    const std::uint64_t delta = v - value_[index];  // modulo 2^64: sums stay exact
    value_[index] = v;
    for (std::size_t k = index + 1; k < tree_.size(); k += k & (~k + 1)) tree_[k] += delta;
  }
  /// The sum over eligible destinations (their count when Value::One).
  std::uint64_t total() const {
    std::uint64_t sum = 0;
    for (std::size_t k = tree_.size() - 1; k > 0; k -= k & (~k + 1)) sum += tree_[k];
    return sum;
  }
  /// The list index at which a walk subtracting values from `r` < total() goes below 0.
  std::size_t find(std::uint64_t r) const {
    std::size_t pos = 0;
    std::size_t step = 1;
    while (step * 2 < tree_.size()) step *= 2;
    for (; step > 0; step /= 2) {
      if (pos + step < tree_.size() && tree_[pos + step] <= r) {
        pos += step;
        r -= tree_[pos];
      }
    }
    return pos;
  }

 private:
  std::uint64_t value_of(const SchedDest& d) const {
    if (!is_eligible(d)) return 0;
    return by_weight_ ? static_cast<std::uint64_t>(d.weight) : 1;
  }

  bool by_weight_;
  std::vector<std::uint64_t> value_;
  std::vector<std::uint64_t> tree_ = std::vector<std::uint64_t>(1);  // 1-based
};

/// A scheduler that keeps an EligibleIndex in step with every hook: rebuilt when the list
/// changes, one entry refreshed on an edit or a count change (random, p2c, peak-ewma).
class EligibleIndexScheduler : public Scheduler {
 public:
  /// Eligible destinations count `value` in the index.
  explicit EligibleIndexScheduler(EligibleIndex::Value value) : eligible_(value) {}

  void init_service(DestList dests) override { eligible_.rebuild(dests); }
  void add_dest(DestList dests, std::size_t /*index*/) override { eligible_.rebuild(dests); }
  void del_dest(DestList dests, std::size_t /*index*/, const SchedDest& /*removed*/) override {
    eligible_.rebuild(dests);
  }
  void upd_dest(DestList dests, std::size_t index) override { eligible_.update(dests, index); }
  void on_counts_changed(DestList dests, std::size_t index) override { eligible_.update(dests, index); }

 protected:
  EligibleIndex eligible_;
};

/// One eligible destination drawn uniformly from a Value::One index (one rng.below), or none.
inline std::optional<std::size_t> draw_eligible(const EligibleIndex& eligible, Rng& rng) {
  const std::uint64_t n = eligible.total();
  if (n == 0) return std::nullopt;
  return eligible.find(rng.below(n));
}

/// Two distinct eligible destinations drawn uniformly without replacement from a Value::One
/// index, first draw first: rng.below(n), then rng.below(n - 1) shifted past the first.
/// With one eligible destination both are it and nothing is drawn; with none, none.
inline std::optional<std::pair<std::size_t, std::size_t>> draw_two_eligible(const EligibleIndex& eligible, Rng& rng) {
  const std::uint64_t n = eligible.total();
  if (n == 0) return std::nullopt;
  if (n == 1) return std::pair{eligible.find(0), eligible.find(0)};
  const std::uint64_t a = rng.below(n);
  std::uint64_t b = rng.below(n - 1);
  if (b >= a) ++b;
  return std::pair{eligible.find(a), eligible.find(b)};
}

}  // namespace lvs
