#pragma once
// Whether the cluster serves, read from its components' states (not from requests): every
// virtual service is up while some director
//   - is not crashed,
//   - holds the VIP on an interface with carrier whose link or segment is up (VRRP's MASTER,
//     or the director the VIP is configured on), and
//   - has the service with at least one destination of weight > 0 whose real server is not
//     crashed, runs its application and has an Ethernet interface with carrier on a live link.
// The state is read again after every control-plane record (a failure, a repair, a checker
// changing the table, a VRRP state change), after a host's boot has restarted its control
// plane, and at every sample (ipvsadm commands of the scenario's `events` show there).

#include <utility>
#include <vector>

#include "core/time.hpp"

namespace lvs {
class Director;
class RealServer;
}  // namespace lvs

namespace lvs::run {

struct Model;

class ServiceUptime {
 public:
  /// Listens to `m`'s log and failures; reads the state at once (the run's start).
  explicit ServiceUptime(Model& m);
  ServiceUptime(const ServiceUptime&) = delete;
  ServiceUptime& operator=(const ServiceUptime&) = delete;

  /// Reads the state now.
  void check();
  /// Whether every service was up at the last check.
  bool up() const { return changes_.back().second; }
  /// The fraction of [from, to] every service was up.
  double fraction(Time from, Time to) const;
  /// [from, to] cut into `batches` equal parts: the fraction of each.
  std::vector<double> batch_fractions(Time from, Time to, int batches) const;

 private:
  bool all_up() const;
  bool serves(const Director& d, std::size_t service) const;
  bool live(const RealServer& s) const;

  Model& m_;
  struct Service {
    int proto;
    std::uint32_t vip;
    std::uint16_t port;
    std::uint32_t fwmark = 0;  ///< a fwmark service: no VIP to hold (docs/fwmark.md)
  };
  std::vector<Service> services_;
  std::vector<std::pair<Time, bool>> changes_;  ///< (time, up) at each change, from time 0
};

}  // namespace lvs::run
