// rr: round robin (ipvs-semantics.md §2.1; net/netfilter/ipvs/ip_vs_rr.c).
//
// The kernel keeps a pointer to the last chosen entry (`sched_data`), starting at the list
// head. A pick walks the entries after it to the end, then from the first entry up to and
// including it, and takes the first one that is not overloaded and has weight > 0. Here the
// cursor is a list index, so it must move with insertions and removals where the kernel's
// pointer stays on its entry by itself.

#include <cstddef>
#include <memory>
#include <optional>

#include "schedulers/registry.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

namespace {

class RoundRobin final : public Scheduler {
 public:
  std::string_view name() const override { return "rr"; }

  // ip_vs_rr_init_svc: the cursor starts at the head.
  void init_service(DestList /*dests*/) override { cursor_ = head; }

  // The kernel has no add_dest: the new entry is linked at the head and the cursor keeps
  // pointing at its entry, so the newcomer is reached only after the walk wraps.
  void add_dest(DestList /*dests*/, std::size_t index) override {
    if (cursor_ != head && cursor_ >= index) ++cursor_;
  }

  // ip_vs_rr_del_dest: if the cursor's entry is unlinked, the cursor moves to the entry
  // before it (or to the head), so the next pick is the entry that followed it.
  void del_dest(DestList /*dests*/, std::size_t index, const SchedDest& /*removed*/) override {
    if (cursor_ == head || cursor_ < index) return;
    if (cursor_ == index) {
      cursor_ = index == 0 ? head : index - 1;
    } else {
      --cursor_;
    }
  }

  // ip_vs_rr_schedule. Weight matters only through > 0. No eligible entry: the cursor stays.
  std::optional<std::size_t> schedule(const SchedContext& ctx, Rng& /*rng*/) override {
    const DestList dests = ctx.dests;
    const std::size_t first = cursor_ == head ? 0 : cursor_ + 1;
    for (std::size_t i = first; i < dests.size(); ++i)
      if (is_eligible(dests[i])) return cursor_ = i;
    // Second pass, from the first entry up to and including the last pick; skipped when the
    // cursor is at the head, since the first pass then saw every entry.
    if (cursor_ != head)
      for (std::size_t i = 0; i <= cursor_ && i < dests.size(); ++i)
        if (is_eligible(dests[i])) return cursor_ = i;
    return std::nullopt;
  }

 private:
  /// The cursor's value while it is at the list head (before the first entry).
  static constexpr std::size_t head = static_cast<std::size_t>(-1);
  /// Index of the last chosen entry, or `head`.
  std::size_t cursor_ = head;
};

const SchedulerRegistrar rr_registrar{"rr", "round robin",
                                   []() -> std::unique_ptr<Scheduler> { return std::make_unique<RoundRobin>(); }};

}  // namespace

}  // namespace lvs
