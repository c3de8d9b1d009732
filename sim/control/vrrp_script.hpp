#pragma once
// A keepalived vrrp_script without a script: a predicate polled every `interval`, with
// rise and fall (vrrp/vrrp_track.c, vrrp_script_child_thread): `fall` failures in a row
// make it FAILED, `rise` successes in a row make it OK again. keepalived starts a script
// as OK (unless init_fail) and the model does too; the first check runs one interval after
// the daemon starts. Instances that track it are told of each change (VrrpInstance::track).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "control/event_log.hpp"
#include "core/simulation.hpp"

namespace lvs::control {

struct VrrpScriptConfig {
  std::string name;               ///< "chk_ipvs"
  Time interval = Time::s(1);     ///< between checks
  std::uint32_t rise = 1;         ///< successes in a row to become OK
  std::uint32_t fall = 1;         ///< failures in a row to become FAILED
  int weight = 0;                 ///< 0: a failure puts tracking instances in FAULT
};

class VrrpScript {
 public:
  /// `check` is the script: true when it would exit 0 ("interface eth0 up", "a live destination").
  VrrpScript(Simulation& sim, EventLog& log, std::string host, VrrpScriptConfig cfg, std::function<bool()> check);
  VrrpScript(const VrrpScript&) = delete;
  VrrpScript& operator=(const VrrpScript&) = delete;

  /// Starts polling (OK until proved otherwise); again after stop() as at keepalived's start.
  void start();
  /// Stops polling (the director crashed or keepalived stopped).
  void stop();
  /// True while the script counts as succeeding.
  bool ok() const { return ok_; }
  const VrrpScriptConfig& config() const { return cfg_; }
  /// Called after each change of ok() (instances recompute their priority).
  void add_watcher(std::function<void()> watcher) { watchers_.push_back(std::move(watcher)); }
  /// Checks run so far.
  std::uint64_t checks() const { return checks_; }

 private:
  void poll();

  Simulation& sim_;
  EventLog& log_;
  std::string host_;
  VrrpScriptConfig cfg_;
  std::function<bool()> check_;
  std::vector<std::function<void()>> watchers_;
  Timer timer_;
  bool ok_ = true;
  std::uint32_t run_ = 0;  // checks in a row that disagree with ok_
  std::uint64_t checks_ = 0;
};

}  // namespace lvs::control
