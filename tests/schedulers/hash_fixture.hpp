#pragma once
// Helpers for the hashing and locality scheduler tests: services whose destinations have
// addresses, and runs of picks for a row of flow addresses.

#include <cstdint>
#include <string>
#include <vector>

#include "schedulers/dest_table.hpp"
#include "schedulers/registry.hpp"

namespace lvs::test {

/// The IPv4 address a.b.c.d.
constexpr InetAddr ip4(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t d) {
  return InetAddr::v4(a << 24 | b << 16 | c << 8 | d);
}

/// The client addresses of test vector 19.
inline const std::vector<InetAddr> v19_addrs{ip4(10, 0, 0, 1), ip4(10, 0, 0, 2),    ip4(10, 0, 0, 3),
                                             ip4(10, 0, 0, 4), ip4(192, 168, 1, 10), ip4(172, 16, 5, 4)};

/// Destination `id` at `addr` port 80 with `weight` (DestTable::add sets last_weight).
inline SchedDest mh_dest(DestId id, int weight, InetAddr addr) {
  return SchedDest{.id = id, .addr = addr, .port = 80, .weight = weight};
}

/// A service whose list, in kernel order, is `dests` (ids as given); the scheduler is bound
/// after the adds (one init_service) through `sched`, the adds having gone to `filler`.
inline DestTable service_of(Scheduler& sched, const std::vector<SchedDest>& dests) {
  auto filler = make_scheduler("rr");
  DestTable table(*filler);
  for (std::size_t i = dests.size(); i-- > 0;) table.add(dests[i]);
  table.bind_scheduler(sched);
  return table;
}

/// One pick per address (saddr = daddr = the address, sport from `ports` if given), the
/// chosen ids or "none" space-joined; with `add_active` each pick adds 1 to the chosen
/// destination's activeconns, as binding a TCP connection does.
inline std::string picks_for(DestTable& table, const std::vector<InetAddr>& addrs, std::uint32_t flags = 0,
                             bool add_active = false, const std::vector<std::uint16_t>& ports = {}, Time now = {}) {
  Rng rng(1);
  std::string out;
  for (std::size_t k = 0; k < addrs.size(); ++k) {
    SchedFlow flow{.saddr = addrs[k], .sport = k < ports.size() ? ports[k] : std::uint16_t{0}, .daddr = addrs[k], .dport = 80};
    table.set_svc_flags(flags);
    const auto i = table.schedule(rng, flow, now);
    if (k > 0) out += ' ';
    out += i ? std::to_string(table.dests()[*i].id) : "none";
    if (i && add_active) {
      const SchedDest& d = table.dests()[*i];
      table.set_counts(d.id, d.activeconns + 1, d.inactconns);
    }
  }
  return out;
}

/// The id picked for one flow from `saddr` (and `sport`), or -1 for none.
inline long pick_id(DestTable& table, InetAddr saddr, std::uint32_t flags = 0, std::uint16_t sport = 0) {
  Rng rng(1);
  table.set_svc_flags(flags);
  const auto i = table.schedule(rng, SchedFlow{.saddr = saddr, .sport = sport, .daddr = saddr, .dport = 80}, {});
  return i ? static_cast<long>(table.dests()[*i].id) : -1;
}

}  // namespace lvs::test
