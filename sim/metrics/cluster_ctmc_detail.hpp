#pragma once
// The generator of a cluster CTMC and its balance solve (cluster_ctmc.cpp), and the
// symmetric chain of identical stations (cluster_ctmc_symmetric.cpp).

#include <cstddef>
#include <vector>

#include "metrics/cluster_ctmc.hpp"

namespace lvs::ctmc_detail {

/// A generator Q built transition by transition; solve() gives pi with pi Q = 0, sum 1.
class Generator {
 public:
  explicit Generator(std::size_t states);
  /// A transition from state `from` to `to` at `rate` per second.
  void add(std::size_t from, std::size_t to, double rate);
  /// `level_order`: the states are numbered by total jobs (a banded A: no reordering).
  std::vector<double> solve(bool level_order = false) const;

 private:
  struct Entry {
    int row, col;
    double value;
  };
  std::size_t states_;
  std::vector<Entry> entries_;   // of Q transposed, without the diagonal
  std::vector<double> out_;      // total rate out of each state
};

/// States of the symmetric chain: sorted k-vectors within cap and spread.
std::size_t symmetric_states(int k, int cap, int spread);
/// The symmetric chain's figures (its utilisation: the stations' mean, the same for each).
ClusterCtmcResult solve_symmetric(const ClusterCtmcSpec& spec, int cap, int spread);

}  // namespace lvs::ctmc_detail
