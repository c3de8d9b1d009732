#pragma once
// One virtual service's destination list as the kernel keeps it, driving one scheduler's
// hooks the way ip_vs_ctl.c does (ipvs-semantics.md §1). For probing a scheduler
// (`lvslab schedule`) and for tests; the director keeps its own list under the same rules.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/rng.hpp"
#include "core/time.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

/// A service's destination list in kernel order, with one scheduler bound to it.
class DestTable {
 public:
  /// An empty service with `sched` bound (init_service); `sched` must outlive the table.
  explicit DestTable(Scheduler& sched);

  /// `ip_vs_bind_scheduler` (ipvsadm -E -s): binds `sched` and calls its init_service on
  /// the current list.
  void bind(Scheduler& sched);

  /// The list in kernel order, newest first.
  DestList dests() const { return dests_; }
  /// Index of destination `id` in the list, or std::nullopt.
  std::optional<std::size_t> index_of(DestId id) const;
  /// Destination `id`; throws std::out_of_range if absent.
  const SchedDest& at(DestId id) const;

  /// ipvsadm -a: links `dest` at the head, last_weight = weight, then add_dest.
  /// Throws std::invalid_argument if its id is already in the list.
  void add(SchedDest dest);
  /// ipvsadm -e -w: sets the weight (last_weight too when non-zero), then upd_dest.
  void edit_weight(DestId id, std::int32_t weight);
  /// ipvsadm -d: unlinks destination `id`, then del_dest.
  void remove(DestId id);

  /// Director side: sets the connection counts, then on_counts_changed.
  void set_counts(DestId id, std::int32_t activeconns, std::int32_t inactconns);
  /// Director side: sets IP_VS_DEST_F_OVERLOAD, then on_counts_changed.
  void set_overloaded(DestId id, bool overloaded);
  /// Director side: sets the counts of dests()[index], then on_counts_changed; O(1).
  /// Throws std::out_of_range if `index` >= dests().size().
  void set_counts_at(std::size_t index, std::int32_t activeconns, std::int32_t inactconns);
  /// Director side: sets IP_VS_DEST_F_OVERLOAD on dests()[index], then on_counts_changed; O(1).
  /// Throws std::out_of_range if `index` >= dests().size().
  void set_overloaded_at(std::size_t index, bool overloaded);

  /// One pick for `flow` at `now`: an index into dests(), or std::nullopt.
  std::optional<std::size_t> schedule(Rng& rng, const SchedFlow& flow = {}, Time now = {},
                                      std::uint32_t svc_flags = 0);

 private:
  std::size_t index_or_throw(DestId id) const;
  void check_index(std::size_t index) const;

  Scheduler* sched_;
  std::vector<SchedDest> dests_;
};

}  // namespace lvs
