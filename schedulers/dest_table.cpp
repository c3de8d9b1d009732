#include "schedulers/dest_table.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace lvs {

namespace {

constexpr DestId kMaxDestId = 1U << 24;  // ids index vectors: keep them dense

}  // namespace

DestTable::DestTable(Scheduler& sched) : sched_(&sched) { sched_->init_service(list_); }

void DestTable::bind_scheduler(Scheduler& sched) {
  sched_ = &sched;
  sched_->init_service(list_);
}

std::optional<std::size_t> DestTable::index_of(DestId id) const {
  if (!has(id)) return std::nullopt;
  return static_cast<std::size_t>(index_of_[id]);
}

std::size_t DestTable::index_or_throw(DestId id) const {
  if (const auto i = index_of(id)) return *i;
  throw std::out_of_range("no destination with id " + std::to_string(id));
}

const SchedDest& DestTable::at(DestId id) const {
  if (has(id)) return list_[static_cast<std::size_t>(index_of_[id])];
  if (id < known_.size() && known_[id]) return trash_[id];
  throw std::out_of_range("no destination with id " + std::to_string(id));
}

const DestThresholds& DestTable::thresholds(DestId id) const {
  if (id >= known_.size() || !known_[id]) throw std::out_of_range("no destination with id " + std::to_string(id));
  return thresholds_[id];
}

void DestTable::reindex(std::size_t from) {
  for (std::size_t i = from; i < list_.size(); ++i) index_of_[list_[i].id] = static_cast<int>(i);
}

void DestTable::check_new(DestId id) const {
  if (id >= kMaxDestId) throw std::invalid_argument("destination id " + std::to_string(id) + " too large");
  if (has(id)) throw std::invalid_argument("destination id " + std::to_string(id) + " already added");
}

// What __ip_vs_update_dest(add=1) sets before linking: last_weight takes the weight even
// when it is 0. A destination from the trash keeps the counts of the connections still
// bound to it, and its OVL unless -x is raised or removed; a new one starts with the counts
// and flag given (zero in the kernel; probes and tests set them).
SchedDest DestTable::admitted(SchedDest dest, DestThresholds th) {
  if (dest.id >= known_.size()) {
    known_.resize(dest.id + 1, false);
    index_of_.resize(dest.id + 1, -1);
    trash_.resize(dest.id + 1);
    thresholds_.resize(dest.id + 1);
  }
  if (known_[dest.id]) {
    const SchedDest& old = trash_[dest.id];
    dest.activeconns = old.activeconns;
    dest.inactconns = old.inactconns;
    dest.persistconns = old.persistconns;
    dest.overloaded = old.overloaded && th.upper != 0 && th.upper <= thresholds_[dest.id].upper;
  }
  known_[dest.id] = true;
  thresholds_[dest.id] = th;
  dest.last_weight = dest.weight;
  return dest;
}

// __ip_vs_update_dest(add=1): the entry is linked at the head with list_add_rcu, then the
// scheduler's add_dest runs.
void DestTable::add(SchedDest dest, DestThresholds th) {
  check_new(dest.id);
  list_.insert(list_.begin(), admitted(dest, th));
  reindex(0);
  sched_->add_dest(list_, 0);
}

// Adding one by one links batch[k] at the head after batch[0..k-1]: the list ends as
// batch[c-1], ..., batch[0], then the old list, and after the k-th add the list was the
// suffix from position c-1-k of the final one. Each entry's own admission (trash, OVL,
// last_weight) reads only its own id's state, so it is the same in any order; the one
// insertion and reindex replace c of them, and Scheduler::add_dests replays the hooks on
// those suffixes (or proves its shortcut equal). Ids are checked first: nothing changes on
// a refusal (one by one, the entries before the bad one would stay added).
void DestTable::add_batch(std::span<const SchedDest> batch, std::span<const DestThresholds> th) {
  if (!th.empty() && th.size() != batch.size()) throw std::invalid_argument("one threshold pair per destination");
  if (batch.empty()) return;  // no add, no hook (a rebuild-once add_dests would still run)
  std::vector<DestId> ids;
  ids.reserve(batch.size());
  for (const SchedDest& d : batch) {
    check_new(d.id);
    ids.push_back(d.id);
  }
  std::sort(ids.begin(), ids.end());
  if (const auto dup = std::adjacent_find(ids.begin(), ids.end()); dup != ids.end())
    throw std::invalid_argument("destination id " + std::to_string(*dup) + " twice in one batch");
  std::vector<SchedDest> linked(batch.size());
  for (std::size_t k = 0; k < batch.size(); ++k)
    linked[batch.size() - 1 - k] = admitted(batch[k], th.empty() ? DestThresholds{} : th[k]);
  list_.insert(list_.begin(), linked.begin(), linked.end());
  reindex(0);
  sched_->add_dests(list_, batch.size());
}

