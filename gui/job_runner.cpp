#include "job_runner.hpp"

#include <QMetaObject>

#include <exception>

namespace lvs::gui {

struct JobContext::State {
  std::uint64_t generation = 0;
  std::atomic<bool> cancel{false};
  std::atomic<bool> done{false};  // the thread has queued its last call
};

JobContext::JobContext(JobRunner* runner, std::shared_ptr<State> state)
    : runner_(runner), state_(std::move(state)) {}

bool JobContext::cancelled() const { return state_->cancel.load(); }

void JobContext::check_cancel() const {
  if (cancelled()) throw JobCancelled{};
}

const std::atomic<bool>* JobContext::cancel_flag() const { return &state_->cancel; }

void JobContext::post(std::function<void()> f) const { runner_->post(state_->generation, std::move(f), false); }

void JobContext::post_throttled(std::function<void()> f, std::chrono::milliseconds every) {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_post_ < every) return;
  last_post_ = now;
  post(std::move(f));
}

JobRunner::JobRunner(QObject* parent) : QObject(parent) {}

JobRunner::~JobRunner() {
  for (auto& [state, thread] : threads_) {
    state->cancel = true;
    thread.join();
  }
}

void JobRunner::start(Work work) {
  if (current_) current_->cancel = true;
  reap_finished();
  auto state = std::make_shared<JobContext::State>();
  state->generation = ++generation_;
  current_ = state;
  running_ = true;
  std::thread thread([this, state, work = std::move(work)] { run_job(state, work); });
  threads_.emplace_back(std::move(state), std::move(thread));
}

void JobRunner::cancel() {
  if (current_) current_->cancel = true;
}

// On the worker thread: runs the work and queues exactly one ending call.
void JobRunner::run_job(const std::shared_ptr<JobContext::State>& state, const Work& work) {
  const std::uint64_t generation = state->generation;
  JobContext context(this, state);
  try {
    context.check_cancel();
    std::function<void()> deliver = work(context);
    post(generation, [this, deliver = std::move(deliver)] {
      if (deliver) deliver();
      emit finished();
    }, true);
  } catch (const JobCancelled&) {
    post(generation, [this] { emit cancelled(); }, true);
  } catch (const std::exception& e) {
    post(generation, [this, message = QString::fromStdString(e.what())] { emit failed(message); }, true);
  } catch (...) {
    post(generation, [this] { emit failed(QStringLiteral("unknown error")); }, true);
  }
  state->done = true;
}

// Runs on a worker thread: the call reaches the GUI thread through its event queue and is
// dropped there if a newer start() has superseded the job or the job has already ended.
void JobRunner::post(std::uint64_t generation, std::function<void()> f, bool last) {
  QMetaObject::invokeMethod(this, [this, generation, f = std::move(f), last] {
    if (generation != generation_ || !running_) return;
    if (last) running_ = false;
    f();
  }, Qt::QueuedConnection);
}

// Joins the threads that have finished; the others are left to notice their cancel flag.
void JobRunner::reap_finished() {
  std::erase_if(threads_, [](auto& entry) {
    if (!entry.first->done.load()) return false;
    entry.second.join();
    return true;
  });
}

}  // namespace lvs::gui
