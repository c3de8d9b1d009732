// Firewall-mark services (docs/fwmark.md): the mangle MARK chain, the kernel's service lookup
// (fwmark first), connections that keep the origin address so dh hashes it, rr rotating over
// them, persistence templates keyed by the mark, lo prefixes that make a cache accept any
// origin address, and the ipvsadm views of a fwmark service, byte for byte.

#include <catch2/catch.hpp>

#include <map>

#include "lvs/ipvsadm_format.hpp"
#include "lvs_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

constexpr TxParams kGigabit{1'000'000'000, Time::us(5), 1'000'000};
constexpr int kCaches = 4;

// Origin k of 50: 10.1.(5k).(k+1).
Ipv4Address origin(int k) {
  return Ipv4Address(10, 1, static_cast<std::uint8_t>(5 * k), static_cast<std::uint8_t>(k + 1));
}

// client 10.0.0.2 (gateway: the director) -[clients]- director 10.0.0.1 / 192.168.1.1
// -[caches]- cache1..4 192.168.1.11..14, each with 10.1.0.0/16 on lo. The director marks
// tcp to 10.1.0.0/16 port 80 with mark 1 and runs `ipvsadm -A -f 1 -s SCHED`, adding
// cache1..4 in that order with -g and no port.
struct CacheCluster {
  Simulation sim{1};
  Network net{sim};
  Recorder rec;
  Director* director = nullptr;
  Responder* client = nullptr;
  std::vector<Responder*> caches;
  VirtualService* service = nullptr;

  explicit CacheCluster(const char* scheduler) {
    net.set_observer(&rec);
    client = &net.add_node<Responder>("client");
    director = &net.add_node<Director>("director");
    Segment& outside = net.add_segment("clients", kGigabit);
    Segment& inside = net.add_segment("caches", kGigabit);
    outside.attach(client->add_ethernet("eth0", MacAddress::local(0x0a), prefix("10.0.0.2/24")));
    client->set_default_gateway(ip("10.0.0.1"));
    outside.attach(director->add_ethernet("eth0", MacAddress::local(0x10), prefix("10.0.0.1/24")));
    inside.attach(director->add_ethernet("eth1", MacAddress::local(0x11), prefix("192.168.1.1/24")));
    director->marks().add(MarkRule{IpProto::Tcp, prefix("10.1.0.0/16"), 80, 1});
    service = &director->add_fwmark_service(1, scheduler);
    for (int i = 0; i < kCaches; ++i) {
      Responder& c = net.add_node<Responder>("cache" + std::to_string(i + 1));
      const Ipv4Address rip(192, 168, 1, static_cast<std::uint8_t>(11 + i));
      inside.attach(c.add_ethernet("eth0", MacAddress::local(static_cast<std::uint64_t>(0xa1 + i)), Ipv4Prefix(rip, 24)));
      c.set_default_gateway(ip("192.168.1.1"));
      c.sysctl().arp_ignore = 1;
      c.sysctl().arp_announce = 2;
      c.add_loopback_address(prefix("10.1.0.0/16"));
      caches.push_back(&c);
      service->add_destination(DestinationConfig{c.name(), rip, 0, ForwardingMethod::DirectRouting, 1, 0, 0});
    }
  }

  void syn(Ipv4Address to, std::uint16_t sport, std::uint16_t dport = 80) {
    const PacketId p = net.new_packet();
    Packet& s = net.packets()[p];
    s.ip = Ipv4Header{Ipv4Address(), to, IpProto::Tcp};
    s.sport = sport;
    s.dport = dport;
    s.tcp.flags = tcp_flags::kSyn;
    s.tcp.options = kTcpMssOption;
    client->ip_send(p);
  }

  // 1000 SYNs, 10 us apart (the client's ARP queue holds only the first ~100 unresolved),
  // connection k from port 20000 + k to origin k mod 50.
  void thousand_syns() {
    for (int k = 0; k < 1000; ++k)
      sim.schedule_at(Time::us(10 * k), [this, k] { syn(origin(k % 50), static_cast<std::uint16_t>(20000 + k)); });
  }

  // The cache (1-based) each connection went to, by client port.
  std::map<std::uint16_t, int> picks() const {
    std::map<std::uint16_t, int> out;
    director->connections().for_each(
        [&out](const Connection& c) { out[c.cport] = static_cast<int>(c.daddr.value() - ip("192.168.1.10").value()); });
    return out;
  }
};

// ip_vs_dh.c, computed here from the formula in docs/ipvs-semantics.md §2.10 rather than with
// the scheduler: bucket hash_32(addr, 8) = (addr * 0x61C88647 mod 2^32) >> 24; bucket i holds
// dest[i mod n] in list order; the list is the reverse of the order the caches were added
// (list_add_rcu puts a new destination at the head; §1), so list[j] is cache n - j.
int dh_expected(Ipv4Address daddr) {
  const std::uint32_t bucket = (daddr.value() * 0x61C88647U) >> 24;
  return kCaches - static_cast<int>(bucket % kCaches);
}

}  // namespace

