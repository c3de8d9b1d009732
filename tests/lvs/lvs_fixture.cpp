#include "lvs_fixture.hpp"

#include "../support/hop_row.hpp"

#include <sstream>

namespace lvs::test {

namespace {

constexpr TxParams kGigabit{1'000'000'000, Time::us(5), 1'000'000};

Responder& add_host(ModeTopology& t, const char* name) {
  Responder& h = t.net.add_node<Responder>(name);
  t.servers.push_back(&h);
  return h;
}

}  // namespace

void HopTable::on_receive(Time, const Interface& in, const Packet& p) { rows.push_back(hop_row(in, p)); }

// NAT and FULLNAT: client 192.168.74.10 - [outside] - director eth0 192.168.74.129 (the VIP) /
// eth1 192.168.10.101 - [inside] - rs1 192.168.10.102, rs2 192.168.10.103.
// DR and TUN: client 10.9.0.2 - router 10.9.0.1 / 192.168.1.1 - [lan] - director
// 192.168.1.10 with the VIP 192.168.1.100, rs1 192.168.1.11, rs2 192.168.1.12.
void build(ModeTopology& t, ForwardingMethod method) {
  t.net.set_observer(&t.hops);
  const bool two_arm = method == ForwardingMethod::Masquerade || method == ForwardingMethod::FullNat;
  t.client = &t.net.add_node<Responder>("client");
  t.director = &t.net.add_node<Director>("director");
  Segment& outside = t.net.add_segment("outside", kGigabit);
  Segment& inside = t.net.add_segment(two_arm ? "inside" : "lan", kGigabit);
  const char* rs_addr[] = {two_arm ? "192.168.10.102/24" : "192.168.1.11/24", two_arm ? "192.168.10.103/24" : "192.168.1.12/24"};
  Ipv4Address vip;
  if (two_arm) {
    outside.attach(t.client->add_ethernet("eth0", MacAddress::local(0x0a), prefix("192.168.74.10/24")));
    outside.attach(t.director->add_ethernet("eth0", MacAddress::local(0x81), prefix("192.168.74.129/24")));
    inside.attach(t.director->add_ethernet("eth1", MacAddress::local(0x65), prefix("192.168.10.101/24")));
    vip = ip("192.168.74.129");
    if (method == ForwardingMethod::FullNat) t.director->interface("eth1")->add_address(prefix("192.168.10.200/24"));
  } else {
    Responder& router = t.net.add_node<Responder>("router");
    router.sysctl().ip_forward = true;
    outside.attach(t.client->add_ethernet("eth0", MacAddress::local(0x0a), prefix("10.9.0.2/24")));
    outside.attach(router.add_ethernet("eth0", MacAddress::local(0xf0), prefix("10.9.0.1/24")));
    inside.attach(router.add_ethernet("eth1", MacAddress::local(0xf1), prefix("192.168.1.1/24")));
    t.client->set_default_gateway(ip("10.9.0.1"));
    Interface& d0 = t.director->add_ethernet("eth0", MacAddress::local(0x10), prefix("192.168.1.10/24"));
    d0.add_address(prefix("192.168.1.100/24"));
    inside.attach(d0);
    t.director->set_default_gateway(ip("192.168.1.1"));
    vip = ip("192.168.1.100");
  }
  t.service = &t.director->add_service(IpProto::Tcp, vip, 80, "rr");
  if (method == ForwardingMethod::FullNat)
    t.director->add_fullnat_pool(*t.service, Flavour::Alibaba).add(ip("192.168.10.200"));
  for (int i = 0; i < 2; ++i) {
    Responder& rs = add_host(t, i == 0 ? "rs1" : "rs2");
    inside.attach(rs.add_ethernet("eth0", MacAddress::local(static_cast<std::uint64_t>(0xa1 + i)), prefix(rs_addr[i])));
    if (method == ForwardingMethod::Masquerade) rs.set_default_gateway(ip("192.168.10.101"));
    if (method == ForwardingMethod::DirectRouting || method == ForwardingMethod::Tunnel) {
      rs.set_default_gateway(ip("192.168.1.1"));
      rs.sysctl().arp_ignore = 1;
      rs.sysctl().arp_announce = 2;
      if (method == ForwardingMethod::DirectRouting) rs.add_loopback_address(vip);
      else rs.add_tunnel_address(vip);
    }
    t.service->add_destination(DestinationConfig{rs.name(), prefix(rs_addr[i]).address(), 80, method, 1, 0, 0});
  }
}

void send_syn(ModeTopology& t) {
  const PacketId p = t.net.new_packet();
  Packet& syn = t.net.packets()[p];
  syn.ip = Ipv4Header{Ipv4Address(), t.service->vip(), IpProto::Tcp};
  syn.sport = 40000;
  syn.dport = 80;
  syn.tcp.flags = tcp_flags::kSyn;
  syn.tcp.options = kTcpMssOption;
  t.client->ip_send(p);
}

}  // namespace lvs::test
