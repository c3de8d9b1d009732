// The hash disruption explorer (docs/hash-disruption.md): the Maglev paper's Table 1, mh's
// floor/ceil balance at M = 251, sh and dh bucket remaps computed by hand from the kernel's
// rebuild rule, the connection table's share, and the ring's K/N.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <set>
#include <stdexcept>
#include <vector>

#include "schedulers/disruption.hpp"
#include "schedulers/hash.hpp"
#include "schedulers/mh.hpp"

using namespace lvs;

namespace {

/// One flow per sh/dh bucket: the first address v = 1, 2, ... with hash_32(v, 8) = b, as
/// both source (sh) and destination (dh), source port 0.
std::vector<SchedFlow> one_flow_per_bucket() {
  std::vector<SchedFlow> out(256);
  std::vector<bool> found(256, false);
  std::size_t left = 256;
  for (std::uint32_t v = 1; left > 0; ++v) {
    const std::uint32_t b = hash_32(v, 8);
    if (found[b]) continue;
    found[b] = true;
    --left;
    out[b] = SchedFlow{.saddr = InetAddr::v4(v), .daddr = InetAddr::v4(v), .dport = 80};
  }
  return out;
}

DisruptionSpec fail_spec(std::uint32_t n, std::vector<std::uint32_t> failed) {
  DisruptionSpec s;
  s.servers = n;
  s.changed = static_cast<std::uint32_t>(failed.size());
  s.failed = std::move(failed);
  return s;
}

std::uint64_t flows_on(const DisruptionResult& r, const std::vector<std::uint32_t>& servers) {
  std::uint64_t sum = 0;
  for (std::uint32_t s : servers) sum += r.flows_before[s];
  return sum;
}

}  // namespace

TEST_CASE("disruption: the explorer reproduces Maglev Table 1", "[schedulers][disruption]") {
  const MaglevExample ex = maglev_paper_example();
  REQUIRE(ex.size == 7);
  // The permutation rows of Table 1.
  CHECK(maglev_preference_list(ex.backends[0], 7) == std::vector<std::uint32_t>{3, 0, 4, 1, 5, 2, 6});
  CHECK(maglev_preference_list(ex.backends[1], 7) == std::vector<std::uint32_t>{0, 2, 4, 6, 1, 3, 5});
  CHECK(maglev_preference_list(ex.backends[2], 7) == std::vector<std::uint32_t>{3, 4, 5, 6, 0, 1, 2});
  // Before: B1 B0 B1 B0 B2 B2 B0. After B1 goes, walked by hand through Pseudocode 1:
  // B0 3, B2 4, B0 0, B2 5, B0 1, B2 6, B0 2 -> B0 B0 B0 B0 B2 B2 B2.
  CHECK(ex.before == std::vector<std::uint32_t>{1, 0, 1, 0, 2, 2, 0});
  CHECK(ex.after == std::vector<std::uint32_t>{0, 0, 0, 0, 2, 2, 2});
  // B1's two slots (0, 2) change, as they must; one more (6: B0 -> B2) moves between the
  // survivors. The other four stay.
  std::vector<std::uint32_t> changed;
  for (std::uint32_t slot = 0; slot < 7; ++slot)
    if (ex.before[slot] != ex.after[slot]) changed.push_back(slot);
  CHECK(changed == std::vector<std::uint32_t>{0, 2, 6});
}

TEST_CASE("disruption: mh gives N equal weights floor or ceil of 251/N slots", "[schedulers][disruption]") {
  const std::uint32_t n = GENERATE(2u, 3u, 5u, 7u, 10u, 25u, 50u, 100u, 251u);
  DisruptionSpec spec;
  spec.servers = n;
  spec.change = ClusterChange::Add;
  spec.changed = 1;
  spec.mh_table_size = 251;
  const DisruptionResult r = measure_disruption("mh", spec, disruption_flows(10, 1));
  REQUIRE(r.table_size == 251);
  std::uint64_t total = 0;
  for (std::uint32_t s = 0; s < n; ++s) {
    CHECK((r.entries_before[s] == 251 / n || r.entries_before[s] == (251 + n - 1) / n));
    total += r.entries_before[s];
  }
  CHECK(total == 251);
  CHECK(r.entries_before[n] == 0);  // the added server, before it was added
  if (n < 251) CHECK(std::accumulate(r.entries_after.begin(), r.entries_after.end(), std::uint64_t{0}) == 251);
}

