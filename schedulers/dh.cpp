// dh: destination hashing (ipvs-semantics.md §2.10; net/netfilter/ipvs/ip_vs_dh.c).
//
// 256 buckets, bucket i holding the i-th entry (mod n) of the list as it was at the last
// init, add or del (`ip_vs_dh_reassign`); weights play no part in the table, and with no
// upd_dest hook an edit does not touch it. A flow goes to the bucket of
// hash_32(daddr, 8) (`ip_vs_dh_hashkey`; IPv6 folded to the XOR of its words), and gets
// none if that destination has weight <= 0 or is overloaded: there is no fallback. The
// table holds list indices, which stay valid because only these hooks reorder the list.

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

class DestinationHashing final : public Scheduler {
 public:
  std::string_view name() const override { return "dh"; }

  void init_service(DestList dests) override { reassign(dests); }
  void add_dest(DestList dests, std::size_t /*index*/) override { reassign(dests); }
  // The table is a function of the list alone: one reassign gives what the last add's did.
  void add_dests(DestList dests, std::size_t /*count*/) override { reassign(dests); }
  void del_dest(DestList dests, std::size_t /*index*/, const SchedDest& /*removed*/) override { reassign(dests); }
  // No upd_dest: the kernel's dh registers none, so a weight edit leaves the table alone.

  // ip_vs_dh_schedule.
  std::optional<std::size_t> schedule(const SchedContext& ctx, Rng& /*rng*/) override {
    const std::uint32_t i = buckets_[hash_32(ctx.flow.daddr.fold(), bits)];
    if (i == empty || i >= ctx.dests.size() || !is_eligible(ctx.dests[i])) return std::nullopt;
    return i;
  }

 private:
  static constexpr unsigned bits = 8;  // IP_VS_DH_TAB_BITS
  static constexpr std::uint32_t empty = UINT32_MAX;

  // ip_vs_dh_reassign: bucket i = the (i mod n)-th entry in list order, or empty.
  void reassign(DestList dests) {
    for (std::size_t i = 0; i < buckets_.size(); ++i)
      buckets_[i] = dests.empty() ? empty : static_cast<std::uint32_t>(i % dests.size());
  }

  /// List index per bucket, or `empty`.
  std::array<std::uint32_t, std::size_t{1} << bits> buckets_{};
};

const SchedulerRegistrar dh_registrar{
    "dh", "destination hashing",
    []() -> std::unique_ptr<Scheduler> { return std::make_unique<DestinationHashing>(); }};

}  // namespace

}  // namespace lvs
