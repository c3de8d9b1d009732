#pragma once
// The one interface every scheduler implements: the IPVS algorithms (rr wrr lc wlc sed nq
// dh sh mh lblc lblcr fo ovf twos) and the comparison ones (random, p2c, peak-ewma, ...).
//
// A scheduler sees what the kernel's `struct ip_vs_scheduler` sees and nothing more: the
// service's destinations in list order, the flow's addresses, ports and protocol, the
// service's sched flags, the current time and an injected random stream. Never packets,
// links or the event queue.
//
// The contract (ipvs-semantics.md §1; net/netfilter/ipvs/ip_vs_ctl.c):
// * List order. `dests` is `svc->destinations` in the order the kernel walks it. The
//   director inserts every new destination at the HEAD (index 0), as `__ip_vs_update_dest`
//   does with `list_add_rcu`, so the list is the reverse of insertion order; a deleted and
//   re-added destination goes back to the head. Ties and cursors follow this order. So list
//   order is descending insertion order: a scheduler that keeps loads in its own index
//   (an O(log N) lc/wlc) can break ties by an insertion counter that never renumbers.
// * Hooks run after the change, with the new list, as in the kernel: `init_service` when a
//   scheduler is bound to a service (`ip_vs_bind_scheduler`, also on `ipvsadm -E -s`, when
//   the list may be non-empty); `add_dest` after the insertion; `upd_dest` after every
//   edit (`ipvsadm -e`), whether or not a value changed; `del_dest` after the unlink
//   (`__ip_vs_unlink_dest`). The director calls every hook even where the kernel's
//   scheduler has none: a cursor kept as a list index must follow insertions and removals
//   that a kernel pointer follows for free. Each algorithm decides whether to react.
// * Counts. The director owns `activeconns`, `inactconns`, `persistconns` and `overloaded`
//   (`ip_vs_bind_dest` / `ip_vs_unbind_dest` / `set_tcp_state`); the scheduler only reads
//   them. A pick changes no count: the director binds the new connection afterwards and
//   then calls `on_counts_changed`, as it does for every later count or flag change.
// * Between hooks the list passed to `schedule` is the one the last hook saw (same entries,
//   same order); only counts and `overloaded` may differ.
// * "None" (std::nullopt) is the kernel's NULL: `ip_vs_schedule` makes no connection and
//   `ip_vs_leave` answers ICMP port unreachable and drops the packet.
// * A pick is allocation-free in steady state (lblc/lblcr insert table entries, as the
//   kernel kmallocs them). One instance serves one service; instances share no state.

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/rng.hpp"
#include "core/time.hpp"

namespace lvs {

/// An IPv4 or IPv6 address as IPVS holds it (`union nf_inet_addr` with its family).
struct InetAddr {
  /// AF_INET or AF_INET6.
  enum class Family : std::uint8_t { Ipv4, Ipv6 };

  /// The address family.
  Family family = Family::Ipv4;
  /// Four 32-bit words in host byte order, most significant first; IPv4 uses words[0] only.
  std::array<std::uint32_t, 4> words{};

  /// The IPv4 address `host_order` (e.g. 0x0A000001 for 10.0.0.1).
  static constexpr InetAddr v4(std::uint32_t host_order) { return {Family::Ipv4, {host_order, 0, 0, 0}}; }
  /// The IPv6 address with words `w`, most significant first.
  static constexpr InetAddr v6(std::array<std::uint32_t, 4> w) { return {Family::Ipv6, w}; }

