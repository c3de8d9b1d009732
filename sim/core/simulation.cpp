#include "core/simulation.hpp"

namespace lvs {

void Simulation::throw_past(Time t) const {
  throw std::logic_error("cannot schedule an event at " + to_string(t) + ", before the current time " +
                         to_string(now_));
}

// Runs the earliest event if it is due by `limit`.
bool Simulation::run_one(Time limit) {
  Time t;
  if (!queue_.pop(limit, t, current_)) return false;
  now_ = t;
  count_events(t, 1);
  ++executed_;
  current_();
  current_.reset();
  return true;
}

// Mixes the open run of equal times into `f` as (time, count); a no-op when none is open.
void Simulation::close_run(Fingerprint& f) const {
  if (run_events_ == 0) return;
  f.mix(static_cast<std::uint64_t>(run_time_.count()));
  f.mix(run_events_);
}

Fingerprint Simulation::fingerprint() const {
  Fingerprint f = fingerprint_;
  close_run(f);
  return f;
}

void Simulation::run() {
  stopped_ = false;
  while (!stopped_ && !interrupted() && run_one(Time::max())) {
  }
}

void Simulation::run_until(Time limit) {
  stopped_ = false;
  while (!stopped_ && !interrupted() && run_one(limit)) {
  }
  if (!stopped_ && !interrupted() && now_ < limit) now_ = limit;
}

bool Simulation::step() {
  stopped_ = false;
  return run_one(Time::max());
}

Rng& Simulation::rng(std::string_view name) {
  auto it = streams_.find(name);
  if (it == streams_.end())
    it = streams_.emplace(std::string(name), std::make_unique<Rng>(seed_, name)).first;
  return *it->second;
}

}  // namespace lvs
