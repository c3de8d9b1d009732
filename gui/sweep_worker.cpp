#include "sweep_worker.hpp"

#include <atomic>
#include <map>
#include <span>
#include <utility>


namespace lvs::gui {

namespace {

// A ThreadRunner that keeps every finished run's figures by (spec, seed) and runs only the
// jobs it has not seen: the search's probes start on the sweep's points and seeds.
class RememberingRunner : public run::BatchRunner {
 public:
  explicit RememberingRunner(run::BatchOptions options) : runner_(std::move(options)) {}

  std::vector<run::RunFigures> run(std::span<const run::RunJob> jobs) override {
    std::vector<bool> seen;
    std::vector<run::RunJob> missing;
    for (const run::RunJob& j : jobs) {
      seen.push_back(known_.contains(key(j)));
      if (!seen.back()) missing.push_back(j);
    }
    const std::vector<run::RunFigures> fresh = missing.empty() ? std::vector<run::RunFigures>{} : runner_.run(missing);
    std::vector<run::RunFigures> out;
    std::size_t next = 0;  // into `fresh`, in the order of `missing`
    for (std::size_t i = 0; i < jobs.size(); ++i) out.push_back(seen[i] ? known_.at(key(jobs[i])) : fresh[next++]);
    for (std::size_t i = 0; i < missing.size(); ++i)
      if (fresh[i].status == run::RunStatus::Done) known_[key(missing[i])] = fresh[i];
    return out;
  }

 private:
  using Key = std::pair<const scenario::ScenarioSpec*, std::uint64_t>;
  static Key key(const run::RunJob& j) { return {j.spec, j.seed}; }

  run::ThreadRunner runner_;
  std::map<Key, run::RunFigures> known_;
};

}  // namespace

SweepWorker::SweepWorker(QObject* parent) : QObject(parent), jobs_(new JobRunner(this)) {
  qRegisterMetaType<lvs::gui::SweepOutcome>("lvs::gui::SweepOutcome");
  connect(jobs_, &JobRunner::cancelled, this, &SweepWorker::cancelled);
  connect(jobs_, &JobRunner::failed, this, &SweepWorker::failed);
}

void SweepWorker::start(SweepRequest request) {
  jobs_->start([this, request = std::move(request)](JobContext& job) -> std::function<void()> {
    const std::vector<run::SweepParam> params{request.param};
    const std::vector<scenario::ScenarioSpec> specs =
        run::read_points_text(request.text, request.file, request.overrides, params, request.until);
    job.check_cancel();
    SweepOutcome outcome{{}, request.slo, std::nullopt, run::points_warnings(specs, params)};
    const int total = static_cast<int>(specs.size()) * request.replications;
    int done = 0;
    bool searching = false;
    run::BatchOptions b;
    b.threads = request.jobs;
    b.until = request.until;
    b.interrupt = job.cancel_flag();
    // One call at a time, from the pool's threads.
    b.finished = [this, &job, &done, &searching, total](std::size_t) {
      ++done;
      job.post_throttled([this, done, total = searching ? 0 : total] { emit progress(done, total); });
    };
    RememberingRunner runner(std::move(b));
    outcome.sweep = run::run_sweep(specs, {params, request.replications, request.seed, request.until}, runner);
    if (outcome.sweep.interrupted) throw JobCancelled{};
    if (request.slo && request.find) {
      searching = true;
      const run::SloOptions so{*request.slo, *request.find, request.param, request.replications,
                               request.max_replications.value_or(5 * request.replications), request.seed,
                               request.until};
      outcome.search = run::find_slo(specs, so, runner);
      if (outcome.search->interrupted) throw JobCancelled{};
    }
    return [this, outcome = std::move(outcome)] { emit finished(outcome); };
  });
}

}  // namespace lvs::gui
