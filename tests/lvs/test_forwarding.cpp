#include <catch2/catch.hpp>

#include <algorithm>
#include <iostream>

#include "lvs/ipvsadm_format.hpp"
#include "lvs_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

// Golden hop tables: every frame arrival of one SYN and its SYN-ACK, ARP included.
// Checked by hand against the rules of each mode; a change here must be deliberate.
const std::vector<std::string> kNatRows{
      "director/eth0  02:00:00:00:00:0a > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.74.129 tell 192.168.74.10  64B",
      "client/eth0  02:00:00:00:00:81 > 02:00:00:00:00:0a  ARP reply 192.168.74.129 is-at 02:00:00:00:00:81  64B",
      "director/eth0  02:00:00:00:00:0a > 02:00:00:00:00:81  192.168.74.10:40000 > 192.168.74.129:80 S  64B",
      "rs1/eth0  02:00:00:00:00:65 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.10.103 tell 192.168.10.101  64B",
      "rs2/eth0  02:00:00:00:00:65 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.10.103 tell 192.168.10.101  64B",
      "director/eth1  02:00:00:00:00:a2 > 02:00:00:00:00:65  ARP reply 192.168.10.103 is-at 02:00:00:00:00:a2  64B",
      "rs2/eth0  02:00:00:00:00:65 > 02:00:00:00:00:a2  192.168.74.10:40000 > 192.168.10.103:80 S  64B",
      "director/eth1  02:00:00:00:00:a2 > 02:00:00:00:00:65  192.168.10.103:80 > 192.168.74.10:40000 S.  64B",
      "client/eth0  02:00:00:00:00:81 > 02:00:00:00:00:0a  192.168.74.129:80 > 192.168.74.10:40000 S.  64B",
};

const std::vector<std::string> kDrRows{
      "router/eth0  02:00:00:00:00:0a > ff:ff:ff:ff:ff:ff  ARP who-has 10.9.0.1 tell 10.9.0.2  64B",
      "client/eth0  02:00:00:00:00:f0 > 02:00:00:00:00:0a  ARP reply 10.9.0.1 is-at 02:00:00:00:00:f0  64B",
      "router/eth0  02:00:00:00:00:0a > 02:00:00:00:00:f0  10.9.0.2:40000 > 192.168.1.100:80 S  64B",
      "director/eth0  02:00:00:00:00:f1 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.1.100 tell 192.168.1.1  64B",
      "rs1/eth0  02:00:00:00:00:f1 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.1.100 tell 192.168.1.1  64B",
      "rs2/eth0  02:00:00:00:00:f1 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.1.100 tell 192.168.1.1  64B",
      "router/eth1  02:00:00:00:00:10 > 02:00:00:00:00:f1  ARP reply 192.168.1.100 is-at 02:00:00:00:00:10  64B",
      "director/eth0  02:00:00:00:00:f1 > 02:00:00:00:00:10  10.9.0.2:40000 > 192.168.1.100:80 S  64B",
      "router/eth1  02:00:00:00:00:10 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.1.12 tell 192.168.1.10  64B",
      "rs1/eth0  02:00:00:00:00:10 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.1.12 tell 192.168.1.10  64B",
      "rs2/eth0  02:00:00:00:00:10 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.1.12 tell 192.168.1.10  64B",
      "director/eth0  02:00:00:00:00:a2 > 02:00:00:00:00:10  ARP reply 192.168.1.12 is-at 02:00:00:00:00:a2  64B",
      "rs2/eth0  02:00:00:00:00:10 > 02:00:00:00:00:a2  10.9.0.2:40000 > 192.168.1.100:80 S  64B",
      "router/eth1  02:00:00:00:00:a2 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.1.1 tell 192.168.1.12  64B",
      "director/eth0  02:00:00:00:00:a2 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.1.1 tell 192.168.1.12  64B",
      "rs1/eth0  02:00:00:00:00:a2 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.1.1 tell 192.168.1.12  64B",
      "rs2/eth0  02:00:00:00:00:f1 > 02:00:00:00:00:a2  ARP reply 192.168.1.1 is-at 02:00:00:00:00:f1  64B",
      "router/eth1  02:00:00:00:00:a2 > 02:00:00:00:00:f1  192.168.1.100:80 > 10.9.0.2:40000 S.  64B",
      "client/eth0  02:00:00:00:00:f0 > 02:00:00:00:00:0a  192.168.1.100:80 > 10.9.0.2:40000 S.  64B",
};

