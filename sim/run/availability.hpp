#pragma once
// Availability: measured (the fraction of requests that succeeded; the fraction of time the
// service was up, ServiceUptime, with a 95% interval) beside the steady-state formula of
// each random failure process's component, A = MTBF / (MTBF + MTTR), and of the redundant
// groups the scenario's structure makes: the directors of a VRRP instance, the real servers
// of a health-checked service (one suffices: 1 - prod(1 - A_i), assuming independent
// failures and instant failover).

#include <vector>

#include "run/results.hpp"
#include "run/run.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs::run {

/// Batches of the run for the batch-means interval when it has no replications.
inline constexpr int kAvailabilityBatches = 10;

/// A = MTBF / (MTBF + MTTR) of each random failure process, in the scenario's order.
std::vector<ComponentAvailability> component_availability(const scenario::ScenarioSpec& spec);
/// The redundant groups of `spec` with at least one member that fails at random.
std::vector<RedundantAvailability> redundant_availability(const scenario::ScenarioSpec& spec,
                                                          const std::vector<ComponentAvailability>& components);
/// Sets `a.time`, its interval (Student t over `values`, clamped to [0, 1]), `method` and
/// `samples` from per-batch or per-replication time availabilities.
void set_time_interval(AvailabilityResult& a, std::vector<double> values, std::string method);

/// `lvslab run --replications N`: N runs with seeds base, base + 1, ... (as compare seeds its
/// replications; base = options.seed or the scenario's). The result is the first run's,
/// but availability is over all N: requests pooled, time as the mean of the runs with a
/// Student-t interval across them (N >= 2).
RunResult run_replications(const scenario::ScenarioSpec& spec, const RunOptions& options, int replications);

}  // namespace lvs::run
