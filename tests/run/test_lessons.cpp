// The classic mistakes of scenarios/LESSONS.md, end to end: each lesson file shows its
// symptom in the run, and the same file with the overrides its top comment gives for the
// fix does not. Where a figure is exact it is explained; the Poisson runs are pinned by
// their seed (and by tests/golden/NAME.summary).

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "run_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

const Host& host(const run::Model& m, const std::string& name) {
  const Host* h = dynamic_cast<const Host*>(m.net.node(name));
  REQUIRE(h != nullptr);
  return *h;
}

const RealServer& server(const run::Model& m, const std::string& name) {
  for (const RealServer* rs : m.servers)
    if (rs->name() == name) return *rs;
  FAIL("no real server " << name);
  throw;
}

MacAddress mac_of(const run::Model& m, const std::string& name) { return host(m, name).interfaces().front()->mac(); }

std::unique_ptr<run::Model> run_file(const std::string& stem, const std::vector<std::string>& overrides,
                                     PacketObserver* watch) {
  const scenario::ScenarioSpec spec = scenario_file(stem, overrides);
  std::unique_ptr<run::Model> m = run::build_model(spec, spec.seed);
  m->net.set_observer(watch);
  m->sim.run_until(spec.duration);
  return m;
}

/// Drops by node and reason.
struct Drops : PacketObserver {
  std::map<std::pair<std::string, std::string>, std::uint64_t> count;
  void on_drop(Time, const Node& n, const Packet&, std::string_view why) override {
    ++count[{n.name(), std::string(why)}];
  }
  std::uint64_t at(const std::string& node, const std::string& why) const {
    const auto it = count.find({node, why});
    return it == count.end() ? 0 : it->second;
  }
};

const Ipv4Address kDrVip(192, 168, 1, 100);

// AddressSanitizer makes these runs about 30 times slower: the two heaviest lessons are cut
// shorter under it (fewer sessions after the ports run out, a shorter measurement).
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

}  // namespace

// ---- dr-arp-problem ---------------------------------------------------------------------

// The exchange, in the run: at 6.191 ms the router asks who has 192.168.1.100; the director
// and rs1..rs4 (arp_ignore=0: the VIP on lo counts) all answer at 6.203 ms. The first
// answer (the director's) releases the four SYNs the router held, which the director
// schedules to rs4, rs3, rs2 and rs1; each later answer overwrites the router's entry, and
// the last one, rs4's, stays. From then on every frame for the VIP goes to rs4: the
// handshakes scheduled to rs3, rs2 and rs1 continue at rs4, which knows nothing of them and
// resets them (3 resets), and all later sessions go to rs4 alone.
TEST_CASE("dr-arp-problem: real servers answer ARP for the VIP and one of them takes all the traffic",
          "[run][lessons]") {
  struct ArpReplies : PacketObserver {
    std::vector<std::string> from;  // who answered for the VIP
    void on_transmit(Time, const Interface& out, const Packet& p) override {
      if (p.ethertype == EtherType::Arp && p.arp.op == ArpOp::Reply && p.arp.sender_ip == kDrVip)
        from.push_back(out.node().name());
    }
  };
  SECTION("arp_ignore=0, arp_announce=0: the router's cache points the VIP at rs4") {
    ArpReplies arp;
    const std::unique_ptr<run::Model> m = run_file("dr-arp-problem", {}, &arp);
    CHECK(arp.from == std::vector<std::string>{"director", "rs1", "rs2", "rs3", "rs4"});
    const Host& router = host(*m, "router");
    CHECK(router.arp_lookup(*router.interface("eth1"), kDrVip) == mac_of(*m, "rs4"));
    CHECK(server(*m, "rs4").stats().requests == 3050);
    for (const char* rs : {"rs1", "rs2", "rs3"}) CHECK(server(*m, rs).stats().requests == 0);
    const Director& d = *m->directors.at(0);
    CHECK(d.services().at(0)->stats().conns == 4);  // the four SYNs before the cache flipped
    CHECK(d.cpu().packets() == 4);
    const RequestStats& r = m->clients.at(0)->totals();
    CHECK(r.issued == 3058);
    CHECK(failed(r, FailReason::Reset) == 3);
    CHECK(r.failed_total() == 3);
  }
  SECTION("fixed, arp_ignore=1 and arp_announce=2 on the shared sysctl map: the director gets it all") {
    ArpReplies arp;
    const std::unique_ptr<run::Model> m = run_file(
        "dr-arp-problem", {"topology.hosts[3].sysctl.arp_ignore=1", "topology.hosts[3].sysctl.arp_announce=2"}, &arp);
    CHECK(arp.from == std::vector<std::string>{"director"});
    const Host& router = host(*m, "router");
    CHECK(router.arp_lookup(*router.interface("eth1"), kDrVip) == mac_of(*m, "director"));
    const RequestStats& r = m->clients.at(0)->totals();
    CHECK(r.failed_total() == 0);
    const Director& d = *m->directors.at(0);
    CHECK(d.services().at(0)->stats().conns == r.issued);
    // wrr 2:2:1:1: each period of 6 connections gives 2, 2, 1, 1 (give or take the last period).
    const std::uint64_t periods = r.issued / 6;
    CHECK(server(*m, "rs1").stats().connections / 2 == Approx(periods).margin(1));
    CHECK(server(*m, "rs2").stats().connections / 2 == Approx(periods).margin(1));
    CHECK(server(*m, "rs3").stats().connections == Approx(periods).margin(1));
    CHECK(server(*m, "rs4").stats().connections == Approx(periods).margin(1));
  }
}

