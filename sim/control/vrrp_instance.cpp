// VrrpInstance: keepalived's per-instance state machine. Function names in the comments are
// keepalived's (vrrp/vrrp.c, vrrp/vrrp_scheduler.c, vrrp/vrrp_sync.c); docs/vrrp.md has the
// rules in words.

#include "control/vrrp_instance.hpp"

#include <algorithm>

#include "control/vrrp_timing.hpp"
#include "net/network.hpp"

namespace lvs::control {

namespace {
constexpr std::uint8_t kPriorityOwner = 255;  // VRRP_PRIO_OWNER (RFC 3768 5.3.4)
constexpr std::uint8_t kPriorityStop = 0;     // VRRP_PRIO_STOP: the master resigns
}  // namespace

const char* vrrp_state_name(VrrpState s) {
  switch (s) {
    case VrrpState::Init: return "INIT";
    case VrrpState::Backup: return "BACKUP";
    case VrrpState::Master: return "MASTER";
    case VrrpState::Fault: return "FAULT";
  }
  return "?";
}

VrrpInstance::VrrpInstance(Host& host, Interface& iface, VrrpConfig cfg, EventLog& log, Interface* vip_iface)
    : host_(host), iface_(iface), vip_iface_(vip_iface != nullptr ? *vip_iface : iface), cfg_(std::move(cfg)), log_(log), priority_(cfg_.priority),
      master_adver_int_(cfg_.advert_int) {}

Simulation& VrrpInstance::sim() const { return host_.network().sim(); }

Time VrrpInstance::master_down_interval() const {
  return vrrp_master_down(cfg_.version, priority_, master_adver_int_, cfg_.down_timer_adverts);
}

void VrrpInstance::log(std::string event, std::string detail, std::string line) {
  log_.add(sim().now(), cfg_.name + "@" + host_.name(), std::move(event), std::move(detail),
           "VRRP_Instance(" + cfg_.name + ") " + line);
}

// vrrp_init_state: the owner configured MASTER takes over at once; another `state MASTER`
// waits one interval and the smallest skew (VRRP_TIMER_SKEW_MIN); the rest the full
// Master_Down_Interval. A tracked script with weight 0 that fails keeps it in FAULT.
void VrrpInstance::start() {
  if (running_) return;
  running_ = true;
  master_adver_int_ = cfg_.advert_int;
  preempt_time_ = Time::max();
  priority_ = tracked_priority();
  if (tracking_fault())
    enter_fault();
  else if (cfg_.initial_master && priority_ == kPriorityOwner)
    become_master();
  else if (cfg_.initial_master)
    become_backup(Time::us(cfg_.advert_int.count() / 1000) + vrrp_skew_min(cfg_.version, cfg_.advert_int));
  else
    become_backup(master_down_interval());
}

void VrrpInstance::stop() {
  if (!running_) return;
  want_master_ = false;
  const VrrpState from = state_;
  if (from == VrrpState::Master) leave_master(false);
  down_timer_.cancel(sim());
  down_expiry_ = Time::max();
  running_ = false;
  state_ = VrrpState::Init;
  for (const auto& l : listeners_) l(*this, from, VrrpState::Init);
}

// keepalived's shutdown (vrrp_restore_interface with advF): a MASTER sends priority 0 so
// that a backup takes over after its skew alone (RFC 3768 6.4.3, 6.4.2).
void VrrpInstance::shutdown() {
  if (!running_) return;
  const VrrpState from = state_;
  if (from == VrrpState::Master) send_advert(kPriorityStop);
  log("vrrp-state", std::string(vrrp_state_name(from)) + "->INIT",
      from == VrrpState::Master ? "sent 0 priority" : "Stopped");
  stop();
}

void VrrpInstance::set_state(VrrpState to) {
  const VrrpState from = state_;
  state_ = to;
  log("vrrp-state", std::string(vrrp_state_name(from)) + "->" + vrrp_state_name(to),
      std::string("Entering ") + vrrp_state_name(to) + " STATE");
  for (const auto& l : listeners_) l(*this, from, to);
  if (sync_ != nullptr) sync_->changed(*this, to);
}

// vrrp_state_master_tx / vrrp_state_become_master: the VIPs go up, an advert leaves first
// (so the old master drops the VIPs before the GARPs), then garp_master_repeat GARPs per
// VIP back to back, and the same again after garp_master_delay (vrrp_gratuitous_arp_thread).
void VrrpInstance::become_master() {
  want_master_ = false;
  down_timer_.cancel(sim());
  down_expiry_ = Time::max();
  preempt_time_ = Time::max();
  master_adver_int_ = cfg_.advert_int;
  for (const Ipv4Prefix& vip : cfg_.virtual_ipaddress)
    if (!vip_iface_.has_address(vip.address())) vip_iface_.add_address(vip);
  set_state(VrrpState::Master);
  if (state_ != VrrpState::Master) return;  // a listener or the sync group moved it on
  send_advert(priority_);
  send_garps(cfg_.garp_master_repeat);
  if (cfg_.garp_master_delay > Time::zero())
    garp_timer_.restart(sim(), cfg_.garp_master_delay, [this] { garp_delay_burst(); });
  garp_refresh_due_ = sim().now() + cfg_.garp_master_refresh;
  advert_timer_.restart(sim(), cfg_.advert_int, [this] { advert_tick(); });
}

void VrrpInstance::become_backup(Time down) {
  want_master_ = false;
  if (state_ == VrrpState::Master) leave_master(false);
  arm_down_timer(down);
  if (state_ != VrrpState::Backup) set_state(VrrpState::Backup);
}

// vrrp_state_leave_master / vrrp_state_leave_fault: a MASTER going to FAULT resigns with a
// priority 0 advert first.
void VrrpInstance::enter_fault() {
  want_master_ = false;
  down_timer_.cancel(sim());
  down_expiry_ = Time::max();
  if (state_ == VrrpState::Master) leave_master(true);
  if (state_ != VrrpState::Fault) set_state(VrrpState::Fault);
}

// vrrp_restore_interface: the VIPs are deleted (`ip addr del`); GARP and advert timers stop.
void VrrpInstance::leave_master(bool resign) {
  advert_timer_.cancel(sim());
  garp_timer_.cancel(sim());
  if (resign) send_advert(kPriorityStop);
  for (const Ipv4Prefix& vip : cfg_.virtual_ipaddress) vip_iface_.remove_address(vip.address());
}

void VrrpInstance::arm_down_timer(Time down) {
  down_expiry_ = sim().now() + down;
  down_timer_.restart(sim(), down, [this] { down_timer_expired(); });
}

// RFC 3768 6.4.2: Master_Down_Timer fires -> MASTER. In a sync group only if every other
// member is MASTER or wants to be (vrrp_sync_can_goto_master: "prefer backup state to avoid
// thrashing"); else it waits in BACKUP, wanting MASTER, until the group goes or an advert
// it accepts makes it a plain backup again.
void VrrpInstance::down_timer_expired() {
  down_expiry_ = Time::max();
  if (sync_ != nullptr && !sync_->can_goto_master(*this)) {
    want_master_ = true;
    return;
  }
  become_master();
}

void VrrpInstance::receive(const Packet& advert) {
  if (!running_) return;
  const VrrpBody& v = advert.vrrp;
  if (v.version != cfg_.version || v.type != 1 || !authentic(v)) return;  // vrrp_check_packet
  if (state_ == VrrpState::Backup)
    receive_as_backup(v);
  else if (state_ == VrrpState::Master)
    receive_as_master(v, advert.ip.src);
}

// v2 PASS: the first 8 characters of auth_pass, zero-padded (RFC 2338 5.3.6.1; RFC 3768
// dropped authentication, keepalived keeps it for v2).
bool VrrpInstance::authentic(const VrrpBody& v) const {
  if (cfg_.version != 2) return true;
  if (v.auth_type != (cfg_.auth_pass.empty() ? 0 : 1)) return false;
  for (std::size_t i = 0; i < kVrrpAuthData; ++i) {
    const std::uint8_t want = i < cfg_.auth_pass.size() ? static_cast<std::uint8_t>(cfg_.auth_pass[i]) : 0;
    if (!cfg_.auth_pass.empty() && v.auth_data[i] != want) return false;
  }
  return true;
}

// The master's interval from a v3 advert (RFC 5798 6.4.2: Master_Adver_Interval := the
// advert's); v2 keeps its own.
Time VrrpInstance::from_advert(const VrrpBody& v) const {
  return cfg_.version == 3 ? Time::us(std::int64_t{v.advert_int} * kVrrpTimerCentiHz) : master_adver_int_;
}

// vrrp_state_backup. Priority 0: the down timer becomes the skew. An advert is accepted (the
// timer restarts at the full Master_Down_Interval) when nopreempt, when its priority is at
// least ours, or inside preempt_delay (which starts at the first lower advert and stops at
// an equal or higher one). A lower advert is otherwise ignored: the timer runs on, so a
// higher-priority backup preempts when the timer of the last accepted advert runs out.
void VrrpInstance::receive_as_backup(const VrrpBody& v) {
  if (v.priority == kPriorityStop) {
    arm_down_timer(vrrp_skew(cfg_.version, priority_, master_adver_int_));
    return;
  }
  const Time now = sim().now();
  const bool in_delay = cfg_.preempt_delay > Time::zero() && (preempt_time_ == Time::max() || preempt_time_ > now);
  if (!(cfg_.nopreempt || v.priority >= priority_ || in_delay)) return;
  want_master_ = false;
  master_adver_int_ = from_advert(v);
  if (cfg_.preempt_delay > Time::zero()) {
    if (v.priority >= priority_)
      preempt_time_ = Time::max();
    else if (preempt_time_ == Time::max())
      preempt_time_ = now + cfg_.preempt_delay;
  }
  arm_down_timer(master_down_interval());
}

// vrrp_state_master_rx. Priority 0: answer with an advert. A lower advert (or an equal one
// from a lower address): answer with an advert ("forcing new election"). A higher one, or
// an equal one from a higher primary address (RFC 3768 6.4.3): become BACKUP.
void VrrpInstance::receive_as_master(const VrrpBody& v, Ipv4Address src) {
  const Ipv4Address own = iface_.primary_address();
  if (v.priority == kPriorityStop) {
    send_advert(priority_);
    return;
  }
  const bool higher = v.priority > priority_ || (v.priority == priority_ && src > own);
  if (!higher) {
    send_advert(priority_);
    return;
  }
  master_adver_int_ = from_advert(v);
  become_backup(master_down_interval());
}

void VrrpInstance::advert_tick() {
  advert_timer_.restart(sim(), cfg_.advert_int, [this] { advert_tick(); });
  send_advert(priority_);
  // vrrp_state_master_tx: garp_master_refresh is checked as each advert leaves.
  if (cfg_.garp_master_refresh > Time::zero() && sim().now() > garp_refresh_due_) {
    send_garps(cfg_.garp_master_refresh_repeat);
    garp_refresh_due_ = sim().now() + cfg_.garp_master_refresh;
  }
}

// vrrp_build_pkt: IP protocol 112 to 224.0.0.18, TTL 255, from the interface's primary
// address; the VIPs inline (the first kVrrpMaxAddresses); v2 interval in seconds with the
// password, v3 in centiseconds.
void VrrpInstance::send_advert(std::uint8_t priority) {
  Network& net = host_.network();
  const PacketId id = net.new_packet();
  Packet& p = net.packets()[id];
  p.ip.dst = kVrrpGroup;
  p.ip.proto = IpProto::Vrrp;
  p.ip.ttl = 255;
  p.ip.dont_fragment = false;
  VrrpBody& v = p.vrrp;
  v.version = static_cast<std::uint8_t>(cfg_.version);
  v.vrid = cfg_.vrid;
  v.priority = priority;
  const std::int64_t us = cfg_.advert_int.count() / 1000;
  v.advert_int = static_cast<std::uint16_t>(cfg_.version == 3 ? us / kVrrpTimerCentiHz : us / kVrrpTimerHz);
  v.count = static_cast<std::uint8_t>(std::min<std::size_t>(cfg_.virtual_ipaddress.size(), kVrrpMaxAddresses));
  for (std::size_t i = 0; i < v.count; ++i) v.addresses[i] = cfg_.virtual_ipaddress[i].address();
  if (cfg_.version == 2 && !cfg_.auth_pass.empty()) {
    v.auth_type = 1;
    for (std::size_t i = 0; i < kVrrpAuthData && i < cfg_.auth_pass.size(); ++i)
      v.auth_data[i] = static_cast<std::uint8_t>(cfg_.auth_pass[i]);
  }
  ++adverts_sent_;
  host_.send_link_multicast(iface_, id);
}

// vrrp_send_link_update: `repeat` rounds, each a GARP per VIP, all at once.
void VrrpInstance::send_garps(std::uint32_t repeat) {
  if (repeat == 0) return;
  for (const Ipv4Prefix& vip : cfg_.virtual_ipaddress)
    log("garp", std::to_string(repeat) + " x " + vip.address().str() + " on " + vip_iface_.name(),
        "Sending/queueing gratuitous ARPs on " + vip_iface_.name() + " for " + vip.address().str());
  for (std::uint32_t r = 0; r < repeat; ++r)
    for (const Ipv4Prefix& vip : cfg_.virtual_ipaddress) {
      host_.send_gratuitous_arp(vip_iface_, vip.address());
      ++garps_sent_;
    }
}

void VrrpInstance::garp_delay_burst() {
  if (state_ == VrrpState::Master) send_garps(cfg_.garp_master_repeat);
}

// --- track_script (vrrp/vrrp_track.c) -----------------------------------------------------

void VrrpInstance::track(VrrpScript& script, int weight) {
  tracks_.push_back(Track{&script, weight});
  script.add_watcher([this] { tracking_changed(); });
}

// A sync group member ignores track weights: any failing script is a fault (vrrp_sync.c;
// keepalived.conf(5): "track weights on member instances are ignored").
int VrrpInstance::weight_of(const Track& t) const { return sync_ != nullptr ? 0 : t.weight; }

bool VrrpInstance::tracking_fault() const {
  return std::any_of(tracks_.begin(), tracks_.end(),
                     [this](const Track& t) { return weight_of(t) == 0 && !t.script->ok(); });
}

// The effective priority: base, plus each weight > 0 whose script succeeds and each
// weight < 0 whose script fails, kept in 1..254; the owner (255) is not changed.
std::uint8_t VrrpInstance::tracked_priority() const {
  if (cfg_.priority == kPriorityOwner) return kPriorityOwner;
  int p = cfg_.priority;
  for (const Track& t : tracks_) {
    const int w = weight_of(t);
    if ((w > 0 && t.script->ok()) || (w < 0 && !t.script->ok())) p += w;
  }
  return static_cast<std::uint8_t>(std::clamp(p, 1, kPriorityOwner - 1));
}

// A script changed: a weight-0 failure means FAULT (a MASTER resigns with priority 0); its
// recovery BACKUP with the full down timer (vrrp_state_leave_fault); a weight moves the
// priority, which the next advert carries and the next election uses.
void VrrpInstance::tracking_changed() {
  if (!running_) return;
  const std::uint8_t p = tracked_priority();
  if (p != priority_) {
    log("vrrp-priority", std::to_string(priority_) + "->" + std::to_string(p),
        "Changing effective priority from " + std::to_string(priority_) + " to " + std::to_string(p));
    priority_ = p;
  }
  if (tracking_fault()) {
    enter_fault();
  } else if (state_ == VrrpState::Fault) {
    master_adver_int_ = cfg_.advert_int;
    become_backup(master_down_interval());
  }
}

// --- vrrp_sync_group (vrrp/vrrp_sync.c) ---------------------------------------------------

bool VrrpInstance::follow(VrrpState to) {
  if (!running_ || to == state_) return false;
  switch (to) {
    case VrrpState::Master: become_master(); break;
    case VrrpState::Backup:
      if (tracking_fault()) return false;
      become_backup(master_down_interval());
      break;
    case VrrpState::Fault: enter_fault(); break;
    case VrrpState::Init: return false;
  }
  return true;
}

VrrpSyncGroup::VrrpSyncGroup(std::string name, std::vector<VrrpInstance*> members, EventLog& log)
    : name_(std::move(name)), members_(std::move(members)), log_(log) {
  for (VrrpInstance* m : members_) m->sync_ = this;
}

bool VrrpSyncGroup::can_goto_master(const VrrpInstance& who) const {
  return std::all_of(members_.begin(), members_.end(), [&](const VrrpInstance* m) {
    return m == &who || !m->running() || m->state() == VrrpState::Master || m->want_master_;
  });
}

void VrrpSyncGroup::changed(VrrpInstance& who, VrrpState to) {
  if (propagating_ || to == VrrpState::Init) return;
  const auto lags = [&](const VrrpInstance* m) { return m != &who && m->running() && m->state() != to; };
  if (std::none_of(members_.begin(), members_.end(), lags)) return;
  propagating_ = true;
  log_.add(who.host().network().sim().now(), name_ + "@" + who.host().name(), "vrrp-sync", vrrp_state_name(to),
           "VRRP_Group(" + name_ + ") Syncing instances to " + vrrp_state_name(to) + " state");
  for (VrrpInstance* m : members_)
    if (m != &who) m->follow(to);
  propagating_ = false;
}

}  // namespace lvs::control
