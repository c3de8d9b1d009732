#include "run_worker.hpp"

#include <QMetaObject>

#include <chrono>
#include <exception>
#include <utility>

#include "run/run.hpp"

namespace lvs::gui {

namespace {

// Thrown from the progress callback to unwind a cancelled run, as run/compare.cpp does.
struct Cancelled {};

constexpr auto kProgressEvery = std::chrono::milliseconds(50);

}  // namespace

struct RunWorker::Job {
  std::uint64_t generation = 0;
  std::atomic<bool> cancel{false};
  std::atomic<bool> done{false};  // the thread has posted its last message
};

RunWorker::RunWorker(QObject* parent) : QObject(parent) {
  qRegisterMetaType<lvs::run::RunResult>("lvs::run::RunResult");
}

RunWorker::~RunWorker() {
  for (auto& [job, thread] : threads_) {
    job->cancel = true;
    thread.join();
  }
}

void RunWorker::start(const scenario::ScenarioSpec& spec) {
  if (current_) current_->cancel = true;
  reap_finished();
  auto job = std::make_shared<Job>();
  job->generation = ++generation_;
  current_ = job;
  running_ = true;
  std::thread thread([this, job, spec] {
    run::RunOptions options;
    auto last = std::chrono::steady_clock::now() - kProgressEvery;
    options.progress = [this, &job, &last](Time now, Time end) {
      if (job->cancel.load()) throw Cancelled{};
      const auto wall = std::chrono::steady_clock::now();
      if (wall - last < kProgressEvery) return;
      last = wall;
      post_progress(job->generation, now.seconds(), end.seconds());
    };
    try {
      if (job->cancel.load()) throw Cancelled{};
      post_finished(job->generation, run::run_scenario(spec, options));
    } catch (const Cancelled&) {
      post_cancelled(job->generation);
    } catch (const std::exception& e) {
      post_failed(job->generation, QString::fromStdString(e.what()));
    } catch (...) {
      post_failed(job->generation, QStringLiteral("unknown error"));
    }
    job->done = true;
  });
  threads_.emplace_back(std::move(job), std::move(thread));
}

void RunWorker::cancel() {
  if (current_) current_->cancel = true;
}

// Joins the threads that have finished; the others are left to notice their cancel flag.
void RunWorker::reap_finished() {
  std::erase_if(threads_, [](auto& entry) {
    if (!entry.first->done.load()) return false;
    entry.second.join();
    return true;
  });
}

// The post_* functions run on a worker thread: they queue a call on the GUI thread, which
// drops it if a newer start() has superseded that run.
void RunWorker::post_progress(std::uint64_t generation, double now_s, double end_s) {
  QMetaObject::invokeMethod(this, [this, generation, now_s, end_s] {
    if (generation == generation_ && running_) emit progress(now_s, end_s);
  }, Qt::QueuedConnection);
}

void RunWorker::post_finished(std::uint64_t generation, run::RunResult result) {
  QMetaObject::invokeMethod(this, [this, generation, result = std::move(result)]() mutable {
    if (generation != generation_ || !running_) return;
    running_ = false;
    emit finished(std::move(result));
  }, Qt::QueuedConnection);
}

void RunWorker::post_cancelled(std::uint64_t generation) {
  QMetaObject::invokeMethod(this, [this, generation] {
    if (generation != generation_ || !running_) return;
    running_ = false;
    emit cancelled();
  }, Qt::QueuedConnection);
}

void RunWorker::post_failed(std::uint64_t generation, QString message) {
  QMetaObject::invokeMethod(this, [this, generation, message = std::move(message)] {
    if (generation != generation_ || !running_) return;
    running_ = false;
    emit failed(message);
  }, Qt::QueuedConnection);
}

}  // namespace lvs::gui
