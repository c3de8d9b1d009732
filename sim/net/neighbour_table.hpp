#pragma once
// A host's neighbour (ARP) cache as Linux keeps it: net/core/neighbour.c (the NUD state
// machine, __neigh_update, neigh_timer_handler, __neigh_event_send, the periodic GC) and
// net/ipv4/arp.c (what a received ARP packet may change). docs/arp.md explains the rules
// with their sources; in short:
// - resolving: an unknown or FAILED entry goes INCOMPLETE and is asked for by broadcast,
//   at most mcast_solicit (3) times retrans_time (1 s) apart, packets queued meanwhile;
//   then FAILED, the queue dropped;
// - a resolved entry is REACHABLE for reachable_time (random in [15, 45) s, redrawn every
//   300 s) after its last confirmation; then DELAY if used in the last 5 s, else STALE; a
//   STALE entry that is used goes DELAY (5 s, traffic keeps the cached MAC); a DELAY entry
//   not confirmed by then goes PROBE: ucast_solicit (3) requests unicast to the cached
//   MAC, 1 s apart, then FAILED. What confirms: an ARP reply addressed to the host, or the
//   host's own TCP making progress; traffic a router only forwards never does;
// - a received ARP packet changes an entry only if it exists (arp_accept = 0), except a
//   request for one of the host's own addresses, which creates or overrides the sender's
//   entry (STALE) at once. Otherwise a different MAC replaces the cached one only when
//   locktime (1 s) has passed since the entry last changed, or for a gratuitous ARP: the
//   first of several back-to-back replies wins;
// - the periodic garbage collector (every 15 s) does nothing below gc_thresh1 (128)
//   entries; above it, it evicts STALE and FAILED entries unused for gc_stale_time (60 s).
//   gc_thresh2/3 (forced collection, "neighbour table overflow") are not modelled.

#include <cstdint>
#include <functional>
#include <list>
#include <optional>
#include <string_view>
#include <vector>

#include "core/rng.hpp"
#include "core/simulation.hpp"
#include "net/address.hpp"
#include "net/neighbour_index.hpp"
#include "net/packet_pool.hpp"

namespace lvs {

class Host;
class Interface;

/// The NUD states a cached entry can be in (include/uapi/linux/neighbour.h); an entry
/// that does not exist is NONE.
enum class NudState : std::uint8_t { Incomplete, Reachable, Stale, Delay, Probe, Failed };
/// "INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED" (as `ip neigh` prints them).
std::string_view nud_state_name(NudState s);

/// The neighbour parameters of a host: Linux's arp_tbl defaults
/// (net.ipv4.neigh.default.*) and net.ipv4.conf.*.arp_accept.
struct NeighbourParams {
  Time base_reachable_time = Time::s(30);     ///< reachable_time is random in [base/2, 3 base/2)
  Time delay_first_probe_time = Time::s(5);   ///< DELAY before unicast probes
  Time retrans_time = Time::s(1);             ///< between probes
  Time locktime = Time::s(1);                 ///< a different MAC is ignored this soon after a change
  int ucast_solicit = 3;                      ///< unicast probes of a PROBE entry
  int mcast_solicit = 3;                      ///< broadcast requests of an INCOMPLETE entry
  Time gc_stale_time = Time::s(60);           ///< the GC evicts STALE entries unused this long
  std::size_t gc_thresh1 = 128;               ///< below this many entries the GC does nothing
  std::size_t unres_qlen = 101;               ///< packets queued per INCOMPLETE entry
  int arp_accept = 0;                         ///< 0: never create from unsolicited ARP; 1: from GARP and replies; 2: only on-subnet senders
  /// Not a Linux setting: how long a host takes, at most, from receiving an ARP request to
  /// answering it (drawn uniformly in [0, this] per request). A NIC's interrupt moderation
  /// holds a received frame up to one interrupt interval: e1000e's default dynamic mode
  /// allows 20 000 interrupts/s on lightly loaded links, i.e. up to 50 us
  /// (Documentation/networking/device_drivers/ethernet/intel/e1000e.rst,
  /// InterruptThrottleRate). Without it, identical hosts answering one broadcast would tie
  /// to the nanosecond; with it, who answers first is a race, as on a real LAN.
  Time reply_delay_max = Time::us(50);
};

/// One change of a cached entry, as `ip monitor neigh` would report it.
struct NeighbourChange {
  Time t;
  const Interface* iface = nullptr;
  Ipv4Address ip;
  std::optional<NudState> from;  ///< nullopt: the entry was created
  NudState to = NudState::Incomplete;
  MacAddress old_mac;            ///< before (meaningful if `from` was a valid state)
  MacAddress mac;                ///< after
  std::string_view cause;        ///< "ARP reply", "ARP request for this host", "gratuitous ARP", "timer" ...
};

class NeighbourTable {
 public:
  NeighbourTable(Host& host, Rng& rng) : host_(host), rng_(rng) {}
  NeighbourTable(const NeighbourTable&) = delete;
  NeighbourTable& operator=(const NeighbourTable&) = delete;
  ~NeighbourTable();

