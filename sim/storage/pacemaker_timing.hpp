#pragma once
// The timings of a Pacemaker/corosync failover of an NFS server on a DRBD pair, as data (the
// orchestration is control/pacemaker.hpp). lvs-models-reference 6.3; docs/storage-alternatives.md.

#include "core/time.hpp"

namespace lvs::storage {

struct PacemakerTiming {
  /// Corosync's failure detection: token (1000 ms, RHEL 7 pcs defaults; 3000 ms since RHEL 8.4)
  /// + consensus (1200 ms = 1.2 x token).
  Time detection = Time::ms(1000 + 1200);
  /// Fencing the lost node (stonith) before its resources move. Depends on the fence device
  /// (an IPMI power-off takes seconds); 0 by default here (UNVERIFIED: no sourced figure).
  Time fencing = Time::zero();
  /// drbdadm primary on the survivor (UNVERIFIED: 1 s, no sourced figure).
  Time promote = Time::s(1);
  /// Filesystem mount + exportfs + nfsserver start before the address moves (UNVERIFIED: 2 s).
  Time start = Time::s(2);
};

}  // namespace lvs::storage
