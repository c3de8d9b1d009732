#pragma once
// twos' deterministic core (ipvs-semantics.md §2.9; ip_vs_twos_schedule), with the two random
// draws passed in, so the scheduler and the tests of test vector 18 share one walk.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "schedulers/scheduler.hpp"

namespace lvs {

/// Sum of the weights of the eligible destinations (not overloaded, weight > 0); 0 if none.
std::uint64_t twos_total_weight(DestList dests);

/// The walk of ip_vs_twos_schedule for draws `r1`, `r2` in [0, T] (T = twos_total_weight):
/// subtracting each eligible weight in list order, choice k is the first entry where rk <= 0;
/// choice 2 wins when w2 * overhead1 > w1 * overhead2, else choice 1. None if T is 0; a draw
/// above T acts as T.
std::optional<std::size_t> twos_choose(DestList dests, std::uint64_t r1, std::uint64_t r2);

}  // namespace lvs
