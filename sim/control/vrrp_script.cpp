#include "control/vrrp_script.hpp"

namespace lvs::control {

VrrpScript::VrrpScript(Simulation& sim, EventLog& log, std::string host, VrrpScriptConfig cfg,
                       std::function<bool()> check)
    : sim_(sim), log_(log), host_(std::move(host)), cfg_(std::move(cfg)), check_(std::move(check)) {}

void VrrpScript::start() {
  ok_ = true;  // keepalived without init_fail: a script is taken as succeeding until it fails
  run_ = 0;
  timer_.restart(sim_, cfg_.interval, [this] { poll(); });
}

void VrrpScript::stop() { timer_.cancel(sim_); }

// vrrp_script_child_thread's result counter, as runs: a result that agrees with the
// current state resets the run; `fall` (or `rise`) disagreeing results in a row flip it.
void VrrpScript::poll() {
  ++checks_;
  const bool success = check_();
  timer_.restart(sim_, cfg_.interval, [this] { poll(); });
  if (success == ok_) {
    run_ = 0;
    return;
  }
  if (++run_ < (success ? cfg_.rise : cfg_.fall)) return;
  ok_ = success;
  run_ = 0;
  const char* what = ok_ ? "succeeded" : "failed";
  log_.add(sim_.now(), cfg_.name + "@" + host_, "vrrp-script", what, "VRRP_Script(" + cfg_.name + ") " + what);
  for (const auto& w : watchers_) w();
}

}  // namespace lvs::control