// ---- nat-wrong-gateway ------------------------------------------------------------------

// Cut down to constant arrivals at 100/s until 1 s: 99 sessions (10 ms .. 990 ms), wrr 1:1
// starting with rs2 (the kernel's list order), so rs2 gets 50 and rs1 49. rs1's SYN-ACKs
// reach the client from 192.168.10.102 through the router; the client knows no such
// connection and answers each with a RST; its own SYNs are retransmitted until the 2 s
// timeout fails the request.
TEST_CASE("nat-wrong-gateway: replies that bypass the director are dropped by the client", "[run][lessons]") {
  const std::vector<std::string> cut{"workload.clients[0].arrivals.process=constant",
                                     "workload.clients[0].arrivals.rate=100", "workload.clients[0].stop=1s",
                                     "duration=4s"};
  struct FromRip : PacketObserver {
    std::uint64_t synacks = 0, resets = 0;
    const Ipv4Address rip{192, 168, 10, 102};
    void on_receive(Time, const Interface& in, const Packet& p) override {
      if (in.node().name() == "client" && p.is_tcp() && p.ip.src == rip && p.has_flag(tcp_flags::kSyn)) ++synacks;
    }
    void on_transmit(Time, const Interface& out, const Packet& p) override {
      if (out.node().name() == "client" && p.is_tcp() && p.ip.dst == rip && p.has_flag(tcp_flags::kRst)) ++resets;
    }
  };
  SECTION("rs1's gateway is the router: its 49 connections time out") {
    FromRip watch;
    const std::unique_ptr<run::Model> m = run_file("nat-wrong-gateway", cut, &watch);
    const RequestStats& r = m->clients.at(0)->totals();
    CHECK(r.issued == 99);
    CHECK(r.completed == 50);
    CHECK(failed(r, FailReason::Timeout) == 49);
    CHECK(r.failed_total() == 49);
    CHECK(server(*m, "rs1").stats().requests == 0);
    CHECK(server(*m, "rs2").stats().requests == 50);
    CHECK(watch.synacks >= 49);
    CHECK(watch.resets == watch.synacks);
  }
  SECTION("fixed, the director as rs1's gateway: all complete") {
    FromRip watch;
    const std::unique_ptr<run::Model> m =
        run_file("nat-wrong-gateway", joined(cut, {"topology.hosts[3].gateway=192.168.10.101"}), &watch);
    const RequestStats& r = m->clients.at(0)->totals();
    CHECK(r.completed == 99);
    CHECK(r.failed_total() == 0);
    CHECK(server(*m, "rs1").stats().requests == 49);
    CHECK(watch.synacks == 0);
  }
}

// ---- nat-no-ip-forward ------------------------------------------------------------------

