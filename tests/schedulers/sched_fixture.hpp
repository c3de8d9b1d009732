#pragma once
// Helpers shared by the scheduler tests: a service built from a row of weights, and a
// run of picks written as a string of destination ids.

#include <string>
#include <vector>

#include "schedulers/dest_table.hpp"

namespace lvs::test {

/// A service whose list, in kernel order, has these weights (ids = list indices), with the
/// scheduler bound after the destinations were added (init_service over the whole list).
inline DestTable service(Scheduler& sched, const std::vector<int>& weights, const std::vector<int>& overloaded = {}) {
  DestTable table(sched);
  for (std::size_t i = weights.size(); i-- > 0;)
    table.add({.id = static_cast<DestId>(i), .weight = weights[i], .overloaded = i < overloaded.size() && overloaded[i] != 0});
  table.bind_scheduler(sched);
  return table;
}

/// `n` picks, each the chosen destination's id or "none", space-joined.
inline std::string picks(DestTable& table, int n) {
  Rng rng(1);
  std::string out;
  for (int k = 0; k < n; ++k) {
    if (k > 0) out += ' ';
    const auto i = table.schedule(rng);
    out += i ? std::to_string(table.dests()[*i].id) : "none";
  }
  return out;
}

/// A table row: weights and overload flags in list order, how many picks, the expected picks.
struct PickRow {
  std::vector<int> weights;
  std::vector<int> overloaded;
  int n;
  std::string expected;
};

}  // namespace lvs::test
