#pragma once
// Runs one `lvslab compare` at a time in the background (a JobRunner): the GUI hands in a
// copy of the spec and the scheduler names and gets back progress and a copied
// CompareResult. A new start() cancels the comparison in flight; a cancel stops the runs at
// their next sample (CompareOptions::cancel is the job's cancel flag).

#include <QObject>
#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "job_runner.hpp"
#include "run/compare.hpp"
#include "scenario/scenario_spec.hpp"

Q_DECLARE_METATYPE(lvs::run::CompareResult)

namespace lvs::gui {

class CompareWorker : public QObject {
  Q_OBJECT

 public:
  explicit CompareWorker(QObject* parent = nullptr);

  /// Compares `schedulers` (registry names, the first is the baseline) on a copy of `spec`,
  /// `replications` seeds each from `seed` (default: the scenario's), on `jobs` threads.
  void start(const scenario::ScenarioSpec& spec, std::vector<std::string> schedulers, int replications, int jobs,
             std::optional<std::uint64_t> seed = std::nullopt);
  /// Asks the comparison to stop; cancelled() follows once its runs notice.
  void cancel() { jobs_->cancel(); }
  /// True from start() until finished(), cancelled() or failed() of the current comparison.
  bool running() const { return jobs_->running(); }
  /// Incremented by every start(); tells comparisons apart.
  std::uint64_t generation() const { return jobs_->generation(); }

 signals:
  /// Runs finished and runs in all (schedulers x replications), after each run.
  void progress(int done, int total);
  /// The comparison ended normally.
  void finished(lvs::run::CompareResult result);
  /// The comparison was cancelled.
  void cancelled();
  /// The comparison threw (bad options, a failed run); `message` is the exception's what().
  void failed(QString message);

 private:
  JobRunner* jobs_;
};

}  // namespace lvs::gui