TEST_CASE("nat-no-ip-forward: the director drops every reply", "[run][lessons]") {
  const std::string why = "not for this host and ip_forward is off";
  SECTION("ip_forward off: 0 completed, the SYN-ACKs dropped at the director") {
    Drops drops;
    const std::unique_ptr<run::Model> m = run_file("nat-no-ip-forward", {}, &drops);
    const RequestStats& r = m->clients.at(0)->totals();
    CHECK(r.issued == 610);
    CHECK(r.completed == 0);
    CHECK(failed(r, FailReason::Timeout) == 610);
    CHECK(drops.at("director", why) >= 610);  // each SYN-ACK, and its retransmissions
    CHECK(served(*m).requests == 0);          // no handshake ever completes
    CHECK(m->directors.at(0)->services().at(0)->stats().conns == 610);
  }
  SECTION("fixed, ip_forward on: all complete") {
    Drops drops;
    const std::unique_ptr<run::Model> m =
        run_file("nat-no-ip-forward", {"topology.hosts[1].sysctl.ip_forward=true"}, &drops);
    const RequestStats& r = m->clients.at(0)->totals();
    CHECK(r.completed == 610);
    CHECK(r.failed_total() == 0);
    CHECK(drops.at("director", why) == 0);
  }
}

// ---- fullnat-port-exhaustion ------------------------------------------------------------

namespace {

/// The lesson file with `overrides`, and `tries` as the director's fullnat_lport_tries (0:
/// the default), run to its end.
std::unique_ptr<run::Model> run_fullnat(const std::vector<std::string>& overrides, PacketObserver* watch,
                                        int tries = 0) {
  scenario::ScenarioSpec spec = scenario_file("fullnat-port-exhaustion", overrides);
  if (tries != 0) spec.topology.hosts.at(1).sysctl.fullnat_lport_tries = tries;
  std::unique_ptr<run::Model> m = run::build_model(spec, spec.seed);
  m->net.set_observer(watch);
  m->sim.run_until(spec.duration);
  return m;
}

const FullNatPool& pool_of(const run::Model& m) { return *m.directors.at(0)->fullnat_pools().at(0); }

/// ICMP port unreachable sent by the director, and the director's FULLNAT drops by time and tuple.
struct Refusals : PacketObserver {
  std::uint64_t icmp = 0;
  using Client = std::pair<std::uint32_t, std::uint16_t>;  // address, port
  std::vector<std::pair<Time, Client>> dropped;             // DPVS: the SYNs dropped
  std::vector<std::pair<Time, Client>> syns;                // every SYN reaching the director
  void on_transmit(Time, const Interface& out, const Packet& p) override {
    icmp += out.node().name() == "director" && p.ethertype == EtherType::Ipv4 && p.ip.proto == IpProto::Icmp &&
            p.icmp.code == icmp_code::kPortUnreachable;
  }
  void on_receive(Time t, const Interface& in, const Packet& p) override {
    if (in.node().name() == "director" && p.is_tcp() && p.tcp.flags == tcp_flags::kSyn)
      syns.push_back({t, {p.ip.src.value(), p.sport}});
  }
  void on_drop(Time t, const Node& n, const Packet& p, std::string_view why) override {
    if (n.name() == "director" && why.starts_with("DPVS: no lip/lport")) dropped.push_back({t, {p.ip.src.value(), p.sport}});
  }
};

}  // namespace

