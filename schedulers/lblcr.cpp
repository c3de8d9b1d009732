// lblcr: locality-based least connection with replication (ipvs-semantics.md §2.14;
// net/netfilter/ipvs/ip_vs_lblcr.c).
//
// Like lblc, but each destination address maps to a set of destinations, newest first
// (`ip_vs_dest_set_insert` links at the head). A hit takes the weighted least-connection
// member (`ip_vs_dest_set_min`: overloaded, weight-0 and deleted members skipped); a set of
// more than one member untouched for lblcr_expiration (24 h) first loses its weighted most
// loaded member (`ip_vs_dest_set_max`). If that member is missing or lb_overloaded, wlc_scan
// over the whole service picks one and it joins the set. Deleted members cannot be read
// here, so set_max skips them, where the kernel would still weigh their frozen counts.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "schedulers/least_conn.hpp"
#include "schedulers/locality_table.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

namespace {

class LocalityLeastConnReplicated final : public LocalityScheduler {
 public:
  std::string_view name() const override { return "lblcr"; }

  std::optional<std::size_t> schedule(const SchedContext& ctx, Rng& rng) override;

 private:
  std::optional<std::size_t> set_min(const std::vector<DestId>& set, DestList dests) const;
  std::optional<std::size_t> set_max(const std::vector<DestId>& set, DestList dests) const;
};

// ip_vs_dest_set_min: the first usable member seeds; a later one wins on a strictly
// smaller overhead/weight, compared by cross-multiplication in 64 bits.
std::optional<std::size_t> LocalityLeastConnReplicated::set_min(const std::vector<DestId>& set, DestList dests) const {
  std::optional<std::size_t> least;
  for (const DestId id : set) {
    const auto i = index_.find(id);
    if (!i || dests[*i].overloaded || (!least && dests[*i].weight <= 0)) continue;
    if (!least || conn_overhead(dests[*least]) * dests[*i].weight > conn_overhead(dests[*i]) * dests[*least].weight)
      least = i;
  }
  return least;
}

// ip_vs_dest_set_max: the member with weight > 0 with the strictly largest overhead/weight.
std::optional<std::size_t> LocalityLeastConnReplicated::set_max(const std::vector<DestId>& set, DestList dests) const {
  std::optional<std::size_t> most;
  for (const DestId id : set) {
    const auto i = index_.find(id);
    if (!i || dests[*i].weight <= 0) continue;
    if (!most || conn_overhead(dests[*most]) * dests[*i].weight < conn_overhead(dests[*i]) * dests[*most].weight)
      most = i;
  }
  return most;
}

// ip_vs_lblcr_schedule.
std::optional<std::size_t> LocalityLeastConnReplicated::schedule(const SchedContext& ctx, Rng& /*rng*/) {
  table_.collect_garbage(ctx.now);
  const std::uint32_t e = table_.find(ctx.flow.daddr);
  if (e == LocalityTable::none) {
    const auto pick = wlc_scan(ctx.dests);
    if (pick) table_.insert(ctx.flow.daddr, ctx.dests[*pick].id, ctx.now);
    return pick;
  }
  LocalityTable::Entry& en = table_.entry(e);
  en.lastuse = ctx.now;
  const auto least = set_min(en.dests, ctx.dests);
  if (en.dests.size() > 1 && ctx.now > en.lastmod + LocalityTable::default_expiration) {
    if (const auto most = set_max(en.dests, ctx.dests)) {  // ip_vs_dest_set_erase
      en.dests.erase(std::find(en.dests.begin(), en.dests.end(), ctx.dests[*most].id));
      en.lastmod = ctx.now;
    }
  }
  if (least && !lb_overloaded(ctx.dests[*least], ctx.dests)) return least;
  const auto pick = wlc_scan(ctx.dests);
  if (!pick) return std::nullopt;
  const DestId id = ctx.dests[*pick].id;
  if (std::find(en.dests.begin(), en.dests.end(), id) == en.dests.end()) {
    en.dests.insert(en.dests.begin(), id);
    en.lastmod = ctx.now;
  }
  return pick;
}

const SchedulerRegistrar lblcr_registrar{
    "lblcr", "locality-based least connection with replication",
    []() -> std::unique_ptr<Scheduler> { return std::make_unique<LocalityLeastConnReplicated>(); }};

}  // namespace

}  // namespace lvs
