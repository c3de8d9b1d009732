// Segment: lazy flooding (docs/arp.md, "Broadcasts on a large segment").
//
// Per-port flooding costs a copy and an event per port for every broadcast, and on a LAN
// of N hosts every host broadcasts (ARP), so N^2. Most of those deliveries change nothing
// but counters: Linux's arp_process only answers a request for one of the host's own
// addresses and otherwise updates an existing entry for the sender (__neigh_update), which
// a valid entry with the sender's MAC leaves as it is. So:
// - transmit side: the ports whose down queues are in the same state (the cohort: each
//   followed the same frames since it was last equal to the others) share one queue,
//   cohort_q_; their TxQueues follow its running totals (TxFeed) and catch up when read or
//   used. A port leaves the cohort when it gets a frame of its own (unicast) or sends a
//   broadcast; a port outside it joins at a broadcast when its queue would end up equal to
//   the cohort's. A port that cannot join gets its own copy, as before. A broadcast the
//   cohort's queue would drop dissolves the cohort first: every port then drops for itself.
// - receive side: the cohort's copies all arrive at one instant, so one event delivers them.
//   The ports a frame may change get it for real, in port order (Network::deliver: hop,
//   counters, observer, the host's processing); the others only count it: their
//   interfaces' and hosts' counters follow an RxFeed, and the hop count and the event
//   count and fingerprint (Simulation::fold_events) advance by the copies folded.

#include <algorithm>

#include "net/host.hpp"
#include "net/network.hpp"

