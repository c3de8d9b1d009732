// The neighbour state machine; see neighbour_table.hpp and docs/arp.md.

#include "net/neighbour_table.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "net/host.hpp"
#include "net/network.hpp"

namespace lvs {

namespace {

constexpr Time kRerandomise = Time::s(300);  // neigh_periodic_work redraws reachable_time this often
constexpr Time kTimerFloor = Time::ms(10);    // neigh_timer_handler never re-arms sooner than HZ/100

}  // namespace

std::string_view nud_state_name(NudState s) {
  constexpr std::array<std::string_view, 6> kNames{"INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED"};
  return kNames[static_cast<std::size_t>(s)];
}

NeighbourTable::~NeighbourTable() {
  Simulation& sim = host_.network().sim();
  for (Entry& e : entries_) sim.cancel(e.timer);
  sim.cancel(gc_timer_);
}

std::uint64_t NeighbourTable::key(const Interface& iface, Ipv4Address ip) {
  return std::uint64_t(static_cast<std::uint32_t>(iface.index())) << 32 | ip.value();
}

bool NeighbourTable::valid(NudState s) { return s != NudState::Incomplete && s != NudState::Failed; }

// A host sends mostly to one next hop (its gateway): the last entry found answers first.
NeighbourTable::Entry* NeighbourTable::find(const Interface& iface, Ipv4Address ip) {
  const std::uint64_t k = key(iface, ip);
  if (last_found_ != nullptr && last_key_ == k) return last_found_;
  Entry* e = index_.find(k);
  if (e == nullptr) return nullptr;
  last_key_ = k;
  last_found_ = e;
  return e;
}

// After entries were erased: index what is left.
void NeighbourTable::reindex_all() {
  index_.clear();
  for (Entry& e : entries_) index_.insert(key(*e.iface, e.ip), &e);
}

std::optional<MacAddress> NeighbourTable::lookup(const Interface& iface, Ipv4Address ip) const {
  const Entry* e = index_.find(key(iface, ip));
  if (e == nullptr || !valid(e->state)) return std::nullopt;
  return e->mac;
}

std::optional<NudState> NeighbourTable::state(const Interface& iface, Ipv4Address ip) const {
  const Entry* e = index_.find(key(iface, ip));
  if (e == nullptr) return std::nullopt;
  return e->state;
}

// neigh_rand_reach_time: uniform in [base/2, 3 base/2), redrawn every 300 s.
Time NeighbourTable::reachable_time() {
  const Time now = host_.network().sim().now();
  if (!reachable_drawn_ || now >= *reachable_drawn_ + kRerandomise) {
    const std::int64_t base = params_.base_reachable_time.count();
    reachable_time_ = Time::ns(base / 2 + static_cast<std::int64_t>(rng_.below(static_cast<std::uint64_t>(std::max<std::int64_t>(base, 1)))));
    reachable_drawn_ = now;
  }
  return reachable_time_;
}

Time NeighbourTable::reply_delay() {
  const std::int64_t most = params_.reply_delay_max.count();
  return most <= 0 ? Time::zero() : Time::ns(static_cast<std::int64_t>(rng_.below(static_cast<std::uint64_t>(most) + 1)));
}

NeighbourTable::Entry& NeighbourTable::create(Interface& iface, Ipv4Address ip) {
  const std::uint64_t k = key(iface, ip);
  Entry& e = entries_.emplace_back();  // absent: callers create only what find() did not find
  index_.insert(k, &e);
  e.iface = &iface;
  e.ip = ip;
  reindex(e);
  schedule_gc();
  return e;
}

// The segment of the entry's interface indexes who holds an entry for which address, and
// with which MAC (Segment::holder_key): an ARP broadcast from a sender is delivered for real
// only to the hosts whose entry for it it may change (docs/arp.md, "Broadcasts on a large
// segment").
void NeighbourTable::reindex(Entry& e) {
  Segment* seg = e.iface->segment();
  if (seg == nullptr) return;
  const std::uint64_t k = Segment::holder_key(valid(e.state) && e.valid_mac, e.mac);
  if (k == e.indexed) return;
  seg->holder_moved(e.iface->segment_port(), e.ip, e.indexed, k);
  e.indexed = k;
}

void NeighbourTable::unindex(const Entry& e) {
  Segment* seg = e.iface->segment();
  if (seg == nullptr || e.indexed == kUnindexed) return;
  seg->holder_moved(e.iface->segment_port(), e.ip, e.indexed, kUnindexed);
  e.indexed = kUnindexed;
}

// --- output (neigh_resolve_output, __neigh_event_send) ---------------------------------

void NeighbourTable::output(Interface& out, Ipv4Address next_hop, PacketId p) {
  Packet& pkt = host_.network().packets()[p];
  pkt.eth_src = out.mac();
  const Time now = host_.network().sim().now();
  Entry* found = find(out, next_hop);
  if (found == nullptr) {
    Entry& e = create(out, next_hop);
    e.used = now;
    enqueue(e, p);
    start_resolving(e);
    return;
  }
  Entry& e = *found;
  if (pkt.confirm_neighbour) e.confirmed = now;  // sock_confirm_neigh: TCP made progress
  pkt.confirm_neighbour = false;                 // a router forwarding it later confirms nothing
  e.used = now;
  switch (e.state) {
    case NudState::Reachable:
    case NudState::Delay:
    case NudState::Probe:
      send(e, p);
      return;
    case NudState::Stale:
      set_state(e, NudState::Delay, "used while STALE");
      arm(e, now + params_.delay_first_probe_time);
      send(e, p);
      return;
    case NudState::Incomplete:
      enqueue(e, p);
      return;
    case NudState::Failed:
      enqueue(e, p);
      start_resolving(e);
      return;
  }
}

// NONE or FAILED -> INCOMPLETE: the first broadcast request now, the next ones on the timer.
void NeighbourTable::start_resolving(Entry& e) {
  set_state(e, NudState::Incomplete, "resolving");
  e.probes = params_.ucast_solicit;  // counted past the unicast ones: broadcasts only
  arm(e, host_.network().sim().now() + params_.retrans_time);
  probe(e);
}

void NeighbourTable::enqueue(Entry& e, PacketId p) {
  if (e.queue.size() >= params_.unres_qlen) {
    host_.network().drop(host_, e.queue.front(), "ARP queue full for " + e.ip.str());
    e.queue.erase(e.queue.begin());
  }
  e.queue.push_back(p);
}

void NeighbourTable::send(Entry& e, PacketId p) {
  host_.network().packets()[p].eth_dst = e.mac;
  host_.network().transmit(*e.iface, p);
}

// --- probes and the timer (neigh_timer_handler, neigh_probe, arp_solicit) --------------

// A request for the entry: unicast to the cached MAC while probes < ucast_solicit (PROBE),
// broadcast after (INCOMPLETE). Its sender address follows arp_announce, from the newest
// queued packet if any (neigh_probe passes arp_queue's tail).
void NeighbourTable::probe(Entry& e) {
  const bool unicast = e.probes < params_.ucast_solicit;
  const Ipv4Address hint =
      e.queue.empty() ? Ipv4Address() : host_.network().packets()[e.queue.back()].outermost().src;
  host_.send_arp_request(*e.iface, e.ip, hint, unicast ? e.mac : MacAddress::broadcast());
  ++e.probes;
}

void NeighbourTable::arm(Entry& e, Time at) {
  Simulation& sim = host_.network().sim();
  sim.cancel(e.timer);
  e.timer = sim.schedule_at(at, [this, k = key(*e.iface, e.ip)] { on_timer(k); });
}

void NeighbourTable::on_timer(std::uint64_t k) {
  Entry* found = index_.find(k);
  if (found == nullptr) return;
  Entry& e = *found;
  e.timer = EventId{};
  const Time now = host_.network().sim().now();
  Time next = now + params_.retrans_time;
  switch (e.state) {
    case NudState::Reachable:
      if (now <= e.confirmed + reachable_time()) {
        next = e.confirmed + reachable_time();
      } else if (now <= e.used + params_.delay_first_probe_time) {
        set_state(e, NudState::Delay, "reachable time over, recently used");
        next = now + params_.delay_first_probe_time;
      } else {
        set_state(e, NudState::Stale, "reachable time over");
        return;
      }
      break;
    case NudState::Delay:
      if (now <= e.confirmed + params_.delay_first_probe_time) {
        set_state(e, NudState::Reachable, "confirmed during DELAY");
        next = e.confirmed + reachable_time();
      } else {
        set_state(e, NudState::Probe, "not confirmed during DELAY");
        e.probes = 0;
      }
      break;
    case NudState::Incomplete:
    case NudState::Probe:
      break;
    case NudState::Stale:
    case NudState::Failed:
      return;
  }
  // neigh_max_probes: unicast + (broadcast for INCOMPLETE; mcast_resolicit = 0 for PROBE)
  const int most = params_.ucast_solicit + (e.state == NudState::Incomplete ? params_.mcast_solicit : 0);
  if ((e.state == NudState::Incomplete || e.state == NudState::Probe) && e.probes >= most) {
    fail(e);
    return;
  }
  arm(e, std::max(next, now + kTimerFloor));
  if (e.state == NudState::Incomplete || e.state == NudState::Probe) probe(e);
}

// No answer: FAILED, and the waiting packets are dropped (neigh_invalidate).
void NeighbourTable::fail(Entry& e) {
  set_state(e, NudState::Failed, "no answer to the probes");
  std::vector<PacketId> waiting;
  waiting.swap(e.queue);
  for (PacketId q : waiting)
    host_.network().drop(host_, q, "ARP: no reply from " + e.ip.str() + " (host unreachable)");
}

void NeighbourTable::flush() {
  Simulation& sim = host_.network().sim();
  for (Entry& e : entries_) {
    sim.cancel(e.timer);
    unindex(e);
    for (PacketId q : e.queue) host_.network().drop(host_, q, "ARP: the host went down with the packet queued");
  }
  entries_.clear();
  index_.clear();
  last_key_ = 0;
  last_found_ = nullptr;
}

// --- received ARP (neigh_event_ns, arp_process, __neigh_update) ------------------------

void NeighbourTable::request_for_us(Interface& in, Ipv4Address sender, MacAddress mac) {
  Entry* e = find(in, sender);
  if (e == nullptr) e = &create(in, sender);
  update(*e, mac, NudState::Stale, true, "ARP request for this host");
}

// arp_accept 1 creates from a gratuitous ARP or a reply; 2 only if the sender is on one of
// the interface's subnets as well.
void NeighbourTable::learn(Interface& in, Ipv4Address sender, MacAddress mac, bool reachable, bool gratuitous) {
  Entry* e = find(in, sender);
  const bool may_create = (gratuitous || reachable) &&
                          (params_.arp_accept == 1 ||
                           (params_.arp_accept == 2 && std::any_of(in.addresses().begin(), in.addresses().end(),
                                                                   [&](const Ipv4Prefix& a) { return a.contains(sender); })));
  if (e == nullptr && !may_create) return;
  if (e == nullptr) e = &create(in, sender);
  // "If several different ARP replies follows back-to-back, use the FIRST one."
  const bool override = host_.network().sim().now() > e->updated + params_.locktime || gratuitous;
  const std::string_view cause = gratuitous ? "gratuitous ARP" : reachable ? "ARP reply" : "ARP packet from it";
  update(*e, mac, reachable ? NudState::Reachable : NudState::Stale, override, cause);
}

// __neigh_update for an ARP-sourced change: a valid entry keeps its MAC unless `override`;
// a STALE update with the same MAC keeps the state; the queue goes out once valid.
void NeighbourTable::update(Entry& e, MacAddress mac, NudState to, bool override, std::string_view cause) {
  const Time now = host_.network().sim().now();
  const NudState from = e.state;
  const bool was_valid = valid(from) && e.valid_mac;
  if (to == NudState::Reachable) e.confirmed = now;
  if (was_valid && mac != e.mac && !override) return;  // the first answer wins
  if (was_valid && mac == e.mac && to == NudState::Stale) to = from;
  const MacAddress old_mac = e.mac;
  const bool moved = !e.valid_mac || mac != e.mac;
  if (to != from || moved) e.updated = now;
  e.mac = mac;
  e.valid_mac = true;
  if (to != from) {
    host_.network().sim().cancel(e.timer);
    e.timer = EventId{};
    e.state = to;
    if (to == NudState::Reachable) arm(e, now + reachable_time());
  }
  reindex(e);
  if (to != from || moved || e.fresh) report(e, from, old_mac, cause);
  if (was_valid || e.queue.empty()) return;
  std::vector<PacketId> waiting;
  waiting.swap(e.queue);
  for (PacketId q : waiting) send(e, q);
}

void NeighbourTable::set_state(Entry& e, NudState to, std::string_view cause) {
  const NudState from = e.state;
  e.state = to;
  e.updated = host_.network().sim().now();
  reindex(e);
  if (from != to || e.fresh) report(e, from, e.mac, cause);
}

void NeighbourTable::report(Entry& e, NudState from, MacAddress old_mac, std::string_view cause) const {
  const bool created = std::exchange(e.fresh, false);
  if (!listener_) return;
  listener_(NeighbourChange{host_.network().sim().now(), e.iface, e.ip,
                            created ? std::nullopt : std::optional<NudState>(from), e.state, old_mac, e.mac, cause});
}

// --- garbage collection (neigh_periodic_work) ------------------------------------------

void NeighbourTable::schedule_gc() {
  Simulation& sim = host_.network().sim();
  if (entries_.size() < params_.gc_thresh1 || sim.pending(gc_timer_)) return;
  gc_timer_ = sim.schedule_in(params_.base_reachable_time / 2, [this] { gc(); });
}

// Entries outside the timer states (STALE, FAILED) that failed or were not used for
// gc_stale_time go; the sweep repeats every base_reachable_time / 2 while the table holds
// gc_thresh1 entries or more.
void NeighbourTable::gc() {
  gc_timer_ = EventId{};
  const Time now = host_.network().sim().now();
  if (entries_.size() < params_.gc_thresh1) return;
  last_found_ = nullptr;
  std::erase_if(entries_, [&](const Entry& e) {
    const bool idle = e.state == NudState::Stale || e.state == NudState::Failed;
    const bool evict = idle && e.queue.empty() && (e.state == NudState::Failed || now > e.used + params_.gc_stale_time);
    if (evict) unindex(e);
    return evict;
  });
  reindex_all();
  schedule_gc();
}

}  // namespace lvs