// 9000 sessions/s, one every 111.1 us until the clients stop at 8 s (7.2 s under ASan, past
// the first refusals): 72000 sessions (64800). A connection holds its local port 7.0071 s:
// 7.1 ms of exchange, then the 7 s of CLOSE_WAIT / TIME_WAIT after its last packet. Alibaba
// gives one local address 60536 ports towards the server, DPVS 64511.
TEST_CASE("fullnat-port-exhaustion: one local address refuses connections with Alibaba's ports, not DPVS's",
          "[run][lessons]") {
  const std::string stop = kSanitized ? "workload.clients[0].stop=7200ms" : "workload.clients[0].stop=8s";
  const std::string duration = kSanitized ? "duration=8200ms" : "duration=9s";
  const std::uint64_t sessions = kSanitized ? 64800 : 72000;
  const std::string second = "services[0].local_addresses[1]=10.1.0.202";
  // Every session that started before the first port came back (7.0102 s: the first ones
  // waited ~3 ms for ARP) held a port at once: 63100 with ports enough.
  const std::uint64_t before_first_release = 63100;
  SECTION("alibaba, one local address: refused with ICMP port unreachable, the clients fail at once") {
    Refusals seen;
    const std::unique_ptr<run::Model> m = run_fullnat({stop, duration}, &seen);
    const Director& d = *m->directors.at(0);
    const RequestStats& r = m->clients.at(0)->totals();
    CHECK(r.issued == sessions);
    CHECK(pool_of(*m).peak() == LportSysctl{}.range());
    // Sessions 60537 .. 63100 find every port taken: 2564; two more SYNs spend their 10000
    // tries on ports still held while port 5001 and the next are already free again.
    CHECK(d.counters().no_local_port == before_first_release - LportSysctl{}.range() + 2);
    CHECK(pool_of(*m).refused() == d.counters().no_local_port);
    CHECK(seen.icmp == d.counters().no_local_port);
    CHECK(failed(r, FailReason::Unreachable) == d.counters().no_local_port);
    CHECK(r.completed == sessions - d.counters().no_local_port);
  }
  SECTION("alibaba with lport_tries 60000: exactly the sessions before the first port comes back") {
    const std::unique_ptr<run::Model> m = run_fullnat({stop, duration}, nullptr, 60000);
    CHECK(m->directors.at(0)->counters().no_local_port == before_first_release - LportSysctl{}.range());
  }
  SECTION("fixed, a second local address: none refused") {
    const std::unique_ptr<run::Model> m = run_fullnat({stop, duration, second}, nullptr);
    const RequestStats& r = m->clients.at(0)->totals();
    CHECK(r.completed == sessions);
    CHECK(r.failed_total() == 0);
    CHECK(m->directors.at(0)->counters().no_local_port == 0);
    CHECK(pool_of(*m).peak() == before_first_release);
  }
  SECTION("dpvs, one local address: 64511 ports are enough") {
    const std::unique_ptr<run::Model> m = run_fullnat({stop, duration, "services[0].flavour=dpvs"}, nullptr);
    CHECK(m->clients.at(0)->totals().completed == sessions);
    CHECK(m->directors.at(0)->counters().no_local_port == 0);
    CHECK(pool_of(*m).peak() == before_first_release);
    CHECK(pool_of(*m).peak() < kDpvsPorts);
  }
}

// DPVS at 9500 sessions/s: its 64511 ports last 6.79 s. The SYNs it cannot place are dropped
// (EDPVS_RESOURCE), without an answer; each client retransmits its SYN after its 1 s RTO.
TEST_CASE("fullnat-port-exhaustion: DPVS drops the SYN it has no port for, and the client sends it again 1 s later",
          "[run][lessons]") {
  Refusals seen;
  const std::unique_ptr<run::Model> m =
      run_fullnat({"services[0].flavour=dpvs", "workload.clients[0].arrivals.rate=9500",
                   "workload.clients[0].stop=7s", "duration=9s"},
                  &seen);
  const Director& d = *m->directors.at(0);
  REQUIRE(!seen.dropped.empty());
  CHECK(d.counters().no_local_port == seen.dropped.size());
  CHECK(seen.icmp == 0);
  CHECK(failed(m->clients.at(0)->totals(), FailReason::Unreachable) == 0);
  // The first SYN dropped comes back from the same client exactly 1 s later, and this time
  // there is a port for it.
  const auto [first_drop, client] = seen.dropped.front();
  std::vector<Time> again;
  for (const auto& [t, from] : seen.syns)
    if (from == client && t >= first_drop) again.push_back(t);
  REQUIRE(again.size() >= 2);
  CHECK(again[0] == first_drop);
  CHECK(again[1] == first_drop + Time::s(1));
  CHECK(std::none_of(seen.dropped.begin(), seen.dropped.end(),
                     [&](const auto& drop) { return drop.first == again[1] && drop.second == client; }));
}

