// The hash disruption explorer (docs/hash-disruption.md). Every figure comes from probing
// the real scheduler objects: flows before and after the change, and for sh/dh one probe
// per bucket (an address that hashes to it), for mh the MaglevTable the scheduler builds.

#include "schedulers/disruption.hpp"

#include <algorithm>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <unordered_set>

#include "core/rng.hpp"
#include "schedulers/dest_table.hpp"
#include "schedulers/hash.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/ring.hpp"

namespace lvs {

namespace {

/// sh and dh: 2^8 buckets (CONFIG_IP_VS_SH_TAB_BITS default 8, IP_VS_DH_TAB_BITS 8).
constexpr unsigned bucket_bits = 8;
constexpr std::uint32_t buckets = 1u << bucket_bits;

/// GOLDEN_RATIO_32's inverse mod 2^32 (Newton's iteration x <- x (2 - g x) doubles the
/// correct low bits each step), so hash_32 can be run backwards to reach a bucket.
constexpr std::uint32_t golden_inverse() {
  std::uint32_t x = golden_ratio_32;  // g * g == 1 mod 8 for odd g: 3 bits to start
  for (int i = 0; i < 5; ++i) x *= 2u - golden_ratio_32 * x;
  return x;
}
static_assert(golden_ratio_32 * golden_inverse() == 1u);

/// An address whose hash_32(addr, 8) is `bucket`: its product with the golden ratio is
/// bucket << 24 exactly.
constexpr std::uint32_t address_of_bucket(std::uint32_t bucket) { return (bucket << 24) * golden_inverse(); }
static_assert(hash_32(address_of_bucket(201), bucket_bits) == 201);

/// Server s (0-based): rs(s + 1) at 10.1.0.0 + s + 1, port 80, id s.
SchedDest server(std::uint32_t s, std::int32_t weight) {
  return SchedDest{.id = s, .addr = InetAddr::v4(0x0A010000u + s + 1), .port = 80, .weight = weight};
}

std::unique_ptr<Scheduler> make_explored(std::string_view name, const DisruptionSpec& spec) {
  if (name == "mh") return make_maglev_scheduler(spec.mh_table_size);
  if (name == "ring") return make_hash_ring(spec.ring_vnodes);
  return make_scheduler(name);  // sh, dh: the registered kernel-exact ones
}

std::int32_t weight_of(const DisruptionSpec& spec, std::uint32_t s) {
  return spec.weights.empty() ? 1 : spec.weights[s];
}

void check_spec(std::string_view name, const DisruptionSpec& spec) {
  const auto& valid = disruption_schedulers();
  if (std::find(valid.begin(), valid.end(), name) == valid.end())
    throw std::invalid_argument("unknown scheduler '" + std::string(name) + "' (valid: dh, mh, ring, sh)");
  const std::size_t total = spec.servers + (spec.change == ClusterChange::Add ? spec.changed : 0);
  if (spec.servers < 1 || (spec.change == ClusterChange::Fail && spec.changed >= spec.servers))
    throw std::invalid_argument("need K < N servers to fail");
  if (!spec.weights.empty() && spec.weights.size() != total)
    throw std::invalid_argument("expected " + std::to_string(total) + " weights");
  if (spec.change == ClusterChange::Fail && spec.failed.size() != spec.changed)
    throw std::invalid_argument("expected " + std::to_string(spec.changed) + " failed servers");
  for (std::uint32_t f : spec.failed)
    if (f >= spec.servers) throw std::invalid_argument("failed server " + std::to_string(f + 1) + " is not in 1..N");
}

/// The server number picked for `flow`, or -1 for none.
std::int64_t pick(DestTable& table, const SchedFlow& flow, Rng& rng) {
  const std::optional<std::size_t> i = table.schedule(rng, flow);
  return i ? static_cast<std::int64_t>(table.dests()[*i].id) : -1;
}

/// Per table entry the server a probe of it gets (-1 none); empty for ring. Probes run
/// without the fallback flags so that each entry answers for itself.
std::vector<std::int64_t> entry_owners(std::string_view name, DestTable& table, std::uint32_t mh_size, Rng& rng) {
  std::vector<std::int64_t> out;
  if (name == "mh") {
    MaglevTable t(mh_size);
    t.build(table.dests());
    for (std::uint32_t slot = 0; slot < t.size(); ++slot) {
      const std::uint32_t i = t.at(slot);
      const bool served = i != MaglevTable::empty && is_eligible(table.dests()[i]);
      out.push_back(served ? static_cast<std::int64_t>(table.dests()[i].id) : -1);
    }
  } else if (name == "sh" || name == "dh") {
    const std::uint32_t flags = table.svc_flags();
    table.set_svc_flags(0);
    for (std::uint32_t b = 0; b < buckets; ++b) {
      const InetAddr a = InetAddr::v4(address_of_bucket(b));
      out.push_back(pick(table, SchedFlow{.saddr = a, .daddr = a, .dport = 80}, rng));
    }
    table.set_svc_flags(flags);
  }
  return out;
}

std::vector<std::uint64_t> per_server(const std::vector<std::int64_t>& owners, std::size_t servers) {
  std::vector<std::uint64_t> out(servers, 0);
  for (std::int64_t o : owners)
    if (o >= 0) ++out[static_cast<std::size_t>(o)];
  return out;
}

void apply_change(DestTable& table, const DisruptionSpec& spec) {
  if (spec.change == ClusterChange::Add) {
    for (std::uint32_t s = spec.servers; s < spec.servers + spec.changed; ++s) table.add(server(s, weight_of(spec, s)));
    return;
  }
  for (std::uint32_t f : spec.failed) {
    if (spec.failure_mode == FailureMode::Remove) {
      table.remove(f);
    } else {
      table.edit_weight(f, 0);
    }
  }
}

double minimum_fraction(const DisruptionSpec& spec) {
  const std::size_t total = spec.servers + (spec.change == ClusterChange::Add ? spec.changed : 0);
  double all = 0;
  double moved = 0;
  for (std::uint32_t s = 0; s < total; ++s) all += weight_of(spec, s);
  if (spec.change == ClusterChange::Add) {
    for (std::uint32_t s = spec.servers; s < total; ++s) moved += weight_of(spec, s);
  } else {
    for (std::uint32_t f : spec.failed) moved += weight_of(spec, f);
  }
  return all > 0 ? moved / all : 0.0;
}

}  // namespace

const std::vector<std::string>& disruption_schedulers() {
  static const std::vector<std::string> names{"dh", "mh", "ring", "sh"};
  return names;
}

std::vector<SchedFlow> disruption_flows(std::uint64_t count, std::uint64_t seed) {
  Rng rng(seed, "disruption/flows");
  std::unordered_set<std::uint32_t> sources;
  std::unordered_set<std::uint32_t> targets;
  std::vector<SchedFlow> out;
  out.reserve(count);
  while (out.size() < count) {
    const auto saddr = static_cast<std::uint32_t>(rng());
    const auto daddr = static_cast<std::uint32_t>(rng());
    const auto sport = static_cast<std::uint16_t>(1024 + rng.below(65536 - 1024));
    if (!sources.insert(saddr).second) continue;  // membership only: order never decides
    if (!targets.insert(daddr).second) {
      sources.erase(saddr);
      continue;
    }
    out.push_back({.protocol = 6, .saddr = InetAddr::v4(saddr), .sport = sport, .daddr = InetAddr::v4(daddr), .dport = 80});
  }
  return out;
}

std::vector<std::uint32_t> draw_failed_servers(std::uint32_t n, std::uint32_t k, std::uint64_t seed) {
  Rng rng(seed, "disruption/failed");
  std::vector<std::uint32_t> all(n);
  std::iota(all.begin(), all.end(), 0u);
  for (std::uint32_t i = 0; i < k && i < n; ++i)  // partial Fisher-Yates
    std::swap(all[i], all[i + static_cast<std::uint32_t>(rng.below(n - i))]);
  all.resize(std::min(k, n));
  std::sort(all.begin(), all.end());
  return all;
}

DisruptionResult measure_disruption(std::string_view name, const DisruptionSpec& spec, std::span<const SchedFlow> flows) {
  check_spec(name, spec);
  const std::size_t total = spec.servers + (spec.change == ClusterChange::Add ? spec.changed : 0);
  auto sched = make_explored(name, spec);
  DestTable table(*sched);
  table.set_svc_flags(spec.svc_flags);
  for (std::uint32_t s = 0; s < spec.servers; ++s) table.add(server(s, weight_of(spec, s)));
  Rng rng(0, "disruption/picks");  // the hashing schedulers draw nothing
  std::vector<std::int64_t> before;
  before.reserve(flows.size());
  for (const SchedFlow& f : flows) before.push_back(pick(table, f, rng));
  const std::vector<std::int64_t> entries_before = entry_owners(name, table, spec.mh_table_size, rng);
  apply_change(table, spec);
  const std::vector<std::int64_t> entries_after = entry_owners(name, table, spec.mh_table_size, rng);

  DisruptionResult r;
  r.scheduler = std::string(name);
  r.flows = flows.size();
  r.minimum = minimum_fraction(spec);
  std::vector<bool> failed(total, false);
  for (std::uint32_t f : spec.failed) failed[f] = spec.change == ClusterChange::Fail;
  std::vector<std::int64_t> after;
  after.reserve(flows.size());
  for (std::size_t k = 0; k < flows.size(); ++k) {
    after.push_back(pick(table, flows[k], rng));
    r.on_failed += before[k] >= 0 && failed[static_cast<std::size_t>(before[k])];
    r.unserved += after[k] < 0;
    r.remapped += after[k] >= 0 && after[k] != before[k];
  }
  r.flows_before = per_server(before, total);
  r.flows_after = per_server(after, total);
  r.entries_before = per_server(entries_before, entries_before.empty() ? 0 : total);
  r.entries_after = per_server(entries_after, entries_after.empty() ? 0 : total);
  r.table_size = entries_before.size();
  for (std::size_t e = 0; e < entries_before.size(); ++e) r.entries_changed += entries_before[e] != entries_after[e];
  return r;
}

std::vector<std::uint32_t> maglev_preference_list(const MaglevPermutation& p, std::uint32_t m) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t j = 0; j < m; ++j)
    out.push_back(static_cast<std::uint32_t>((p.perm + std::uint64_t{j} * p.skip) % m));
  return out;
}

// §3.4: "permutation[i][j] = (offset + j * skip) mod M"; Table 1 prints B0: 3 0 4 1 5 2 6,
// B1: 0 2 4 6 1 3 5, B2: 3 4 5 6 0 1 2, i.e. (offset, skip) = (3, 4), (0, 2), (3, 1).
MaglevExample maglev_paper_example() {
  MaglevExample ex;
  ex.backends = {{.perm = 3, .skip = 4, .turns = 1}, {.perm = 0, .skip = 2, .turns = 1}, {.perm = 3, .skip = 1, .turns = 1}};
  MaglevTable t(ex.size);
  t.build_from(ex.backends);
  for (std::uint32_t slot = 0; slot < ex.size; ++slot) ex.before.push_back(t.at(slot));
  const std::vector<MaglevPermutation> without_b1{ex.backends[0], ex.backends[2]};
  t.build_from(without_b1);
  const std::uint32_t name_of[] = {0, 2};  // list index -> backend number
  for (std::uint32_t slot = 0; slot < ex.size; ++slot) ex.after.push_back(name_of[t.at(slot)]);
  return ex;
}

}  // namespace lvs
