#pragma once
// A batch of independent runs (a scenario and a seed each), and who runs it: threads on this
// machine (ThreadRunner), or MPI ranks that split it and share the figures (cli/mpi_runner).
// Every runner returns the figures at the job's index, so nothing depends on how they ran.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "core/time.hpp"
#include "run/run_figures.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs {
class Simulation;
}

namespace lvs::run {

/// One run: a scenario (read and checked) and its seed.
struct RunJob {
  const scenario::ScenarioSpec* spec = nullptr;
  std::uint64_t seed = 0;
};

/// How runs are run, whoever runs them.
struct BatchOptions {
  int threads = 1;                      ///< runs at once (>= 1)
  std::optional<Time> until;            ///< default: each scenario's duration
  /// When it becomes true (SIGINT), every run stops after its executing event and is marked
  /// RunStatus::Interrupted; no further run starts.
  const std::atomic<bool>* interrupt = nullptr;
  /// Given to every run (RunOptions::on_start): tests raise SIGINT from an event with it.
  std::function<void(Simulation&)> on_start;
  /// Called with the batch index of each run that ended (one call at a time, possibly from
  /// a worker thread).
  std::function<void(std::size_t job)> finished;
};

/// Runs batches of jobs.
class BatchRunner {
 public:
  virtual ~BatchRunner() = default;
  /// The figures of every job, at its index: Done, or Interrupted / NotRun after an
  /// interrupt. Throws the error of the lowest-numbered job that failed.
  virtual std::vector<RunFigures> run(std::span<const RunJob> jobs) = 0;
};

/// Runs a batch on threads of this process.
class ThreadRunner : public BatchRunner {
 public:
  /// `keep_failures`: mark a job that threw RunStatus::Failed instead of rethrowing its error.
  explicit ThreadRunner(BatchOptions options, bool keep_failures = false);
  std::vector<RunFigures> run(std::span<const RunJob> jobs) override;
  /// Runs `job` alone again and throws the error it throws (for a job marked Failed).
  [[noreturn]] void rethrow_failure(const RunJob& job) const;

 private:
  BatchOptions options_;
  bool keep_failures_;
};

}  // namespace lvs::run