// ---- tun-mtu ----------------------------------------------------------------------------

namespace {

/// ICMP "fragmentation needed" sent, by the node that made it, with the MTU they carry.
struct FragNeeded : PacketObserver {
  std::map<std::string, std::uint64_t> by_node;
  std::vector<std::uint16_t> mtus;
  std::set<std::uint64_t> seen;  // packets already counted (forwarded on the way)
  void on_transmit(Time, const Interface& out, const Packet& p) override {
    if (p.ethertype != EtherType::Ipv4 || p.ip.proto != IpProto::Icmp || p.icmp.code != icmp_code::kFragNeeded) return;
    if (!seen.insert(p.id).second) return;
    ++by_node[out.node().name()];
    mtus.push_back(p.icmp.next_hop_mtu);
  }
};

}  // namespace

// 81 uploads of 64 KB. MSS 1460: the first flight is 10 segments of 1500 bytes, 1520 with
// the IPIP header; the director drops each with ICMP fragmentation needed (MTU 1480), the
// client lowers its MSS to 1440 at the first and sends the flight again: 810 ICMPs, one
// round trip (40 ms to the director and back) and 10 segments more per upload.
TEST_CASE("tun-mtu: full-size packets plus the IPIP header exceed the MTU", "[run][lessons]") {
  FragNeeded broken_icmp, fixed_icmp;
  const std::unique_ptr<run::Model> broken = run_file("tun-mtu", {}, &broken_icmp);
  const std::unique_ptr<run::Model> fixed =
      run_file("tun-mtu", {"topology.hosts[0].interfaces[0].mtu=1480"}, &fixed_icmp);
  const RequestStats& b = broken->clients.at(0)->totals();
  const RequestStats& f = fixed->clients.at(0)->totals();
  CHECK(b.issued == 81);
  CHECK(b.completed == 81);
  CHECK(broken_icmp.by_node == std::map<std::string, std::uint64_t>{{"director", 810}});
  CHECK(std::all_of(broken_icmp.mtus.begin(), broken_icmp.mtus.end(), [](std::uint16_t v) { return v == 1480; }));
  CHECK(f.completed == 81);
  CHECK(fixed_icmp.by_node.empty());
  CHECK(b.latency_summary.mean() - f.latency_summary.mean() > 0.040);  // at least the extra round trip
  CHECK(broken->directors.at(0)->cpu().packets() - fixed->directors.at(0)->cpu().packets() == 810);
}

// With the director's LAN at MTU 9000 the director encapsulates 1520-byte packets and
// router-a, whose WAN links have MTU 1500, answers ICMP fragmentation needed to the
// director (the outer source). As Linux's ip_vs_in_icmp does, the director recognises an
// ICMP error about an IPIP packet of one of its connections and relays "fragmentation
// needed" to the client with the MTU less the 20-byte header, so the client's PMTUD
// converges as in the test above (without the relay every upload would stall: a path-MTU
// black hole).
TEST_CASE("tun-mtu: a narrower WAN beyond the director is learnt through the director's relayed ICMP",
          "[run][lessons]") {
  FragNeeded icmp;
  const std::unique_ptr<run::Model> m = run_file(
      "tun-mtu", {"topology.hosts[2].interfaces[0].mtu=9000", "topology.hosts[1].interfaces[1].mtu=9000"}, &icmp);
  const RequestStats& r = m->clients.at(0)->totals();
  CHECK(icmp.by_node.count("router-a") == 1);
  CHECK(icmp.by_node.count("director") == 1);  // the relay to the client
  CHECK(r.completed == 81);
}

// ---- nat-director-bottleneck ------------------------------------------------------------

namespace {

// The file's overrides for 16 or 24 servers, NAT or DR (see its top comment), measured for
// 2 s after the 1 s warm-up (1 s under ASan).
std::vector<std::string> bottleneck(bool dr, int servers) {
  std::vector<std::string> o{kSanitized ? "duration=2s" : "duration=3s"};
  if (servers == 16) o.push_back("services[0].destinations[16].weight=0");  // rs17..rs24 quiesced
  if (dr) o = joined(o, {"services[0].destinations[0].method=dr", "topology.hosts[3].gateway=192.168.1.254"});
  return o;
}

}  // namespace