const std::vector<std::string> kTunRows{
      "router/eth0  02:00:00:00:00:0a > ff:ff:ff:ff:ff:ff  ARP who-has 10.9.0.1 tell 10.9.0.2  64B",
      "client/eth0  02:00:00:00:00:f0 > 02:00:00:00:00:0a  ARP reply 10.9.0.1 is-at 02:00:00:00:00:f0  64B",
      "router/eth0  02:00:00:00:00:0a > 02:00:00:00:00:f0  10.9.0.2:40000 > 192.168.1.100:80 S  64B",
      "director/eth0  02:00:00:00:00:f1 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.1.100 tell 192.168.1.1  64B",
      "rs1/eth0  02:00:00:00:00:f1 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.1.100 tell 192.168.1.1  64B",
      "rs2/eth0  02:00:00:00:00:f1 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.1.100 tell 192.168.1.1  64B",
      "router/eth1  02:00:00:00:00:10 > 02:00:00:00:00:f1  ARP reply 192.168.1.100 is-at 02:00:00:00:00:10  64B",
      "director/eth0  02:00:00:00:00:f1 > 02:00:00:00:00:10  10.9.0.2:40000 > 192.168.1.100:80 S  64B",
      "router/eth1  02:00:00:00:00:10 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.1.12 tell 192.168.1.10  64B",
      "rs1/eth0  02:00:00:00:00:10 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.1.12 tell 192.168.1.10  64B",
      "rs2/eth0  02:00:00:00:00:10 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.1.12 tell 192.168.1.10  64B",
      "director/eth0  02:00:00:00:00:a2 > 02:00:00:00:00:10  ARP reply 192.168.1.12 is-at 02:00:00:00:00:a2  64B",
      "rs2/eth0  02:00:00:00:00:10 > 02:00:00:00:00:a2  [192.168.1.10 > 192.168.1.12] 10.9.0.2:40000 > 192.168.1.100:80 S  82B",
      "router/eth1  02:00:00:00:00:a2 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.1.1 tell 192.168.1.12  64B",
      "director/eth0  02:00:00:00:00:a2 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.1.1 tell 192.168.1.12  64B",
      "rs1/eth0  02:00:00:00:00:a2 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.1.1 tell 192.168.1.12  64B",
      "rs2/eth0  02:00:00:00:00:f1 > 02:00:00:00:00:a2  ARP reply 192.168.1.1 is-at 02:00:00:00:00:f1  64B",
      "router/eth1  02:00:00:00:00:a2 > 02:00:00:00:00:f1  192.168.1.100:80 > 10.9.0.2:40000 S.  64B",
      "client/eth0  02:00:00:00:00:f0 > 02:00:00:00:00:0a  192.168.1.100:80 > 10.9.0.2:40000 S.  64B",
};