  NeighbourParams& params() { return params_; }
  const NeighbourParams& params() const { return params_; }

  /// Sends `p` on `out` to `next_hop`'s MAC, resolving it first if need be
  /// (neigh_resolve_output). `p.confirm_neighbour` confirms the entry first (TCP).
  void output(Interface& out, Ipv4Address next_hop, PacketId p);
  /// An ARP request for one of this host's addresses that the host answers
  /// (neigh_event_ns): the sender's entry is created or overridden, STALE.
  void request_for_us(Interface& in, Ipv4Address sender, MacAddress mac);
  /// Any other ARP packet (arp_process's "update our ARP tables"): a reply, a request for
  /// another host, a gratuitous ARP. `reachable`: a reply addressed to this host (the
  /// entry becomes REACHABLE; otherwise STALE).
  void learn(Interface& in, Ipv4Address sender, MacAddress mac, bool reachable, bool gratuitous);

  /// The MAC cached for `ip` on `iface` while the entry is valid (REACHABLE, STALE, DELAY,
  /// PROBE), else nullopt.
  std::optional<MacAddress> lookup(const Interface& iface, Ipv4Address ip) const;
  /// The state of the entry for `ip` on `iface`; nullopt if there is none (NONE).
  std::optional<NudState> state(const Interface& iface, Ipv4Address ip) const;
  std::size_t size() const { return entries_.size(); }
  /// Forgets every entry, as a reboot does (the cache lives in memory): timers cancelled,
  /// packets waiting for an answer dropped. Reports no changes.
  void flush();
  /// The current reachable_time (random in [base/2, 3 base/2), redrawn every 300 s).
  Time reachable_time();
  /// The delay before answering an ARP request: uniform in [0, reply_delay_max].
  Time reply_delay();

  /// Called on every change of an entry (nullptr: none); for logs and lessons.
  void set_listener(std::function<void(const NeighbourChange&)> f) { listener_ = std::move(f); }

 private:
  struct Entry {
    Interface* iface = nullptr;
    Ipv4Address ip;
    MacAddress mac;
    NudState state = NudState::Incomplete;
    bool valid_mac = false;  ///< mac was ever set
    bool fresh = true;       ///< created and not yet reported (its first change is from NONE)
    int probes = 0;
    Time updated;    ///< last change of state or MAC (the locktime reference)
    Time confirmed;  ///< last proof of reachability
    Time used;       ///< last packet sent through it
    EventId timer;
    std::vector<PacketId> queue;  ///< packets waiting while INCOMPLETE
    mutable std::uint64_t indexed = kUnindexed;  ///< what the segment's holder index knows of it (the GC's sweep unindexes)
  };
  static constexpr std::uint64_t kUnindexed = ~std::uint64_t{0};
  static std::uint64_t key(const Interface& iface, Ipv4Address ip);
  static bool valid(NudState s);
  Entry& create(Interface& iface, Ipv4Address ip);
  Entry* find(const Interface& iface, Ipv4Address ip);
  void start_resolving(Entry& e);
  void enqueue(Entry& e, PacketId p);
  void send(Entry& e, PacketId p);
  void update(Entry& e, MacAddress mac, NudState to, bool override, std::string_view cause);
  void arm(Entry& e, Time at);
  void on_timer(std::uint64_t k);
  void fail(Entry& e);
  void probe(Entry& e);
  void set_state(Entry& e, NudState to, std::string_view cause);
  void report(Entry& e, NudState from, MacAddress old_mac, std::string_view cause) const;
  void schedule_gc();
  void gc();
  void reindex(Entry& e);
  void unindex(const Entry& e);

  Host& host_;
  Rng& rng_;
  NeighbourParams params_;
  // The entries, in the order they were made: a list, whose nodes stay put until erased.
  // A host's first entry costs one allocation (a hash map's first insert also allocated
  // and cleared its bucket array: 3% of BM_ScaleServers/10000, where nearly every request
  // reaches a server for the first time).
  std::list<Entry> entries_;
  NeighbourIndex<Entry> index_;    // entries_ by key, for lookups
  void reindex_all();
  std::uint64_t last_key_ = 0;     // find()'s last hit (nodes stay put until the GC erases)
  Entry* last_found_ = nullptr;
  Time reachable_time_;
  std::optional<Time> reachable_drawn_;  // when reachable_time_ was last drawn
  EventId gc_timer_;
  std::function<void(const NeighbourChange&)> listener_;
};

}  // namespace lvs
