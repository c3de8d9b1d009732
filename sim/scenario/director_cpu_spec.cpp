#include "scenario/director_cpu_spec.hpp"

#include "lvs/director_profiles.hpp"

namespace lvs::scenario {

DirectorCpuConfig director_cpu(const DirectorCpuSpec& s) {
  DirectorCpuConfig c = cpu_config(director_profile(s.profile));
  if (s.cores) c.cores = static_cast<int>(*s.cores);
  c.backlog_packets = s.backlog;
  if (s.cost_nat) c.masquerade = s.cost_nat;
  if (s.cost_dr) c.direct_routing = s.cost_dr;
  if (s.cost_tun) c.tunnel = s.cost_tun;
  if (s.cost_fullnat) c.full_nat = s.cost_fullnat;
  if (s.cost_connection) c.connection = *s.cost_connection;
  return c;
}

std::optional<Time> packet_cost(const DirectorCpuConfig& cpu, Method m) {
  switch (m) {
    case Method::Nat: return cpu.masquerade;
    case Method::Dr: return cpu.direct_routing;
    case Method::Tun: return cpu.tunnel;
    case Method::FullNat: return cpu.full_nat;
  }
  return std::nullopt;
}

}  // namespace lvs::scenario