TEST_CASE("mark rules: the last rule that matches sets the mark, ports only in first fragments", "[lvs][fwmark]") {
  MarkTable t;
  t.add(MarkRule{IpProto::Tcp, prefix("10.1.0.0/16"), 80, 1});
  t.add(MarkRule{std::nullopt, prefix("10.1.7.0/24"), std::nullopt, 2});
  Packet p;
  p.ip = Ipv4Header{ip("10.0.0.2"), ip("10.1.3.7"), IpProto::Tcp};
  p.dport = 80;
  CHECK(t.mark_of(p) == 1);
  p.ip.dst = ip("10.1.7.9");
  CHECK(t.mark_of(p) == 2);  // MARK does not end the chain: the later rule overwrites
  p.ip.dst = ip("10.1.3.7");
  p.dport = 443;
  CHECK(t.mark_of(p) == 0);
  p.dport = 80;
  p.ip.proto = IpProto::Udp;
  CHECK(t.mark_of(p) == 0);
  p.ip.proto = IpProto::Tcp;
  p.ip.frag_offset = 185;
  CHECK(t.mark_of(p) == 0);  // a non-first fragment has no port to match
}

TEST_CASE("a prefix on lo makes every address in it local, a /32 only itself", "[lvs][fwmark][net]") {
  Simulation sim{1};
  Network net{sim};
  Host& h = net.add_node<Host>("cache");
  h.add_loopback_address(prefix("10.1.0.0/16"));
  h.add_loopback_address(ip("192.168.1.100"));
  CHECK(h.is_local(ip("10.1.3.7")));
  CHECK(h.is_local(ip("10.1.255.254")));
  CHECK_FALSE(h.is_local(ip("10.2.0.1")));
  CHECK(h.is_local(ip("192.168.1.100")));
  CHECK_FALSE(h.is_local(ip("192.168.1.101")));
}

TEST_CASE("fwmark dh: 1000 connections to 50 origins land on the cache the dh hash names", "[lvs][fwmark][dh]") {
  CacheCluster t("dh");
  t.thousand_syns();
  t.sim.run_until(Time::s(1));
  const auto picks = t.picks();
  REQUIRE(picks.size() == 1000);
  std::map<int, int> per_cache;
  for (int k = 0; k < 1000; ++k) {
    const int expected = dh_expected(origin(k % 50));
    INFO("connection " << k << " to " << origin(k % 50).str());
    CHECK(picks.at(static_cast<std::uint16_t>(20000 + k)) == expected);
    ++per_cache[expected];
  }
  // Every cache accepted the SYNs for the origin addresses (lo prefix) and answered from them.
  for (int i = 0; i < kCaches; ++i) CHECK(t.caches[i]->arrivals.size() == static_cast<std::size_t>(per_cache[i + 1]));
  for (const auto& a : t.caches[0]->arrivals) CHECK(Ipv4Prefix(ip("10.1.0.0"), 16).contains(a.pkt.ip.dst));
  REQUIRE(t.client->arrivals.size() == 1000);
  for (const auto& a : t.client->arrivals) {
    CHECK(a.pkt.has_flag(tcp_flags::kSyn | tcp_flags::kAck));
    CHECK(a.pkt.ip.src == origin((a.pkt.dport - 20000) % 50));
  }
  CHECK(t.rec.drops.empty());
}

TEST_CASE("fwmark rr: connections to many origins rotate over the list", "[lvs][fwmark][rr]") {
  CacheCluster t("rr");
  t.thousand_syns();
  t.sim.run_until(Time::s(1));
  const auto picks = t.picks();
  REQUIRE(picks.size() == 1000);
  // ip_vs_rr_schedule starts after the list head: the first pick is list[0] = cache4 (added last).
  for (int k = 0; k < 1000; ++k) CHECK(picks.at(static_cast<std::uint16_t>(20000 + k)) == kCaches - k % kCaches);
}

TEST_CASE("fwmark: the connection keeps the origin address and port, VIP:port services are looked up after",
          "[lvs][fwmark]") {
  CacheCluster t("rr");
  t.director->interface("eth0")->add_address(prefix("10.0.0.100/24"));
  VirtualService& web = t.director->add_service(IpProto::Tcp, ip("10.0.0.100"), 80, "rr");
  web.add_destination(DestinationConfig{"cache1", ip("192.168.1.11"), 8080, ForwardingMethod::Masquerade, 1, 0, 0});
  t.syn(ip("10.1.3.7"), 30001);
  t.syn(ip("10.0.0.100"), 30002);  // no mark: the VIP:port service
  t.syn(ip("10.1.3.7"), 30003, 443);  // no mark (port 443): not for IPVS, forwarded on
  t.sim.run_until(Time::s(1));
  std::vector<std::string> rows;
  t.director->connections().for_each([&rows](const Connection& c) {
    rows.push_back(std::to_string(c.cport) + " " + c.vaddr.str() + ":" + std::to_string(c.vport) + " -> " +
                   c.daddr.str() + ":" + std::to_string(c.dport) + (c.svc->fwmark() != 0 ? " fwm" : ""));
  });
  std::sort(rows.begin(), rows.end());
  CHECK(rows == std::vector<std::string>{"30001 10.1.3.7:80 -> 192.168.1.14:80 fwm",
                                         "30002 10.0.0.100:80 -> 192.168.1.11:8080"});
}