// 200 users with no think time on up to 24 servers of 200 requests/s; the director's one
// core costs 25 us per NAT packet (11 per request, both ways) and 10 us per DR packet (6
// per request): NAT tops out near 1 / (11 x 25 us) = 3600 requests/s, 18 servers' worth.
TEST_CASE("nat-director-bottleneck: NAT throughput stops growing with more servers, DR keeps scaling",
          "[run][lessons]") {
  std::map<std::pair<bool, int>, run::RunResult> r;
  for (const bool dr : {false, true})
    for (const int n : {16, 24})
      r[{dr, n}] = run::run_scenario(scenario_file("nat-director-bottleneck", bottleneck(dr, n)), {});
  const auto tput = [&](bool dr, int n) { return r.at({dr, n}).throughput_rps; };
  const auto cpu = [&](bool dr, int n) { return r.at({dr, n}).directors.at(0).cpu_utilization; };
  for (const auto& [key, result] : r) CHECK(result.requests.failed_total() == 0);
  // 16 servers: both deliver what the servers can (3200/s less the requests in flight at the
  // end; NAT a little less, its director's queue at 95 % CPU adds to the response time).
  CHECK(tput(false, 16) == Approx(tput(true, 16)).epsilon(0.02));
  CHECK(tput(true, 24) / tput(true, 16) > 1.45);   // DR: +50 % servers, +50 % throughput
  CHECK(tput(false, 24) / tput(false, 16) < 1.2);  // NAT: capped by the director
  CHECK(tput(false, 24) < 0.8 * tput(true, 24));
  CHECK(cpu(false, 24) > 0.98);
  CHECK(cpu(true, 24) < 0.35);
}

// ---- persistence-drain --------------------------------------------------------------------

// rs1 is set to weight 0 at 4 s. Its persistent clients (about half of the 50 addresses)
// keep their templates, and each new connection re-arms them, so rs1 keeps getting new
// connections; with expire_quiescent_template they are re-scheduled to rs2 at once.
TEST_CASE("persistence-drain: weight 0 does not drain a persistent service's server", "[run][lessons]") {
  const auto after_drain = [](const std::vector<std::string>& overrides) {
    const scenario::ScenarioSpec spec = scenario_file("persistence-drain", overrides);
    std::unique_ptr<run::Model> m = run::build_model(spec, spec.seed);
    m->sim.run_until(Time::ms(4010));  // the SYNs scheduled before 4 s have arrived
    const std::uint64_t at_drain = server(*m, "rs1").stats().connections;
    m->sim.run_until(spec.duration);
    CHECK(m->clients.at(0)->totals().failed_total() == 0);
    return server(*m, "rs1").stats().connections - at_drain;
  };
  SECTION("expire_quiescent_template 0, the default: rs1 keeps its clients") {
    CHECK(after_drain({}) == 587);  // of about 1200 after 4 s: its clients, about half of them
  }
  SECTION("fixed, expire_quiescent_template 1: rs1 gets no new connection") {
    CHECK(after_drain({"topology.hosts[1].sysctl.expire_quiescent_template=true"}) == 0);
  }
}

TEST_CASE("persistence-drain: validate warns at the weight-0 event, not once the sysctl is set", "[run][lessons]") {
  const auto findings = [](const std::vector<std::string>& overrides) {
    const scenario::ScenarioSpec spec = scenario::read_scenario(
        (kSource / "scenarios" / "persistence-drain.yaml").string(), overrides);
    std::vector<std::string> out;
    for (const scenario::Finding& f : scenario::validate(spec)) out.push_back(f.str("persistence-drain.yaml"));
    return out;
  };
  CHECK(findings({}) == std::vector<std::string>{
                            "persistence-drain.yaml:74:5: events[0]: warning: weight 0 does not drain rs1 of persistent "
                            "service web: its clients' templates stay valid (set sysctl expire_quiescent_template: true "
                            "on director)"});
  CHECK(findings({"topology.hosts[1].sysctl.expire_quiescent_template=true"}).empty());
}
