#pragma once
// The time series of a run: at the end of each interval, the figures of the interval as
// differences of running totals kept from the previous sample.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "run/builder.hpp"
#include "run/director_nic.hpp"
#include "run/results.hpp"

namespace lvs::run {

/// ipvsadm's ActiveConn and InActConn of each real server: the sums over every destination
/// named after it, in every service of every director. One pass over the destinations per
/// take(), O(destinations + servers), where a search per server was O(servers x destinations).
class ServerConns {
 public:
  /// (activeconns, inactconns).
  using Conns = std::pair<std::int64_t, std::int64_t>;
  /// For `m.servers`; `m` must outlive this.
  explicit ServerConns(const Model& m);
  /// The sums now, by index in m.servers; valid until the next take().
  const std::vector<Conns>& take();

 private:
  /// One service's DestId -> server index (-1: no server of that name), as of a generation.
  struct ServiceServers {
    const VirtualService* service = nullptr;
    std::uint64_t generation = 0;
    std::vector<std::int32_t> server;
  };
  void refill(ServiceServers& c, const VirtualService& vs) const;

  const Model& m_;
  std::vector<ServiceServers> services_;  ///< in directors' then services' order
  std::unordered_map<std::string_view, std::size_t> first_;  ///< server name -> its first index
  std::vector<std::size_t> first_of_;                        ///< per server: first_ of its name
  std::vector<Conns> sums_;                                  ///< by index in m.servers
};

/// Calls f(queue) for each transmit direction of `l`: both of a link, up and down of every
/// port of a segment.
template <class F>
void for_each_direction(const NamedLink& l, F&& f) {
  if (l.link != nullptr) {
    for (int port = 0; port < 2; ++port) f(l.link->direction(port));
    return;
  }
  for (std::size_t p = 0; p < l.segment->ports(); ++p) {
    f(l.segment->uplink(static_cast<int>(p)));
    f(l.segment->downlink(static_cast<int>(p)));
  }
}

/// Takes a Sample of `m` every `interval`.
class Sampler {
 public:
  Sampler(const Model& m, Time interval, std::vector<std::string> vrrp_instances);
  /// The sample of the interval ending `now`.
  Sample take(Time now);

 private:
  void take_requests(Sample& s);
  void take_servers(Sample& s);
  void take_directors(Sample& s, Time now);
  void take_links(Sample& s, Time now);
  void take_nfs(Sample& s);
  void take_masters(Sample& s) const;

  const Model& m_;
  Time interval_;
  std::vector<std::string> vrrp_instances_;
  std::vector<double> busy_;
  std::vector<std::pair<double, double>> nfs_busy_;  ///< per NFS server: thread-seconds, disk-seconds
  std::vector<std::uint64_t> requests_;
  std::vector<std::uint64_t> listen_drops_;  ///< per server, at the last sample
  std::vector<Time> cpu_;  ///< each director's busy core-time at the last sample
  std::vector<NicSampler> nics_;  ///< per director
  std::vector<std::uint64_t> no_local_port_;  ///< per director, at the last sample
  std::vector<double> tx_busy_;  ///< busy seconds of every direction of every link, in order
  ServerConns conns_;
};

}  // namespace lvs::run
