// jiq: join-idle-queue (Lu, Xie, Kliot, Geller, Larus and Greenberg, "Join-Idle-Queue: a
// novel load balancing algorithm for dynamically scalable web services", IFIP Performance
// 2011), with one dispatcher and one I-queue.
//
// The dispatcher keeps a FIFO I-queue of idle destinations (idle = activeconns 0). At
// init_service every eligible idle destination (weight > 0, not overloaded) is queued in
// list order. Afterwards a destination joins at the tail whenever a hook (add_dest,
// upd_dest, on_counts_changed) sees it idle, eligible and not queued; since a pick takes it
// out of the queue and the director's bind then makes it busy, this is the paper's "a
// server reports to the I-queue when it becomes idle" (its activeconns dropping to 0). A
// pick pops from the head until it finds a destination that is still eligible and idle,
// dropping stale ones (busy again, overloaded or quiesced; they rejoin when a hook sees them
// idle and eligible again); if the queue runs dry, a uniformly random eligible destination
// (eligible_index.hpp; weights ignored beyond > 0), or none. A deleted destination is purged
// from the queue. The queue is a ring sized to the list, so a pick never allocates.

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "schedulers/eligible_index.hpp"
#include "schedulers/latency_ewma.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

namespace {

class JoinIdleQueue final : public Scheduler {
 public:
  std::string_view name() const override { return "jiq"; }

  void init_service(DestList dests) override {
    queued_.init(dests);
    eligible_.rebuild(dests);
    count_ = 0;
    resize_ring(dests.size(), std::nullopt);
    for (std::size_t i = 0; i < dests.size(); ++i) maybe_join(dests, i);
  }
  void add_dest(DestList dests, std::size_t index) override {
    queued_.add(dests, index);
    eligible_.rebuild(dests);
    resize_ring(dests.size(), std::nullopt);
    maybe_join(dests, index);
  }
  void del_dest(DestList dests, std::size_t index, const SchedDest& removed) override {
    queued_.del(dests, index);
    eligible_.rebuild(dests);
    resize_ring(dests.size(), removed.id);
  }
  void upd_dest(DestList dests, std::size_t index) override { changed(dests, index); }
  void on_counts_changed(DestList dests, std::size_t index) override { changed(dests, index); }

  std::optional<std::size_t> schedule(const SchedContext& ctx, Rng& rng) override {
    while (count_ > 0) {
      const DestId id = ring_[head_];
      head_ = (head_ + 1) % ring_.size();
      --count_;
      const std::size_t i = *queued_.index_of(id);  // deleted ones were purged
      queued_[i] = false;
      if (idle_and_eligible(ctx.dests[i])) return i;
    }
    return draw_eligible(eligible_, rng);
  }

 private:
  static bool idle_and_eligible(const SchedDest& d) { return is_eligible(d) && d.activeconns == 0; }

  void changed(DestList dests, std::size_t index) {
    eligible_.update(dests, index);
    maybe_join(dests, index);
  }

  void maybe_join(DestList dests, std::size_t index) {
    if (queued_[index] || !idle_and_eligible(dests[index])) return;
    ring_[(head_ + count_) % ring_.size()] = dests[index].id;
    ++count_;
    queued_[index] = true;
  }

  // Re-lays the queue, in order, into a ring of max(capacity, 1) slots, leaving out `purge`.
  void resize_ring(std::size_t capacity, std::optional<DestId> purge) {
    std::vector<DestId> ring(capacity > 0 ? capacity : 1);
    std::size_t n = 0;
    for (std::size_t k = 0; k < count_; ++k) {
      const DestId id = ring_[(head_ + k) % ring_.size()];
      if (id != purge) ring[n++] = id;
    }
    ring_.swap(ring);
    head_ = 0;
    count_ = n;
  }

  /// Per destination: whether it is in the I-queue (char, not vector<bool>).
  PerDest<char> queued_;
  EligibleIndex eligible_{EligibleIndex::Value::One};
  std::vector<DestId> ring_ = std::vector<DestId>(1);
  std::size_t head_ = 0;
  std::size_t count_ = 0;
};

const SchedulerRegistrar jiq_registrar{
    "jiq", "join-idle-queue: FIFO of idle destinations, else random",
    []() -> std::unique_ptr<Scheduler> { return std::make_unique<JoinIdleQueue>(); }};

}  // namespace

}  // namespace lvs
