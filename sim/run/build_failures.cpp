#include "run/build_failures.hpp"

#include <stdexcept>

namespace lvs::run {

namespace {

using scenario::EventSpec;
using scenario::FailureKind;

Host& host_named(Model& m, const std::string& name) {
  auto* h = dynamic_cast<Host*>(m.net.node(name));
  if (h == nullptr) throw std::runtime_error("no host called " + name);
  return *h;
}

RealServer& server_named(Model& m, const std::string& component) {
  const std::string name = component.substr(0, component.find(':'));
  for (RealServer* s : m.servers)
    if (s->name() == name) return *s;
  throw std::runtime_error(name + " runs no server application");
}

// A failure and its repair on one component, as two calls that return whether they changed it.
struct Toggle {
  std::function<bool()> fail;
  std::function<bool()> repair;
};

Toggle link_toggle(Model& m, const std::string& component) {
  const std::size_t slash = component.find('/');
  if (slash != std::string::npos) {
    Interface* i = host_named(m, component.substr(0, slash)).interface(component.substr(slash + 1));
    if (i == nullptr) throw std::runtime_error("no interface " + component);
    return {[&f = m.failures, i] { return f.cable_out(*i); }, [&f = m.failures, i] { return f.cable_in(*i); }};
  }
  for (const auto& c : m.net.channels())
    if (c->name() == component) {
      Channel* link = c.get();
      return {[&f = m.failures, link] { return f.link_down(*link); }, [&f = m.failures, link] { return f.link_up(*link); }};
    }
  throw std::runtime_error("no link or segment called " + component);
}

Toggle toggle_of(Model& m, FailureKind kind, const std::string& component) {
  switch (kind) {
    case FailureKind::Crash: {
      Host* h = &host_named(m, component);
      return {[&f = m.failures, h] { return f.crash(*h); }, [&f = m.failures, h] { return f.recover(*h); }};
    }
    case FailureKind::Stop: {
      RealServer* s = &server_named(m, component);
      return {[&f = m.failures, s] { return f.stop(*s); }, [&f = m.failures, s] { return f.start(*s); }};
    }
    case FailureKind::LinkDown: return link_toggle(m, component);
  }
  throw std::logic_error("unknown failure kind");
}

// One random failure process: alternating up and down periods until the end of time.
class FailureProcess {
 public:
  FailureProcess(Simulation& sim, const scenario::FailureProcessSpec& spec, Toggle toggle, Rng& rng)
      : sim_(sim), up_(spec.time_to_failure), down_(spec.time_to_repair), toggle_(std::move(toggle)), rng_(rng) {}
  void start() { next(up_, true); }

 private:
  void next(const Distribution& d, bool failing) {
    const Time wait = Time::from_seconds(d.sample(rng_));
    sim_.schedule_at(sim_.now() + wait, [this, failing] {
      failing ? toggle_.fail() : toggle_.repair();
      next(failing ? down_ : up_, !failing);
    });
  }

  Simulation& sim_;
  Distribution up_, down_;  // time to failure, time to repair (seconds)
  Toggle toggle_;
  Rng& rng_;
};

}  // namespace

void schedule_failures(Model& m, const scenario::ScenarioSpec& spec) {
  for (const EventSpec& e : spec.events) {
    if (scenario::is_ipvsadm(e)) continue;
    auto t = std::make_shared<Toggle>(toggle_of(m, scenario::failure_kind(e.action), e.component));
    const bool repair = scenario::is_repair(e.action);
    m.sim.schedule_at(e.at, [t = t.get(), repair] { repair ? t->repair() : t->fail(); });
    m.failure_processes.push_back(std::move(t));
  }
  for (std::size_t k = 0; k < spec.failures.size(); ++k) {
    const scenario::FailureProcessSpec& f = spec.failures[k];
    auto process = std::make_shared<FailureProcess>(m.sim, f, toggle_of(m, f.kind, f.component),
                                                    m.sim.rng("failures/" + std::to_string(k)));
    process->start();
    m.failure_processes.push_back(std::move(process));
  }
}

}  // namespace lvs::run
