#pragma once
// The rates of ipvsadm -Ln --rate: the kernel's estimator (net/netfilter/ipvs/ip_vs_est.c,
// estimation_timer and ip_vs_read_estimator). Every 2 s the counters of a service or a
// destination are read and each rate moves a quarter of the way towards the last 2 s:
//   avg += (delta * 2^k / 2 - avg) / 4        (an arithmetic shift right by 2)
// with the averages kept in fixed point: connections and packets scaled by 2^10 (the
// delta shifted left by 9 = x 2^10 / 2 s), bytes by 2^5 (shifted left by 4). Reading
// rounds to the nearest unit: (avg + 2^9 - 1) >> 10 and (avg + 2^4 - 1) >> 5.

#include <cstdint>
#include <memory>
#include <vector>

#include "core/time.hpp"
#include "lvs/virtual_service.hpp"

namespace lvs {

/// The kernel's estimator period: estimation_timer re-arms itself every 2*HZ.
inline constexpr Time kEstimatorPeriod = Time::s(2);

/// ipvsadm --rate figures, per second, as ip_vs_read_estimator returns them.
struct IpvsRates {
  std::uint64_t cps = 0;     ///< connections/s
  std::uint64_t inpps = 0;   ///< packets/s client to server
  std::uint64_t outpps = 0;
  std::uint64_t inbps = 0;   ///< bytes/s (IP bytes)
  std::uint64_t outbps = 0;
};

/// One struct ip_vs_estimator: the counters seen at the last tick and the scaled averages.
class RateEstimator {
 public:
  /// One run of estimation_timer on these counters.
  void tick(const IpvsStats& now);
  /// ip_vs_read_estimator: the averages in units per second.
  IpvsRates read() const;

 private:
  IpvsStats last_;
  std::int64_t cps_ = 0, inpps_ = 0, outpps_ = 0;  // x 2^10
  std::int64_t inbps_ = 0, outbps_ = 0;            // x 2^5
};

/// The estimators of one director: one per virtual service and one per destination, all
/// driven by one 2 s timer that starts with IPVS at time 0 (ip_vs_estimator_net_init).
/// The timer is run lazily: the counters change only when a packet or a new connection is
/// counted, so advance() before counting one (and before reading) runs every tick due by
/// then on the counters as they stood; the result equals a real timer's, and a run that
/// never reads rates gets no extra events (the trajectory fingerprint is unchanged).
/// A tick at time t sees what was counted strictly before t.
class DirectorEstimators {
 public:
  /// Runs every tick due at or before `now` on the services' current counters. Only the
  /// destinations in a service's list tick (ip_vs_del_dest stops a removed one's estimator).
  void advance(Time now, const std::vector<std::unique_ptr<VirtualService>>& services);
  /// The rates of service `index` (in the director's order), or of its destination `id`.
  IpvsRates service(std::size_t index) const;
  IpvsRates destination(std::size_t index, DestId id) const;

 private:
  struct ServiceEstimators {
    RateEstimator service;
    std::vector<RateEstimator> dests;  // by DestId
  };
  void tick(const std::vector<std::unique_ptr<VirtualService>>& services);

  Time next_ = kEstimatorPeriod;
  std::vector<ServiceEstimators> services_;
};

}  // namespace lvs