// sh (equal weights) and dh rebuild their 256 buckets round robin over the list, newest
// first: with rs1..rs4 the list is [rs4 rs3 rs2 rs1], bucket i -> list[i mod 4].
// * rs1 (the tail) removed: [rs4 rs3 rs2], bucket i -> list[i mod 3]. A bucket keeps its
//   server iff i mod 4 = i mod 3, i.e. i mod 12 in {0, 1, 2}: 21 * 3 + 3 (252..254) = 66
//   buckets, so 190 of 256 change; 64 of them were rs1's, 126 move between survivors.
// * rs4 (the head) removed: [rs3 rs2 rs1]; the old server 3 - (i mod 4) equals the new
//   one 2 - (i mod 3) iff i mod 4 = i mod 3 + 1, i.e. i mod 12 in {9, 10, 11}: 21 * 3 = 63
//   keep (252..255 are 0..3 mod 12), 193 change.
TEST_CASE("disruption: sh and dh remap the buckets the kernel's rebuild rule says", "[schedulers][disruption]") {
  const std::string name = GENERATE("sh", "dh");
  const auto [failed, changed] = GENERATE(table<std::uint32_t, std::uint64_t>({{0, 190}, {3, 193}}));
  const std::vector<SchedFlow> flows = one_flow_per_bucket();
  const DisruptionResult r = measure_disruption(name, fail_spec(4, {failed}), flows);
  CHECK(r.table_size == 256);
  CHECK(r.entries_changed == changed);
  CHECK(r.remapped == changed);  // one flow per bucket: every flow of a changed bucket moves
  CHECK(r.unserved == 0);
  CHECK(r.on_failed == 64);
  CHECK(r.entries_before == std::vector<std::uint64_t>{64, 64, 64, 64});
  // 256 = 3 * 85 + 1: list[0] gets the extra bucket 255.
  std::vector<std::uint64_t> after(4, 85);
  after[failed] = 0;
  after[failed == 3 ? 2 : 3] = 86;
  CHECK(r.entries_after == after);
}

TEST_CASE("disruption: with the connection table only the failed servers' flows move", "[schedulers][disruption]") {
  const std::vector<SchedFlow> flows = disruption_flows(20000, 7);
  const std::vector<std::uint32_t> failed = draw_failed_servers(10, 2, 7);
  for (const std::string& name : disruption_schedulers()) {
    INFO(name);
    const DisruptionResult r = measure_disruption(name, fail_spec(10, failed), flows);
    CHECK(r.on_failed == flows_on(r, failed));
    CHECK(r.remapped + r.unserved >= r.on_failed);  // no scheme moves fewer
    CHECK(r.unserved == 0);                         // removed, not inhibited: the rest take over
  }
  // Measured: mh (M = 4093) moves some survivors' flows too, the ring none.
  CHECK(measure_disruption("mh", fail_spec(10, failed), flows).remapped >
        measure_disruption("mh", fail_spec(10, failed), flows).on_failed);
  const DisruptionResult ring = measure_disruption("ring", fail_spec(10, failed), flows);
  CHECK(ring.remapped == ring.on_failed);
}