TEST_CASE("fwmark persistence: one template <IP, client, 0, mark, 0> for every origin and port", "[lvs][fwmark]") {
  CacheCluster t("rr");
  t.director->marks().add(MarkRule{IpProto::Tcp, prefix("10.1.0.0/16"), 443, 1});
  t.service->set_persistence(Persistence{Time::s(300), Ipv4Address(0xffffffffU)});
  t.syn(ip("10.1.3.7"), 30001);
  t.syn(ip("10.1.9.1"), 30002, 443);
  t.syn(ip("10.1.200.5"), 30003);
  t.sim.run_until(Time::ms(10));
  CHECK(t.director->templates().size() == 1);
  // ipvsadm -Lnc: the template shows protocol IP (ip_vs_proto_name(IPPROTO_IP)), the mark as
  // its virtual address, ports 0; the connections keep each origin address and port.
  CHECK(ipvsadm_connections(*t.director, t.sim.now()) ==
        "IPVS connection entries\n"
        "pro expire state       source             virtual            destination\n"
        "IP  04:59  NONE        10.0.0.2:0         0.0.0.1:0          192.168.1.14:0\n"
        "TCP 00:59  SYN_RECV    10.0.0.2:30001     10.1.3.7:80        192.168.1.14:80\n"
        "TCP 00:59  SYN_RECV    10.0.0.2:30002     10.1.9.1:443       192.168.1.14:443\n"
        "TCP 00:59  SYN_RECV    10.0.0.2:30003     10.1.200.5:80      192.168.1.14:80\n");
}

TEST_CASE("ipvsadm -Ln and -S -n print a fwmark service as ipvsadm does, after the VIP:port services",
          "[lvs][fwmark][ipvsadm]") {
  CacheCluster t("lblc");
  t.director->interface("eth0")->add_address(prefix("10.0.0.100/24"));
  t.director->add_service(IpProto::Tcp, ip("10.0.0.100"), 80, "wlc")
      .add_destination(DestinationConfig{"cache1", ip("192.168.1.11"), 80, ForwardingMethod::Masquerade, 1, 0, 0});
  t.director->marks().add(MarkRule{IpProto::Tcp, prefix("10.2.0.0/16"), 80, 2});
  VirtualService& two = t.director->add_fwmark_service(2, "dh");
  two.set_persistence(Persistence{Time::s(360), Ipv4Address(0xffffff00U)});
  two.add_destination(DestinationConfig{"cache2", ip("192.168.1.12"), 0, ForwardingMethod::Tunnel, 3, 0, 0});
  // ipvsadm.c print_service_entry: svc_name "FWM  %d" (not padded in -Ln), "-f %d" with FMT_RULE;
  // libipvs ipvs_cmp_services sorts by fwmark first, so mark-0 services come first.
  CHECK(ipvsadm_list(*t.director) ==
        "IP Virtual Server version 1.2.1 (size=4096)\n"
        "Prot LocalAddress:Port Scheduler Flags\n"
        "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
        "TCP  10.0.0.100:80 wlc\n"
        "  -> 192.168.1.11:80              Masq    1      0          0         \n"
        "FWM  1 lblc\n"
        "  -> 192.168.1.11:0               Route   1      0          0         \n"
        "  -> 192.168.1.12:0               Route   1      0          0         \n"
        "  -> 192.168.1.13:0               Route   1      0          0         \n"
        "  -> 192.168.1.14:0               Route   1      0          0         \n"
        "FWM  2 dh persistent 360 mask 255.255.255.0\n"
        "  -> 192.168.1.12:0               Tunnel  3      0          0         \n");
  CHECK(ipvsadm_save(*t.director) ==
        "-A -t 10.0.0.100:80 -s wlc\n"
        "-a -t 10.0.0.100:80 -r 192.168.1.11:80 -m -w 1\n"
        "-A -f 1 -s lblc\n"
        "-a -f 1 -r 192.168.1.11:0 -g -w 1\n"
        "-a -f 1 -r 192.168.1.12:0 -g -w 1\n"
        "-a -f 1 -r 192.168.1.13:0 -g -w 1\n"
        "-a -f 1 -r 192.168.1.14:0 -g -w 1\n"
        "-A -f 2 -s dh -p 360 -M 255.255.255.0\n"
        "-a -f 2 -r 192.168.1.12:0 -i -w 3\n");
  CHECK(ipvsadm_stats(*t.director).find("\nFWM  1                            ") != std::string::npos);
}
