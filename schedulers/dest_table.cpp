#include "schedulers/dest_table.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace lvs {

DestTable::DestTable(Scheduler& sched) : sched_(&sched) { sched_->init_service(dests_); }

void DestTable::bind(Scheduler& sched) {
  sched_ = &sched;
  sched_->init_service(dests_);
}

std::optional<std::size_t> DestTable::index_of(DestId id) const {
  const auto it = std::find_if(dests_.begin(), dests_.end(), [id](const SchedDest& d) { return d.id == id; });
  if (it == dests_.end()) return std::nullopt;
  return static_cast<std::size_t>(it - dests_.begin());
}

std::size_t DestTable::index_or_throw(DestId id) const {
  if (const auto i = index_of(id)) return *i;
  throw std::out_of_range("no destination with id " + std::to_string(id));
}

const SchedDest& DestTable::at(DestId id) const { return dests_[index_or_throw(id)]; }

// __ip_vs_update_dest(add=1): last_weight takes the weight even when it is 0, the entry
// is linked at the head with list_add_rcu, then the scheduler's add_dest runs.
void DestTable::add(SchedDest dest) {
  if (index_of(dest.id)) throw std::invalid_argument("destination id " + std::to_string(dest.id) + " already added");
  dest.last_weight = dest.weight;
  dests_.insert(dests_.begin(), dest);
  sched_->add_dest(dests_, 0);
}

// __ip_vs_update_dest(add=0): last_weight keeps the latest non-zero weight; upd_dest runs
// on every edit.
void DestTable::edit_weight(DestId id, std::int32_t weight) {
  const std::size_t i = index_or_throw(id);
  if (weight != 0) dests_[i].last_weight = weight;
  dests_[i].weight = weight;
  sched_->upd_dest(dests_, i);
}

// __ip_vs_unlink_dest: list_del_rcu, then the scheduler's del_dest.
void DestTable::remove(DestId id) {
  const std::size_t i = index_or_throw(id);
  const SchedDest removed = dests_[i];
  dests_.erase(dests_.begin() + static_cast<std::ptrdiff_t>(i));
  sched_->del_dest(dests_, i, removed);
}

void DestTable::set_counts(DestId id, std::int32_t activeconns, std::int32_t inactconns) {
  const std::size_t i = index_or_throw(id);
  dests_[i].activeconns = activeconns;
  dests_[i].inactconns = inactconns;
  sched_->on_counts_changed(dests_, i);
}

void DestTable::set_overloaded(DestId id, bool overloaded) {
  const std::size_t i = index_or_throw(id);
  dests_[i].overloaded = overloaded;
  sched_->on_counts_changed(dests_, i);
}

void DestTable::check_index(std::size_t index) const {
  if (index >= dests_.size())
    throw std::out_of_range(std::string("no destination at index ").append(std::to_string(index)));
}

void DestTable::set_counts_at(std::size_t index, std::int32_t activeconns, std::int32_t inactconns) {
  check_index(index);
  dests_[index].activeconns = activeconns;
  dests_[index].inactconns = inactconns;
  sched_->on_counts_changed(dests_, index);
}

void DestTable::set_overloaded_at(std::size_t index, bool overloaded) {
  check_index(index);
  dests_[index].overloaded = overloaded;
  sched_->on_counts_changed(dests_, index);
}

std::optional<std::size_t> DestTable::schedule(Rng& rng, const SchedFlow& flow, Time now, std::uint32_t svc_flags) {
  return sched_->schedule(SchedContext{dests_, flow, svc_flags, now}, rng);
}

}  // namespace lvs
