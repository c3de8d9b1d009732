#pragma once
// An O(log N) index that gives the answer of the kernel's O(N) least-load walks
// (ipvs-semantics.md §2.3-2.6: ip_vs_lc_schedule, ip_vs_wlc_schedule, ip_vs_sed_schedule,
// ip_vs_nq_schedule).
//
// Each of those walks returns the eligible destination (weight > 0, not overloaded) with the
// smallest load / weight, the first in list order on a tie: its comparison
// `load(least) * w(d) > load(d) * w(least)` is exact rational comparison, a total preorder,
// and a strict `>` keeps the earlier entry. A later weight-0 entry never wins it (x * 0 > y * w
// is false for loads >= 0), so every walk is an argmin over the eligible entries.
//
// The index keeps the entries by insertion position (oldest first), since the director
// inserts at the head: list index = size - 1 - position, and "first in list order" is "latest
// position". A tournament tree over the positions holds at each node the best entry of its
// range; a right child covers later positions, so on a tie the right child wins. An update
// rewrites one leaf and its path to the root. Nothing allocates except growth on add.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "schedulers/scheduler.hpp"

namespace lvs {

/// A destination's load as one least-load scheduler ranks it: smaller load / weight is better.
struct LoadKey {
  /// The numerator, >= 0 (e.g. ip_vs_dest_conn_overhead).
  std::int64_t load = 0;
  /// The denominator, > 0 (the weight, or 1 where the weight's size is ignored).
  std::int32_t weight = 1;
};

/// The key of one eligible destination; the index itself skips ineligible ones.
using LoadKeyFn = LoadKey (*)(const SchedDest&);

/// The eligible destination of least load / weight, ties to the first in list order.
class LoadIndex {
 public:
  /// An empty index ranking by `key`.
  explicit LoadIndex(LoadKeyFn key) : key_(key) {}

  /// Rebuilds from `dests` (kernel order), O(N); may allocate when the list grew.
  void build(DestList dests);
  /// `dests[index]` was just inserted: O(log N) at the head, else a rebuild.
  void insert(DestList dests, std::size_t index);
  /// A destination was just unlinked: rebuilds, O(N) (removals are rare).
  void erase(DestList dests) { build(dests); }
  /// `dests[index]` changed (counts, flag or weight): O(log N), allocation-free.
  void update(DestList dests, std::size_t index);

  /// The list index of the best eligible destination, or std::nullopt; O(1).
  std::optional<std::size_t> best() const;
  /// How many destinations the index holds.
  std::size_t size() const { return size_; }

 private:
  /// A tree node: the best entry of its range (load, weight, position), or `none`.
  struct Node {
    std::int64_t load;
    std::int32_t weight;
    std::uint32_t pos;
  };
  /// No eligible entry in the range (an eligible entry's weight is never 0).
  static constexpr Node none{1, 0, 0xFFFFFFFFu};

  Node leaf(const SchedDest& d, std::size_t pos) const;
  static const Node& better(const Node& l, const Node& r);
  void set_leaf(std::size_t pos, const Node& n);

  LoadKeyFn key_;
  std::size_t size_ = 0;
  /// Leaves per tree level: a power of two >= size_ (0 before the first build).
  std::size_t cap_ = 0;
  /// Node 1 is the root, node i has children 2i and 2i+1, leaves are cap_ .. 2*cap_-1.
  std::vector<Node> tree_;
};

/// A least-load scheduler answering from a LoadIndex: lc, wlc, sed and nq differ only in
/// their name and their key.
class IndexedLeastLoad : public Scheduler {
 public:
  /// The scheduler `name` (an ipvsadm name) ranking by `key`.
  IndexedLeastLoad(std::string_view name, LoadKeyFn key) : name_(name), index_(key) {}

  std::string_view name() const override { return name_; }
  void init_service(DestList dests) override { index_.build(dests); }
  void add_dest(DestList dests, std::size_t index) override { index_.insert(dests, index); }
  void del_dest(DestList dests, std::size_t /*index*/, const SchedDest& /*removed*/) override { index_.erase(dests); }
  void upd_dest(DestList dests, std::size_t index) override { index_.update(dests, index); }
  void on_counts_changed(DestList dests, std::size_t index) override { index_.update(dests, index); }
  std::optional<std::size_t> schedule(const SchedContext& ctx, Rng& rng) override;

 private:
  std::string_view name_;
  LoadIndex index_;
};

}  // namespace lvs
