#pragma once
// One vrrp_instance on one director, as keepalived runs it (vrrp/vrrp.c, vrrp_scheduler.c):
// INIT, BACKUP, MASTER, FAULT; adverts every advert_int while MASTER; a BACKUP's down timer
// (Master_Down_Interval, vrrp_timing.hpp); the virtual_ipaddress added on becoming MASTER,
// announced by gratuitous ARPs, and removed on leaving it. docs/vrrp.md has each rule and
// its source. Control-plane only: an advert is one pooled packet, timers are events.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "control/event_log.hpp"
#include "control/vrrp_script.hpp"
#include "net/host.hpp"
#include "scenario/failover_spec.hpp"

namespace lvs::control {

enum class VrrpState { Init, Backup, Master, Fault };
/// "INIT", "BACKUP", "MASTER", "FAULT", as keepalived writes them.
const char* vrrp_state_name(VrrpState s);

/// One instance's settings (keepalived.conf vrrp_instance and global_defs), resolved.
struct VrrpConfig {
  std::string name;                     ///< "VI_1"
  std::uint8_t vrid = 0;                ///< virtual_router_id 1..255
  int version = 2;                      ///< vrrp_version: 2 (RFC 3768) or 3 (RFC 5798)
  Time advert_int = scenario::kDefaultAdvertInt;
  std::vector<Ipv4Prefix> virtual_ipaddress;
  std::string auth_pass;                ///< v2 auth_type PASS, first 8 characters; "" = none
  bool initial_master = false;          ///< state MASTER
  std::uint8_t priority = scenario::kDefaultVrrpPriority;  ///< 1..255 (255: the address owner)
  bool nopreempt = false;
  Time preempt_delay;                   ///< 0: preempt at once (when the down timer runs out)
  Time garp_master_delay = scenario::kDefaultGarpMasterDelay;    ///< 0: no second burst
  std::uint32_t garp_master_repeat = scenario::kDefaultGarpMasterRepeat;
  Time garp_master_refresh;             ///< 0: no periodic GARPs
  std::uint32_t garp_master_refresh_repeat = 1;
  std::uint32_t down_timer_adverts = scenario::kDefaultDownTimerAdverts;
};

class VrrpInstance;
class VrrpSyncGroup;

/// Told of every state change: the sync daemon follows MASTER/BACKUP, metrics count them.
using VrrpListener = std::function<void(const VrrpInstance&, VrrpState from, VrrpState to)>;

class VrrpInstance {
 public:
  /// Adverts leave and VIPs go on `iface` of `host`; state changes are logged in `log`.
  /// Adverts on `iface`; the virtual addresses (and their GARPs) on `vip_iface`, which is
  /// `iface` unless keepalived.conf says `dev` (a dedicated heartbeat link, the VIP on the LAN).
  VrrpInstance(Host& host, Interface& iface, VrrpConfig cfg, EventLog& log, Interface* vip_iface = nullptr);
  VrrpInstance(const VrrpInstance&) = delete;
  VrrpInstance& operator=(const VrrpInstance&) = delete;

  /// keepalived starts (vrrp_init_state): owner with state MASTER -> MASTER at once; other
  /// state MASTER -> BACKUP, down timer one interval + minimum skew; else BACKUP with the
  /// full down timer. Also a reboot after stop().
  void start();
  /// The director crashed: timers stop, nothing is sent, the VIPs are gone (INIT).
  void stop();
  /// keepalived stops gracefully: a MASTER sends a priority 0 advert (RFC 3768 6.4.3), then
  /// the VIPs are removed (INIT).
  void shutdown();
  /// An advert for this instance's VRID that arrived on its interface with TTL 255.
  void receive(const Packet& advert);

  /// track_script NAME weight W: an effective priority of base + W while the script fails
  /// (W < 0) or succeeds (W > 0); W = 0 (and any W in a sync group): FAULT while it fails.
  void track(VrrpScript& script, int weight);
  void add_listener(VrrpListener listener) { listeners_.push_back(std::move(listener)); }

  VrrpState state() const { return state_; }
  bool running() const { return running_; }
  /// The priority adverts carry and elections use (base and tracking; 255 for the owner).
  std::uint8_t priority() const { return priority_; }
  /// The interval the master advertises: own advert_int, or (v3, BACKUP) the master's.
  Time master_adver_int() const { return master_adver_int_; }
  /// Master_Down_Interval at the current priority and master interval.
  Time master_down_interval() const;
  /// When the BACKUP's down timer runs out (Time::max() if it is not running).
  Time down_timer_expiry() const { return down_expiry_; }
  const VrrpConfig& config() const { return cfg_; }
  const std::string& name() const { return cfg_.name; }
  Host& host() const { return host_; }
  Interface& interface() const { return iface_; }
  std::uint64_t adverts_sent() const { return adverts_sent_; }
  std::uint64_t garps_sent() const { return garps_sent_; }

 private:
  friend class VrrpSyncGroup;
  struct Track {
    VrrpScript* script;
    int weight;
  };

  void become_master();
  void become_backup(Time down);
  void enter_fault();
  void leave_master(bool resign);
  void set_state(VrrpState to);
  bool follow(VrrpState to);  // the sync group moves this member; false if it stays
  void receive_as_backup(const VrrpBody& v);
  void receive_as_master(const VrrpBody& v, Ipv4Address src);
  bool authentic(const VrrpBody& v) const;
  void arm_down_timer(Time down);
  void down_timer_expired();
  int weight_of(const Track& t) const;
  void advert_tick();
  void send_advert(std::uint8_t priority);
  void send_garps(std::uint32_t repeat);
  void garp_delay_burst();
  void tracking_changed();
  bool tracking_fault() const;
  std::uint8_t tracked_priority() const;
  Time from_advert(const VrrpBody& v) const;
  void log(std::string event, std::string detail, std::string line);
  Simulation& sim() const;

  Host& host_;
  Interface& iface_;
  Interface& vip_iface_;
  VrrpConfig cfg_;
  EventLog& log_;
  VrrpSyncGroup* sync_ = nullptr;
  std::vector<Track> tracks_;
  std::vector<VrrpListener> listeners_;
  VrrpState state_ = VrrpState::Init;
  bool running_ = false;
  std::uint8_t priority_ = 0;
  Time master_adver_int_;
  Timer down_timer_;
  Time down_expiry_ = Time::max();
  Timer advert_timer_;
  Timer garp_timer_;
  Time garp_refresh_due_;
  Time preempt_time_ = Time::max();
  bool want_master_ = false;  // the down timer ran out but the sync group holds it back  // preempt_delay: lower adverts accepted until then
  std::uint64_t adverts_sent_ = 0;
  std::uint64_t garps_sent_ = 0;
};

/// vrrp_sync_group (vrrp/vrrp_sync.c): when one member goes MASTER, BACKUP or FAULT, the
/// others are moved to that state too. A member goes MASTER by its own down timer only when
/// the others want to as well; track_script weights of members are ignored (0: FAULT).
class VrrpSyncGroup {
 public:
  VrrpSyncGroup(std::string name, std::vector<VrrpInstance*> members, EventLog& log);
  const std::string& name() const { return name_; }
  const std::vector<VrrpInstance*>& members() const { return members_; }
  /// `who` changed to `to`: the others follow (not re-entrant: followers do not propagate).
  void changed(VrrpInstance& who, VrrpState to);
  /// True if every other running member is MASTER or wants to be.
  bool can_goto_master(const VrrpInstance& who) const;

 private:
  std::string name_;
  std::vector<VrrpInstance*> members_;
  EventLog& log_;
  bool propagating_ = false;
};

}  // namespace lvs::control
