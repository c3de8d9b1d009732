#pragma once
// All the health checking of a run: one CheckedService per virtual service and director
// it runs on (keepalived runs on every director of a pair, each checking on its own).

#include <memory>
#include <vector>

#include "control/health_check_service.hpp"

namespace lvs::control {

class HealthChecks {
 public:
  /// Takes `service` (made by run::build_checks) and returns it.
  CheckedService& add(std::unique_ptr<CheckedService> service) {
    services_.push_back(std::move(service));
    return *services_.back();
  }
  /// In the order they were added: by service, then director.
  const std::vector<std::unique_ptr<CheckedService>>& services() const { return services_; }

 private:
  std::vector<std::unique_ptr<CheckedService>> services_;
};

}  // namespace lvs::control
