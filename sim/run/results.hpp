#pragma once
// What a run produced, and its three forms: the printed summary (with an ipvsadm
// -Ln --stats table per director), JSON (schema in the README) and CSV time series.

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "net/drop_counts.hpp"
#include "net/host_counters.hpp"
#include "nodes/client.hpp"
#include "run/storage_results.hpp"
#include "run/theory_comparison.hpp"

namespace lvs::run {

struct ServerResult {
  std::string name;
  std::uint64_t requests = 0;        ///< requests the server received
  std::uint64_t connections = 0;     ///< connections it accepted
  std::int64_t activeconns = 0;      ///< as the director(s) count them at the end
  std::int64_t inactconns = 0;
  std::uint64_t bytes_in = 0;        ///< frame bytes received on its Ethernet interfaces
  std::uint64_t bytes_out = 0;
  double utilization = 0;            ///< busy workers / workers, time-averaged
  std::uint64_t listen_drops = 0;    ///< SYNs dropped because its accept queue (backlog) was full
  /// Its configured weight (ipvsadm -w): its destinations' weights summed over the services,
  /// as the scenario sets them before any timeline edit; 0 when no service has it. compare's
  /// imbalance and Jain's index measure requests per unit of it.
  std::uint64_t weight = 1;
};

/// A client host's local ports (its connect()s towards the targets), at the end of the run.
struct ClientResult {
  std::string name;
  std::uint64_t no_port_failures = 0;  ///< counted requests failed with no-ephemeral-port (EADDRNOTAVAIL)
  std::uint64_t time_wait = 0;         ///< its connections in TIME_WAIT at the end
};

struct LinkResult {
  std::string name;
  std::string kind;                  ///< "link" or "segment"
  std::uint64_t packets = 0;         ///< frames sent, both directions (all ports of a segment)
  std::uint64_t bytes = 0;
  std::uint64_t drops = 0;           ///< tail drops
  double utilization = 0;            ///< the busiest direction (port), fraction of time sending
};

/// One FULLNAT service's local addresses at the end of the run.
struct FullNatResult {
  std::string service;               ///< "TCP 203.0.113.100:443"
  std::string flavour;               ///< "alibaba" or "dpvs"
  std::vector<std::string> local_addresses;
  std::uint32_t port_min = 0, port_max = 0;
  std::uint64_t in_use = 0;          ///< local ports held by connections at the end
  std::uint64_t peak = 0;            ///< the most at any time
  std::uint64_t refused = 0;         ///< new connections that found no local port
};

struct DirectorResult {
  std::string name;
  std::uint64_t packets_in = 0;      ///< frames received on its Ethernet interfaces
  std::uint64_t packets_out = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
  double cpu_utilization = 0;        ///< busy fraction of all cores
  std::string cpu_profile;           ///< the director profile its costs come from
  int cpu_cores = 0;
  std::vector<std::string> cpu_overrides;  ///< what the scenario changed from the profile: "nat 25us"
  std::uint64_t connections = 0;     ///< in the connection table at the end
  std::uint64_t no_destination = 0, no_local_port = 0, backlog_drops = 0;
  std::uint64_t rescheduled = 0;     ///< SYNs that found an old connection of their ports and were scheduled afresh
  std::uint64_t reuse_drops = 0;     ///< such SYNs dropped (conntrack)
  std::vector<FullNatResult> fullnat;  ///< one per FULLNAT service
  std::vector<std::string> methods;  ///< its services' forwarding methods: "NAT", "DR", "TUN", "FULLNAT"
  std::string nic;                   ///< its busiest Ethernet interface over the run: "eth0 on lan"
  double nic_utilization = 0;        ///< that interface's busier direction, fraction of time sending
  std::string ipvsadm_stats;         ///< `ipvsadm -Ln --stats` at the end
  std::string ipvsadm_list;          ///< `ipvsadm -Ln` at the end
};

/// What one host sent and received of the lessons' packets, as the host itself counts
/// them (its TCP, its ICMP, its ARP): see net/host_counters.hpp.
struct HostResult {
  std::string name;
  HostCounters counters;
};

/// A change of a host's neighbour entry for a VIP (ip monitor neigh).
struct VipArpChange {
  double time_s = 0;
  std::string entry;   ///< "router eth1 192.168.1.100": the host, its interface and the VIP
  std::string from;    ///< the state before: "NONE" (created), "REACHABLE", "STALE" ...
  std::string to;      ///< the state after
  std::string mac;     ///< the MAC the entry holds after ("" while it has none)
  std::string owner;   ///< whose interface that MAC is: "rs3/eth0" ("" if none)
  std::string cause;   ///< "ARP reply", "ARP request for this host", "gratuitous ARP", "timer" ...
  bool valid = false;  ///< traffic goes to `mac` in the state after (REACHABLE, STALE, DELAY, PROBE)
};

/// One row of the time series: what happened in (time - interval, time].
struct Sample {
  double time_s = 0;
  std::uint64_t completed = 0;
  std::uint64_t failed = 0;
  double throughput_rps = 0;
  /// Of the requests completed in the interval, ms; p50 and p99 from the log-bucketed
  /// Histogram (within 0.79% of the exact order statistic).
  double latency_mean_ms = 0, latency_p50_ms = 0, latency_p99_ms = 0;
  std::vector<double> server_utilization;  ///< per server, in RunResult::servers order
  std::vector<std::int64_t> server_activeconns;
  std::vector<std::uint64_t> server_requests;  ///< per server: requests received in the interval
  std::vector<double> director_cpu;        ///< per director, in RunResult::directors order
  /// Per director: its busiest Ethernet interface's busier direction (sending, or the switch or
  /// link sending to it), fraction of the interval.
  std::vector<double> director_nic;
  /// Per director: new connections its FULLNAT services refused in the interval (no local port).
  std::vector<std::uint64_t> director_no_local_port;
  std::vector<std::uint64_t> server_listen_drops;  ///< per server: SYNs its full backlog dropped in the interval
  std::vector<double> link_utilization;    ///< per link, in RunResult::links order: the busiest
                                           ///< direction (port), fraction of the interval sending
  std::array<std::uint64_t, kFailReasons> failed_by_reason{};  ///< `failed`, by FailReason
  /// Per VRRP instance, in RunResult::vrrp_instances order: the director that is MASTER at the
  /// end of the interval ("" if none; "lvs1+lvs2" when both are).
  std::vector<std::string> vrrp_master;
  /// Per NFS server, in StorageResult::nfs order: busy nfsd threads / threads and the disk's
  /// busy fraction over the interval.
  std::vector<double> nfs_threads, nfs_disk;
};

/// What the per-server, per-director and per-link vectors of a Sample are about, known
/// before the run starts (the names RunResult::servers, ::directors and ::links will have).
struct SeriesLayout {
  std::vector<std::string> servers;
  std::vector<std::string> directors;
  std::vector<std::string> links;
  std::vector<std::string> vrrp_instances;
  std::vector<std::string> nfs_servers;
};

/// One record of the control plane's log (control::LogRecord), in seconds.
struct TimelineEntry {
  double time_s = 0;
  std::string component;   ///< "lvs1", "VI_1@lvs2", "[192.168.1.101]:80"
  std::string event;       ///< crash, realserver-down, vrrp-state, garp ...
  std::string detail;
  std::string line;        ///< keepalived's words
};

/// One failure (a crash, stop or link-down) and what followed it; the README defines each
/// figure. Times are simulated seconds; nullopt (JSON null): it did not happen in the run.
struct FailoverResult {
  std::string cause;                   ///< "crash", "stop", "link-down"
  std::string component;               ///< as the timeline names it: "lvs1", "web1", "lan", "lvs1/eth0"
  double at_s = 0;
  std::optional<double> detected_s;       ///< the first control-plane reaction to it
  std::optional<double> traffic_moved_s;  ///< traffic no longer goes to the failed part
  std::optional<double> recovered_s;      ///< its recover, start or link-up
  std::string detected_by;             ///< the reaction's log line, "lvs2: VRRP_Instance(VI_1) Entering MASTER STATE"
  std::uint64_t requests_failed = 0;   ///< failed, issued in [at_s, window end)
  std::uint64_t requests_delayed = 0;  ///< completed slower than kDelayedRequest, issued in that window
};

/// A completed request slower than this counts as delayed by a failover.
inline constexpr double kDelayedRequest_s = 1.0;

/// A random failure process's component: A = MTBF / (MTBF + MTTR).
struct ComponentAvailability {
  std::string component;
  std::string cause;       ///< crash, stop, link-down
  double mtbf_s = 0;       ///< mean time to failure
  double mttr_s = 0;       ///< mean time to repair
  double availability = 0;
  std::string formula;     ///< "100/(100+10)"
};

/// Components of one role of which one suffices: 1 - prod(1 - A_i).
struct RedundantAvailability {
  std::string role;        ///< "directors of VI_1", "real servers of TCP 192.168.1.100:80"
  std::vector<std::string> components;
  double availability = 0;
  std::string formula;     ///< "1-(1-A)^2"
};

/// How available the service was, by requests and by time (README: "availability").
struct AvailabilityResult {
  std::uint64_t requests_issued = 0, requests_completed = 0;
  std::optional<double> requests;      ///< completed / issued; nullopt with no request
  double time = 1;                     ///< fraction of [warm-up, end] every service was up
  double ci_low = 1, ci_high = 1;      ///< 95% interval of `time`, clamped to [0, 1]
  std::string method;                  ///< "batch means" (10 batches) or "replications"
  std::size_t samples = 0;             ///< batches or replications behind the interval
  std::vector<double> batches;         ///< each batch's (replication's) time availability
  std::vector<ComponentAvailability> components;
  std::vector<RedundantAvailability> redundant;
};

/// What `ipvsadm ARGS` printed on a director at a moment of the run (lvslab run --ipvsadm).
struct IpvsadmSnapshot {
  std::string director;
  std::string args;                  ///< "-Ln --stats"
  double at_s = 0;                   ///< simulated time of the snapshot
  std::string text;                  ///< ipvsadm's output, byte for byte
};

/// How `warmup: auto` chose the warm-up: MSER-5 over the interval mean latencies of a first
/// run (run/warmup_auto.hpp, docs/statistics.md).
struct AutoWarmup {
  std::size_t observations = 0;      ///< intervals of the first run with a completed request
  std::size_t batches = 0;           ///< observations / 5
  std::size_t truncated_batches = 0; ///< d, the batches MSER-5 dropped
  double truncated_at_s = 0;         ///< the end of the last dropped interval: the warm-up
  double statistic = 0;              ///< MSER(d), ms^2
  bool at_limit = false;             ///< d is half the batches: the run may be too short to settle
};

struct RunResult {
  std::string scenario;              ///< the scenario's name
  std::string file;
  std::uint64_t seed = 0;
  double sim_time_s = 0;              ///< simulated time reached (less than planned_s if interrupted)
  double planned_s = 0;               ///< the run's length as asked (--until or the duration)
  bool interrupted = false;           ///< stopped early by an interrupt (SIGINT): partial results
  double warmup_s = 0;
  std::optional<AutoWarmup> auto_warmup;  ///< with `warmup: auto`: how warmup_s was chosen
  double wall_time_s = 0;
  std::uint64_t events = 0;
  std::uint64_t packet_hops = 0;
  std::string fingerprint;           ///< trajectory fingerprint (hex)
  /// All clients, requests issued after the warm-up; `requests.latencies` holds every
  /// latency, sorted: its quantile()s are the run's exact percentiles.
  RequestStats requests;
  double throughput_rps = 0;         ///< completed / (sim time - warm-up)
  std::vector<ServerResult> servers;
  std::vector<LinkResult> links;
  std::vector<DirectorResult> directors;
  std::vector<ClientResult> clients;  ///< every client host, in the topology's order
  /// Packets dropped, by node and reason, most first (the counters the lessons are about).
  std::vector<DropCounts::Entry> drops;
  std::vector<HostResult> hosts;      ///< every host (clients, routers, directors, servers), in the topology's order
  std::vector<Sample> series;
  std::vector<VipArpChange> vip_arp;  ///< changes of the VIP entries in the hosts' ARP caches
  std::vector<IpvsadmSnapshot> ipvsadm;  ///< the --ipvsadm views, by time, then in the order asked
  /// The scenario has a control plane (failures, health checks or VRRP): the summary shows
  /// the timeline, failovers and availability.
  bool control_plane = false;
  std::vector<std::string> vrrp_instances;  ///< names, for Sample::vrrp_master
  std::vector<TimelineEntry> timeline;      ///< the control plane's log, in time order
  std::vector<FailoverResult> failovers;    ///< in the order the failures happened
  AvailabilityResult availability;
  std::size_t replications = 1;             ///< runs behind availability (--replications)
  std::optional<StorageResult> storage;     ///< with workload.content: NFS servers and mounts
  ResidenceResult residence;                ///< time at the real servers, all of them
  std::vector<double> residence_means_s;    ///< ResidenceResult::mean_s of each replication (--replications)
  /// Set by `lvslab run` when a queueing model applies (theory_for()): printed and in the JSON.
  std::optional<TheoryComparison> theory;
};

/// "interrupted at 12.345 s of 60 s simulated".
std::string interrupted_text(const RunResult& r);
/// The human summary; `wall_clock` false leaves out the wall time (golden tests compare the rest).
void print_summary(std::ostream& os, const RunResult& r, bool wall_clock = true);
/// The --ipvsadm views, each under its prompt line "[10.000 s] director# ipvsadm -Ln".
void print_ipvsadm(std::ostream& os, const RunResult& r);
/// The JSON document (see the README for the schema).
std::string to_json(const RunResult& r);
/// Writes DIR/timeseries.csv (one row per interval), DIR/servers.csv (one row per interval
/// and server) and DIR/links.csv (one row per interval and link); creates DIR if needed. Throws
/// std::runtime_error when DIR cannot be created, WriteError naming the file a write failed on.
void write_csv(const std::string& dir, const RunResult& r);

}  // namespace lvs::run
