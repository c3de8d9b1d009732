#include "control/timeline.hpp"

namespace lvs::control {

void Timeline::at(Time at, IpvsadmCommand cmd) {
  commands_.push_back(std::move(cmd));
  sim_.schedule_at(at, [this, c = &commands_.back()] { ++(apply(*c) ? applied_ : refused_); });
}

}  // namespace lvs::control
