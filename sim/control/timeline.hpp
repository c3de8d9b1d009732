#pragma once
// The scenario's timeline of control-plane actions: each runs at its simulated time. Today
// it holds ipvsadm commands (the scenario's `events`); failures, recoveries and the like
// join it as the issues that model them arrive.

#include <cstddef>
#include <deque>

#include "control/ipvsadm.hpp"
#include "core/simulation.hpp"

namespace lvs::control {

class Timeline {
 public:
  explicit Timeline(Simulation& sim) : sim_(sim) {}
  Timeline(const Timeline&) = delete;
  Timeline& operator=(const Timeline&) = delete;

  /// Runs `cmd` at `at` (events at one time run in the order they were added).
  void at(Time at, IpvsadmCommand cmd);
  /// Commands carried out so far, and those refused (EEXIST, ENOENT).
  std::size_t applied() const { return applied_; }
  std::size_t refused() const { return refused_; }

 private:
  Simulation& sim_;
  std::deque<IpvsadmCommand> commands_;  // stable addresses: the event queue holds pointers
  std::size_t applied_ = 0;
  std::size_t refused_ = 0;
};

}  // namespace lvs::control