// __ip_vs_update_dest(add=0): a raised or removed upper threshold clears the overload flag;
// last_weight keeps the latest non-zero weight; upd_dest runs on every edit.
void DestTable::edit(DestId id, std::int32_t weight, DestThresholds th) {
  const std::size_t i = index_or_throw(id);
  SchedDest& d = list_[i];
  if (th.upper == 0 || th.upper > thresholds_[id].upper) d.overloaded = false;
  thresholds_[id] = th;
  if (weight != 0) d.last_weight = weight;
  d.weight = weight;
  sched_->upd_dest(list_, i);
}

// __ip_vs_unlink_dest: list_del_rcu (into the trash while connections hold it), then the
// scheduler's del_dest.
void DestTable::remove(DestId id) {
  const std::size_t i = index_or_throw(id);
  const SchedDest removed = list_[i];
  trash_[id] = removed;
  list_.erase(list_.begin() + static_cast<std::ptrdiff_t>(i));
  index_of_[id] = -1;
  reindex(i);
  sched_->del_dest(list_, i, removed);
}

SchedDest& DestTable::counted(DestId id) {
  if (has(id)) return list_[static_cast<std::size_t>(index_of_[id])];
  if (id < known_.size() && known_[id]) return trash_[id];
  throw std::out_of_range("no destination with id " + std::to_string(id));
}

void DestTable::counts_changed(DestId id) {
  if (has(id)) sched_->on_counts_changed(list_, static_cast<std::size_t>(index_of_[id]));
}

// ip_vs_bind_dest, after the counter went up: OVL is set when activeconns + inactconns
// (templates not counted) reaches -x.
void DestTable::set_overload(DestId id) {
  SchedDest& d = counted(id);
  const std::int32_t u = thresholds_[id].upper;
  if (u != 0 && d.activeconns + d.inactconns >= u) d.overloaded = true;
}

// ip_vs_unbind_dest, after the counter went down: clear OVL below -y, or below 3/4 of -x
// when -y is 0, or at once when there is no -x.
void DestTable::clear_overload(DestId id) {
  SchedDest& d = counted(id);
  const std::int32_t total = d.activeconns + d.inactconns;
  const auto [u, l] = thresholds_[id];
  if (l != 0) {
    if (total < l) d.overloaded = false;
  } else if (u != 0) {
    if (total * 4 < u * 3) d.overloaded = false;
  } else {
    d.overloaded = false;
  }
}

// New connections start inactive (IP_VS_CONN_F_INACTIVE).
void DestTable::bind_connection(DestId id) {
  ++counted(id).inactconns;
  set_overload(id);
  counts_changed(id);
}

void DestTable::unbind_connection(DestId id, bool active) {
  SchedDest& d = counted(id);
  (active ? d.activeconns : d.inactconns) -= 1;
  clear_overload(id);
  counts_changed(id);
}

void DestTable::bind_template(DestId id) {
  ++counted(id).persistconns;
  set_overload(id);
  counts_changed(id);
}

void DestTable::unbind_template(DestId id) {
  --counted(id).persistconns;
  clear_overload(id);
  counts_changed(id);
}

void DestTable::set_active(DestId id, bool active) {
  SchedDest& d = counted(id);
  d.activeconns += active ? 1 : -1;
  d.inactconns -= active ? 1 : -1;
  counts_changed(id);
}

void DestTable::set_counts(DestId id, std::int32_t activeconns, std::int32_t inactconns) {
  set_counts_at(index_or_throw(id), activeconns, inactconns);
}

void DestTable::set_overloaded(DestId id, bool overloaded) { set_overloaded_at(index_or_throw(id), overloaded); }

void DestTable::check_index(std::size_t index) const {
  if (index >= list_.size()) throw std::out_of_range("no destination at index " + std::to_string(index));
}

void DestTable::set_counts_at(std::size_t index, std::int32_t activeconns, std::int32_t inactconns) {
  check_index(index);
  list_[index].activeconns = activeconns;
  list_[index].inactconns = inactconns;
  sched_->on_counts_changed(list_, index);
}

void DestTable::set_overloaded_at(std::size_t index, bool overloaded) {
  check_index(index);
  list_[index].overloaded = overloaded;
  sched_->on_counts_changed(list_, index);
}

std::optional<std::size_t> DestTable::schedule(Rng& rng, const SchedFlow& flow, Time now) {
  return sched_->schedule(SchedContext{list_, flow, svc_flags_, now}, rng);
}

}  // namespace lvs
