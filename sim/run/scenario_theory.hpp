#pragma once
// Queueing theory from a scenario itself (`lvslab theory SCENARIO`, and the "simulation vs
// theory" section of `lvslab run`): per service, the offered rate (open-loop clients'
// sessions/s x requests per connection), the real servers in use with their workers and
// mean service times, the scheduler, the forwarding modes and the backlog; the models that
// apply with their figures, the mode-aware director capacity, which resource caps the
// rate, and which of the models' assumptions the scenario leaves. docs/queueing-theory.md.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "run/theory_comparison.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs::run {

struct RunResult;

/// One model's figures for one service; times in seconds.
struct ModelFigures {
  std::string name;           ///< "M/M/c pooled", "M/M/w per server", "JSQ CTMC", "power-of-d CTMC", ...
  std::string description;    ///< one line: what it models and how it relates to the scenario
  double mean_response_s = 0; ///< wait + service at the server
  std::optional<double> p99_s;
  std::optional<double> p_wait;
  std::optional<double> p_block;   ///< finite capacity: arrivals lost
  double utilization = 0;          ///< of the workers
  std::string note;                ///< the truncation of a CTMC, ...
};

/// The director's requests/s in one forwarding mode (scenario/director_capacity.hpp).
struct DirectorLine {
  std::string director, profile, mode;
  int cores = 1;
  double packets_per_request = 0;
  double cost_per_packet_s = 0, cost_per_connection_s = 0;
  double max_requests_per_s = 0;
};

struct ServiceTheory {
  std::string service, scheduler, modes;   ///< modes: "nat", "dr+tun"
  bool closed_loop = false;
  double offered_rps = 0;          ///< open loop: time-average over the measured part of the run
  std::uint32_t users = 0;         ///< closed loop
  double think_s = 0;
  int servers = 0;                 ///< destinations in use (weight > 0, present at the start)
  long long workers = 0;           ///< summed over them
  double mean_service_s = 0;       ///< averaged over them
  double server_capacity_rps = 0;  ///< sum of workers / mean service time
  double director_capacity_rps = 0;  ///< 0: unknown
  std::string bottleneck;          ///< which resource caps the rate first
  std::vector<DirectorLine> director;
  std::vector<ModelFigures> models;
  std::optional<std::size_t> best;  ///< index into models of the one matching the scheduler
  std::vector<std::string> assumptions;  ///< what the scenario leaves of the models' assumptions
};

struct ScenarioTheory {
  std::string scenario;
  std::vector<ServiceTheory> services;  ///< those with clients
};

/// Derives the figures from `spec` (already read with its overrides and validated).
ScenarioTheory scenario_theory(const scenario::ScenarioSpec& spec);
/// The text `lvslab theory SCENARIO` prints.
void print_theory(std::ostream& out, const ScenarioTheory& t);
/// The same as a JSON document.
std::string theory_json(const ScenarioTheory& t);

/// Why `spec` has no steady state, or nothing: an open-loop service offered at least what its
/// real servers (workers / mean service time) or its director can carry. Queues then grow for
/// as long as the run lasts (a GI/G/c queue has a steady state only when lambda E[S] < c:
/// Kiefer and Wolfowitz 1955; docs/queueing-theory.md), so a latency measured there depends
/// on the run's length, not on the cluster.
std::optional<std::string> no_steady_state(const scenario::ScenarioSpec& spec);

/// The model a run of `spec` is compared with: one service with open-loop clients and a
/// model for its scheduler; nothing otherwise. The measured figures are left at 0.
std::optional<TheoryComparison> theory_for(const scenario::ScenarioSpec& spec);
/// Where a run put a service's real servers, to mark beside its model's curve.
struct MeasuredPoint {
  /// Busy workers over all the workers of the service's servers in use (those
  /// ServiceTheory::servers counts): the `util` column of the run summary's real servers,
  /// averaged with each server's workers as its weight. Time-averaged over the whole run.
  double utilization = 0;
  double mean_s = 0;            ///< server residence (RunResult::residence): waiting + service
  std::optional<double> p99_s;  ///< its 99th percentile; none when no request was measured
  std::uint64_t requests = 0;   ///< requests measured (after the warm-up)
};
/// The measured point of `r`, a run of `spec`, for its service named `service` (one of
/// scenario_theory(spec).services); nullopt when there is no such service or none of its
/// servers is in `r`. The residence is of every real server of the run, as the run
/// summary's "Simulation vs theory" takes it.
std::optional<MeasuredPoint> measured_point(const scenario::ScenarioSpec& spec, const std::string& service,
                                            const RunResult& r);

/// `c` with the run's measured server residence filled in (the mean over its replications,
/// with a 95% interval when there are at least 2).
TheoryComparison with_measured(TheoryComparison c, const RunResult& r);
/// The "Simulation vs theory" section of the run summary.
void print_comparison(std::ostream& out, const TheoryComparison& c);

}  // namespace lvs::run
