// The conformance suite that every registered scheduler passes (STYLE.md, rule 8). It runs
// over lvs::scheduler_names(), so a scheduler registered later is covered without an edit:
// never a weight-0 destination, never an overloaded one (except where the kernel itself
// ignores the flag, listed below with the reason), none for an empty list, all weights 0 or
// all overloaded, the same picks for the same seed and operations, and only valid,
// eligible picks through thousands of random adds, removals, weight edits, count changes,
// overload toggles and rebinds with varied flows and sched flags.

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schedulers/dest_table.hpp"
#include "schedulers/registry.hpp"
#include "sched_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

/// A scheduler that may pick an overloaded destination, and why.
struct OverloadException {
  std::string_view scheduler;
  std::string_view reason;
};

constexpr std::array overload_exceptions{
    OverloadException{"lblc",
                      "ipvs-semantics.md 2.13 and 4: the cache-hit path checks weight > 0 and is_overloaded "
                      "(activeconns > weight while some destination is below half its weight), never "
                      "IP_VS_DEST_F_OVERLOAD; only its WLC fallback skips overloaded destinations"},
};

bool may_pick_overloaded(std::string_view name) {
  return std::any_of(overload_exceptions.begin(), overload_exceptions.end(),
                     [name](const OverloadException& e) { return e.scheduler == name; });
}

/// The sched flags a pick is tried with: none, sched1 (-fallback), sched2 (-port).
constexpr std::array<std::uint32_t, 3> flag_sets{0, svc_f_sched1, svc_f_sched2};

/// A flow from small address pools (so hashing and locality schedulers see repeats), with
/// a random source port and TCP or UDP; one in eight source addresses is IPv6.
SchedFlow random_flow(Rng& rng) {
  SchedFlow f;
  f.protocol = rng.below(4) == 0 ? 17 : 6;
  const auto host = static_cast<std::uint32_t>(rng.below(16));
  f.saddr = rng.below(8) == 0 ? InetAddr::v6({0x20010db8u, 0, 0, host}) : InetAddr::v4(0x0A000100u + host);
  f.sport = static_cast<std::uint16_t>(1024 + rng.below(64000));
  f.daddr = InetAddr::v4(0xC0A80900u + static_cast<std::uint32_t>(rng.below(6)));
  f.dport = 80;
  return f;
}

/// "" if `pick` is none or an eligible destination of `dests` for scheduler `name`, else
/// what is wrong, naming the scheduler and `step`.
std::string check_pick(const std::string& name, const std::string& step, DestList dests,
                       std::optional<std::size_t> pick) {
  if (!pick) return "";
  const std::string where = std::string("scheduler ").append(name).append(", ").append(step).append(": ");
  if (*pick >= dests.size())
    return std::string(where).append("index ").append(std::to_string(*pick)).append(" is past the list");
  const SchedDest& d = dests[*pick];
  if (d.weight <= 0) return std::string(where).append("picked destination ").append(std::to_string(d.id)).append(" of weight 0");
  if (d.overloaded && !may_pick_overloaded(name))
    return std::string(where).append("picked overloaded destination ").append(std::to_string(d.id));
  return "";
}

std::string flags_text(std::uint32_t flags) { return std::string("flags ").append(std::to_string(flags)); }

/// The picks of one churn run (destination id, or -1 for none) and its first failure.
struct ChurnResult {
  std::vector<std::int64_t> picks;
  std::string failure;
};

/// Drives a fresh `name` through `steps` random operations from `seed`.
class Churn {
 public:
  Churn(const std::string& name, std::uint64_t seed)
      : name_(name), sched_(make_scheduler(name)), table_(*sched_), ops_(seed, "ops"), rng_(seed, "scheduler") {}

