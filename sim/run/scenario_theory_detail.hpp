#pragma once
// The pieces of scenario_theory(): a service's real servers and load as read from the spec
// (scenario_theory.cpp) and the models built on them (scenario_theory_models.cpp).

#include <string>
#include <vector>

#include "run/scenario_theory.hpp"

namespace lvs::run::detail {

/// One real server of a service, as a queueing station.
struct Station {
  std::string name;
  int workers = 1;
  double service_s = 0;       ///< mean service time
  double weight = 1;
  long long capacity = 0;     ///< requests it holds at most: max_connections + backlog
  const scenario::ServerAppSpec* app = nullptr;
};

struct ServiceLoad {
  std::vector<Station> stations;
  std::vector<const scenario::ClientSpec*> clients;
  double offered_rps = 0;        ///< open loop, requests/s
  std::uint32_t users = 0;       ///< closed loop
  double think_s = 0;            ///< their mean think time
  bool poisson = true;
  bool rate_varies = false;
  std::uint32_t keep_alive = 1;  ///< the most requests per connection
};

ServiceLoad service_load(const scenario::ScenarioSpec& spec, const scenario::ServiceSpec& s);
std::vector<std::string> assumptions_left(const scenario::ScenarioSpec& spec, const scenario::ServiceSpec& s,
                                          const ServiceLoad& l);
/// Adds the models that apply to `t` (its offered rate, workers and capacity set) and marks
/// the one matching `scheduler` as best (scenario_theory_models.cpp).
void add_models(ServiceTheory& t, const ServiceLoad& l, const std::string& scheduler);
/// One service's load, its servers' and director's capacity and which caps the rate first,
/// without the models.
ServiceTheory service_capacity(const scenario::ScenarioSpec& spec, const scenario::ServiceSpec& s, const ServiceLoad& l);
/// The models, the director's capacity and the bottleneck of one service.
ServiceTheory service_theory(const scenario::ScenarioSpec& spec, const scenario::ServiceSpec& s, const ServiceLoad& l);

}  // namespace lvs::run::detail