namespace lvs {

void Segment::set_lazy_broadcast(bool on) {
  if (!on) dissolve_cohort();
  lazy_ = on;
}

void Segment::carrier_changed(int port, bool up) {
  if (up)
    std::erase(down_ports_, port);
  else
    down_ports_.push_back(port);
}

void Segment::holder_moved(int port, Ipv4Address ip, std::uint64_t from, std::uint64_t to) {
  std::vector<HolderGroup>& groups = holders_[ip.value()];
  if (from != kNoHolder) {
    for (auto g = groups.begin(); g != groups.end(); ++g) {
      if (g->key != from) continue;
      const auto at = std::find(g->ports.begin(), g->ports.end(), port);
      if (at != g->ports.end()) {
        *at = g->ports.back();  // the order of a group never matters: readers sort
        g->ports.pop_back();
      }
      if (g->ports.empty()) groups.erase(g);
      break;
    }
  }
  if (to == kNoHolder) return;
  for (HolderGroup& g : groups)
    if (g.key == to) {
      g.ports.push_back(port);
      return;
    }
  groups.push_back(HolderGroup{to, {port}});
}

void Segment::leave_cohort(int port) {
  Port& o = ports_[static_cast<std::size_t>(port)];
  o.down.follow(nullptr);
  o.in_cohort = false;
  --cohort_size_;
  solo_.push_back(port);
}

void Segment::dissolve_cohort() {
  for (int port = 0; port < static_cast<int>(ports_.size()); ++port)
    if (ports_[static_cast<std::size_t>(port)].in_cohort) leave_cohort(port);
}

// A flood record, reused.
std::uint32_t Segment::take_flood() {
  if (free_floods_.empty()) {
    floods_.emplace_back();
    return static_cast<std::uint32_t>(floods_.size() - 1);
  }
  const std::uint32_t idx = free_floods_.back();
  free_floods_.pop_back();
  return idx;
}

// At the switch, at `now`: the cohort gets one copy; a port outside it whose queue would
// end up equal to the cohort's joins; the others get their own copies, in port order.
void Segment::flood_lazily(int in_port, PacketId p) {
  const Time now = net_.sim().now();
  const std::uint32_t frame = net_.packets()[p].frame_bytes(), wire = net_.packets()[p].wire_bytes();
  const std::uint64_t limit = down_params_.queue_limit_bytes;
  if (cohort_size_ > 0 && cohort_q_.backlog_bytes(now) + wire > limit) dissolve_cohort();  // each port drops for itself
  if (ports_[static_cast<std::size_t>(in_port)].in_cohort) leave_cohort(in_port);
  if (cohort_size_ == 0) {
    cohort_q_ = TxQueue(down_params_);
    tx_feed_ = TxFeed{};
  }
  const std::uint32_t idx = take_flood();
  Flood& f = floods_[idx];
  f.p = p;
  f.ports = static_cast<int>(ports_.size());
  join_or_exclude(in_port, now, cohort_q_.backlog_bytes(now) + wire <= limit, f.excluded);
  if (cohort_size_ > 0) {
    const auto arrival = cohort_q_.enqueue(now, frame, wire);  // accepted: joinable, or the backlog was checked
    const TxStats& s = cohort_q_.stats();
    tx_feed_ = TxFeed{s.packets, s.bytes, s.busy, *arrival - down_params_.delay};
    net_.sim().schedule_at(*arrival, [this, idx] { arrive(idx); });
  }
  // Their own copies (send_down schedules, never floods): arrival times differ from the
  // cohort's, as their queues end elsewhere.
  for (const int port : floods_[idx].excluded)
    if (port != in_port) send_down(port, net_.packets().clone(p));
  if (cohort_size_ == 0) {
    free_floods_.push_back(idx);
    net_.packets().release(p);
  }
}

// The ports outside the cohort, in port order: those whose queue would end where the
// cohort's does (max(now, busy_until) + serialisation: equal starts, equal queues) join it;
// the others, and the sender, are `excluded`.
void Segment::join_or_exclude(int in_port, Time now, bool joinable, std::vector<int>& excluded) {
  const Time start = std::max(now, cohort_q_.busy_until());
  excluded.clear();
  std::sort(solo_.begin(), solo_.end());
  std::size_t keep = 0;
  for (const int port : solo_) {
    Port& o = ports_[static_cast<std::size_t>(port)];
    if (joinable && port != in_port && std::max(now, o.down.busy_until()) == start) {
      o.down.follow(&tx_feed_);
      o.in_cohort = true;
      ++cohort_size_;
      continue;
    }
    solo_[keep++] = port;
    excluded.push_back(port);
  }
  solo_.resize(keep);
}

// The cohort's copies arrive together: the ports the frame may change get it for real in
// port order, the others count it.
void Segment::arrive(std::uint32_t idx) {
  const PacketId p = floods_[idx].p;
  const std::size_t receivers = static_cast<std::size_t>(floods_[idx].ports) - floods_[idx].excluded.size();
  const Packet& pkt = net_.packets()[p];
  interested_.clear();
  const bool plain_arp = pkt.ethertype == EtherType::Arp && pkt.eth_dst.is_broadcast() &&
                         pkt.arp.sender_ip != pkt.arp.target_ip && !net_.observed();
  if (plain_arp) {
    collect_interested(pkt);
  } else {  // anything else may concern anyone (multicast listeners, unknown unicast, an observer)
    for (int port = 0; port < floods_[idx].ports; ++port) interested_.push_back(port);
  }
  // Only the cohort's ports of the time: not the excluded, not ports attached since.
  const std::vector<int>& ex = floods_[idx].excluded;
  std::erase_if(interested_, [&](int port) {
    return port >= floods_[idx].ports || std::binary_search(ex.begin(), ex.end(), port);
  });
  const std::size_t lazy = receivers - interested_.size();
  if (lazy > 0) count_lazy(floods_[idx], pkt, lazy);
  net_.sim().fold_events(receivers - 1);  // this event is the first copy's
  free_floods_.push_back(idx);
  for (std::size_t k = 0; k < interested_.size(); ++k) {
    const PacketId copy = k + 1 < interested_.size() ? net_.packets().clone(p) : p;
    net_.deliver(*ports_[static_cast<std::size_t>(interested_[k])].iface, copy);
  }
  if (interested_.empty()) net_.packets().release(p);
}

// Who an ARP broadcast may change (arp_process): the owners of the target address, the
// holders of an entry for the sender that is not valid or has another MAC, the ports
// without carrier (Network::deliver drops there), and the ports always served.
void Segment::collect_interested(const Packet& pkt) {
  if (owners_epoch_ != address_epoch() || owners_ports_ != ports_.size()) rebuild_owners();
  const std::uint32_t target = pkt.arp.target_ip.value();
  for (auto own = std::lower_bound(owners_.begin(), owners_.end(), std::pair{target, 0});
       own != owners_.end() && own->first == target; ++own)
    interested_.push_back(own->second);
  interested_.insert(interested_.end(), always_.begin(), always_.end());
  interested_.insert(interested_.end(), down_ports_.begin(), down_ports_.end());
  const auto held = holders_.find(pkt.arp.sender_ip.value());
  if (held != holders_.end())
    for (const HolderGroup& g : held->second)
      if (g.key != pkt.arp.sender_mac.bits()) interested_.insert(interested_.end(), g.ports.begin(), g.ports.end());
  std::sort(interested_.begin(), interested_.end());
  interested_.erase(std::unique(interested_.begin(), interested_.end()), interested_.end());
}

// The frame counts at every port but the excluded and the interested: they settle first,
// then pass over it.
void Segment::count_lazy(const Flood& f, const Packet& pkt, std::size_t lazy) {
  const auto others = [&](auto&& fn) {
    for (const int port : f.excluded) fn(*ports_[static_cast<std::size_t>(port)].iface);
    for (const int port : interested_) fn(*ports_[static_cast<std::size_t>(port)].iface);
    for (std::size_t port = static_cast<std::size_t>(f.ports); port < ports_.size(); ++port) fn(*ports_[port].iface);
  };
  others([](Interface& i) { i.settle_rx(); });
  ++rx_feed_.packets;
  rx_feed_.bytes += pkt.frame_bytes();
  ++(pkt.arp.op == ArpOp::Request ? rx_feed_.arp_requests : rx_feed_.arp_replies);
  others([](Interface& i) { i.pass_rx(); });
  net_.count_hops(lazy);
  lazy_deliveries_ += lazy;
}

// Which port's host has which address (Host::is_local over all its interfaces); hosts
// with address blocks or loopback prefixes, and nodes that are not hosts, get everything.
void Segment::rebuild_owners() {
  owners_.clear();
  always_.clear();
  for (int port = 0; port < static_cast<int>(ports_.size()); ++port) {
    const auto* host = dynamic_cast<const Host*>(&ports_[static_cast<std::size_t>(port)].iface->node());
    bool wide = host == nullptr;
    if (host != nullptr)
      for (const auto& i : host->interfaces()) {
        wide = wide || i->has_address_block();
        for (const Ipv4Prefix& a : i->addresses()) {
          if (i->kind() == InterfaceKind::Loopback && a.length() < 32)
            wide = true;
          else
            owners_.emplace_back(a.address().value(), port);
        }
      }
    if (wide) always_.push_back(port);
  }
  std::sort(owners_.begin(), owners_.end());
  holders_.reserve(owners_.size());  // the addresses hosts hold entries for are mostly these
  owners_epoch_ = address_epoch();
  owners_ports_ = ports_.size();
}

}  // namespace lvs
