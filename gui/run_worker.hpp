#pragma once
// Runs one scenario at a time in the background (a JobRunner): the GUI hands in a copy of
// the spec and gets back copies: the series layout when the run starts, each Sample as it
// is taken (live charts), progress, and the RunResult at the end. A new start() cancels
// the run in flight; a late answer from a superseded run is dropped.

#include <QObject>
#include <QString>

#include <cstdint>

#include "job_runner.hpp"
#include "run/results.hpp"
#include "scenario/scenario_spec.hpp"

Q_DECLARE_METATYPE(lvs::run::RunResult)
Q_DECLARE_METATYPE(lvs::run::Sample)
Q_DECLARE_METATYPE(lvs::run::SeriesLayout)

namespace lvs::gui {

class RunWorker : public QObject {
  Q_OBJECT

 public:
  explicit RunWorker(QObject* parent = nullptr);

  /// Starts a run of a copy of `spec`; cancels the previous one first.
  void start(const scenario::ScenarioSpec& spec);
  /// Asks the current run to stop; cancelled() follows once the worker sees it.
  void cancel() { jobs_->cancel(); }
  /// True from start() until finished(), cancelled() or failed() of the current run.
  bool running() const { return jobs_->running(); }
  /// Incremented by every start(); tells runs apart.
  std::uint64_t generation() const { return jobs_->generation(); }

 signals:
  /// The run has been built: the names behind each sample's per-server/director/link vectors.
  void started(lvs::run::SeriesLayout layout);
  /// A sample of the current run, as soon as it is taken (every sample, in order).
  void sampled(lvs::run::Sample sample);
  /// Simulated time reached and end of the run, seconds; at most every ~50 ms of wall time.
  void progress(double now_s, double end_s);
  /// The current run ended normally.
  void finished(lvs::run::RunResult result);
  /// The current run was cancelled.
  void cancelled();
  /// The current run threw; `message` is the exception's what().
  void failed(QString message);

 private:
  JobRunner* jobs_;
};

}  // namespace lvs::gui