  /// The 32-bit hash input, host order: the IPv4 address, or the XOR of the four IPv6 words
  /// (the fold in `ip_vs_dh_hashkey` / `ip_vs_sh_hashkey`; XOR commutes with ntohl).
  constexpr std::uint32_t fold() const {
    return family == Family::Ipv4 ? words[0] : words[0] ^ words[1] ^ words[2] ^ words[3];
  }
  constexpr auto operator<=>(const InetAddr&) const = default;
};

/// A destination's identity, stable while it stays in the service (id, not list index).
using DestId = std::uint32_t;

/// One destination as a scheduler sees it: the fields of `struct ip_vs_dest` it may read.
struct SchedDest {
  /// Unique among the service's destinations; the director may give a re-added one its old id.
  DestId id = 0;
  /// The real server's address.
  InetAddr addr{};
  /// The real server's port (host order; 0 = the VIP's port).
  std::uint16_t port = 0;
  /// Current weight, 0..65535 (ipvsadm -w); 0 = quiesced, no new connections.
  std::int32_t weight = 1;
  /// Weight at add, then the latest non-zero weight set by an edit (used by mh only).
  std::int32_t last_weight = 1;
  /// Connections in an active TCP state (ESTABLISHED, SYN_RECV, ...), director-owned.
  std::int32_t activeconns = 0;
  /// Other connections, including every UDP one, director-owned.
  std::int32_t inactconns = 0;
  /// Persistence templates bound here (not part of the overhead), director-owned.
  std::int32_t persistconns = 0;
  /// IP_VS_DEST_F_OVERLOAD: set at the upper threshold (-x), cleared per §4; director-owned.
  bool overloaded = false;
};

/// The service's destinations in kernel list order (newest first).
using DestList = std::span<const SchedDest>;

/// The flow being scheduled: the first packet's header fields (`struct ip_vs_iphdr` + ports).
struct SchedFlow {
  /// IP protocol number: 6 TCP, 17 UDP, 132 SCTP.
  std::uint8_t protocol = 6;
  /// Source (client) address; sh and mh hash it.
  InetAddr saddr{};
  /// Source port, host order (sh-port / mh-port).
  std::uint16_t sport = 0;
  /// Destination address: the VIP, or the original target on a fwmark service; dh, lblc hash it.
  InetAddr daddr{};
  /// Destination port, host order.
  std::uint16_t dport = 0;
};

/// IP_VS_SVC_F_SCHED1 (ipvsadm -b): sh-fallback, mh-fallback.
inline constexpr std::uint32_t svc_f_sched1 = 0x0008;
/// IP_VS_SVC_F_SCHED2 (ipvsadm -b): sh-port, mh-port.
inline constexpr std::uint32_t svc_f_sched2 = 0x0010;
/// IP_VS_SVC_F_SCHED3 (ipvsadm -b): unused by the mainline schedulers.
inline constexpr std::uint32_t svc_f_sched3 = 0x0020;

/// Everything one pick may read.
struct SchedContext {
  /// The destination list, as the last hook saw it (counts may have moved).
  DestList dests{};
  /// The flow's addresses, ports and protocol.
  SchedFlow flow{};
  /// The service's flags; only the svc_f_sched* bits mean anything here.
  std::uint32_t svc_flags = 0;
  /// Simulated time of the pick (lblc/lblcr entry ages).
  Time now{};
};

/// `ip_vs_dest_conn_overhead`: activeconns * 256 + inactconns (persistconns not counted).
constexpr std::int64_t conn_overhead(const SchedDest& d) {
  return (std::int64_t{d.activeconns} << 8) + d.inactconns;
}

/// The common eligibility test: not overloaded and weight > 0.
constexpr bool is_eligible(const SchedDest& d) { return !d.overloaded && d.weight > 0; }

/// A scheduling algorithm bound to one service (`struct ip_vs_scheduler` + its sched_data).
class Scheduler {
 public:
  Scheduler() = default;
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;
  virtual ~Scheduler() = default;

  /// The ipvsadm name ("rr", "wrr", ...).
  virtual std::string_view name() const = 0;

  // The hooks default to doing nothing, like a NULL hook in the kernel.
  /// Bound to a service whose list is `dests` (possibly empty); resets all state.
  virtual void init_service(DestList /*dests*/) {}
  /// `dests[index]` was just inserted (the director inserts at the head, index 0).
  virtual void add_dest(DestList /*dests*/, std::size_t /*index*/) {}
  /// `dests[count - 1]`, ..., `dests[0]` were just inserted at the head, in that order, as
  /// `count` ipvsadm -a (DestTable::add_batch). By default the add_dest calls those adds
  /// make: after the k-th (k = 1..count) the list was `dests.subspan(count - k)`. A
  /// scheduler whose state after add_dest depends only on the list may rebuild once.
  virtual void add_dests(DestList dests, std::size_t count) {
    for (std::size_t k = 1; k <= count; ++k) add_dest(dests.subspan(count - k), 0);
  }
  /// `removed`, which was at `index`, was just unlinked; `dests` is the list without it.
  virtual void del_dest(DestList /*dests*/, std::size_t /*index*/, const SchedDest& /*removed*/) {}
  /// `dests[index]` was just edited (weight, thresholds, ...); called on every edit.
  virtual void upd_dest(DestList /*dests*/, std::size_t /*index*/) {}

  /// The index in `ctx.dests` of the chosen destination, or std::nullopt for none.
  virtual std::optional<std::size_t> schedule(const SchedContext& ctx, Rng& rng) = 0;

  /// `dests[index]`'s counts or overloaded flag changed; for schedulers that index loads.
  virtual void on_counts_changed(DestList /*dests*/, std::size_t /*index*/) {}
  /// A request served by `dest` completed at `now` after `latency` (non-IPVS feedback).
  virtual void on_request_done(DestId /*dest*/, Time /*latency*/, Time /*now*/) {}
};

}  // namespace lvs