const std::vector<std::string> kFullNatRows{
      "director/eth0  02:00:00:00:00:0a > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.74.129 tell 192.168.74.10  64B",
      "client/eth0  02:00:00:00:00:81 > 02:00:00:00:00:0a  ARP reply 192.168.74.129 is-at 02:00:00:00:00:81  64B",
      "director/eth0  02:00:00:00:00:0a > 02:00:00:00:00:81  192.168.74.10:40000 > 192.168.74.129:80 S  64B",
      "rs1/eth0  02:00:00:00:00:65 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.10.103 tell 192.168.10.200  64B",
      "rs2/eth0  02:00:00:00:00:65 > ff:ff:ff:ff:ff:ff  ARP who-has 192.168.10.103 tell 192.168.10.200  64B",
      "director/eth1  02:00:00:00:00:a2 > 02:00:00:00:00:65  ARP reply 192.168.10.103 is-at 02:00:00:00:00:a2  64B",
      "rs2/eth0  02:00:00:00:00:65 > 02:00:00:00:00:a2  192.168.10.200:5001 > 192.168.10.103:80 S  70B",
      "director/eth1  02:00:00:00:00:a2 > 02:00:00:00:00:65  192.168.10.103:80 > 192.168.10.200:5001 S.  64B",
      "client/eth0  02:00:00:00:00:81 > 02:00:00:00:00:0a  192.168.74.129:80 > 192.168.74.10:40000 S.  64B",
};

ModeTopology& run_syn(ModeTopology& t, ForwardingMethod m) {
  build(t, m);
  send_syn(t);
  t.sim.run_until(Time::s(1));
  return t;
}

// IP frames (not ARP) that reached `node`.
std::vector<std::string> ip_rows_at(const ModeTopology& t, const std::string& node) {
  std::vector<std::string> out;
  for (const auto& r : t.hops.rows)
    if (r.rfind(node + "/", 0) == 0 && r.find("ARP") == std::string::npos) out.push_back(r);
  return out;
}

}  // namespace

TEST_CASE("NAT: destination rewritten on the way in, source back to the VIP on the way out", "[lvs][nat]") {
  ModeTopology t;
  run_syn(t, ForwardingMethod::Masquerade);
  CHECK(t.hops.rows == kNatRows);
  const Packet& at_rs = t.servers[1]->arrivals.at(0).pkt;  // rr's first pick is the list head: rs2
  CHECK(at_rs.ip.dst.str() == "192.168.10.103");
  CHECK(at_rs.ip.src.str() == "192.168.74.10");
  const Packet& at_client = t.client->arrivals.at(0).pkt;
  CHECK(at_client.ip.src.str() == "192.168.74.129");
  CHECK(at_client.sport == 80);
  CHECK(ip_rows_at(t, "director").size() == 2);  // the director carries both directions
}

TEST_CASE("DR: only the destination MAC changes, the reply bypasses the director", "[lvs][dr]") {
  ModeTopology t;
  run_syn(t, ForwardingMethod::DirectRouting);
  CHECK(t.hops.rows == kDrRows);
  const auto& arrival = t.servers[1]->arrivals.at(0);
  CHECK(arrival.pkt.ip.dst.str() == "192.168.1.100");       // still the VIP
  CHECK(arrival.pkt.eth_dst == MacAddress::local(0xa2));    // rs2's MAC
  CHECK(arrival.pkt.eth_src == MacAddress::local(0x10));    // from the director
  CHECK(arrival.in == "eth0");
  CHECK(ip_rows_at(t, "director").size() == 1);             // client to server only
  CHECK(t.client->arrivals.at(0).pkt.ip.src.str() == "192.168.1.100");
}

TEST_CASE("TUN: a second IP header to the real server, +20 bytes, decapsulated on tunl0", "[lvs][tun]") {
  ModeTopology t;
  run_syn(t, ForwardingMethod::Tunnel);
  CHECK(t.hops.rows == kTunRows);
  const auto& arrival = t.servers[1]->arrivals.at(0);
  CHECK(arrival.in == "tunl0");
  CHECK(ip_rows_at(t, "director").size() == 1);
  // The SYN is 44 IP bytes; on the wire to the real server it carried 64.
  const std::string to_rs = ip_rows_at(t, "rs2").at(0);
  CHECK(to_rs.find("[192.168.1.10 > 192.168.1.12]") != std::string::npos);
  CHECK(t.service->stats().in_bytes == 44);
}

