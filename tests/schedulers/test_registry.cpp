// The scheduler registry, and the conformance suite that every registered scheduler runs:
// a table over scheduler_names(), so a newly registered algorithm is checked with no edit here.

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "schedulers/dest_table.hpp"
#include "schedulers/registry.hpp"
#include "schedulers/sched_flags.hpp"
#include "support/allocation_counter.hpp"

using namespace lvs;


namespace {

using lvs::test::allocations;

// Exceptions the kernel makes, as data (ipvs-semantics.md §2.13, §4): lblc's cache hit tests
// weight and is_overloaded() but not IP_VS_DEST_F_OVERLOAD.
const std::set<std::string_view> may_pick_overloaded = {"lblc"};
// lblc/lblcr insert a table entry for an address they have not seen (a kmalloc in the kernel).
const std::set<std::string_view> may_allocate_per_pick = {"lblc", "lblcr"};

// What scheduler `name` may return: weight > 0 and, unless exempt, not overloaded.
bool may_return(std::string_view name, const SchedDest& d) {
  return d.weight > 0 && (!d.overloaded || may_pick_overloaded.contains(name));
}

// A flow from one of many clients to one of a few virtual addresses, TCP or UDP.
SchedFlow random_flow(Rng& rng) {
  SchedFlow f;
  f.protocol = rng.below(4) == 0 ? 17 : 6;
  f.saddr = InetAddr::v4(static_cast<std::uint32_t>(rng()));
  f.sport = static_cast<std::uint16_t>(1024 + rng.below(64512));
  f.daddr = InetAddr::v4(0xC0A80064u + static_cast<std::uint32_t>(rng.below(4)));  // 192.168.0.100-103
  f.dport = 80;
  return f;
}

std::int32_t random_weight(Rng& rng) {
  if (rng.below(6) == 0) return 0;
  if (rng.below(50) == 0) return 65535;
  return static_cast<std::int32_t>(1 + rng.below(100));
}

SchedDest random_dest(Rng& rng, DestId id) {
  SchedDest d;
  d.id = id;
  d.addr = InetAddr::v4(0x0A000000u + id);  // 10.0.x.y, unique per id
  d.port = 80;
  d.weight = random_weight(rng);
  return d;
}

// The director's side of a churning service: adds, deletes, edits, overload flips, count
// changes and picks, chosen at random, with every pick checked.
struct Churn {
  std::string_view name;
  std::unique_ptr<Scheduler> sched = make_scheduler(name);
  DestTable table{*sched};
  Rng ops;
  Rng draws;
  std::uint32_t svc_flags;
  DestId next_id = 0;
  Time now;
  std::vector<std::int64_t> trace;  // chosen id per pick, -1 for none
  std::vector<std::string> violations;
  long pick_allocations = 0;

  Churn(std::string_view n, std::uint64_t seed)
      : name(n), ops(seed, "ops"), draws(seed, "scheduler"), svc_flags(static_cast<std::uint32_t>(ops.below(4)) << 3) {}

  DestId random_id() { return table.dests()[ops.below(table.dests().size())].id; }

