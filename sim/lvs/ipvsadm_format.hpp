#pragma once
// The director's tables as ipvsadm prints them: -Ln and -Ln --stats. Like ipvsadm
// without --nosort, services and destinations are sorted by address and port, which
// is not the order the scheduler walks (ipvs-semantics.md §1).

#include <string>

#include "lvs/director.hpp"

namespace lvs {

/// `ipvsadm -Ln`: services with scheduler, destinations with Forward, Weight, ActiveConn, InActConn.
std::string ipvsadm_list(const Director& d);
/// `ipvsadm -Ln --stats`: Conns, InPkts, OutPkts, InBytes, OutBytes.
std::string ipvsadm_stats(const Director& d);

}  // namespace lvs
