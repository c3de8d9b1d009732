#include "schedulers/locality_table.hpp"

#include <algorithm>

#include "schedulers/hash.hpp"

namespace lvs {

bool lb_overloaded(const SchedDest& d, DestList dests) {
  if (d.activeconns <= d.weight) return false;
  return std::any_of(dests.begin(), dests.end(),
                     [](const SchedDest& m) { return std::int64_t{m.activeconns} * 2 < m.weight; });
}

void DestIndex::rebuild(DestList dests) {
  sorted_.clear();
  for (std::size_t i = 0; i < dests.size(); ++i) sorted_.emplace_back(dests[i].id, static_cast<std::uint32_t>(i));
  std::sort(sorted_.begin(), sorted_.end());
}

std::optional<std::size_t> DestIndex::find(DestId id) const {
  const auto it = std::lower_bound(sorted_.begin(), sorted_.end(), std::pair<DestId, std::uint32_t>{id, 0});
  if (it == sorted_.end() || it->first != id) return std::nullopt;
  return it->second;
}

void LocalityTable::clear() {
  heads_.fill(none);
  pool_.clear();
  free_ = none;
  entries_ = 0;
  next_check_.reset();
  counter_ = 1;
  rover_ = 0;
}

// ip_vs_lblc_hashkey: hash_32 of the host-order address, IPv6 folded.
std::uint32_t LocalityTable::bucket_of(const InetAddr& addr) { return hash_32(addr.fold(), bits); }

std::uint32_t LocalityTable::find(const InetAddr& addr) const {
  for (std::uint32_t e = heads_[bucket_of(addr)]; e != none; e = pool_[e].next)
    if (pool_[e].addr == addr) return e;
  return none;
}

std::uint32_t LocalityTable::insert(const InetAddr& addr, DestId dest, Time now) {
  std::uint32_t e = free_;
  if (e == none) {
    e = static_cast<std::uint32_t>(pool_.size());
    pool_.emplace_back();
  } else {
    free_ = pool_[e].next;
  }
  Entry& en = pool_[e];
  en.addr = addr;
  en.dests.assign(1, dest);  // keeps the pooled vector's capacity
  en.lastuse = now;
  en.lastmod = now;
  const std::uint32_t b = bucket_of(addr);
  en.next = heads_[b];
  heads_[b] = e;
  ++entries_;
  return e;
}

void LocalityTable::erase(std::uint32_t e) {
  std::uint32_t* link = &heads_[bucket_of(pool_[e].addr)];
  while (*link != e) link = &pool_[*link].next;
  *link = pool_[e].next;
  pool_[e].next = free_;
  free_ = e;
  --entries_;
}

template <typename Pred>
std::size_t LocalityTable::sweep(std::uint32_t bucket, Pred expired) {
  std::size_t removed = 0;
  std::uint32_t* link = &heads_[bucket];
  while (*link != none) {
    const std::uint32_t e = *link;
    if (!expired(pool_[e])) {
      link = &pool_[e].next;
      continue;
    }
    *link = pool_[e].next;
    pool_[e].next = free_;
    free_ = e;
    --entries_;
    ++removed;
  }
  return removed;
}

// The timer, caught up: checks that can only advance the counter (table not over max_size
// and no full pass due) are counted in one step, so a long idle gap costs O(1) per full pass.
void LocalityTable::collect_garbage(Time now) {
  if (!next_check_) {
    next_check_ = now + check_interval;
    return;
  }
  while (*next_check_ <= now) {
    if (entries_ <= max_size) {
      const std::int64_t due = (now - *next_check_) / check_interval + 1;
      if (entries_ == 0) {  // full passes find nothing either: the counter cycles 1..30
        counter_ = static_cast<int>((counter_ - 1 + due) % count_for_full_expiration) + 1;
        *next_check_ += check_interval * due;
        return;
      }
      const std::int64_t quiet = std::min<std::int64_t>(due, count_for_full_expiration - counter_);
      counter_ += static_cast<int>(quiet);
      *next_check_ += check_interval * quiet;
      if (quiet == due) return;
    }
    check(*next_check_);
    *next_check_ += check_interval;
  }
}

// ip_vs_lblc_check_expire / ip_vs_lblcr_check_expire, run at time `when`.
void LocalityTable::check(Time when) {
  if (counter_ % count_for_full_expiration == 0) {
    full_check(when);
    counter_ = 1;
  } else if (entries_ <= max_size) {
    ++counter_;
  } else {
    oversize_check(when);
  }
}

// ip_vs_lblc_full_check: every entry whose lastuse + expiration is not after `when`.
void LocalityTable::full_check(Time when) {
  std::uint32_t j = rover_;
  for (std::size_t i = 0; i < heads_.size(); ++i) {
    j = (j + 1) & (heads_.size() - 1);
    sweep(j, [&](const Entry& en) { return en.lastuse + expiration_ <= when; });
  }
  rover_ = j;
}

// The over-max_size pass: entries idle >= ENTRY_TIMEOUT, bucket by bucket from the rover,
// until the goal is met (checked after each whole bucket).
void LocalityTable::oversize_check(Time when) {
  std::int64_t goal = static_cast<std::int64_t>(entries_ - max_size) * 4 / 3;
  goal = std::min<std::int64_t>(goal, max_size / 2);
  std::uint32_t j = rover_;
  for (std::size_t i = 0; i < heads_.size(); ++i) {
    j = (j + 1) & (heads_.size() - 1);
    goal -= static_cast<std::int64_t>(sweep(j, [&](const Entry& en) { return en.lastuse + entry_timeout <= when; }));
    if (goal <= 0) break;
  }
  rover_ = j;
}

}  // namespace lvs
