#pragma once
// The hash disruption explorer behind `lvslab disruption` (docs/hash-disruption.md): how
// many flows a hashing scheduler sends elsewhere when K of N servers fail or K are added.
// It drives the real scheduler objects (sh, dh, mh as the kernel has them; ring, which is
// not a kernel scheduler) through DestTable, as ipvsadm / keepalived would change the
// service, and probes every flow before and after. It also replays the Maglev paper's own
// example (§3.4, Table 1) through MaglevTable's population loop.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "schedulers/mh.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

/// What happens to the K servers.
enum class ClusterChange { Fail, Add };

/// How a failed server leaves the service (keepalived ipwrapper.c, docs/health-checks.md):
/// DELDEST by default, EDITDEST to weight 0 with `inhibit_on_failure`.
enum class FailureMode { Remove, Inhibit };

/// The schedulers the explorer knows: dh, mh, ring, sh (sorted).
const std::vector<std::string>& disruption_schedulers();

/// Default virtual nodes per server on the ring: nginx's `hash ... consistent` places
/// weight * 160 points per peer (ngx_http_upstream_hash_module.c, ngx_http_upstream_init_chash),
/// as libketama does.
inline constexpr std::int64_t default_ring_vnodes = 160;

/// One experiment: N servers rs1..rsN (10.1.0.1:80, ... added in that order, so rsN heads
/// the kernel list), then the change.
struct DisruptionSpec {
  /// N, the servers before the change (>= 1).
  std::uint32_t servers = 0;
  /// K, the servers that fail (< N) or are added.
  std::uint32_t changed = 0;
  /// Failure or addition.
  ClusterChange change = ClusterChange::Fail;
  /// How a failure is applied.
  FailureMode failure_mode = FailureMode::Remove;
  /// The failed servers, 0-based (rs1 = 0), K distinct values below N.
  std::vector<std::uint32_t> failed;
  /// Weight per server (N, or N + K with Add; the added ones last); empty = all 1.
  std::vector<std::int32_t> weights;
  /// mh's table size M (one of maglev_kernel_sizes).
  std::uint32_t mh_table_size = MaglevTable::default_size;
  /// Virtual nodes of the heaviest server on the ring.
  std::int64_t ring_vnodes = default_ring_vnodes;
  /// The service's -b flags; svc_f_sched1 is sh-fallback / mh-fallback.
  std::uint32_t svc_flags = 0;
};

/// `count` flows with distinct source addresses, distinct destination addresses (dh hashes
/// the destination, as in a cache cluster) and source ports 1024..65535, from `seed`.
std::vector<SchedFlow> disruption_flows(std::uint64_t count, std::uint64_t seed);

/// K distinct server numbers below N drawn from `seed`, sorted.
std::vector<std::uint32_t> draw_failed_servers(std::uint32_t n, std::uint32_t k, std::uint64_t seed);

/// One scheduler's figures; per-server vectors are indexed by server number (rs1 = 0) and
/// cover N + K servers with Add, N with Fail.
struct DisruptionResult {
  /// The scheduler's name.
  std::string scheduler;
  /// Flows probed.
  std::uint64_t flows = 0;
  /// Without a connection table: flows sent to another server after the change.
  std::uint64_t remapped = 0;
  /// Without a connection table: flows with no server after the change (the kernel's NULL).
  std::uint64_t unserved = 0;
  /// With a connection table: flows whose server failed; the only ones that must move.
  std::uint64_t on_failed = 0;
  /// The least fraction any scheme must move: the failed servers' weight share (K/N when
  /// equal), or the added servers' share K/(N+K) for balance after an addition.
  double minimum = 0;
  /// Flows per server before and after (none not counted).
  std::vector<std::uint64_t> flows_before, flows_after;
  /// Lookup-table entries per server before and after, as a probe of each entry is
  /// answered (an entry of an ineligible server answers none): sh/dh buckets, mh slots;
  /// empty for ring.
  std::vector<std::uint64_t> entries_before, entries_after;
  /// Entries in the table (256 for sh/dh, M for mh, 0 for ring).
  std::uint64_t table_size = 0;
  /// Entries that answer a different server (or none) after the change.
  std::uint64_t entries_changed = 0;
};

/// Runs `scheduler` (one of disruption_schedulers()) on `spec` for `flows`. Throws
/// std::invalid_argument for an unknown scheduler or an inconsistent spec.
DisruptionResult measure_disruption(std::string_view scheduler, const DisruptionSpec& spec,
                                    std::span<const SchedFlow> flows);

/// The Maglev paper's example (Eisenbud et al., NSDI 2016, §3.4, Table 1): M = 7,
/// backends B0, B1, B2 with given (offset, skip), the table before and after B1 goes.
struct MaglevExample {
  /// M.
  std::uint32_t size = 7;
  /// (offset, skip) of B0, B1, B2.
  std::vector<MaglevPermutation> backends;
  /// Backend number per slot, all three present.
  std::vector<std::uint32_t> before;
  /// Backend number per slot once B1 is removed.
  std::vector<std::uint32_t> after;
};

/// The permutation (preference list) of `p` in a table of `m` slots.
std::vector<std::uint32_t> maglev_preference_list(const MaglevPermutation& p, std::uint32_t m);

/// Populates both tables of the example through MaglevTable::build_from.
MaglevExample maglev_paper_example();

}  // namespace lvs
