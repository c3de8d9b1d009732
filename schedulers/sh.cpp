// sh: source hashing (ipvs-semantics.md §2.11; net/netfilter/ipvs/ip_vs_sh.c).
//
// 256 buckets tiled by weight (`ip_vs_sh_reassign`, on init, add, del and upd): the list
// is walked cyclically and each entry fills `weight` consecutive buckets, moving on when
// ++count >= weight, so a weight-0 entry still takes one bucket per cycle (which then
// answers "unavailable"). The bucket of a flow is
// (offset + hash_32(port + saddr, 8)) & 255 (`ip_vs_sh_hashkey`), port being the source
// port only with sh-port (SCHED2). With sh-fallback (SCHED1) an unavailable first choice
// is followed by a probe that re-adds ih: the k-th probe is bucket (k + 2*ih) mod 256
// (`ip_vs_sh_get_fallback`), a quirk kept on purpose.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "schedulers/hash.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/scheduler.hpp"

namespace lvs {

namespace {

class SourceHashing final : public Scheduler {
 public:
  std::string_view name() const override { return "sh"; }

  void init_service(DestList dests) override { reassign(dests); }
  void add_dest(DestList dests, std::size_t /*index*/) override { reassign(dests); }
  // The table is a function of the list alone: one reassign gives what the last add's did.
  void add_dests(DestList dests, std::size_t /*count*/) override { reassign(dests); }
  void del_dest(DestList dests, std::size_t /*index*/, const SchedDest& /*removed*/) override { reassign(dests); }
  void upd_dest(DestList dests, std::size_t /*index*/) override { reassign(dests); }

  std::optional<std::size_t> schedule(const SchedContext& ctx, Rng& rng) override;

 private:
  static constexpr unsigned bits = 8;  // CONFIG_IP_VS_SH_TAB_BITS default
  static constexpr std::uint32_t size = 1u << bits;
  static constexpr std::uint32_t empty = UINT32_MAX;

  void reassign(DestList dests);

  /// List index per bucket, or `empty` (only when the list is empty).
  std::array<std::uint32_t, size> buckets_{};
};

// ip_vs_sh_reassign.
void SourceHashing::reassign(DestList dests) {
  std::size_t d = 0;
  std::int32_t count = 0;
  for (std::uint32_t i = 0; i < size; ++i) {
    if (dests.empty()) {
      buckets_[i] = empty;
      continue;
    }
    buckets_[i] = static_cast<std::uint32_t>(d);
    if (++count >= dests[d].weight) {
      count = 0;
      d = (d + 1) % dests.size();
    }
  }
}

// ip_vs_sh_schedule with ip_vs_sh_get / ip_vs_sh_get_fallback. The AVAILABLE flag is not
// tested: the table only ever holds entries of the current list.
std::optional<std::size_t> SourceHashing::schedule(const SchedContext& ctx, Rng& /*rng*/) {
  const std::uint32_t port = (ctx.svc_flags & svc_f_sched2) != 0 ? ctx.flow.sport : 0;
  const std::uint32_t key = port + ctx.flow.saddr.fold();
  const auto bucket = [&](std::uint32_t offset) { return (offset + hash_32(key, bits)) & (size - 1); };
  const auto usable = [&](std::uint32_t i) { return i < ctx.dests.size() && is_eligible(ctx.dests[i]); };

  const std::uint32_t ih = bucket(0);
  const std::uint32_t first = buckets_[ih];
  if (first == empty) return std::nullopt;
  if (usable(first)) return first;
  if ((ctx.svc_flags & svc_f_sched1) == 0) return std::nullopt;
  for (std::uint32_t off = 0; off < size; ++off) {
    const std::uint32_t i = buckets_[bucket((off + ih) % size)];
    if (i == empty) break;
    if (usable(i)) return i;
  }
  return std::nullopt;
}

const SchedulerRegistrar sh_registrar{
    "sh", "source hashing", []() -> std::unique_ptr<Scheduler> { return std::make_unique<SourceHashing>(); }};

}  // namespace

}  // namespace lvs
