#pragma once
// One virtual service's destination list as the kernel keeps it (ipvs-semantics.md §1, §4;
// net/netfilter/ipvs/ip_vs_ctl.c, ip_vs_conn.c): the list order, the trash a removed
// destination waits in, the -x/-y overload rules, the connection counts, the service's
// -b scheduler flags, and one scheduler's hooks driven the way ip_vs_ctl.c drives them.
// The one implementation: the director's services, `lvslab schedule` and the scheduler
// conformance suite all run on it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/rng.hpp"
#include "core/time.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

/// ipvsadm -x and -y: the upper and lower connection thresholds, 0 = none.
struct DestThresholds {
  std::int32_t upper = 0;
  std::int32_t lower = 0;
};

/// A service's destination list in kernel order, with one scheduler bound to it.
class DestTable {
 public:
  /// An empty service with `sched` bound (init_service); `sched` must outlive the table
  /// or be replaced by bind_scheduler first.
  explicit DestTable(Scheduler& sched);

  /// `ip_vs_bind_scheduler` (ipvsadm -E -s): binds `sched` and calls its init_service on
  /// the current list.
  void bind_scheduler(Scheduler& sched);
  const Scheduler& scheduler() const { return *sched_; }
  Scheduler& scheduler() { return *sched_; }

  /// The service's flags (ipvsadm -b: svc_f_sched1..3), passed to every pick.
  std::uint32_t svc_flags() const { return svc_flags_; }
  void set_svc_flags(std::uint32_t flags) { svc_flags_ = flags; }

  /// The list in kernel order, newest first.
  DestList dests() const { return list_; }
  /// Whether destination `id` is in the list (not removed, not unknown).
  bool has(DestId id) const { return id < index_of_.size() && index_of_[id] >= 0; }
  /// Index of destination `id` in the list, or std::nullopt; O(1).
  std::optional<std::size_t> index_of(DestId id) const;
  /// Destination `id`, in the list or in the trash; throws std::out_of_range if unknown.
  const SchedDest& at(DestId id) const;
  /// Its -x and -y; throws std::out_of_range if unknown.
  const DestThresholds& thresholds(DestId id) const;

  /// ipvsadm -a (__ip_vs_update_dest with add=1): links `dest` at the head with
  /// last_weight = weight, then add_dest. An id removed earlier comes back from the trash
  /// with its connection counts (ip_vs_trash_get_dest), and OVL unless -x went up or away.
  /// Throws std::invalid_argument if the id is in the list, or is not below 2^24.
  void add(SchedDest dest, DestThresholds thresholds = {});
  /// ipvsadm -a for each of `batch` in order, as one change: the list, the counts and the
  /// scheduler's state come out as add(batch[0], thresholds[0]), add(batch[1], ...), ...
  /// would leave them (Scheduler::add_dests), in O(N + batch) instead of O(N) per add.
  /// `thresholds` is empty (none) or one per entry. Throws std::invalid_argument, changing
  /// nothing, if an id is in the list, repeats in the batch, or is not below 2^24.
  void add_batch(std::span<const SchedDest> batch, std::span<const DestThresholds> thresholds = {});
  /// ipvsadm -e (__ip_vs_update_dest with add=0): the weight (last_weight keeps the latest
  /// non-zero one) and thresholds; a raised or removed -x clears OVL; then upd_dest.
  void edit(DestId id, std::int32_t weight, DestThresholds thresholds);
  /// ipvsadm -e -w with no -x or -y, as ipvsadm sends it: edit(id, weight, {}).
  void edit_weight(DestId id, std::int32_t weight) { edit(id, weight, {}); }
  /// ipvsadm -d (__ip_vs_unlink_dest): unlinks `id` into the trash, then del_dest.
  void remove(DestId id);

  /// ip_vs_bind_dest: a new connection starts inactive; OVL is set at -x.
  void bind_connection(DestId id);
  /// ip_vs_unbind_dest: a connection, counted active or not, left; the OVL clear rules.
  void unbind_connection(DestId id, bool active);
  /// A persistence template was bound / expired (persistconns, and the same OVL rules).
  void bind_template(DestId id);
  void unbind_template(DestId id);
  /// A connection of `id` moved between inactive and active (set_tcp_state).
  void set_active(DestId id, bool active);

  /// Probing (lvslab schedule, tests): sets the counts, then on_counts_changed.
  void set_counts(DestId id, std::int32_t activeconns, std::int32_t inactconns);
  /// Probing: sets IP_VS_DEST_F_OVERLOAD, then on_counts_changed.
  void set_overloaded(DestId id, bool overloaded);
  /// Probing by list index, O(1); throws std::out_of_range if `index` >= dests().size().
  void set_counts_at(std::size_t index, std::int32_t activeconns, std::int32_t inactconns);
  void set_overloaded_at(std::size_t index, bool overloaded);

  /// One pick for `flow` at `now` with the service's flags: an index into dests(), or
  /// std::nullopt (no destination: ip_vs_leave).
  std::optional<std::size_t> schedule(Rng& rng, const SchedFlow& flow = {}, Time now = {});

 private:
  std::size_t index_or_throw(DestId id) const;
  void check_index(std::size_t index) const;
  SchedDest& counted(DestId id);  // in the list or the trash: connections outlive removal
  void counts_changed(DestId id);
  void set_overload(DestId id);
  void clear_overload(DestId id);
  void reindex(std::size_t from);
  void check_new(DestId id) const;
  SchedDest admitted(SchedDest dest, DestThresholds th);

  Scheduler* sched_;
  std::uint32_t svc_flags_ = 0;
  std::vector<SchedDest> list_;              // kernel list order
  std::vector<int> index_of_;                // DestId -> index in list_, -1 when not in it
  std::vector<SchedDest> trash_;             // by DestId: a removed destination's last state
  std::vector<DestThresholds> thresholds_;   // by DestId
  std::vector<bool> known_;                  // by DestId: ever added
};

}  // namespace lvs
