#pragma once
// What the control plane did and saw, in time order: failures and repairs, health-check
// results, real servers leaving and joining a service, VRRP state changes, gratuitous ARPs,
// sync. Each record is one line of the run's `timeline` (JSON) and, in words a sysadmin
// knows from keepalived's own log, one line of the summary. Records are rare (control-plane
// events, not packets), so each may allocate. A record is added after the change it reports
// (the real server is out of the table, the VIP is on the interface), so a listener that
// reads the model's state when it is called sees the change.

#include <functional>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace lvs::control {

struct LogRecord {
  Time at;
  std::string component;  ///< "rs1", "lvs1", "lvs1/eth0", "VI_1@lvs2", "[10.0.0.11]:80"
  std::string event;      ///< crash, recover, stop, start, link-down, link-up, check-fail, check-ok,
                          ///< realserver-down, realserver-up, sorry-server-on, sorry-server-off,
                          ///< vrrp-state, garp, sync-lost, ...
  std::string detail;     ///< "BACKUP->MASTER", "connect timeout", ...
  std::string line;       ///< as keepalived logs it: "VRRP_Instance(VI_1) Entering MASTER STATE"
};

class EventLog {
 public:
  void add(Time at, std::string component, std::string event, std::string detail, std::string line) {
    records_.push_back(LogRecord{at, std::move(component), std::move(event), std::move(detail), std::move(line)});
    for (const auto& f : listeners_) f(records_.back());
  }
  /// Calls `f` with every record as it is added (after those added before the call).
  void on_add(std::function<void(const LogRecord&)> f) { listeners_.push_back(std::move(f)); }
  /// In the order they were added (which is time order: the simulation's clock only goes on).
  const std::vector<LogRecord>& records() const { return records_; }

 private:
  std::vector<LogRecord> records_;
  std::vector<std::function<void(const LogRecord&)>> listeners_;
};

}  // namespace lvs::control
