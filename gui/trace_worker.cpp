#include "trace_worker.hpp"

#include <stdexcept>
#include <utility>

namespace lvs::gui {

namespace {

// The scenario a walk went through: the variant derived from `spec`, or the mode's example.
scenario::ScenarioSpec walked(const scenario::ScenarioSpec& spec, const run::ModeTrace& w) {
  if (w.spec) return *w.spec;
  return w.file == spec.file ? spec : scenario::read_scenario(w.file);
}

}  // namespace

TraceWorker::TraceWorker(QObject* parent) : QObject(parent), jobs_(new JobRunner(this)) {
  qRegisterMetaType<std::vector<lvs::gui::ModeWalk>>("std::vector<lvs::gui::ModeWalk>");
  connect(jobs_, &JobRunner::cancelled, this, &TraceWorker::cancelled);
  connect(jobs_, &JobRunner::failed, this, &TraceWorker::failed);
}

void TraceWorker::start(const scenario::ScenarioSpec& spec, const run::TraceRequest& req) {
  jobs_->start([this, spec, req](JobContext& job) -> std::function<void()> {
    std::vector<ModeWalk> walks;
    constexpr int total = static_cast<int>(run::kTraceModes.size());  // a constant: no capture
    for (const std::string_view mode : run::kTraceModes) {
      job.post([this, done = static_cast<int>(walks.size()), m = QString::fromUtf8(mode.data(), mode.size())] {
        emit progress(done, total, m);
      });
      // One mode per call: a cancel is noticed between modes.
      std::vector<run::ModeTrace> one = run::trace_modes(spec, {std::string(mode)}, req);
      job.check_cancel();
      scenario::ScenarioSpec scenario = walked(spec, one.front());
      walks.push_back({std::move(one.front()), std::move(scenario)});
    }
    return [this, walks = std::move(walks)] { emit traced(walks); };
  });
}

void TraceWorker::save_pcap(const scenario::ScenarioSpec& spec, const std::string& mode, run::TraceRequest req,
                            const std::string& path) {
  req.pcap = path;
  jobs_->start([this, spec, mode, req, path](JobContext&) -> std::function<void()> {
    const std::vector<run::ModeTrace> one = run::trace_modes(spec, {mode}, req);
    if (!one.front().trace) throw std::runtime_error(mode + " was not traced: " + one.front().note);
    return [this, p = QString::fromStdString(path)] { emit saved(p); };
  });
}

}  // namespace lvs::gui
