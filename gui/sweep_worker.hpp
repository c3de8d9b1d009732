#pragma once
// Runs one `lvslab sweep` at a time in the background (a JobRunner) for the Sweep tab: the
// scenario's text (the editor's, saved or not) at every value of one --param, R replications
// per point (run::read_points_text, run::run_sweep), and with an SLO and a search,
// run::find_slo over the same values. The search probes the sweep's points on the sweep's
// seeds, so the runs it shares with the sweep are taken from the sweep, not run again: a run
// is a pure function of its spec and seed (run/run_batch.hpp), so the answer is the one
// `lvslab sweep --slo --find` prints.

#include <QObject>
#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "job_runner.hpp"
#include "run/slo_search.hpp"
#include "run/sweep.hpp"

namespace lvs::gui {

/// What the Sweep tab runs: `lvslab sweep`'s options, over the editor's text.
struct SweepRequest {
  std::string text;                     ///< the scenario's YAML
  std::string file;                     ///< the name it stands for (errors, the result's `file`)
  std::vector<std::string> overrides;   ///< --set, before every point's value
  run::SweepParam param;                ///< --param: the x axis
  int replications = 5;                 ///< --replications
  int jobs = 1;                         ///< --jobs
  std::optional<std::uint64_t> seed;    ///< --seed (default: the scenario's)
  std::optional<Time> until;            ///< --until (default: the scenario's duration)
  std::optional<run::Slo> slo;          ///< --slo: the line on the chart
  std::optional<run::Seek> find;        ///< --find max|min:KEY (with slo): the search
  std::optional<int> max_replications;  ///< --max-replications (default 5R)
};

/// A finished sweep, and its search when one was asked for.
struct SweepOutcome {
  run::SweepResult sweep;
  std::optional<run::Slo> slo;
  std::optional<run::SloSearchResult> search;
  /// As `lvslab sweep` warns on stderr: "2 of 5 points have warnings; the first: ..."; "" if none.
  std::string warnings;
};

}  // namespace lvs::gui

Q_DECLARE_METATYPE(lvs::gui::SweepOutcome)

namespace lvs::gui {

class SweepWorker : public QObject {
  Q_OBJECT

 public:
  explicit SweepWorker(QObject* parent = nullptr);

  /// Starts `request` (cancelling the sweep in flight). A bad point fails with the library's
  /// error ("point 2 (KEY=VALUE): ..."), as the CLI reports it.
  void start(SweepRequest request);
  /// Asks the sweep to stop; every run stops after its executing event, and cancelled() follows.
  void cancel() { jobs_->cancel(); }
  /// True from start() until finished(), cancelled() or failed() of the current sweep.
  bool running() const { return jobs_->running(); }

 signals:
  /// Runs finished so far and the sweep's runs in all; `total` 0 while the search runs (its
  /// number of runs is not known in advance). At most every ~50 ms of wall time.
  void progress(int done, int total);
  /// The sweep (and search) ended normally.
  void finished(lvs::gui::SweepOutcome outcome);
  void cancelled();
  /// Bad input or a failed run; `message` is the exception's what().
  void failed(QString message);

 private:
  JobRunner* jobs_;
};

}  // namespace lvs::gui
