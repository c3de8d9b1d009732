// ipvsadm -S -n (ipvsadm-save -n): the rules that rebuild the table, as ipvsadm 1.26's
// print_service_entry writes them with FMT_RULE. No header; services and destinations in
// the sorted order of the listings.

#include "lvs/ipvsadm_detail.hpp"
#include "lvs/ipvsadm_format.hpp"
#include "schedulers/sched_flags.hpp"

namespace lvs {

using namespace ipvsadm_detail;

namespace {

// fwd_switch: -m for Masq, -i for Tunnel, -g for Route (and Local). FULLNAT is not in
// mainline ipvsadm; the ipvsadm of Alibaba's LVS and of DPVS spell it -b (--fullnat).
const char* fwd_switch(ForwardingMethod m) {
  switch (m) {
    case ForwardingMethod::Masquerade: return "-m";
    case ForwardingMethod::Tunnel: return "-i";
    case ForwardingMethod::FullNat: return "-b";
    case ForwardingMethod::DirectRouting: break;
  }
  return "-g";
}

// "-A %s -s %s", then " -p %u" and, for a mask other than 255.255.255.255, " -M %s", then
// " -b %s" with the scheduler flags (ipvsadm 1.31 print_service_entry).
std::string add_service_rule(const VirtualService& s, const std::string& svc_name) {
  std::string out = "-A " + svc_name + " -s " + std::string(s.scheduler().name());
  if (const auto& p = s.persistence()) {
    out += " -p " + std::to_string(p->timeout.count() / Time::s(1).count());
    if (p->netmask.value() != 0xffffffffU) out += " -M " + p->netmask.str();
  }
  if (const std::string flags = sched_flags_text(s.sched_flags(), s.scheduler().name()); !flags.empty())
    out += " -b " + flags;
  return out + "\n";
}

}  // namespace

std::string ipvsadm_save(const Director& d) {
  std::string out;
  for (const IndexedService& is : sorted_services(d)) {
    const VirtualService& s = *is.svc;
    // print_service_entry with FMT_RULE: "-f %d" for a fwmark service, else "-t|-u VIP:port".
    const std::string svc_name = s.fwmark() != 0 ? fwmark_name(s.fwmark(), true)
                                                 : std::string(s.protocol() == IpProto::Udp ? "-u " : "-t ") +
                                                       endpoint(s.vip(), s.port());
    out += add_service_rule(s, svc_name);
    // "-a %s -r %s %s -w %d": the thresholds (-x, -y) are not saved.
    for (const SchedDest& dest : sorted_dests(s))
      out += format("-a %s -r %s %s -w %d\n", svc_name.c_str(), dest_endpoint(dest).c_str(),
                    fwd_switch(s.config(dest.id).method), dest.weight);
  }
  return out;
}

}  // namespace lvs
