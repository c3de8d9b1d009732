// lc, wlc, sed and nq answer from an O(log N) index (schedulers/load_index.hpp); here they are
// checked against the kernel's O(N) walks, written from the pseudo-code of ipvs-semantics.md
// §2.3-2.6 (wlc_scan for wlc), after every step of a random service: adds at the head (some
// with counts, as a destination back from the trash), deletes anywhere, weight edits (0 and
// 65535 included), count changes (small, copied from another destination to make ties, and
// near 2^30), overload flips, rebinds, and picks that bind a connection as the director does.

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "schedulers/dest_table.hpp"
#include "schedulers/least_conn.hpp"
#include "schedulers/registry.hpp"

using namespace lvs;

namespace {

using Pick = std::optional<std::size_t>;

// §2.3 ip_vs_lc_schedule: the first strictly smallest overhead, skipping OVL and weight 0.
Pick lc_walk(DestList dests) {
  Pick least;
  std::int64_t loh = 0;
  for (std::size_t i = 0; i < dests.size(); ++i) {
    const SchedDest& d = dests[i];
    if (d.overloaded || d.weight == 0) continue;
    const std::int64_t doh = conn_overhead(d);
    if (!least || doh < loh) {
      least = i;
      loh = doh;
    }
  }
  return least;
}

// §2.5 ip_vs_sed_schedule: wlc's two stages with activeconns + 1.
Pick sed_walk(DestList dests) {
  std::size_t i = 0;
  while (i < dests.size() && (dests[i].overloaded || dests[i].weight <= 0)) ++i;
  if (i == dests.size()) return std::nullopt;
  std::size_t least = i;
  std::int64_t loh = std::int64_t{dests[i].activeconns} + 1;
  for (++i; i < dests.size(); ++i) {
    const SchedDest& d = dests[i];
    if (d.overloaded) continue;
    const std::int64_t doh = std::int64_t{d.activeconns} + 1;
    if (loh * d.weight > doh * dests[least].weight) {
      least = i;
      loh = doh;
    }
  }
  return least;
}

// §2.6 ip_vs_nq_schedule: the first idle eligible entry, else sed's loop over the eligible ones.
Pick nq_walk(DestList dests) {
  Pick least;
  std::int64_t loh = 0;
  for (std::size_t i = 0; i < dests.size(); ++i) {
    const SchedDest& d = dests[i];
    if (d.overloaded || d.weight == 0) continue;
    if (d.activeconns == 0) return i;
    const std::int64_t doh = std::int64_t{d.activeconns} + 1;
    if (!least || loh * d.weight > doh * dests[*least].weight) {
      least = i;
      loh = doh;
    }
  }
  return least;
}

Pick reference(const std::string& name, DestList dests) {
  if (name == "lc") return lc_walk(dests);
  if (name == "wlc") return wlc_scan(dests);
  if (name == "sed") return sed_walk(dests);
  return nq_walk(dests);
}

// Whether another eligible destination has the same load as the reference's pick (a tie the
// index must break as the walk does). Loads as each scheduler ranks them.
bool has_tie(const std::string& name, DestList dests, std::size_t pick) {
  auto load = [&name](const SchedDest& d) -> std::int64_t {
    if (name == "lc" || name == "wlc") return conn_overhead(d);
    if (name == "nq" && d.activeconns == 0) return 0;
    return std::int64_t{d.activeconns} + 1;
  };
  const std::int64_t w = name == "lc" ? 1 : dests[pick].weight;
  for (std::size_t i = 0; i < dests.size(); ++i) {
    const std::int64_t wi = name == "lc" ? 1 : dests[i].weight;
    if (i != pick && is_eligible(dests[i]) && load(dests[i]) * w == load(dests[pick]) * wi) return true;
  }
  return false;
}

struct Driver {
  std::string name;
  std::unique_ptr<Scheduler> sched = make_scheduler(name);
  DestTable table{*sched};
  Rng ops;
  std::size_t max_size;
  DestId next_id = 0;
  long ties = 0;
  long picks = 0;

