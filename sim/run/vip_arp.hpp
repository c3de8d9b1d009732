#pragma once
// What each host's neighbour cache said about the VIPs during a run: every change of an
// entry for a VIP address, as `ip monitor neigh` would print it, and for how long each
// owner's MAC held the entry. It is how the DR "ARP problem" shows in numbers: the router
// sends the VIP's traffic to whatever MAC its entry holds (docs/arp.md).

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "net/neighbour_table.hpp"
#include "run/results.hpp"

namespace lvs::run {

struct Model;

/// Records the changes of VIP entries on every host of `m` (but the hosts that own a VIP).
class VipArpLog {
 public:
  /// Installs a neighbour listener on each host; `vips` are the services' virtual addresses.
  VipArpLog(Model& m, const std::vector<Ipv4Address>& vips);
  VipArpLog(const VipArpLog&) = delete;
  VipArpLog& operator=(const VipArpLog&) = delete;
  /// The changes so far, in time order.
  const std::vector<VipArpChange>& changes() const { return changes_; }

 private:
  void record(const Host& h, const NeighbourChange& c);

  std::map<std::uint64_t, std::string> owners_;  // MAC -> "host/iface"
  std::vector<Ipv4Address> vips_;
  std::vector<VipArpChange> changes_;
};

/// For one (host, interface, VIP) entry: how long each owner's MAC held it, seconds, up to `end_s`.
std::map<std::string, double> held_by(const std::vector<VipArpChange>& changes, const std::string& entry, double end_s);

/// The summary's section: per cached VIP entry, the time each owner held it and the changes
/// of its MAC (at most `rows` lines of changes per entry).
void print_vip_arp(std::ostream& os, const RunResult& r, std::size_t rows = 16);

}  // namespace lvs::run
