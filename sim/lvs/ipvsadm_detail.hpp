#pragma once
// Helpers shared by the ipvsadm writers (ipvsadm_format.cpp, ipvsadm_conn.cpp,
// ipvsadm_save.cpp): the sort order of ipvsadm's listings and printf into a string.

#include <cstdio>
#include <string>
#include <vector>

#include "lvs/director.hpp"

namespace lvs::ipvsadm_detail {

/// "10.0.0.1:80": addrport_to_anyname with -n.
inline std::string endpoint(Ipv4Address a, std::uint16_t port) { return a.str() + ":" + std::to_string(port); }
/// "TCP", "UDP", or "IP" for a fwmark template's IPPROTO_IP (ip_vs_proto_name).
inline const char* proto_name(IpProto p) {
  return p == IpProto::Udp ? "UDP" : static_cast<int>(p) == 0 ? "IP" : "TCP";
}
/// "-f MARK" (FMT_RULE) or "FWM  MARK" (print_service_entry); "" for a VIP:port service.
inline std::string fwmark_name(std::uint32_t mark, bool rule) {
  return mark == 0 ? std::string() : (rule ? "-f " : "FWM  ") + std::to_string(mark);
}
/// The destination's RIP:port.
inline std::string dest_endpoint(const SchedDest& d) { return endpoint(Ipv4Address(d.addr.words[0]), d.port); }

/// A service and its index in Director::services() (the estimators are kept by index).
struct IndexedService {
  const VirtualService* svc;
  std::size_t index;
};
/// The services as ipvsadm lists them without --nosort (libipvs ipvs_cmp_services:
/// protocol, then address, then port).
std::vector<IndexedService> sorted_services(const Director& d);
/// A service's destinations as ipvsadm lists them (ipvs_cmp_dests: address, then port).
std::vector<SchedDest> sorted_dests(const VirtualService& s);

/// snprintf into a std::string (lines are short: at most 255 characters).
template <class... Args>
std::string format(const char* fmt, Args... args) {
  char buf[256];
  std::snprintf(buf, sizeof buf, fmt, args...);
  return buf;
}

}  // namespace lvs::ipvsadm_detail