  void step() {
    now += Time::us(static_cast<std::int64_t>(ops.below(100'000)));
    const std::size_t n = table.dests().size();
    const std::uint64_t op = ops.below(100);
    if (op < 10 && n < 40) {
      table.add(random_dest(ops, next_id++));
    } else if (op < 17 && n > 0) {
      table.remove(random_id());
    } else if (op < 25 && n > 0) {
      table.edit_weight(random_id(), random_weight(ops));
    } else if (op < 33 && n > 0) {
      const DestId id = random_id();
      table.set_overloaded(id, !table.at(id).overloaded);
    } else if (op < 45 && n > 0) {
      finish_one(random_id());
    } else {
      pick();
    }
  }

  // A connection ends or goes from active to inactive.
  void finish_one(DestId id) {
    const SchedDest& d = table.at(id);
    if (d.activeconns > 0 && ops.below(2) == 0) {
      table.set_counts(id, d.activeconns - 1, d.inactconns + 1);
    } else if (d.inactconns > 0) {
      table.set_counts(id, d.activeconns, d.inactconns - 1);
    }
  }

  void pick() {
    const SchedFlow flow = random_flow(ops);
    const long before = allocations();
    table.set_svc_flags(svc_flags);
    const std::optional<std::size_t> got = table.schedule(draws, flow, now);
    pick_allocations += allocations() - before;
    check(got);
    if (!got) {
      trace.push_back(-1);
      return;
    }
    const SchedDest& d = table.dests()[*got];
    trace.push_back(d.id);
    // The director binds the new connection: TCP is active at once, UDP never (§3.1).
    if (flow.protocol == 6) {
      table.set_counts(d.id, d.activeconns + 1, d.inactconns);
    } else {
      table.set_counts(d.id, d.activeconns, d.inactconns + 1);
    }
  }

  void check(std::optional<std::size_t> got) {
    const DestList dests = table.dests();
    const bool any = std::any_of(dests.begin(), dests.end(), [this](const SchedDest& d) { return may_return(name, d); });
    std::string bad;
    if (got && *got >= dests.size()) {
      bad = "index " + std::to_string(*got) + " out of range " + std::to_string(dests.size());
    } else if (got && !may_return(name, dests[*got])) {
      bad = "returned id " + std::to_string(dests[*got].id) + " with weight " + std::to_string(dests[*got].weight) +
            (dests[*got].overloaded ? ", overloaded" : "");
    } else if (got && !any) {
      bad = "returned a destination while none is eligible";
    }
    if (!bad.empty() && violations.size() < 5) violations.push_back("pick " + std::to_string(trace.size()) + ": " + bad);
  }
};

}  // namespace

TEST_CASE("the registry lists every scheduler by ipvsadm name, sorted, with a description", "[schedulers][registry]") {
  const std::vector<std::string> names = scheduler_names();
  const std::vector<SchedulerInfo> list = scheduler_list();
  CHECK(std::is_sorted(names.begin(), names.end()));
  REQUIRE(list.size() == names.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    CHECK(list[i].name == names[i]);
    CHECK_FALSE(list[i].description.empty());
    CHECK(list[i].description.find('\n') == std::string::npos);
  }
  CHECK(std::count(list.begin(), list.end(), SchedulerInfo{"rr", "round robin", true}) == 1);
  CHECK(std::count(list.begin(), list.end(), SchedulerInfo{"wrr", "weighted round robin", true}) == 1);
}

TEST_CASE("the registry tells the mainline IPVS schedulers from lvslab's own", "[schedulers][registry]") {
  // net/netfilter/ipvs/ip_vs_*.c of a 6.x kernel: these fourteen and no others.
  std::vector<std::string> kernel, own;
  for (const SchedulerInfo& s : scheduler_list()) {
    CHECK(s.in_kernel == is_kernel_scheduler(s.name));
    (s.in_kernel ? kernel : own).push_back(s.name);
  }
  if (scheduler_names().size() > 14) {  // every algorithm linked in (lvs_schedulers_all)
    CHECK(kernel == std::vector<std::string>{"dh", "fo", "lblc", "lblcr", "lc", "mh", "nq", "ovf", "rr", "sed", "sh",
                                             "twos", "wlc", "wrr"});
    CHECK(std::find(own.begin(), own.end(), "ring") != own.end());
    CHECK(std::find(own.begin(), own.end(), "p2c") != own.end());
  }
  CHECK_FALSE(is_kernel_scheduler("ring"));
  CHECK_FALSE(is_kernel_scheduler("peak-ewma"));
  CHECK(is_kernel_scheduler("twos"));
  CHECK_FALSE(is_kernel_scheduler("RR"));
}

TEST_CASE("an unknown scheduler name is refused with the list of valid ones", "[schedulers][registry]") {
  std::string expected = "unknown scheduler 'wrrr'; valid: ";
  for (const SchedulerInfo& s : scheduler_list()) {
    if (s.name != scheduler_list().front().name) expected += ", ";
    expected += s.name + " (" + s.description + ")";
  }
  CHECK_THROWS_AS(make_scheduler("wrrr"), std::invalid_argument);
  CHECK_THROWS_WITH(make_scheduler("wrrr"), expected);
  CHECK_THROWS_WITH(make_scheduler("wrrr"), Catch::Matchers::Contains("rr (round robin)") &&
                                                Catch::Matchers::Contains("wrr (weighted round robin)"));
  if (scheduler_names() == std::vector<std::string>{"rr", "wrr"})
    CHECK(expected == "unknown scheduler 'wrrr'; valid: rr (round robin), wrr (weighted round robin)");
  CHECK_THROWS_WITH(make_scheduler("RR"), Catch::Matchers::StartsWith("unknown scheduler 'RR'; valid: "));
  CHECK_THROWS_AS(make_scheduler(""), std::invalid_argument);
}

TEST_CASE("conformance: each scheduler makes independent instances that know their name", "[schedulers][conformance]") {
  const std::string name = GENERATE(from_range(scheduler_names()));
  INFO("scheduler " << name);
  auto a = make_scheduler(name);
  auto b = make_scheduler(name);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a.get() != b.get());
  CHECK(a->name() == name);
  auto run = [](Scheduler& s) {
    DestTable table(s);
    for (DestId id = 0; id < 5; ++id) table.add({.id = id, .addr = InetAddr::v4(0x0A000001u + id), .port = 80});
    Rng flows(7, "flows");
    Rng draws(7, "scheduler");
    std::vector<std::int64_t> out;
    for (int k = 0; k < 20; ++k) {
      const auto i = table.schedule(draws, random_flow(flows), Time::ms(k));
      out.push_back(i ? static_cast<std::int64_t>(table.dests()[*i].id) : -1);
    }
    return out;
  };
  const auto first = run(*a);  // advances a's state ...
  CHECK(run(*b) == first);     // ... which b does not share
}

TEST_CASE("conformance: none when no destination is eligible", "[schedulers][conformance]") {
  const std::string name = GENERATE(from_range(scheduler_names()));
  struct Case {
    std::vector<int> weights;
    std::vector<int> overloaded;
  };
  const Case c = GENERATE(values<Case>({
      {{}, {}},
      {{0}, {0}},
      {{0, 0, 0}, {0, 0, 0}},
      {{1, 5}, {1, 1}},
      {{0, 3, 0, 2}, {0, 1, 0, 1}},
  }));
  INFO("scheduler " << name << ", " << c.weights.size() << " destinations");
  auto sched = make_scheduler(name);
  DestTable table(*sched);
  for (std::size_t i = 0; i < c.weights.size(); ++i)
    table.add({.id = static_cast<DestId>(i), .addr = InetAddr::v4(0x0A000001u + static_cast<std::uint32_t>(i)),
               .port = 80, .weight = c.weights[i], .overloaded = c.overloaded[i] != 0});
  Rng flows(3, "flows");
  Rng draws(3, "scheduler");
  for (int k = 0; k < 50; ++k) CHECK_FALSE(table.schedule(draws, random_flow(flows), Time::ms(k)));
}

#if !LVSLAB_ASAN
TEST_CASE("the allocation counter used by the conformance suite sees heap allocations", "[schedulers][conformance]") {
  const long before = allocations();
  void* volatile p = ::operator new(16);  // a direct call, which the compiler may not elide
  ::operator delete(p);
  CHECK(allocations() == before + 1);
}
#endif

TEST_CASE("conformance: 3000 random adds, deletes, edits and picks stay valid, allocation-free and deterministic",
          "[schedulers][conformance]") {
  const std::string name = GENERATE(from_range(scheduler_names()));
  const std::uint64_t seed = GENERATE(1u, 2u);
  INFO("scheduler " << name << ", seed " << seed);
  Churn run(name, seed);
  for (int k = 0; k < 3'000; ++k) run.step();
  INFO("first violations: " << Catch::Detail::stringify(run.violations));
  CHECK(run.violations.empty());
  const auto picked = std::count_if(run.trace.begin(), run.trace.end(), [](std::int64_t id) { return id >= 0; });
  CHECK(picked > 300);  // the churn really exercises picks, not only "none"
  if (!may_allocate_per_pick.contains(name)) CHECK(run.pick_allocations == 0);

  Churn again(name, seed);
  for (int k = 0; k < 3'000; ++k) again.step();
  CHECK(again.trace == run.trace);
}

// ipvsadm -b names (ipvsadm.c parse_sched_flags, print_sched_flags): three bits, named
// generically or by the scheduler that reads them.
TEST_CASE("scheduler flags: ipvsadm's names, their bits and how -Ln writes them", "[schedulers][flags]") {
  CHECK(sched_flag_names() ==
        std::vector<std::string>{"flag-1", "flag-2", "flag-3", "sh-fallback", "sh-port", "mh-fallback", "mh-port"});
  CHECK(sched_flag_bit("flag-1") == svc_f_sched1);
  CHECK(sched_flag_bit("sh-fallback") == svc_f_sched1);
  CHECK(sched_flag_bit("mh-fallback") == svc_f_sched1);
  CHECK(sched_flag_bit("flag-2") == svc_f_sched2);
  CHECK(sched_flag_bit("sh-port") == svc_f_sched2);
  CHECK(sched_flag_bit("mh-port") == svc_f_sched2);
  CHECK(sched_flag_bit("flag-3") == svc_f_sched3);
  CHECK_FALSE(sched_flag_bit("sh-fast"));
  CHECK(sched_flag_owner("sh-port") == "sh");
  CHECK(sched_flag_owner("mh-fallback") == "mh");
  CHECK(sched_flag_owner("flag-2").empty());
  const std::uint32_t all = svc_f_sched1 | svc_f_sched2 | svc_f_sched3;
  CHECK(sched_flags_text(all, "sh") == "sh-fallback,sh-port,flag-3");
  CHECK(sched_flags_text(all, "mh") == "mh-fallback,mh-port,flag-3");
  CHECK(sched_flags_text(all, "rr") == "flag-1,flag-2,flag-3");
  CHECK(sched_flags_text(svc_f_sched2, "sh") == "sh-port");
  CHECK(sched_flags_text(0, "sh").empty());
}

// The flags reach the pick through the table: sh hashes the source port only with sh-port.
TEST_CASE("scheduler flags: the table passes the service's flags to every pick", "[schedulers][flags]") {
  auto sh = make_scheduler("sh");
  DestTable table(*sh);
  for (DestId id : {1u, 0u}) table.add({.id = id, .addr = InetAddr::v4(0x0A000001u + id), .port = 80});
  Rng rng(1);
  std::set<DestId> chosen;
  const auto pick = [&](std::uint16_t sport) {
    const auto i = table.schedule(rng, SchedFlow{.saddr = InetAddr::v4(0xC0000201u), .sport = sport, .dport = 80});
    REQUIRE(i);
    return table.dests()[*i].id;
  };
  for (std::uint16_t port = 40000; port < 40064; ++port) chosen.insert(pick(port));
  CHECK(chosen.size() == 1);  // one address, one bucket
  table.set_svc_flags(svc_f_sched2);
  chosen.clear();
  for (std::uint16_t port = 40000; port < 40064; ++port) chosen.insert(pick(port));
  CHECK(chosen == std::set<DestId>{0, 1});
}
