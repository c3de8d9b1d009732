#pragma once
// Runs one scenario at a time on a background thread (house style rule 10): the GUI hands
// in a copy of the spec and gets back a copy of the RunResult through a queued call; it
// never waits for the thread and never sees an engine object. A new start() cancels the
// run in flight; a late answer from a superseded run is dropped (generation counter).

#include <QObject>
#include <QString>

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "run/results.hpp"
#include "scenario/scenario_spec.hpp"

Q_DECLARE_METATYPE(lvs::run::RunResult)

namespace lvs::gui {

class RunWorker : public QObject {
  Q_OBJECT

 public:
  explicit RunWorker(QObject* parent = nullptr);
  /// Cancels the run in flight and joins every thread (a short wait: runs check the cancel
  /// flag after every sample).
  ~RunWorker() override;
  RunWorker(const RunWorker&) = delete;
  RunWorker& operator=(const RunWorker&) = delete;

  /// Starts a run of a copy of `spec`; cancels the previous one first.
  void start(const scenario::ScenarioSpec& spec);
  /// Asks the current run to stop; cancelled() follows once the worker sees it.
  void cancel();
  /// True from start() until finished(), cancelled() or failed() of the current run.
  bool running() const { return running_; }
  /// Incremented by every start(); tells runs apart.
  std::uint64_t generation() const { return generation_; }

 signals:
  /// Simulated time reached and end of the run, seconds; at most every ~50 ms of wall time.
  void progress(double now_s, double end_s);
  /// The current run ended normally.
  void finished(lvs::run::RunResult result);
  /// The current run was cancelled.
  void cancelled();
  /// The current run threw; `message` is the exception's what().
  void failed(QString message);

 private:
  struct Job;  // the state one thread shares with the GUI: its generation and cancel flag
  void post_progress(std::uint64_t generation, double now_s, double end_s);
  void post_finished(std::uint64_t generation, run::RunResult result);
  void post_cancelled(std::uint64_t generation);
  void post_failed(std::uint64_t generation, QString message);
  void reap_finished();

  std::uint64_t generation_ = 0;
  bool running_ = false;
  std::shared_ptr<Job> current_;
  std::vector<std::pair<std::shared_ptr<Job>, std::thread>> threads_;
};

}  // namespace lvs::gui
