#include "run/run_batch.hpp"

#include <exception>
#include <mutex>
#include <stdexcept>

#include "run/job_pool.hpp"
#include "run/run.hpp"

namespace lvs::run {

namespace {

RunOptions run_options(const RunJob& job, const BatchOptions& o) {
  RunOptions ro;
  ro.seed = job.seed;
  ro.until = o.until;
  ro.interrupt = o.interrupt;
  ro.on_start = o.on_start;
  return ro;
}

}  // namespace

ThreadRunner::ThreadRunner(BatchOptions options, bool keep_failures)
    : options_(std::move(options)), keep_failures_(keep_failures) {
  if (options_.threads < 1) throw std::invalid_argument("jobs must be at least 1");
}

std::vector<RunFigures> ThreadRunner::run(std::span<const RunJob> jobs) {
  std::vector<RunFigures> figures(jobs.size());
  std::vector<std::exception_ptr> errors(jobs.size());
  std::atomic<bool> stop{options_.interrupt != nullptr && options_.interrupt->load()};
  std::mutex finished_mutex;
  for_each_job(static_cast<int>(jobs.size()), options_.threads, stop, [&](int j) {
    const auto i = static_cast<std::size_t>(j);
    try {
      const RunResult r = run_scenario(*jobs[i].spec, run_options(jobs[i], options_));
      if (r.interrupted) {
        figures[i].status = RunStatus::Interrupted;
        stop = true;
      } else {
        figures[i] = run_figures(r);  // the RunResult goes here: a worker keeps only figures
      }
    } catch (...) {
      figures[i].status = RunStatus::Failed;
      errors[i] = std::current_exception();
      stop = true;
    }
    if (!options_.finished) return;
    const std::lock_guard lock(finished_mutex);
    try {
      options_.finished(i);
    } catch (...) {
      if (!errors[i]) errors[i] = std::current_exception();
      stop = true;
    }
  });
  if (!keep_failures_)
    for (const std::exception_ptr& e : errors)
      if (e) std::rethrow_exception(e);
  return figures;
}

void ThreadRunner::rethrow_failure(const RunJob& job) const {
  BatchOptions alone = options_;
  alone.interrupt = nullptr;
  (void)run_scenario(*job.spec, run_options(job, alone));
  throw std::runtime_error("a run that failed on another MPI rank succeeded here (seed " + std::to_string(job.seed) + ")");
}

}  // namespace lvs::run