// With V = 1024 nodes a server's arc has relative spread about 1/sqrt(V) = 3 %, so two of
// ten hold 0.2 +- 0.005 of the ring; 20000 flows add +- 0.003. The tolerance is 0.03.
TEST_CASE("disruption: the ring moves about K/N of the flows on a failure, K/(N+K) on an addition",
          "[schedulers][disruption]") {
  const std::vector<SchedFlow> flows = disruption_flows(20000, 3);
  DisruptionSpec spec = fail_spec(10, draw_failed_servers(10, 2, 3));
  spec.ring_vnodes = 1024;
  const DisruptionResult fail = measure_disruption("ring", spec, flows);
  CHECK(std::abs(static_cast<double>(fail.remapped) / 20000.0 - 0.2) < 0.03);
  CHECK(fail.minimum == Approx(0.2));
  spec.change = ClusterChange::Add;
  spec.failed.clear();
  const DisruptionResult add = measure_disruption("ring", spec, flows);
  CHECK(std::abs(static_cast<double>(add.remapped) / 20000.0 - 2.0 / 12.0) < 0.03);
  CHECK(add.minimum == Approx(2.0 / 12.0));
  CHECK(add.on_failed == 0);  // an addition moves no existing connection
}

TEST_CASE("disruption: inhibit_on_failure leaves sh's flows unserved unless sh-fallback", "[schedulers][disruption]") {
  const std::vector<SchedFlow> flows = one_flow_per_bucket();
  DisruptionSpec spec = fail_spec(4, {1});
  spec.failure_mode = FailureMode::Inhibit;
  // Weight 0 still takes one bucket per cycle (ip_vs_sh_reassign): the table is unchanged,
  // rs2's 64 buckets answer none.
  const DisruptionResult plain = measure_disruption("sh", spec, flows);
  CHECK(plain.remapped == 0);
  CHECK(plain.unserved == 64);
  spec.svc_flags = svc_f_sched1;
  const DisruptionResult fallback = measure_disruption("sh", spec, flows);
  CHECK(fallback.remapped == 64);
  CHECK(fallback.unserved == 0);
}

TEST_CASE("disruption: flows and failed servers are drawn from the seed", "[schedulers][disruption]") {
  const std::vector<SchedFlow> a = disruption_flows(5000, 11);
  const std::vector<SchedFlow> b = disruption_flows(5000, 11);
  CHECK(a.size() == 5000);
  CHECK(std::equal(a.begin(), a.end(), b.begin(), [](const SchedFlow& x, const SchedFlow& y) {
    return x.saddr == y.saddr && x.daddr == y.daddr && x.sport == y.sport;
  }));
  std::set<std::uint32_t> sources;
  for (const SchedFlow& f : a) sources.insert(f.saddr.words[0]);
  CHECK(sources.size() == 5000);
  CHECK(disruption_flows(1, 12)[0].saddr != a[0].saddr);
  const std::vector<std::uint32_t> failed = draw_failed_servers(100, 10, 5);
  CHECK(failed == draw_failed_servers(100, 10, 5));
  CHECK(std::set<std::uint32_t>(failed.begin(), failed.end()).size() == 10);
  CHECK(std::is_sorted(failed.begin(), failed.end()));
  CHECK(failed.back() < 100);
}

TEST_CASE("disruption: bad input is refused with the valid choices", "[schedulers][disruption]") {
  const std::vector<SchedFlow> flows = disruption_flows(10, 1);
  CHECK_THROWS_WITH(measure_disruption("wlc", fail_spec(4, {0}), flows),
                    Catch::Contains("unknown scheduler 'wlc'") && Catch::Contains("dh, mh, ring, sh"));
  CHECK_THROWS_AS(measure_disruption("sh", fail_spec(4, {0, 1, 2, 3}), flows), std::invalid_argument);
  CHECK_FALSE(is_maglev_kernel_size(7));
  CHECK(is_maglev_kernel_size(251));
  MaglevTable t(7);
  const std::vector<MaglevPermutation> bad{{.perm = 7, .skip = 1, .turns = 1}};
  CHECK_THROWS_AS(t.build_from(bad), std::invalid_argument);
}
