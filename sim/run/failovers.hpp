#pragma once
// The failovers of a run, read from the control plane's timeline, the VIP's ARP entries
// and the requests that failed or were slow. For each failure (crash, stop, link-down):
// - detected: the first reaction of the control plane after it and before its repair: for a
//   real server (or its cable), a checker marking it down ("realserver-down", on any
//   director); for a director that was VRRP MASTER (or its cable), another director's
//   instance entering MASTER; for a link or segment, whichever of the two comes first.
// - traffic moved: for a real server, it is out of the service (or at weight 0) on the
//   director holding the VIP at that moment (the MASTER; with no VRRP, any director); for a
//   director, the first ARP entry for the VIP (the router's) that points to another
//   director's MAC. Never when the failed part carried no traffic (a BACKUP director).
// - recovered: its recover, start or link-up.
// - requests: those issued from the failure until traffic moved (or, if it never did, until
//   the repair, or the end of the run): failed ones (any reason), and completed ones slower
//   than kDelayedRequest_s.

#include <map>
#include <string>
#include <vector>

#include "nodes/client.hpp"
#include "run/results.hpp"

namespace lvs::run {

struct FailoverInputs {
  std::vector<std::string> directors;  ///< the directors' names
  /// Per real server host: "[a.b.c.d]" for each of its addresses, as the checkers name it.
  std::map<std::string, std::vector<std::string>> server_addresses;
  std::vector<RequestOutcome> outcomes;  ///< failed and slow requests (Client::outcomes)
  double end_s = 0;                      ///< the end of the run
};

/// One FailoverResult per crash, stop and link-down of `timeline`, in its order.
std::vector<FailoverResult> find_failovers(const std::vector<TimelineEntry>& timeline,
                                           const std::vector<VipArpChange>& vip_arp, const FailoverInputs& in);

}  // namespace lvs::run
