#include "compare_worker.hpp"

#include <utility>

namespace lvs::gui {

CompareWorker::CompareWorker(QObject* parent) : QObject(parent), jobs_(new JobRunner(this)) {
  qRegisterMetaType<lvs::run::CompareResult>("lvs::run::CompareResult");
  connect(jobs_, &JobRunner::cancelled, this, &CompareWorker::cancelled);
  connect(jobs_, &JobRunner::failed, this, &CompareWorker::failed);
}

void CompareWorker::start(const scenario::ScenarioSpec& spec, std::vector<std::string> schedulers, int replications,
                          int jobs, std::optional<std::uint64_t> seed) {
  run::CompareOptions options;
  options.schedulers = std::move(schedulers);
  options.replications = replications;
  options.jobs = jobs;
  options.base_seed = seed;
  jobs_->start([this, spec, options = std::move(options)](JobContext& job) mutable -> std::function<void()> {
    options.cancel = job.cancel_flag();
    // Called once per finished run, one call at a time, from the pool's threads.
    options.progress = [this, &job](int done, int total) { job.post([this, done, total] { emit progress(done, total); }); };
    run::CompareResult result = run::compare_schedulers(spec, options);
    if (result.cancelled) throw JobCancelled{};
    return [this, result = std::move(result)] { emit finished(result); };
  });
}

}  // namespace lvs::gui
