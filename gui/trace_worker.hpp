#pragma once
// Traces one request in the background (a JobRunner), as `lvslab trace --modes
// nat,dr,tun,fullnat` does: the GUI hands in a copy of the scenario and gets back copies of
// the walks, each with the scenario it walked (the user's, or the bundled example the mode
// fell back to), for its topology. Also writes the pcap of one mode's walk, as `lvslab trace
// --pcap` does: the walk is deterministic, so re-running it captures the same frames.

#include <QObject>
#include <QString>

#include <cstdint>
#include <string>
#include <vector>

#include "job_runner.hpp"
#include "run/trace.hpp"
#include "scenario/scenario_spec.hpp"

namespace lvs::gui {

/// One mode's walk and the scenario it walked.
struct ModeWalk {
  run::ModeTrace walk;              ///< as run::trace_modes returns it
  scenario::ScenarioSpec scenario;  ///< the user's scenario, or the example file walk.file
};

}  // namespace lvs::gui

Q_DECLARE_METATYPE(std::vector<lvs::gui::ModeWalk>)

namespace lvs::gui {

class TraceWorker : public QObject {
  Q_OBJECT

 public:
  explicit TraceWorker(QObject* parent = nullptr);

  /// Traces `req` on a copy of `spec` in each mode of run::kTraceModes; cancels the job in flight first.
  void start(const scenario::ScenarioSpec& spec, const run::TraceRequest& req);
  /// Writes the frames of `mode`'s walk of `req` on `spec` to the pcap file `path` (req.pcap is ignored).
  void save_pcap(const scenario::ScenarioSpec& spec, const std::string& mode, run::TraceRequest req,
                 const std::string& path);
  /// Asks the current job to stop between modes; cancelled() follows.
  void cancel() { jobs_->cancel(); }
  /// True from start() or save_pcap() until the job's last signal.
  bool running() const { return jobs_->running(); }

 signals:
  /// `done` of `total` modes traced; `mode` is the one being traced now.
  void progress(int done, int total, QString mode);
  /// The walks of every mode, in run::kTraceModes order.
  void traced(std::vector<lvs::gui::ModeWalk> walks);
  /// save_pcap() wrote `path`.
  void saved(QString path);
  /// The current job was cancelled.
  void cancelled();
  /// The current job threw; `message` is the exception's what().
  void failed(QString message);

 private:
  JobRunner* jobs_;
};

}  // namespace lvs::gui
