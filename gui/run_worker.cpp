#include "run_worker.hpp"

#include <utility>

#include "ipvsadm_panel.hpp"
#include "run/run.hpp"

namespace lvs::gui {

RunWorker::RunWorker(QObject* parent) : QObject(parent), jobs_(new JobRunner(this)) {
  qRegisterMetaType<lvs::run::RunResult>("lvs::run::RunResult");
  qRegisterMetaType<lvs::run::Sample>("lvs::run::Sample");
  qRegisterMetaType<lvs::run::SeriesLayout>("lvs::run::SeriesLayout");
  connect(jobs_, &JobRunner::cancelled, this, &RunWorker::cancelled);
  connect(jobs_, &JobRunner::failed, this, &RunWorker::failed);
}

void RunWorker::start(const scenario::ScenarioSpec& spec) {
  jobs_->start([this, spec](JobContext& job) -> std::function<void()> {
    run::RunOptions options;
    // The ipvsadm tab's views of every director, taken at the end of the run.
    for (const scenario::HostSpec& h : spec.topology.hosts)
      if (h.kind == scenario::HostKind::Director)
        for (const std::string& args : ipvsadm_panel_views())
          options.ipvsadm.push_back({h.name, parse_ipvsadm_args(args)});
    options.started = [this, &job](const run::SeriesLayout& layout) {
      job.post([this, layout] { emit started(layout); });
    };
    options.sample = [this, &job](const run::Sample& s) { job.post([this, s] { emit sampled(s); }); };
    // Called after every sample: the run notices a cancel within one sample interval.
    options.progress = [this, &job](Time now, Time end) {
      job.check_cancel();
      job.post_throttled([this, now = now.seconds(), end = end.seconds()] { emit progress(now, end); });
    };
    run::RunResult result = run::run_scenario(spec, options);
    return [this, result = std::move(result)] { emit finished(result); };
  });
}

}  // namespace lvs::gui
