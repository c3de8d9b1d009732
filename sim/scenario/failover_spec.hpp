#pragma once
// The failover half of a scenario as plain data: keepalived's health checkers on a
// virtual service, VRRP instances over the directors, the IPVS connection sync daemon, and
// random failure processes. Read by scenario_reader_failover.cpp (see scenarios/README.md,
// "health_check", "vrrp", "sync_daemon", "failures"); built into sim/control.
//
// Defaults are keepalived 2.2's, each named once here (docs/keepalived.md gives the source
// of each): a value the file leaves out is the one keepalived would use.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/distribution.hpp"
#include "core/time.hpp"
#include "net/address.hpp"
#include "scenario/scenario_error.hpp"

namespace lvs::scenario {

// --- health checks (keepalived check/, ldirectord) -------------------------------------

/// keepalived's defaults (check_data.c alloc_vs, check_api.c queue_checker, check_http.c).
inline constexpr Time kDefaultDelayLoop = Time::s(60);          ///< KEEPALIVED_DEFAULT_DELAY
inline constexpr Time kDefaultConnectTimeout = Time::s(5);      ///< alloc_vs: connection_to
inline constexpr std::uint32_t kDefaultRetry = 1;               ///< queue_checker: default_retry
inline constexpr Time kDefaultDelayBeforeRetry = Time::s(1);    ///< queue_checker
inline constexpr Time kDefaultHttpDelayBeforeRetry = Time::s(3);  ///< check_http.c
inline constexpr Time kCheckerBootstrapDelay = Time::s(1);      ///< lib/scheduler.h BOOTSTRAP_DELAY

/// ldirectord's defaults (ldirectord(8), resource-agents ldirectord/ldirectord.in): its keys map
/// onto the same checker (docs/health-checks.md, "ldirectord").
inline constexpr Time kLdirectordCheckInterval = Time::s(10);     ///< checkinterval -> delay_loop
inline constexpr Time kLdirectordCheckTimeout = Time::s(5);       ///< checktimeout: connect checks
inline constexpr Time kLdirectordNegotiateTimeout = Time::s(30);  ///< negotiatetimeout: negotiate checks
inline constexpr std::uint32_t kLdirectordFailureCount = 1;       ///< failurecount -> retry + 1
inline constexpr bool kLdirectordQuiescent = true;                ///< quiescent -> inhibit_on_failure

/// TCP_CHECK: a connect; HTTP_GET: a GET whose reply must come with `status_code`;
/// MISC_CHECK: a script, here a probability that it exits 0 (no packets).
enum class CheckKind { Tcp, Http, Misc };
/// "TCP_CHECK", "HTTP_GET", "MISC_CHECK".
std::string check_kind_name(CheckKind kind);

/// Whose rules the checks follow: keepalived's check_api.c or ldirectord's.
enum class CheckFlavour { Keepalived, Ldirectord };

/// One checker of one real server, with the values inherited from its virtual server
/// already resolved (keepalived: virtual_server -> real_server -> checker).
struct CheckSpec {
  Origin origin;
  CheckKind kind = CheckKind::Tcp;
  std::optional<std::uint16_t> connect_port;          ///< default: the destination's port
  Time connect_timeout = kDefaultConnectTimeout;       ///< per attempt (HTTP: connect and reply)
  std::uint32_t retry = kDefaultRetry;                 ///< failed attempts before DOWN = retry + 1 (MISC: 0)
  Time delay_before_retry = kDefaultDelayBeforeRetry;  ///< HTTP_GET: 3 s
  std::string url_path = "/";                          ///< HTTP_GET url { path }
  std::uint32_t request_bytes = 0;                     ///< HTTP_GET: 0 = the size of keepalived's GET for url_path
  int status_code = 200;                               ///< HTTP_GET url { status_code }
  double misc_success = 1.0;                           ///< MISC_CHECK: probability the script exits 0
  Time misc_timeout = Time::s(0);                      ///< MISC_CHECK misc_timeout (0: delay_loop)
};

/// A virtual server's checking (keepalived virtual_server keys; ldirectord's equivalents).
struct HealthCheckSpec {
  Origin origin;
  CheckFlavour flavour = CheckFlavour::Keepalived;
  Time delay_loop = kDefaultDelayLoop;   ///< ldirectord: checkinterval
  std::optional<Time> warmup;            ///< first check at 1 s + U[0, warmup]; default delay_loop
  bool alpha = false;                    ///< checkers start DOWN
  bool inhibit_on_failure = false;       ///< weight 0 instead of removal (ldirectord: quiescent = yes)
  /// quorum: the least total weight of live real servers; below it the sorry server stands in
  /// (keepalived check_data.c alloc_vs: quorum 1, hysteresis 0).
  std::uint32_t quorum = 1;
  std::uint32_t hysteresis = 0;          ///< quorum is gained at quorum + hysteresis, lost below quorum - hysteresis
  /// sorry_server IP PORT: added (weight 1) while every real server is down.
  std::optional<std::string> sorry_server;  ///< a host name
  std::optional<std::uint16_t> sorry_port;  ///< default: the service's port
};

// --- VRRP (keepalived vrrp/) -------------------------------------------------------------

inline constexpr Time kDefaultAdvertInt = Time::s(1);           ///< VRRP_ADVER_DFL
inline constexpr std::uint32_t kDefaultVrrpPriority = 100;      ///< VRRP_PRIO_DFL
inline constexpr Time kDefaultGarpMasterDelay = Time::s(5);     ///< vrrp_garp_master_delay
inline constexpr std::uint32_t kDefaultGarpMasterRepeat = 5;    ///< vrrp_garp_master_repeat
inline constexpr std::uint32_t kDefaultDownTimerAdverts = 3;    ///< VRRP_DOWN_TIMER_ADVERTS

enum class VrrpInitialState { Backup, Master };

/// track_script: a vrrp_script this member follows, with a weight (0: the script's own).
struct VrrpTrackSpec {
  std::string script;
  std::optional<int> weight;  ///< -253..253
};

/// One director's side of a vrrp_instance (what differs between lvs1 and lvs2's files).
struct VrrpMemberSpec {
  Origin origin;
  std::string director;             ///< a host of kind director
  std::string interface = "eth0";   ///< where adverts go (and the VIPs are added, unless vip_interface)
  std::string vip_interface;        ///< keepalived's `dev` on virtual_ipaddress: the VIPs' interface ("" = interface)
  VrrpInitialState state = VrrpInitialState::Backup;
  std::optional<std::uint32_t> priority;  ///< 1..255; default 100, or 255 for state MASTER
  bool nopreempt = false;
  Time preempt_delay;               ///< 0..1000 s
  std::vector<VrrpTrackSpec> track_scripts;
};

struct VrrpInstanceSpec {
  Origin origin;
  std::string name;                 ///< "VI_1"
  std::uint32_t virtual_router_id = 0;  ///< 1..255, required
  int version = 2;                  ///< 2 (RFC 3768) or 3 (RFC 5798)
  Time advert_int = kDefaultAdvertInt;  ///< v2: whole seconds; v3: centiseconds
  std::vector<Ipv4Prefix> virtual_ipaddress;
  std::string auth_pass;            ///< v2 PASS authentication, first 8 characters ("" = none)
  Time garp_master_delay = kDefaultGarpMasterDelay;
  std::uint32_t garp_master_repeat = kDefaultGarpMasterRepeat;
  Time garp_master_refresh;         ///< 0: no periodic GARPs
  std::vector<VrrpMemberSpec> members;
};

/// vrrp_sync_group: its instances change state together.
struct VrrpSyncGroupSpec {
  Origin origin;
  std::string name;
  std::vector<std::string> instances;
};

/// vrrp_script, script-free: the director's own health it stands for.
struct VrrpScriptSpec {
  Origin origin;
  std::string name;
  /// What the script checks on the director running it: "interface IFACE" (carrier up) or
  /// "service PORT" (the director's IPVS service on PORT has a destination that is up).
  std::string check;
  Time interval = Time::s(1);
  std::uint32_t rise = 1;
  std::uint32_t fall = 1;
  int weight = 0;                   ///< 0: a failure puts the instance in FAULT
};

// --- IPVS connection sync (ip_vs_sync.c) --------------------------------------------------

/// keepalived's lvs_sync_daemon: the master director multicasts its connections, the
/// backups take them in; the role follows the VRRP instance.
struct SyncDaemonSpec {
  Origin origin;
  std::string interface = "eth0";   ///< lvs_sync_daemon IF
  std::string instance;             ///< the vrrp_instance whose MASTER is the sync master ("" = the first)
  std::uint32_t syncid = 0;         ///< default: the instance's virtual_router_id
  std::uint32_t maxlen = 1472;      ///< sync_maxlen: bytes of sync payload per datagram
  std::uint32_t threshold = 3;      ///< sync_threshold "3 50": sent on the 3rd inbound packet...
  std::uint32_t period = 50;        ///< ...and every 50th after
};

// --- random failures ---------------------------------------------------------------------

/// What fails: a whole host (crash, silent), its service (stopped: RSTs), or a link.
enum class FailureKind { Crash, Stop, LinkDown };
/// "crash", "stop", "link-down".
std::string failure_kind_name(FailureKind kind);

/// A component that fails and is repaired again and again: up for a time-to-failure, down
/// for a time-to-repair (exponential with means MTBF and MTTR unless given as distributions).
struct FailureProcessSpec {
  Origin origin;
  FailureKind kind = FailureKind::Crash;
  std::string component;            ///< a host; HOST:PORT for stop; a link, or HOST/IFACE, for link-down
  Distribution time_to_failure = Distribution::constant(0);  ///< seconds
  Distribution time_to_repair = Distribution::constant(0);   ///< seconds
};

}  // namespace lvs::scenario