  Driver(std::string n, std::uint64_t seed, std::size_t max_n) : name(std::move(n)), ops(seed, "conn-diff"), max_size(max_n) {}

  std::int32_t weight() {
    const std::uint64_t r = ops.below(20);
    if (r < 2) return 0;
    if (r < 3) return 65535;
    if (r < 5) return static_cast<std::int32_t>(1 + ops.below(100));
    return static_cast<std::int32_t>(1 + ops.below(3));
  }
  std::int32_t count() {
    const std::uint64_t r = ops.below(20);
    if (r == 0) return (1 << 30) + static_cast<std::int32_t>(ops.below(3));
    if (r < 3) return static_cast<std::int32_t>(ops.below(1000));
    return static_cast<std::int32_t>(ops.below(4));
  }
  std::size_t any() { return static_cast<std::size_t>(ops.below(table.dests().size())); }

  void change_counts() {
    const std::size_t i = any();
    const SchedDest& d = table.dests()[i];
    switch (ops.below(4)) {
      case 0: table.set_counts_at(i, count(), count()); break;
      case 1: {  // copy another destination's counts: equal loads
        const SchedDest& o = table.dests()[any()];
        table.set_counts_at(i, o.activeconns, o.inactconns);
        break;
      }
      case 2: if (d.activeconns > 0) table.set_counts_at(i, d.activeconns - 1, d.inactconns + 1); break;
      default: table.set_counts_at(i, d.activeconns, d.inactconns > 0 ? d.inactconns - 1 : 0); break;
    }
  }

  void pick_and_bind() {
    Rng unused(0);
    if (const auto i = table.schedule(unused)) {
      const SchedDest& d = table.dests()[*i];
      table.set_counts_at(*i, d.activeconns + 1, d.inactconns);
    }
  }

  void step() {
    const std::size_t n = table.dests().size();
    const std::uint64_t op = ops.below(100);
    if (n == 0 || (op < 12 && n < max_size)) {
      table.add({.id = next_id++, .weight = weight(), .activeconns = ops.below(4) == 0 ? count() : 0,
                 .inactconns = ops.below(4) == 0 ? count() : 0, .overloaded = ops.below(10) == 0});
    } else if (op < 20) {
      table.remove(table.dests()[any()].id);
    } else if (op < 30) {
      table.edit_weight(table.dests()[any()].id, weight());
    } else if (op < 38) {
      const std::size_t i = any();
      table.set_overloaded_at(i, !table.dests()[i].overloaded);
    } else if (op < 39) {
      table.bind_scheduler(*sched);  // ipvsadm -E: init_service over the current list
    } else if (op < 65) {
      change_counts();
    } else {
      pick_and_bind();
    }
  }

  // The scheduler's pick against the walk's; counts ties on the way.
  bool agrees() {
    Rng unused(0);
    const Pick got = table.schedule(unused);
    const Pick want = reference(name, table.dests());
    if (want) {
      ++picks;
      if (has_tie(name, table.dests(), *want)) ++ties;
    }
    return got == want;
  }
};

}  // namespace

TEST_CASE("lc, wlc, sed and nq pick exactly what the kernel's walk picks after every random step",
          "[schedulers][conn][differential]") {
  const std::string name = GENERATE(as<std::string>{}, "lc", "wlc", "sed", "nq");
  const std::size_t max_size = GENERATE(as<std::size_t>{}, 6, 40, 300);
  const std::uint64_t seed = GENERATE(as<std::uint64_t>{}, 11, 12, 13);
  constexpr int steps = 4000;
  INFO(name << ", up to " << max_size << " destinations, seed " << seed);
  Driver run(name, seed, max_size);
  int bad = 0;
  for (int k = 0; k < steps && bad < 3; ++k) {
    run.step();
    if (!run.agrees()) {
      ++bad;
      FAIL_CHECK("step " << k << ": the index and the walk disagree, " << run.table.dests().size() << " destinations");
    }
  }
  CHECK(bad == 0);
  CHECK(run.picks > steps / 2);  // mostly something eligible to pick
  CHECK(run.ties > steps / 40);  // and ties to break, in list order
}
