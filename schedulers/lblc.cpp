// lblc: locality-based least connection (ipvs-semantics.md §2.13;
// net/netfilter/ipvs/ip_vs_lblc.c).
//
// A cache maps each destination address (the packet's daddr: the VIP, or the original
// target on a transparent-cache fwmark service) to the destination that last served it.
// A hit is kept while that destination is still in the list (AVAILABLE), has weight > 0
// and is not lb_overloaded (more active connections than its weight while another one is
// below half its weight); the hit path does not test the overload flag. Otherwise the
// weighted least-connection walk picks (wlc_scan, which does skip overloaded entries) and
// the address is re-mapped: `ip_vs_lblc_new` deletes a differing entry and hashes a new
// one at its chain's head. The kernel has no add/del/upd hook; here they only refresh the
// id -> list index map. Garbage collection: LocalityTable (lblc_expiration 24 h).

#include <cstddef>
#include <memory>
#include <optional>

#include "schedulers/least_conn.hpp"
#include "schedulers/locality_table.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

namespace {

class LocalityLeastConn final : public LocalityScheduler {
 public:
  std::string_view name() const override { return "lblc"; }

  std::optional<std::size_t> schedule(const SchedContext& ctx, Rng& rng) override;
};

// ip_vs_lblc_schedule.
std::optional<std::size_t> LocalityLeastConn::schedule(const SchedContext& ctx, Rng& /*rng*/) {
  table_.collect_garbage(ctx.now);
  const InetAddr& daddr = ctx.flow.daddr;
  std::uint32_t e = table_.find(daddr);
  if (e != LocalityTable::none) {
    LocalityTable::Entry& en = table_.entry(e);
    en.lastuse = ctx.now;
    if (const auto i = index_.find(en.dests.front())) {
      const SchedDest& d = ctx.dests[*i];
      if (d.weight > 0 && !lb_overloaded(d, ctx.dests)) return *i;
    }
  }
  const auto pick = wlc_scan(ctx.dests);
  if (!pick) return std::nullopt;
  // ip_vs_lblc_new: an entry already naming this destination is kept as it is.
  const DestId id = ctx.dests[*pick].id;
  if (e != LocalityTable::none && table_.entry(e).dests.front() == id) return pick;
  if (e != LocalityTable::none) table_.erase(e);
  table_.insert(daddr, id, ctx.now);
  return pick;
}

const SchedulerRegistrar lblc_registrar{
    "lblc", "locality-based least connection",
    []() -> std::unique_ptr<Scheduler> { return std::make_unique<LocalityLeastConn>(); }};

}  // namespace

}  // namespace lvs