// Alibaba's first local port is lport_min + 1 (ip_vs_hbind_laddr increments before use);
// the SYN grows by the 8-byte TOA option (44 -> 52 IP bytes: a 70-byte frame).
TEST_CASE("FULLNAT: both addresses rewritten both ways, from a local address pool", "[lvs][fullnat]") {
  ModeTopology t;
  run_syn(t, ForwardingMethod::FullNat);
  CHECK(t.hops.rows == kFullNatRows);
  const Packet& at_rs = t.servers[1]->arrivals.at(0).pkt;
  CHECK(at_rs.ip.src.str() == "192.168.10.200");
  CHECK(at_rs.sport == 5001);
  CHECK(at_rs.tcp.has_option(tcp_option::kToa));
  CHECK(t.director->fullnat_pool(*t.service)->in_use() == 1);
  CHECK(t.client->arrivals.at(0).pkt.ip.src.str() == "192.168.74.129");
  CHECK(t.client->arrivals.at(0).pkt.dport == 40000);
}

TEST_CASE("a SYN makes the connection active at once, the counts follow the TCP state", "[lvs][counting]") {
  for (auto m : {ForwardingMethod::Masquerade, ForwardingMethod::DirectRouting}) {
    ModeTopology t;
    run_syn(t, m);
    CAPTURE(forwarding_name(m));
    const SchedDest& rs2 = t.service->destinations()[0];
    CHECK(rs2.activeconns == 1);  // SYN_RECV is an active state
    CHECK(rs2.inactconns == 0);
    CHECK(t.service->destinations()[1].activeconns == 0);
    std::string state;
    t.director->connections().for_each([&](const Connection& c) { state = std::string(state_name(c.state)); });
    CHECK(state == "SYN_RECV");
  }
}

// A FULLNAT connection follows its flavour's table: Alibaba's SYN_RECV is 30 s (mainline 60 s).
TEST_CASE("a half-open connection expires after SYN_RECV's 30 s and frees its counts and port", "[lvs][counting]") {
  ModeTopology t;
  run_syn(t, ForwardingMethod::FullNat);
  CHECK(t.director->connections().size() == 1);
  t.sim.run_until(Time::s(30));
  CHECK(t.director->connections().size() == 1);  // the SYN arrived a few microseconds after 0
  t.sim.run_until(Time::s(31));
  CHECK(t.director->connections().size() == 0);
  CHECK(t.director->counters().expired == 1);
  CHECK(t.service->destinations()[0].activeconns == 0);
  CHECK(t.director->fullnat_pool(*t.service)->in_use() == 0);
}

TEST_CASE("ipvsadm -Ln and --stats show the tables as the real tool does", "[lvs][ipvsadm]") {
  ModeTopology t;
  run_syn(t, ForwardingMethod::Masquerade);
  CHECK(ipvsadm_list(*t.director) ==
        "IP Virtual Server version 1.2.1 (size=4096)\n"
        "Prot LocalAddress:Port Scheduler Flags\n"
        "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
        "TCP  192.168.74.129:80 rr\n"
        "  -> 192.168.10.102:80            Masq    1      0          0         \n"
        "  -> 192.168.10.103:80            Masq    1      1          0         \n");
  CHECK(ipvsadm_stats(*t.director) ==
        "IP Virtual Server version 1.2.1 (size=4096)\n"
        "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
        "  -> RemoteAddress:Port\n"
        "TCP  192.168.74.129:80                   1        1        1       44       44\n"
        "  -> 192.168.10.102:80                   0        0        0        0        0\n"
        "  -> 192.168.10.103:80                   1        1        1       44       44\n");
}

TEST_CASE("dump", "[.dump]") {
  for (auto m : {ForwardingMethod::Masquerade, ForwardingMethod::DirectRouting, ForwardingMethod::Tunnel, ForwardingMethod::FullNat}) {
    ModeTopology t;
    run_syn(t, m);
    std::cout << forwarding_name(m) << "\n";
    for (const auto& r : t.hops.rows) std::cout << "      \"" << r << "\",\n";
  }
}
