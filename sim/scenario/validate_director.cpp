// Capacity warnings about the director's CPU and the links, from the spec alone:
//   - a director whose cores cannot forward every packet of the workload, in whatever mode
//     its services' destinations use (director_capacity.hpp: NAT and FULLNAT see both
//     directions, DR and TUN the client's half);
//   - a link direction or a segment's port that the workload's bytes/s exceed: requests
//     from the clients to the director and on to the real servers, responses on their
//     mode's path (NAT and FULLNAT back through the director, DR and TUN straight to the
//     client). docs/queueing-theory.md, "Director capacity" and "Links".

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "scenario/director_capacity.hpp"
#include "scenario/director_cpu_spec.hpp"
#include "scenario/validate_load.hpp"

namespace lvs::scenario::checks {

namespace {

constexpr double kMaxLoad = 0.8;  // director CPU load that is warned about

std::string upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// The requests/s, connections/s and packets/s of each mode on one director.
struct ModeTraffic {
  double requests = 0, connections = 0, packets = 0, inbound = 0;
};
using Traffic = std::array<ModeTraffic, 4>;  // by Method

// Each service's offered requests, capped by what its servers serve, split over its
// destinations' modes by weight.
void add_service(const SpecIndex& index, const ServiceSpec& s, Traffic& t) {
  std::array<double, 4> weight{};
  double total = 0;
  for (const DestinationSpec& d : s.destinations) weight[static_cast<int>(d.method)] += d.weight, total += d.weight;
  if (total == 0) return;
  const Serving srv = serving(index, s);
  double offered = 0;
  Traffic one{};
  for (const ClientSpec& c : index.spec().workload.clients) {
    if (!uses(c, s)) continue;
    const double sessions = load_of(index.spec(), c, srv).rate;
    const double rps = sessions * c.requests_per_connection;
    const RequestPackets p = request_packets(segments(c.request_size, s.protocol), srv.response_segments,
                                             c.requests_per_connection, s.protocol);
    offered += rps;
    for (int m = 0; m < 4; ++m) {
      const double share = weight[m] / total;
      one[m].requests += rps * share;
      one[m].connections += (s.protocol == Protocol::Udp ? rps : sessions) * share;
      one[m].packets += rps * share * director_packets(static_cast<Method>(m), p);
      one[m].inbound += rps * share * p.to_server;
    }
  }
  if (offered <= 0) return;
  const double cap = std::min(offered, srv.capacity) / offered;
  for (int m = 0; m < 4; ++m) {
    t[m].requests += one[m].requests * cap, t[m].connections += one[m].connections * cap;
    t[m].packets += one[m].packets * cap, t[m].inbound += one[m].inbound * cap;
  }
}

// The busy fraction of `cores` cores for `packets`/s at `per_packet` each and `connections`/s
// at `per_connection` each.
double cpu_load(double packets, Time per_packet, double connections, Time per_connection, double cores) {
  return (packets * per_packet.seconds() + connections * per_connection.seconds()) / cores;
}

// "NAT", "DR+TUN": the modes with traffic.
std::string modes_text(const Traffic& t) {
  std::string out;
  for (int m = 0; m < 4; ++m)
    if (t[m].requests > 0) {
      if (!out.empty()) out += '+';
      out += upper(method_name(static_cast<Method>(m)));
    }
  return out;
}

}  // namespace

void warn_director_cpu(const SpecIndex& index, const HostSpec& director, Findings& out) {
  Traffic t{};
  for (const ServiceSpec& s : index.spec().services)
    if (s.director == director.name) add_service(index, s, t);
  if (find_director_profile(director.cpu.profile) == nullptr) return;
  const DirectorCpuConfig cpu = director_cpu(director.cpu);
  double requests = 0, connections = 0, packets = 0, load = 0;
  int modes = 0, only = 0;
  for (int m = 0; m < 4; ++m) {
    if (t[m].requests <= 0) continue;
    const std::optional<Time> cost = packet_cost(cpu, static_cast<Method>(m));
    if (!cost) return;  // an error already: the profile has no such mode
    ++modes, only = m;
    requests += t[m].requests, connections += t[m].connections, packets += t[m].packets;
    load += cpu_load(t[m].packets, *cost, t[m].connections, cpu.connection, cpu.cores);
  }
  if (requests <= 0 || load <= kMaxLoad) return;
  const auto mode = static_cast<Method>(only);
  const bool both = mode == Method::Nat || mode == Method::FullNat;
  const std::string setup =
      cpu.connection > Time::zero() ? ", and " + to_string(cpu.connection) + " per new connection" : "";
  const std::string each = modes == 1 ? std::string(both ? "both ways" : "the client's half") + ", at " +
                                            to_string(*packet_cost(cpu, mode))
                                      : "on average: NAT and FULLNAT both ways, DR and TUN the client's half";
  std::string dr;
  if (modes == 1 && both && cpu.direct_routing)
    dr = "; in DR it would see ~" + tenths(t[only].inbound / requests) + " packets per request (the client's half) at " +
         to_string(*cpu.direct_routing) + ": ~" +
         count(100 * cpu_load(t[only].inbound, *cpu.direct_routing, connections, cpu.connection, cpu.cores)) + "%";
  out.warning(index.key(director.origin, "cpu"),
              modes_text(t) + " " + label(director) + " (profile " + cpu.profile + ") needs ~" + count(100 * load) +
                  "% of its " + plural(cpu.cores, "core") + " for " + rough(requests) + " requests/s (~" +
                  tenths(packets / requests) + " packets each, " + each + setup + "): " +
                  (load >= 1 ? "it saturates and" : "close to saturation, where") +
                  " throughput stops growing with more real servers" + dr);
}

}  // namespace lvs::scenario::checks
