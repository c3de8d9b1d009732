// The director's firewall-mark services: the service lookup the kernel makes for a new
// connection, and the policy route that brings marked packets for foreign addresses (the
// origin servers of a cache cluster) to IPVS. docs/fwmark.md.

#include "lvs/director.hpp"
#include "net/network.hpp"
#include "schedulers/registry.hpp"

namespace lvs {

VirtualService& Director::add_fwmark_service(std::uint32_t mark, std::string_view scheduler, IpProto proto) {
  Rng& rng = sim().rng(name() + "/fwm " + std::to_string(mark) + "/scheduler");
  services_.push_back(
      std::make_unique<VirtualService>(proto, Ipv4Address(), std::uint16_t{0}, make_scheduler(scheduler), rng, mark));
  return *services_.back();
}

VirtualService* Director::find_fwmark_service(std::uint32_t mark) const {
  for (const auto& s : services_)
    if (s->fwmark() == mark) return s.get();
  return nullptr;
}

// ip_vs_service_find (ip_vs_ctl.c), called by tcp_conn_schedule / udp_conn_schedule with
// skb->mark: a marked packet is looked up first in the table hashed by fwmark
// (__ip_vs_svc_fwm_find: mark and address family only; protocol, address and port do not
// matter); if no fwmark service has that mark, or the packet carries none, then by
// <protocol, vaddr, vport> (__ip_vs_service_find). The FTP-data and port-zero fallbacks
// that follow in the kernel are not modelled (no such services exist here).
VirtualService* Director::find_service(std::uint32_t mark, IpProto proto, Ipv4Address vaddr,
                                       std::uint16_t vport) const {
  if (mark != 0)
    if (VirtualService* svc = find_fwmark_service(mark)) return svc;
  for (const auto& s : services_)
    if (s->fwmark() == 0 && s->protocol() == proto && s->vip() == vaddr && s->port() == vport) return s.get();
  return nullptr;
}

VirtualService* Director::find_service(const Packet& pkt) const {
  return find_service(marks_.empty() ? 0 : marks_.mark_of(pkt), pkt.ip.proto, pkt.ip.dst, pkt.dport);
}

// IPVS sees packets at LOCAL_IN only; a cache cluster's director routes marked packets for
// foreign addresses to itself with a policy rule, `ip rule add prio 100 fwmark 1 table 100;
// ip route add local 0/0 dev lo table 100` (LVS-HOWTO, transparent cache / fwmark). The
// model configures that route for every mark a fwmark service of this director has.
bool Director::local_by_policy(const Packet& pkt) const {
  if (marks_.empty()) return false;
  const std::uint32_t mark = marks_.mark_of(pkt);
  return mark != 0 && find_fwmark_service(mark) != nullptr;
}

}  // namespace lvs
