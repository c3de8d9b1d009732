#pragma once
// How a client population's sessions arrive: the words shared by the scenario spec and
// the Client node.

#include "core/time.hpp"

namespace lvs {

/// From `at` on, sessions start at `rate` per second.
struct RateStep {
  Time at;
  double rate = 0;
};

/// Open-loop arrivals: a Poisson process, or evenly spaced sessions.
enum class ArrivalProcess { Poisson, Constant };

}  // namespace lvs
