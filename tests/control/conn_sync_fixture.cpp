#include "conn_sync_fixture.hpp"

namespace lvs::test {

SyncPair::SyncPair() {
  Segment& lan = net.add_segment("lan", TxParams{});
  client = &net.add_node<EndHost>("client");
  lan.attach(client->add_ethernet("eth0", MacAddress::local(0x02), Ipv4Prefix(kClientIp, 24)));
  for (int d = 0; d < 2; ++d) {
    const auto last = static_cast<std::uint8_t>(11 + d);
    lvs[d] = &net.add_node<CrashableDirector>(d == 0 ? "lvs1" : "lvs2");
    lan.attach(lvs[d]->add_ethernet("eth0", MacAddress::local(last), Ipv4Prefix(Ipv4Address(10, 0, 0, last), 24)));
    local[d] = std::make_unique<Transport>(*lvs[d]);
  }
  lvs[0]->interface("eth0")->add_address(Ipv4Prefix(kVip, 24));
  for (int r = 0; r < 2; ++r) {
    const auto last = static_cast<std::uint8_t>(21 + r);
    rs[r] = &net.add_node<EndHost>(r == 0 ? "rs1" : "rs2");
    lan.attach(rs[r]->add_ethernet("eth0", MacAddress::local(last), Ipv4Prefix(Ipv4Address(10, 0, 0, last), 24)));
    rs[r]->add_loopback_address(kVip);
    rs[r]->sysctl().arp_ignore = 1;
    rs[r]->sysctl().arp_announce = 2;
    echo.push_back(std::make_unique<EchoServer>(*rs[r]));
    rs[r]->tcp_listen(80, *echo.back(), 128);
  }
  for (CrashableDirector* d : lvs) {  // keepalived configures the same virtual server on both
    VirtualService& svc = d->add_service(IpProto::Tcp, kVip, 80, "rr");
    for (int r = 0; r < 2; ++r)
      svc.add_destination(DestinationConfig{rs[r]->name(), Ipv4Address(10, 0, 0, static_cast<std::uint8_t>(21 + r)), 80,
                                            ForwardingMethod::DirectRouting, 1, 0, 0});
  }
  sessions = std::make_unique<Sessions>(sim, *client);
}

void SyncPair::start_sync(std::uint32_t maxlen) {
  scenario::SyncDaemonSpec spec;
  spec.syncid = 51;
  spec.maxlen = maxlen;
  for (int d = 0; d < 2; ++d) sync.add(*lvs[d], *local[d], spec, &log);
  sync.daemons()[0]->start_master();
  sync.daemons()[1]->start_backup();
}

void SyncPair::crash_master_at(Time at) {
  sim.schedule_at(at, [this] {
    lvs[0]->down = true;
    if (!sync.daemons().empty()) sync.daemons()[0]->stop();
    lvs[0]->interface("eth0")->remove_address(kVip);
    lvs[1]->interface("eth0")->add_address(Ipv4Prefix(kVip, 24));
    lvs[1]->send_gratuitous_arp(*lvs[1]->interface("eth0"), kVip);
    if (!sync.daemons().empty()) sync.daemons()[1]->start_master();
  });
}

Ipv4Address SyncPair::real_server_of(int d, std::uint16_t client_port) const {
  Ipv4Address out;
  lvs[d]->connections().for_each([&](const Connection& c) {
    if (c.cport == client_port) out = c.daddr;
  });
  return out;
}

}  // namespace lvs::test
