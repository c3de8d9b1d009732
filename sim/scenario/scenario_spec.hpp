#pragma once
// A scenario as plain data, after reading and before building: what scenario_reader.cpp
// produces from YAML (see scenarios/README.md for the file format key by key) and what
// scenario_builder.cpp turns into a network of hosts, directors, servers and clients.
// Every item keeps its Origin, so that checks made later (validate.cpp) can name the key
// that causes a problem, exactly as a reading error would.
//
// Units: durations are lvs::Time; rates DataRate; sizes ByteSize. Distributions of
// durations sample seconds; distributions of sizes sample bytes.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/distribution.hpp"
#include "core/time.hpp"
#include "lvs/director_profiles.hpp"
#include "lvs/ipvs_defaults.hpp"
#include "net/address.hpp"
#include "nodes/arrivals.hpp"
#include "nodes/server_defaults.hpp"
#include "scenario/failover_spec.hpp"
#include "scenario/key_positions.hpp"
#include "scenario/scenario_error.hpp"
#include "scenario/storage_spec.hpp"
#include "scenario/units.hpp"

namespace lvs::scenario {


/// Rate, propagation delay and drop-tail queue limit of a link direction or a switch port.
struct TxSpec {
  DataRate rate = DataRate::gbps(1);
  Time delay = Time::us(5);
  ByteSize queue = ByteSize::kib(256);
};

/// A switched LAN: a learning switch with one queue per port.
struct SegmentSpec {
  Origin origin;
  std::string name;
  TxSpec port;
};

/// A point-to-point link between exactly two interfaces (which name it with `link:`).
struct LinkSpec {
  Origin origin;
  std::string name;
  TxSpec tx;  ///< per direction
};

struct InterfaceSpec {
  Origin origin;
  std::string name;                      ///< "eth0"
  std::string segment;                   ///< the segment it plugs into, or ""
  std::string link;                      ///< the link it is an end of, or "" (exactly one of the two is set)
  Ipv4Prefix address;                    ///< primary address and prefix: 192.168.10.101/24
  std::vector<Ipv4Prefix> secondary;     ///< more addresses (a VIP on a NAT director, FULLNAT local addresses)
  std::uint32_t sources = 1;             ///< clients: this many consecutive addresses from `address` (a population)
  std::optional<MacAddress> mac;         ///< default: assigned by the builder, 02:00:00:xx:xx:xx in declaration order
  std::uint32_t mtu = 1500;
};

struct RouteSpec {
  Origin origin;
  Ipv4Prefix to;
  Ipv4Address via;
};

/// The sysctls of a host; unset ones keep the Linux default (ip_forward: on for routers only).
struct SysctlSpec {
  std::optional<bool> ip_forward;
  std::optional<int> arp_ignore;    ///< 0..8 as Linux accepts; the model knows 0 and 1
  std::optional<int> arp_announce;  ///< 0..2
  std::optional<int> rp_filter;     ///< 0..2 (2 = loose, treated as off)
  std::optional<bool> expire_quiescent_template;  ///< net.ipv4.vs.*, directors only
  std::optional<int> fullnat_lport_min;   ///< Alibaba LVS net.ipv4.vs.fullnat_lport_min, 1025..65535 (default 5000)
  std::optional<int> fullnat_lport_max;   ///< 1025..65535 (default 65535), >= the minimum
  std::optional<int> fullnat_lport_tries; ///< 10..60000 (default 10000)
  std::optional<bool> expire_nodest_conn;  ///< net.ipv4.vs.expire_nodest_conn, directors only (default false)
  std::optional<int> conn_reuse_mode;      ///< net.ipv4.vs.conn_reuse_mode, directors only: 0..3 (default 1)
  std::optional<bool> conntrack;           ///< net.ipv4.vs.conntrack, directors only (default false)
  std::optional<int> tcp_timestamps;      ///< 0..2 (default 1), hosts with TCP
  std::optional<int> tcp_sack;            ///< 0..1 (default 1)
  std::optional<int> tcp_window_scaling;  ///< 0..1 (default 1)
  std::optional<std::pair<int, int>> ip_local_port_range;  ///< first, last (default 32768, 60999)
  std::optional<int> tcp_tw_reuse;        ///< 0..2 (default 2: loopback only)
  std::optional<int> tcp_fin_timeout;     ///< seconds in FIN_WAIT_2 (default 60)
};

/// A director's CPU: a named profile (lvs/director_profiles.hpp) and what the scenario
/// overrides of it (unset: the profile's figure); director_cpu_spec.hpp makes the config.
struct DirectorCpuSpec {
  std::string profile{kDefaultDirectorProfile};
  std::optional<std::uint32_t> cores;  ///< default: the profile's
  std::uint32_t backlog = 1000;        ///< packets waiting for a core (netdev_max_backlog)
  std::optional<Time> cost_nat, cost_dr, cost_tun, cost_fullnat;  ///< per packet
  std::optional<Time> cost_connection;  ///< per connection IPVS creates
};

enum class HostKind { Host, Router, Client, Server, Director };
/// "host", "router", "client", "server", "director": the kind as a scenario file writes it.
std::string kind_name(HostKind kind);

struct HostSpec {
  Origin origin;
  std::string name;
  HostKind kind = HostKind::Host;
  std::vector<InterfaceSpec> interfaces;
  std::optional<Ipv4Address> gateway;
  Origin gateway_origin;
  std::vector<RouteSpec> routes;
  bool auto_routes = false;           ///< `routes: auto`: compute_routes() fills `routes` (see routes.hpp)
  Origin routes_origin;               ///< the `routes` key, when it is `auto`
  SysctlSpec sysctl;
  std::vector<Ipv4Address> loopback;  ///< addresses on lo (a DR real server's VIP)
  /// Prefixes shorter than /32 on lo (`loopback: [10.1.0.0/16]`): every address in them is
  /// local, as Linux makes a loopback address's prefix route local (a fwmark cache server).
  std::vector<Ipv4Prefix> loopback_prefixes;
  std::vector<Ipv4Address> tunnel;    ///< addresses on tunl0 (a TUN real server's VIP)
  DirectorCpuSpec cpu;                ///< directors only
};

struct TopologySpec {
  std::vector<SegmentSpec> segments;
  std::vector<LinkSpec> links;
  std::vector<HostSpec> hosts;
};

enum class Protocol { Tcp, Udp };
enum class Method { Nat, Dr, Tun, FullNat };
/// "nat", "dr", "tun", "fullnat": the forwarding method as a scenario file writes it.
std::string method_name(Method method);
/// The method a scenario file writes as `name` ("nat", "dr", "tun", "fullnat"); Dr for any other.
Method method_named(std::string_view name);
/// The FULLNAT implementation a service's fullnat destinations follow (docs/fullnat.md).
enum class FullNatFlavour { Alibaba, Dpvs };
/// "alibaba", "dpvs".
std::string flavour_name(FullNatFlavour flavour);

/// One iptables mangle PREROUTING MARK rule of a fwmark service (`mark:`), set on its
/// director(s): `iptables -t mangle -A PREROUTING -p PROTOCOL -d DESTINATION --dport PORT
/// -j MARK --set-mark FWMARK`.
struct MarkRuleSpec {
  Origin origin;
  std::optional<Protocol> protocol;          ///< -p; nullopt: `all`
  Ipv4Prefix destination{Ipv4Address(), 0};  ///< -d; default 0.0.0.0/0
  std::optional<std::uint16_t> port;         ///< --dport; nullopt: any port
};

struct DestinationSpec {
  Origin origin;
  std::string server;                   ///< the real server's host name
  std::optional<Ipv4Address> address;   ///< default: the primary address of the server's first interface
  std::optional<std::uint16_t> port;    ///< default: the service's port
  Method method = Method::Dr;
  std::uint32_t weight = 1;
  std::uint32_t u_threshold = 0;        ///< -x, 0 = none
  std::uint32_t l_threshold = 0;        ///< -y, 0 = none
  bool initially_present = true;        ///< false: added later by an `add` event
  std::vector<CheckSpec> checks;        ///< keepalived's checkers of this real server (all must pass)
};

/// `services[i].groups[j]`: `count` real servers declared once (scenario_reader_groups.cpp).
/// Reading expands it into the hosts, destinations and application entry the hand-written
/// form would give; this record says where they are, for edits of the count (the GUI).
struct ServerGroupSpec {
  Origin origin;
  std::string name;                  ///< the hosts are name1 .. nameN
  std::uint32_t count = 0;           ///< N
  Ipv4Prefix first_address;          ///< name1's address; nameK's is K - 1 above it
  std::size_t first_destination = 0;  ///< index of name1's destination in the service's destinations
};

/// The most real servers the groups of a scenario declare, all groups together: a few bytes
/// of YAML must not make more hosts than a run can hold (100 000 take about 0.2 GB to validate).
inline constexpr std::uint32_t kMaxGroupServers = 100'000;

/// One virtual service: ipvsadm -A -t|-u VIP:port -s scheduler, and its -a lines.
struct ServiceSpec {
  Origin origin;
  std::string name;                     ///< default "tcp/VIP:port"
  std::string director;                 ///< the director's host name
  /// More directors the same virtual server is configured on (keepalived on each member of
  /// a VRRP pair): `director: [lvs1, lvs2]` makes director lvs1 and also_on {lvs2}.
  std::vector<std::string> also_on;
  Protocol protocol = Protocol::Tcp;
  Ipv4Address vip;
  std::uint16_t port = 80;
  /// ipvsadm -f MARK: a firewall-mark service (vip 0.0.0.0 and port 0, unused); `marks` are
  /// the rules that set the mark. docs/fwmark.md.
  std::optional<std::uint32_t> fwmark;
  std::vector<MarkRuleSpec> marks;
  std::string scheduler = "wlc";        ///< a registry name (checked when read)
  std::vector<std::string> sched_flags; ///< -b: flag-1..3, sh-fallback, sh-port, mh-fallback, mh-port
  std::optional<Time> persistent;       ///< -p: persistence template timeout
  Ipv4Address netmask{0xffffffffU};     ///< -M: persistence granularity
  std::vector<Ipv4Address> local_addresses;  ///< FULLNAT pool; each must be on the director
  FullNatFlavour flavour = FullNatFlavour::Alibaba;  ///< whose FULLNAT the fullnat destinations get
  /// The hand-written destinations first, then each group's, group by group, in file order.
  std::vector<DestinationSpec> destinations;
  std::vector<ServerGroupSpec> groups;  ///< where the groups' destinations came from
  std::optional<HealthCheckSpec> health_check;  ///< checkers run (from every director it is on)
};

/// Whether any of the service's destinations is fullnat.
bool has_fullnat(const ServiceSpec& s);

/// The application on real servers: one entry may cover several hosts.
struct ServerAppSpec {
  Origin origin;
  std::vector<std::string> hosts;
  Protocol protocol = Protocol::Tcp;
  std::uint16_t port = 80;
  std::uint32_t workers = kDefaultWorkers;                ///< requests served at once
  std::uint32_t backlog = kDefaultBacklog;                ///< accept queue
  std::uint32_t max_connections = kDefaultMaxConnections;
  Distribution service_time = Distribution::constant(0.001);  ///< seconds
  Distribution response_size = Distribution::constant(1000);  ///< bytes
  /// The web root mounted from a storage server: each request reads (or writes) its file
  /// there, and the response is the file. Needs `workload.content`.
  std::optional<MountSpec> mount;
};

using lvs::ArrivalProcess;
using lvs::RateStep;  ///< from `at` on, `rate` sessions per second

/// A client population on one host.
/// The most closed-loop users of a run, over all client populations: every user keeps events
/// pending, and the event queue holds at most 2^26 of them (a run needs memory for each).
inline constexpr std::uint32_t kMaxUsers = 1'000'000;
/// ClientSpec::max_open's default: Linux's default soft RLIMIT_NOFILE (ulimit -n).
inline constexpr std::uint32_t kDefaultMaxOpen = 1024;

struct ClientSpec {
  Origin origin;
  std::string name;                     ///< default: the host name
  std::string host;
  Protocol protocol = Protocol::Tcp;
  Ipv4Address target;                   ///< usually a VIP
  std::uint16_t port = 80;
  // Open loop (`arrivals`): sessions start at this rate whatever the system does.
  std::optional<ArrivalProcess> process;
  std::vector<RateStep> rate;           ///< first step at 0; one step = a fixed rate
  // Closed loop (`users`): each user starts a session, waits for it, thinks, repeats.
  std::uint32_t users = 0;  // at most kMaxUsers, over all populations too
  Distribution think_time = Distribution::constant(0);  ///< seconds
  // Both.
  std::uint32_t requests_per_connection = 1;
  Distribution request_size = Distribution::constant(200);  ///< bytes
  Time timeout = Time::s(10);           ///< a request not answered by then fails
  /// Sessions open at once per source address, as one client machine's `ulimit -n` allows
  /// (Linux's default soft RLIMIT_NOFILE, 1024): a new session beyond fails at once
  /// (too-many-open, EMFILE) and sends nothing. What bounds an overloaded run's memory.
  std::uint32_t max_open = kDefaultMaxOpen;
  Time start;                           ///< first session at or after this time
  std::optional<Time> stop;             ///< no new sessions from this time
  /// Origin sites of a cache cluster: target .. target + sites - 1, each serving a run of
  /// consecutive files of workload.content (nodes/client.hpp). 1: `target` alone.
  std::uint32_t sites = 1;
};

/// One entry of the timeline: a change to a service as ipvsadm (or keepalived) would make
/// it, or a failure or repair of a component.
struct EventSpec {
  enum class Action {
    Edit, Remove, Add, Scheduler,  // ipvsadm on `service`
    Crash,     ///< `component` (a host) powers off: silent, its state lost
    Recover,   ///< `component` boots again (a crashed host), fresh state
    Stop,      ///< the service on `component` (a host) at `port` stops: SYNs get RST
    Start,     ///< it starts again
    LinkDown,  ///< `component`: a link, or HOST/IFACE (the cable to its segment)
    LinkUp,
  };
  Origin origin;
  Time at;                              ///< simulated time of the change
  std::size_t service = 0;              ///< index into ScenarioSpec::services
  Action action = Action::Edit;
  std::size_t destination = 0;          ///< index into the service's destinations (not Scheduler)
  std::optional<std::uint32_t> weight;  ///< edit: -w; add: overrides the configured weight
  std::optional<std::uint32_t> u_threshold, l_threshold;  ///< edit: -x, -y
  std::string scheduler;                ///< Scheduler: ipvsadm -E -s
  std::string component;                ///< Crash .. LinkUp: the host, link or HOST/IFACE
  std::optional<std::uint16_t> port;    ///< Stop, Start: the service's port (default: every server app of the host)
};

/// Whether `e` is an ipvsadm command on a service (Edit, Remove, Add, Scheduler), not a
/// failure or repair.
inline bool is_ipvsadm(const EventSpec& e) { return e.action <= EventSpec::Action::Scheduler; }
/// What a failure or repair action acts on: a host (Crash, Recover), a service (Stop, Start)
/// or a link (LinkDown, LinkUp).
inline FailureKind failure_kind(EventSpec::Action a) {
  using A = EventSpec::Action;
  return a == A::Stop || a == A::Start ? FailureKind::Stop
         : a == A::LinkDown || a == A::LinkUp ? FailureKind::LinkDown
                                              : FailureKind::Crash;
}
/// Whether the action undoes a failure (Recover, Start, LinkUp).
inline bool is_repair(EventSpec::Action a) {
  using A = EventSpec::Action;
  return a == A::Recover || a == A::Start || a == A::LinkUp;
}

struct WorkloadSpec {
  std::vector<ClientSpec> clients;
  /// The files requests name (each client request picks one); none: requests name no file.
  std::optional<ContentSpec> content;
};

/// The most samples of the time series a run takes: each holds a figure per server, link and
/// director, so 1 ns over 2 s (2*10^9 samples) would need gigabytes.
inline constexpr std::int64_t kMaxSamples = 1'000'000;

/// Why a run of length `end` cannot be sampled every `interval` ("" when it can): more than
/// kMaxSamples samples. Names the smallest interval that would do.
std::string sample_count_problem(Time end, Time interval);

struct ScenarioSpec {
  std::string file;                     ///< as given on the command line
  std::string name;                     ///< `name:`, default the file's stem
  std::string description;
  std::uint64_t seed = 1;
  Time duration = Time::s(10);
  Time warmup;                          ///< statistics ignore requests started before this
  /// `warmup: auto`: the run picks the warm-up by MSER-5 (run/warmup_auto.hpp); `warmup` is 0 then.
  bool warmup_auto = false;
  Time sample_interval = Time::s(1);    ///< CSV time-series step; at most kMaxSamples per run
  TopologySpec topology;
  std::vector<ServiceSpec> services;
  std::vector<ServerAppSpec> servers;
  WorkloadSpec workload;
  std::vector<EventSpec> events;        ///< the timeline, in time order
  std::vector<VrrpInstanceSpec> vrrp;   ///< vrrp_instance blocks over the directors
  std::vector<VrrpSyncGroupSpec> vrrp_sync_groups;
  std::vector<VrrpScriptSpec> vrrp_scripts;
  std::optional<SyncDaemonSpec> sync_daemon;
  std::vector<FailureProcessSpec> failures;  ///< random failure processes
  std::vector<StorageSpec> storage;     ///< storage servers (NFS) the web servers mount
  /// Where each key and list item of the file is, by key path ("topology.hosts[1].gateway");
  /// {0, 0} for a value set with --set. Lets validate() point at the exact key (an interface's
  /// `segment`, a service's `vip`); empty for a spec built in code.
  KeyPositions positions;
};

/// Reads a scenario file, applying `overrides` ("KEY.PATH=VALUE") first. Throws ScenarioError.
ScenarioSpec read_scenario(const std::string& path, const std::vector<std::string>& overrides = {});
/// Reads a scenario from text (tests); `name` stands for the file name in errors.
ScenarioSpec read_scenario_text(std::string_view text, const std::string& name,
                                const std::vector<std::string>& overrides = {});

/// A problem found in a well-formed scenario: an error makes it unrunnable; a warning is a
/// configuration that runs but does something the user probably does not want.
struct Finding {
  enum class Severity { Error, Warning } severity = Severity::Error;
  Origin origin;
  std::string message;
  /// "FILE:LINE:COL: KEY.PATH: error: MESSAGE" (or "warning:").
  std::string str(const std::string& file) const;
};

/// Cross-checks a scenario: names that resolve, addresses that are unique, hosts that can
/// reach each other, the constraints of each forwarding method. Errors first, then warnings,
/// each group in file order.
std::vector<Finding> validate(const ScenarioSpec& spec);

}  // namespace lvs::scenario
