#pragma once
// "Simulation vs theory": what a queueing model predicts for a scenario's time at the real
// servers, and what a run measured there, side by side (run/scenario_theory.hpp makes it).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace lvs::run {

/// The time requests spend at the real servers (waiting for a worker and served), from the
/// whole request in to the response out, of requests arriving after the warm-up.
struct ResidenceResult {
  std::uint64_t requests = 0;
  double mean_s = 0;
  double p99_s = 0;
};

struct TheoryComparison {
  std::string service;                ///< the service compared
  std::string model;                  ///< "JSQ CTMC (k = 3, w = 1)", "M/M/w per server (even split)"
  double theory_mean_s = 0;           ///< the model's mean response (wait + service)
  std::optional<double> theory_p99_s; ///< when the model gives one
  double measured_mean_s = 0;         ///< server residence, the first run (or the mean over replications)
  std::optional<double> measured_p99_s;
  std::optional<double> ci_half_s;    ///< 95% half-width over replications (>= 2)
  std::size_t replications = 1;
  std::vector<std::string> assumptions;  ///< what the scenario leaves of the model's assumptions
};

}  // namespace lvs::run
