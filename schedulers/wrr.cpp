// wrr: weighted round robin (ipvs-semantics.md §2.2; net/netfilter/ipvs/ip_vs_wrr.c).
//
// Classic LVS interleaving, not nginx's smooth WRR. With di the gcd of the positive
// weights and mw = max weight - (di - 1), passes run at cw = mw, mw - di, ... down to
// cw <= di; each pass takes, in list order, the non-overloaded entries with weight >= cw.
// Lowering mw by di - 1 makes the last pass run at cw = 1, so an entry whose weight was cut
// below di by an edit is still reached (`ip_vs_wrr_schedule`'s last_pass / stop logic
// then guarantees the walk ends after every entry was tried at weight >= 1).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <numeric>
#include <optional>

#include "schedulers/registry.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

namespace {

// ip_vs_wrr_gcd_weight: gcd of the positive weights, 1 if there are none.
std::int32_t gcd_weight(DestList dests) {
  std::int32_t g = 0;
  for (const SchedDest& d : dests)
    if (d.weight > 0) g = g > 0 ? std::gcd(d.weight, g) : d.weight;
  return g > 0 ? g : 1;
}

// ip_vs_wrr_max_weight: the largest weight, 0 if none is positive.
std::int32_t max_weight(DestList dests) {
  std::int32_t w = 0;
  for (const SchedDest& d : dests) w = std::max(w, d.weight);
  return w;
}

class WeightedRoundRobin final : public Scheduler {
 public:
  std::string_view name() const override { return "wrr"; }

  // ip_vs_wrr_init_svc.
  void init_service(DestList dests) override {
    cl_ = head;
    di_ = gcd_weight(dests);
    mw_ = max_weight(dests) - (di_ - 1);
    cw_ = mw_;
  }
  // The kernel's add, del and upd hooks are all ip_vs_wrr_dest_changed.
  void add_dest(DestList dests, std::size_t /*index*/) override { dest_changed(dests); }
  void add_dests(DestList dests, std::size_t count) override;
  void del_dest(DestList dests, std::size_t /*index*/, const SchedDest& /*removed*/) override { dest_changed(dests); }
  void upd_dest(DestList dests, std::size_t /*index*/) override { dest_changed(dests); }

  std::optional<std::size_t> schedule(const SchedContext& ctx, Rng& rng) override;

 private:
  void dest_changed(DestList dests);
  void move_cw();

  /// `cl_` at the list head, and `stop` when there is none (never a valid index).
  static constexpr std::size_t head = static_cast<std::size_t>(-1);
  /// Index of the current entry (the last pick), or `head`.
  std::size_t cl_ = head;
  /// Current weight: the pass in progress admits entries with weight >= cw.
  std::int32_t cw_ = 0;
  /// Max weight - (di - 1); 0 when every weight is 0.
  std::int32_t mw_ = 0;
  /// Decreasing interval: gcd of the positive weights, or 1.
  std::int32_t di_ = 1;
};

// ip_vs_wrr_dest_changed: back to the head; cw keeps its place in the cycle, clamped to
// the new mw, and is moved onto the new di grid (n*di + 1) when di > 1.
void WeightedRoundRobin::dest_changed(DestList dests) {
  cl_ = head;
  di_ = gcd_weight(dests);
  mw_ = max_weight(dests) - (di_ - 1);
  move_cw();
}

void WeightedRoundRobin::move_cw() {
  if (cw_ > mw_ || cw_ == 0) {
    cw_ = mw_;
  } else if (di_ > 1) {
    cw_ = (cw_ / di_) * di_ + 1;
  }
}

// The `count` dest_changed calls of adding one by one, each in O(1): a list that grows by
// one entry of weight w has gcd(g, w) (w > 0) and max(m, w) where g and m were the
// shorter list's, so the gcd and max are carried instead of recomputed. cw moves after
// each add exactly as dest_changed moves it; cl ends at the head either way.
void WeightedRoundRobin::add_dests(DestList dests, std::size_t count) {
  if (count == 0) return;
  const DestList before = dests.subspan(count);
  std::int32_t g = 0;  // gcd of the positive weights so far, 0 while there is none
  for (const SchedDest& d : before)
    if (d.weight > 0) g = g > 0 ? std::gcd(d.weight, g) : d.weight;
  std::int32_t w = max_weight(before);
  for (std::size_t k = count; k-- > 0;) {
    const std::int32_t weight = dests[k].weight;
    if (weight > 0) g = g > 0 ? std::gcd(weight, g) : weight;
    w = std::max(w, weight);
    di_ = g > 0 ? g : 1;
    mw_ = w - (di_ - 1);
    move_cw();
  }
  cl_ = head;
}

// ip_vs_wrr_schedule. Overloaded entries are skipped without touching cw. A walk that
// started after `last` and wrapped (restarted) is stopped at `last` once the pass at
// cw <= di has reached it, so every entry is tried at most once at weight >= 1.
std::optional<std::size_t> WeightedRoundRobin::schedule(const SchedContext& ctx, Rng& /*rng*/) {
  if (mw_ == 0) return std::nullopt;  // every weight is 0; cl stays
  const DestList dests = ctx.dests;
  const std::size_t last = cl_;
  std::size_t from = cl_ == head ? 0 : cl_ + 1;
  std::size_t stop = head;
  bool last_pass = false;
  bool restarted = false;
  for (;;) {
    for (std::size_t i = from; i < dests.size(); ++i) {
      if (!dests[i].overloaded && dests[i].weight >= cw_) return cl_ = i;
      if (i == stop) {  // all overloaded
        cl_ = i;
        return std::nullopt;
      }
    }
    from = 0;
    cw_ -= di_;
    if (cw_ <= 0) {
      cw_ = mw_;
      if (last_pass || last == head) {  // all overloaded
        cl_ = head;
        return std::nullopt;
      }
      restarted = true;
    }
    last_pass = cw_ <= di_;
    if (last_pass && restarted && last != head) stop = last;
  }
}

const SchedulerRegistrar wrr_registrar{
    "wrr", "weighted round robin",
    []() -> std::unique_ptr<Scheduler> { return std::make_unique<WeightedRoundRobin>(); }};

}  // namespace

}  // namespace lvs