  ChurnResult run(int steps) {
    for (step_ = 0; step_ < steps && result_.failure.empty(); ++step_) {
      now_ += Time::ms(static_cast<std::int64_t>(ops_.below(2000)));
      if (ops_.below(500) == 0) now_ += Time::s(25 * 3600);  // past lblc/lblcr expiry
      one_operation(ops_.below(1000));
    }
    return result_;
  }

 private:
  // Of 1000: 30 adds, 20 removals, 30 weight edits (the list hooks, which rebuild tables in
  // some schedulers, kept rare), 200 count changes, 80 overload toggles, 40 latency reports,
  // 4 rebinds, and picks for the rest.
  void one_operation(std::uint64_t op) {
    const std::size_t n = table_.dests().size();
    if (op < 30 && n < 10) return add();
    if (n > 0 && op < 50) return table_.remove(random_id());
    if (n > 0 && op < 80) return table_.edit_weight(random_id(), static_cast<std::int32_t>(ops_.below(6)));
    if (n > 0 && op < 280) return set_counts(random_id(), ops_.below(21), ops_.below(31));
    if (n > 0 && op < 360) return toggle_overloaded(random_id());
    if (op < 400) return report_latency();
    if (op < 404) return table_.bind_scheduler(*sched_);  // ipvsadm -E: init_service on the current list
    pick();
  }

  void report_latency() {
    const auto id = static_cast<DestId>(ops_.below(next_id_ + 2));  // removed or unknown ids too
    sched_->on_request_done(id, Time::ms(static_cast<std::int64_t>(ops_.below(2000))), now_);
  }

  void add() {
    auto id = static_cast<DestId>(ops_.below(next_id_ + 1));  // sometimes an old id comes back
    if (id == next_id_ || table_.index_of(id)) id = next_id_++;
    table_.add({.id = id,
                .addr = InetAddr::v4(0xC0A80A00u + id),
                .port = static_cast<std::uint16_t>(ops_.below(2) == 0 ? 0 : 8080),
                .weight = static_cast<std::int32_t>(ops_.below(6))});
  }

  DestId random_id() { return table_.dests()[ops_.below(table_.dests().size())].id; }

  void set_counts(DestId id, std::uint64_t active, std::uint64_t inactive) {
    table_.set_counts(id, static_cast<std::int32_t>(active), static_cast<std::int32_t>(inactive));
  }
  void toggle_overloaded(DestId id) { table_.set_overloaded(id, !table_.at(id).overloaded); }

  void pick() {
    const SchedFlow flow = random_flow(ops_);
    const std::uint32_t flags = flag_sets[ops_.below(flag_sets.size())];
    table_.set_svc_flags(flags);
    const auto i = table_.schedule(rng_, flow, now_);
    result_.failure = check_pick(name_, std::string("churn step ").append(std::to_string(step_)).append(", ").append(flags_text(flags)), table_.dests(), i);
    result_.picks.push_back(i ? std::int64_t{table_.dests()[*i].id} : -1);
    if (i && ops_.below(2) == 0) {  // the director binds the new connection
      const SchedDest d = table_.dests()[*i];
      table_.set_counts(d.id, d.activeconns + 1, d.inactconns);
    }
  }

  std::string name_;
  std::unique_ptr<Scheduler> sched_;
  DestTable table_;
  Rng ops_;
  Rng rng_;
  Time now_{};
  DestId next_id_ = 0;
  int step_ = 0;
  ChurnResult result_;
};

/// Picks for flows drawn from `seed` under every flag set; the first failure or "".
std::string expect_none(const std::string& name, const std::string& what, DestTable& table) {
  Rng flows(42, "flows");
  Rng rng(42, "scheduler");
  for (const std::uint32_t flags : flag_sets)
    for (int k = 0; k < 16; ++k) {
      table.set_svc_flags(flags);
      const auto i = table.schedule(rng, random_flow(flows), Time::s(k));
      if (i) return std::string("scheduler ").append(name).append(", ").append(what).append(", ").append(flags_text(flags))
                 .append(", flow ").append(std::to_string(k)).append(": picked index ").append(std::to_string(*i)).append(", expected none");
    }
  return "";
}

}  // namespace

