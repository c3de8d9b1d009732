#include "run/build_fwmark.hpp"

namespace lvs::run {

namespace {

IpProto proto_of(scenario::Protocol p) { return p == scenario::Protocol::Udp ? IpProto::Udp : IpProto::Tcp; }

}  // namespace

VirtualService& add_fwmark_service(Director& d, const scenario::ServiceSpec& s) {
  for (const scenario::MarkRuleSpec& r : s.marks) {
    MarkRule rule;
    if (r.protocol) rule.proto = proto_of(*r.protocol);
    rule.destination = r.destination;
    rule.dport = r.port;
    rule.mark = *s.fwmark;
    d.marks().add(rule);
  }
  return d.add_fwmark_service(*s.fwmark, s.scheduler, proto_of(s.protocol));
}

}  // namespace lvs::run
