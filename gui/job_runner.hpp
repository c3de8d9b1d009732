#pragma once
// One background job at a time on a thread of its own (house style rule 10): the GUI hands a
// job a copy of what it needs; the job hands back copies through calls queued on the GUI
// thread; the GUI never waits for the thread and never sees an engine object. A new start()
// cancels the job in flight; a late call from a superseded job is dropped (generation
// counter). RunWorker, CompareWorker and TraceWorker are typed fronts over this.

#include <QObject>
#include <QString>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

namespace lvs::gui {

/// Thrown on a worker thread to unwind a cancelled job (JobContext::check_cancel).
struct JobCancelled {};

class JobRunner;

/// What a job sees on its worker thread.
class JobContext {
 public:
  struct State;  // generation, cancel flag, done flag; shared with the runner
  JobContext(JobRunner* runner, std::shared_ptr<State> state);

  /// True once the job has been cancelled or superseded.
  bool cancelled() const;
  /// Throws JobCancelled if cancelled().
  void check_cancel() const;
  /// The cancel flag, for library calls that poll one (run::CompareOptions::cancel).
  const std::atomic<bool>* cancel_flag() const;
  /// Runs `f` on the GUI thread, unless this job has been superseded or has ended by then.
  void post(std::function<void()> f) const;
  /// As post(), but at most once per `every` of wall time (a later call within it is dropped).
  void post_throttled(std::function<void()> f, std::chrono::milliseconds every = std::chrono::milliseconds(50));

 private:
  JobRunner* runner_;
  std::shared_ptr<State> state_;
  std::chrono::steady_clock::time_point last_post_{};
};

class JobRunner : public QObject {
  Q_OBJECT

 public:
  /// The work, on the worker thread: returns what to do with its result on the GUI thread
  /// (run only if the job is still current when it gets there).
  using Work = std::function<std::function<void()>(JobContext&)>;

  explicit JobRunner(QObject* parent = nullptr);
  /// Cancels the job in flight and joins every thread (jobs poll their flag often).
  ~JobRunner() override;
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  /// Starts `work` on a new thread; cancels the job in flight first.
  void start(Work work);
  /// Asks the current job to stop; cancelled() follows once it notices.
  void cancel();
  /// True from start() until finished(), cancelled() or failed() of the current job.
  bool running() const { return running_; }
  /// Incremented by every start(); tells jobs apart.
  std::uint64_t generation() const { return generation_; }

 signals:
  /// The current job ended normally; its result function has run.
  void finished();
  /// The current job was cancelled.
  void cancelled();
  /// The current job threw; `message` is the exception's what().
  void failed(QString message);

 private:
  friend class JobContext;
  void run_job(const std::shared_ptr<JobContext::State>& state, const Work& work);
  /// Queues `f` on the GUI thread for the job of `generation`; `last` ends the job.
  void post(std::uint64_t generation, std::function<void()> f, bool last);
  void reap_finished();

  std::uint64_t generation_ = 0;
  bool running_ = false;
  std::shared_ptr<JobContext::State> current_;
  std::vector<std::pair<std::shared_ptr<JobContext::State>, std::thread>> threads_;
};

}  // namespace lvs::gui