TEST_CASE("conformance: the overload exceptions name schedulers and give a reason", "[schedulers][conformance]") {
  for (const OverloadException& e : overload_exceptions) {
    CHECK(!e.scheduler.empty());
    CHECK(e.reason.size() > 20);
  }
  const std::vector<std::string> names = scheduler_names();
  for (const char* own : {"random", "p2c", "peak-ewma", "lrt", "jiq"})
    CHECK(std::find(names.begin(), names.end(), own) != names.end());
}

TEST_CASE("conformance: none for an empty list, all weights 0, all overloaded", "[schedulers][conformance]") {
  const std::string name = GENERATE(from_range(scheduler_names()));
  DYNAMIC_SECTION(name) {
    auto sched = make_scheduler(name);
    DestTable empty(*sched);
    CHECK(expect_none(name, "empty list", empty) == "");

    auto zero_sched = make_scheduler(name);
    DestTable zero = service(*zero_sched, {0, 0, 0});
    CHECK(expect_none(name, "all weights 0", zero) == "");

    auto edited_sched = make_scheduler(name);
    DestTable edited = service(*edited_sched, {1, 2, 3});
    Rng rng(1);
    for (int k = 0; k < 5; ++k) (void)edited.schedule(rng);
    for (DestId id : {0u, 1u, 2u}) edited.edit_weight(id, 0);
    CHECK(expect_none(name, "all weights edited to 0", edited) == "");

    auto ovl_sched = make_scheduler(name);
    DestTable overloaded = service(*ovl_sched, {1, 2, 3}, {1, 1, 1});
    CHECK(expect_none(name, "all overloaded, nothing cached", overloaded) == "");
  }
}

TEST_CASE("conformance: all overloaded after picks gives none, or a cached hit where allowed",
          "[schedulers][conformance]") {
  const std::string name = GENERATE(from_range(scheduler_names()));
  DYNAMIC_SECTION(name) {
    auto sched = make_scheduler(name);
    DestTable table = service(*sched, {1, 2, 3});
    Rng flows(5, "flows");
    Rng rng(5, "scheduler");
    std::vector<SchedFlow> seen;
    std::vector<std::optional<std::size_t>> first;
    for (int k = 0; k < 12; ++k) {
      seen.push_back(random_flow(flows));
      first.push_back(table.schedule(rng, seen.back(), Time::s(k)));
    }
    for (DestId id : {0u, 1u, 2u}) table.set_overloaded(id, true);
    for (std::size_t k = 0; k < seen.size(); ++k) {
      const auto again = table.schedule(rng, seen[k], Time::s(20));
      INFO("scheduler " << name << ", all overloaded after picks, flow " << k);
      if (may_pick_overloaded(name)) {
        CHECK((!again || again == first[k]));  // only the destination cached for this flow
      } else {
        CHECK(!again.has_value());
      }
    }
  }
}

TEST_CASE("conformance: valid picks under churn, and the same picks for the same seed", "[schedulers][conformance]") {
  const std::string name = GENERATE(from_range(scheduler_names()));
  DYNAMIC_SECTION(name) {
    const ChurnResult a = Churn(name, 2024).run(3000);
    CHECK(a.failure == "");
    // A second instance through the same first 600 operations makes the same picks.
    const ChurnResult b = Churn(name, 2024).run(600);
    INFO("scheduler " << name << ": two instances, same seed and operations");
    REQUIRE(b.picks.size() <= a.picks.size());
    CHECK(std::equal(b.picks.begin(), b.picks.end(), a.picks.begin()));
    CHECK(b.picks.size() > 200);
    const auto made = std::count_if(a.picks.begin(), a.picks.end(), [](std::int64_t p) { return p >= 0; });
    CHECK(made > 300);  // the churn really made picks (dh: ~900 of ~1800, ovf: ~550)
  }
}
