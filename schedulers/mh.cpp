// mh: Maglev hashing (ipvs-semantics.md §2.12; net/netfilter/ipvs/ip_vs_mh.c).
//
// The table (MaglevTable, mh.hpp) is rebuilt from scratch on init, add, del and upd, from
// last_weight: a destination edited to weight 0 keeps its slots and merely answers
// "unavailable", so only its own clients move (with mh-fallback). Weights are divided by
// their gcd and shifted right until the largest fits in IP_VS_MH_TAB_BITS (6) bits; each
// destination then takes `turns` slots per pass along its own permutation
// (offset, skip) of hsiphash values. A flow's slot is hsiphash(saddr [+ sport with
// mh-port]) % M; with mh-fallback an unavailable first choice is followed by probes that
// put the offset inside the hashed value (ip_vs_mh_get_fallback), a pseudo-random walk.

#include "schedulers/mh.hpp"

#include <algorithm>
#include <bit>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>

#include "schedulers/registry.hpp"

namespace lvs {

bool is_maglev_kernel_size(std::uint32_t m) {
  return std::find(maglev_kernel_sizes.begin(), maglev_kernel_sizes.end(), m) != maglev_kernel_sizes.end();
}

MaglevTable::MaglevTable(std::uint32_t m) : slots_(std::max<std::uint32_t>(m, 2), empty) {}

std::uint32_t MaglevTable::hash_key(const InetAddr& addr, std::uint16_t port, const SipKey& key,
                                    std::uint32_t offset) {
  return hsiphash_u32(offset + std::uint32_t{port} + addr.fold(), key);
}

std::size_t MaglevTable::count(std::size_t index) const {
  return static_cast<std::size_t>(std::count(slots_.begin(), slots_.end(), static_cast<std::uint32_t>(index)));
}

// ip_vs_mh_gcd_weight, ip_vs_mh_shift_weight and ip_vs_mh_permutate, then populate.
void MaglevTable::build(DestList dests) {
  std::fill(slots_.begin(), slots_.end(), empty);
  setup_.clear();
  rshift_ = 0;
  std::int32_t gcd = 0;
  std::int32_t max_weight = 0;
  for (const SchedDest& d : dests) {
    if (d.last_weight > 0) gcd = gcd > 0 ? std::gcd(gcd, d.last_weight) : d.last_weight;
    max_weight = std::max(max_weight, d.last_weight);
  }
  const std::uint32_t m = size();
  if (gcd < 1 || dests.size() > m) return;
  rshift_ = std::max(0, static_cast<int>(std::bit_width(static_cast<std::uint32_t>(max_weight / gcd))) - 6);
  for (const SchedDest& d : dests) {
    MaglevPermutation s;
    s.perm = hash_key(d.addr, d.port, hash1, 0) % m;
    s.skip = hash_key(d.addr, d.port, hash2, 0) % (m - 1) + 1;
    const std::int32_t turns = (d.last_weight / gcd) >> rshift_;
    s.turns = turns > 0 ? turns : (d.last_weight != 0 ? 1 : 0);
    setup_.push_back(s);
  }
  populate();
}

void MaglevTable::build_from(std::span<const MaglevPermutation> setup) {
  const std::uint32_t m = size();
  for (const MaglevPermutation& s : setup)  // a skip sharing a factor with M would never fill it
    if (s.perm >= m || s.skip < 1 || s.skip >= m || std::gcd(s.skip, m) != 1)
      throw std::invalid_argument("Maglev permutation (" + std::to_string(s.perm) + ", " + std::to_string(s.skip) +
                                  ") does not fit a table of " + std::to_string(m) + " slots");
  std::fill(slots_.begin(), slots_.end(), empty);
  setup_.assign(setup.begin(), setup.end());
  rshift_ = 0;
  const bool any = std::any_of(setup_.begin(), setup_.end(), [](const MaglevPermutation& s) { return s.turns > 0; });
  if (any) populate();
}

// ip_vs_mh_populate (Pseudocode 1 of the paper, with turns): passes over the list; a
// destination places `turns` slots in a row, each at the next free position of its
// permutation, until all M slots are taken.
void MaglevTable::populate() {
  const std::uint32_t m = size();
  std::uint32_t n = 0;
  std::int32_t dt = 0;
  for (;;) {
    for (std::size_t i = 0; i < setup_.size();) {
      MaglevPermutation& s = setup_[i];
      if (s.turns < 1) {  // added with weight 0: no slots
        ++i;
        continue;
      }
      while (slots_[s.perm] != empty) s.perm = s.perm + s.skip >= m ? s.perm + s.skip - m : s.perm + s.skip;
      slots_[s.perm] = static_cast<std::uint32_t>(i);
      if (++n == m) return;
      if (++dt >= s.turns) {
        dt = 0;
        ++i;
      }
    }
  }
}

namespace {

class MaglevHashing final : public Scheduler {
 public:
  explicit MaglevHashing(std::uint32_t m = MaglevTable::default_size) : table_(m) {}
  std::string_view name() const override { return "mh"; }

  void init_service(DestList dests) override { table_.build(dests); }
  void add_dest(DestList dests, std::size_t /*index*/) override { table_.build(dests); }
  // build() starts from scratch on the list alone: one build gives what the last add's did.
  void add_dests(DestList dests, std::size_t /*count*/) override { table_.build(dests); }
  void del_dest(DestList dests, std::size_t /*index*/, const SchedDest& /*removed*/) override { table_.build(dests); }
  void upd_dest(DestList dests, std::size_t /*index*/) override { table_.build(dests); }

  std::optional<std::size_t> schedule(const SchedContext& ctx, Rng& rng) override;

 private:
  MaglevTable table_;
};

// ip_vs_mh_schedule with ip_vs_mh_get / ip_vs_mh_get_fallback.
std::optional<std::size_t> MaglevHashing::schedule(const SchedContext& ctx, Rng& /*rng*/) {
  const std::uint32_t m = table_.size();
  const std::uint16_t port = (ctx.svc_flags & svc_f_sched2) != 0 ? ctx.flow.sport : 0;
  const auto usable = [&](std::uint32_t i) { return i < ctx.dests.size() && is_eligible(ctx.dests[i]); };
  const std::uint32_t ih = MaglevTable::hash_key(ctx.flow.saddr, port, MaglevTable::hash1, 0) % m;
  const std::uint32_t first = table_.at(ih);
  if (first == MaglevTable::empty) return std::nullopt;
  if (usable(first)) return first;
  if ((ctx.svc_flags & svc_f_sched1) == 0) return std::nullopt;
  for (std::uint32_t off = 0; off < m; ++off) {
    const std::uint32_t roff = (off + ih) % m;
    const std::uint32_t i = table_.at(MaglevTable::hash_key(ctx.flow.saddr, port, MaglevTable::hash1, roff) % m);
    if (i == MaglevTable::empty) break;
    if (usable(i)) return i;
  }
  return std::nullopt;
}

}  // namespace

std::unique_ptr<Scheduler> make_maglev_scheduler(std::uint32_t m) { return std::make_unique<MaglevHashing>(m); }

namespace {

const SchedulerRegistrar mh_registrar{
    "mh", "maglev hashing", []() -> std::unique_ptr<Scheduler> { return std::make_unique<MaglevHashing>(); }};

}  // namespace

}  // namespace lvs
