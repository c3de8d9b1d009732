#pragma once
// One simulation: the clock, the future event list, the named random streams, the trace
// sink and the trajectory fingerprint. No global state: any number of simulations may
// run in one process, on any threads, each giving the results it gives alone.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "core/event_queue.hpp"
#include "core/fingerprint.hpp"
#include "core/rng.hpp"
#include "core/time.hpp"
#include "core/trace.hpp"

namespace lvs {

class Simulation {
 public:
  /// A simulation at time zero whose random streams derive from `seed`.
  explicit Simulation(std::uint64_t seed = 1) : seed_(seed) {}
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  /// The current simulated time.
  Time now() const { return now_; }
  /// The run seed.
  std::uint64_t seed() const { return seed_; }

  /// Schedules `fn` at absolute time `t` (>= now()); equal times run first-in first-out.
  template <class F>
  EventId schedule_at(Time t, F&& fn) {
    if (t < now_) throw_past(t);
    return queue_.push(t, std::forward<F>(fn));
  }
  /// Schedules `fn` after `delay` (>= 0).
  template <class F>
  EventId schedule_in(Time delay, F&& fn) {
    return schedule_at(now_ + delay, std::forward<F>(fn));
  }
  /// Cancels a pending event; false if it already ran or was cancelled. O(1).
  bool cancel(EventId id) { return queue_.cancel(id); }
  /// True while the event is scheduled and has not run.
  bool pending(EventId id) const { return queue_.pending(id); }

  /// Runs events until none is left or stop() is called.
  void run();
  /// Runs every event at or before `limit`, then sets the clock to `limit` (unless stopped).
  void run_until(Time limit);
  /// Runs exactly one event; false if there is none.
  bool step();
  /// Ends run()/run_until() after the event that is executing.
  void stop() { stopped_ = true; }
  /// True when the last run ended through stop().
  bool stopped() const { return stopped_; }
  /// run()/run_until() also end, after the executing event, once `*flag` is true (a SIGINT
  /// handler or another thread sets it; nothing else is done there). nullptr: never.
  void set_interrupt(const std::atomic<bool>* flag) { interrupt_ = flag; }
  /// True when an interrupt flag is set: the last run ended early through it.
  bool interrupted() const { return interrupt_ != nullptr && interrupt_->load(std::memory_order_relaxed); }

  /// The random stream called `name`, created on first use; the same name gives the same stream object.
  Rng& rng(std::string_view name);

  /// Counts `n` more events at now() that the running event stands for (a segment's lazy
  /// flood delivers many copies in one event): each is counted, and enters the fingerprint,
  /// exactly as if it had run on its own right after the running one. O(1): the fingerprint
  /// holds runs of equal times as (time, count), so n more events at now() add n to a count.
  void fold_events(std::uint64_t n) {
    count_events(now_, n);
    executed_ += n;
  }
  /// Events executed so far.
  std::uint64_t events_executed() const { return executed_; }
  /// Events scheduled and not yet run.
  std::size_t events_pending() const { return queue_.size(); }
  /// Time of the next pending event, Time::max() if none.
  Time next_event_time() { return queue_.next_time(); }
  /// Reserves room for `n` pending events.
  void reserve_events(std::size_t n) { queue_.reserve(n); }

  /// The trajectory fingerprint: the time of every executed event, in order. Each maximal
  /// run of consecutive events at one time is mixed in as its time and its length, so the
  /// sequence of times is exactly what it hashes (see docs/event-queue.md "Fingerprint").
  Fingerprint fingerprint() const;

  /// Sends trace records to `sink` (not owned; nullptr turns tracing off).
  void set_trace_sink(TraceSink* sink) { trace_ = sink; }
  /// True when a trace sink listens; check before formatting a message.
  bool tracing() const { return trace_ != nullptr; }
  /// Writes one trace record at now(), if tracing.
  void trace(std::string_view source, std::string_view message) {
    if (trace_ != nullptr) trace_->record(now_, source, message);
  }

 private:
  [[noreturn]] void throw_past(Time t) const;
  bool run_one(Time limit);
  // Adds n events at t to the open run of equal times, closing it first if its time differs.
  void count_events(Time t, std::uint64_t n) {
    if (t != run_time_) {
      close_run(fingerprint_);
      run_time_ = t;
      run_events_ = 0;
    }
    run_events_ += n;
  }
  void close_run(Fingerprint& f) const;

  std::uint64_t seed_;
  Time now_ = Time::zero();
  EventQueue queue_;
  EventFn current_;
  std::map<std::string, std::unique_ptr<Rng>, std::less<>> streams_;
  Fingerprint fingerprint_;         // every closed run of equal times
  Time run_time_ = Time::zero();    // the open run's time
  std::uint64_t run_events_ = 0;    // events in the open run; 0: none open
  TraceSink* trace_ = nullptr;
  std::uint64_t executed_ = 0;
  bool stopped_ = false;
  const std::atomic<bool>* interrupt_ = nullptr;
};

/// A restartable one-shot timer (retransmission, health-check, VRRP timers).
class Timer {
 public:
  /// (Re)arms the timer to run `fn` after `delay`, cancelling a pending expiry.
  template <class F>
  void restart(Simulation& sim, Time delay, F&& fn) {
    sim.cancel(id_);
    id_ = sim.schedule_in(delay, std::forward<F>(fn));
  }
  /// Cancels a pending expiry; false if none was pending.
  bool cancel(Simulation& sim) { return sim.cancel(std::exchange(id_, EventId{})); }
  /// True while an expiry is pending.
  bool armed(const Simulation& sim) const { return sim.pending(id_); }

 private:
  EventId id_;
};

}  // namespace lvs
