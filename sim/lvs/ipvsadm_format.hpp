#pragma once
// The director's tables as ipvsadm 1.26 prints them (ipvsadm.c: list_all, print_title,
// print_service_entry, print_largenum, list_timeout): -Ln and its alternate listings.
// Like ipvsadm without --nosort, services and destinations are sorted by address and
// port, which is not the order the scheduler walks (ipvs-semantics.md §1). The connection
// list is in ipvsadm_conn.cpp, the save format in ipvsadm_save.cpp (docs/ipvsadm.md).

#include <cstdint>
#include <string>

#include "lvs/director.hpp"

namespace lvs {

/// ipvsadm's print_largenum: below 10^8 `%9llu`; then `%8lluK` (/10^3) below 10^9, `M`
/// (/10^6) below 10^11, `G` (/10^9) below 10^14, else `T` (/10^12). With --exact (`exact`)
/// the full number, right-aligned in 9 columns or, if longer than 8 digits, its length + 1.
std::string print_largenum(std::uint64_t n, bool exact);

/// `ipvsadm -Ln`: services with scheduler, destinations with Forward, Weight, ActiveConn, InActConn.
std::string ipvsadm_list(const Director& d);
/// `ipvsadm -Ln --stats [--exact]`: Conns, InPkts, OutPkts, InBytes, OutBytes.
std::string ipvsadm_stats(const Director& d, bool exact = false);
/// `ipvsadm -Ln --rate [--exact]`: CPS, InPPS, OutPPS, InBPS, OutBPS from the director's
/// estimators as last updated (Director::update_estimators).
std::string ipvsadm_rate(const Director& d, bool exact = false);
/// `ipvsadm -Ln --thresholds`: Uthreshold, Lthreshold, ActiveConn, InActConn.
std::string ipvsadm_thresholds(const Director& d);
/// `ipvsadm -Ln --persistent-conn`: Weight, PersistConn, ActiveConn, InActConn.
std::string ipvsadm_persistent_conn(const Director& d);
/// `ipvsadm -Ln --timeout`: "Timeout (tcp tcpfin udp): 900 120 300" from the timeouts the
/// director's connections use (ESTABLISHED, FIN_WAIT, UDP).
std::string ipvsadm_timeout(const Director& d);
/// `ipvsadm -Lnc` at time `now`: the connection entries and persistence templates.
std::string ipvsadm_connections(const Director& d, Time now);
/// `ipvsadm -S -n`: the rules that rebuild the services (no header).
std::string ipvsadm_save(const Director& d);

}  // namespace lvs
