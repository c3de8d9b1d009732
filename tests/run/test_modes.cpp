// One request through each forwarding mode, end to end, from the four files in scenarios/:
// what the director carries (frames and bytes, ipvsadm --stats), every frame of the
// exchange as an approved hop table, and how the director counts the connections.
//
// Each scenario is cut down with overrides to one session at t = 1 s (constant arrivals
// at 1/s, stopped at 1.5 s), one request per connection, a constant service time (a
// normal distribution with stddev 0, below the 40 ms delayed-ACK timer, so the response
// carries the ACK of the request) and a constant 10000-byte response.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <numeric>

#include "../support/hop_row.hpp"
#include "run_fixture.hpp"

namespace fs = std::filesystem;
using namespace lvs;
using namespace lvs::test;

namespace {

struct Frame {
  Time t;
  const Interface* iface;
  Packet pkt;
  const std::string& node() const { return iface->node().name(); }
};

/// Every frame arrival and every frame sent, in order.
struct Capture : PacketObserver {
  std::vector<Frame> in, out;
  void on_receive(Time t, const Interface& i, const Packet& p) override { in.push_back({t, &i, p}); }
  void on_transmit(Time t, const Interface& i, const Packet& p) override { out.push_back({t, &i, p}); }
};

/// The frame as a golden hop-table row.
std::string hop_row(const Frame& f) { return lvs::test::hop_row(*f.iface, f.pkt); }

struct Mode {
  const char* name;   ///< hops-NAME.txt
  const char* file;   ///< scenarios/FILE.yaml
  std::vector<std::string> overrides;
  std::uint32_t request;       ///< request bytes in the file
  const char* server;          ///< the real server the scheduler picks first
  bool director_sees_replies;
  std::uint64_t arp_in, arp_out;  ///< ARP frames the director receives and sends (see the hop tables)
};

// First picks, with the kernel's list order (newest destination first) and wrr's cw left
// at 1 by ip_vs_wrr_dest_changed after the adds: nat-basic rr -> the list head rs2; dr-basic wrr
// 2,2,1,1 -> the list head rs4; tun-wan rr -> the list head rs-c; fullnat-cloud rr -> rs4.
const std::vector<Mode> kModes{
    {"nat", "nat-basic", one_request("nat-basic"), 300, "rs2", true, 2, 2},
    {"dr", "dr-basic",
     one_request("dr-basic"),  // no closed loop
     400, "rs4", false, 3, 2},
    {"tun", "tun-wan", one_request("tun-wan"), 300, "rs-c", false, 1, 1},
    {"fullnat", "fullnat-cloud",
     one_request("fullnat-cloud"), 500,
     "rs4", true, 2, 2},
};

struct OneRequest {
  std::unique_ptr<run::Model> model;
  Capture cap;
  Director* director = nullptr;
  const VirtualService* svc = nullptr;
  const Host* server = nullptr;
  const Client* client = nullptr;
};

void run_one(OneRequest& r, const Mode& mode) {
  const scenario::ScenarioSpec spec = scenario_file(mode.file, mode.overrides);
  r.model = run::build_model(spec, spec.seed);
  r.model->net.set_observer(&r.cap);
  r.model->sim.run_until(Time::s(3));
  r.director = r.model->directors.at(0);
  r.svc = r.director->services().at(0).get();
  r.server = dynamic_cast<const Host*>(r.model->net.node(mode.server));
  r.client = r.model->clients.at(0);
  REQUIRE(r.server != nullptr);
}

bool is_tcp(const Frame& f) { return f.pkt.ethertype == EtherType::Ipv4 && f.pkt.ip.proto == IpProto::Tcp; }
bool to_service(const Frame& f, const VirtualService& s) { return is_tcp(f) && f.pkt.dport == s.port(); }
bool from_service(const Frame& f, const VirtualService& s) { return is_tcp(f) && f.pkt.sport == s.port(); }

template <class Pred>
std::vector<std::uint32_t> sizes(const std::vector<Frame>& frames, const Node& at, Pred pred) {
  std::vector<std::uint32_t> out;
  for (const Frame& f : frames)
    if (&f.iface->node() == &at && pred(f)) out.push_back(f.pkt.frame_bytes());
  return out;
}

std::uint64_t sum(const std::vector<std::uint32_t>& v) { return std::accumulate(v.begin(), v.end(), std::uint64_t{0}); }

// The frames of one request, by hand. A frame is its IP datagram + 18 bytes (Ethernet
// header 14, FCS 4), padded to 64; a datagram is IPv4 20 + TCP 20 + options + data. Both
// ends have Linux's default options: SYN and SYN-ACK carry 20 bytes of them (MSS 1460,
// SACK-permitted, timestamps, window scale), every later segment 12 (timestamps), so a
// full segment holds 1448 bytes of data.
//   client -> server: SYN 60; ACK 52; the request 52 + R; three ACKs, one per two full
//     segments of the response (the receiver ACKs at once when more than one MSS is
//     unacknowledged: after segments 2, 4 and 6); the 7th segment (PSH) completes the
//     response, the client closes and its FIN (52) carries that ACK; the ACK of the
//     server's FIN (52).
//   server -> client: SYN-ACK 60; 10000 B = 6 x 1448 + 1312 in 7 segments (the initial
//     window of 10 x 1448 = 14480 B takes them all): 6 x 1500 + 1364; the server's FIN 52
//     (the request's ACK rode on the response, the client FIN's ACK on the server's FIN).
std::vector<std::uint32_t> client_datagrams(std::uint32_t request) { return {60, 52, 52 + request, 52, 52, 52, 52, 52}; }
const std::vector<std::uint32_t> kServerDatagrams{60, 1500, 1500, 1500, 1500, 1500, 1500, 1364, 52};

// FULLNAT (Alibaba, the default flavour; DPVS does the same to the options) changes the
// exchange (fullnat_tcp.hpp):
//   - the director overwrites the timestamp option of the client's SYN with NOPs, so the
//     server's SYN-ACK offers no timestamps and neither end sends them: every later segment
//     has a bare 20-byte TCP header (a pure ACK is a 40-byte datagram, a 58-byte frame padded
//     to 64);
//   - the server's SYN-ACK carries MSS 1460, SACK-permitted (with two NOPs) and NOP + window
//     scale: 12 option bytes, 52; the director lowers the MSS to 1452 on its way to the client;
//   - the server sends segments of up to 1460 bytes (the client's SYN said 1460): 10000 B =
//     6 x 1460 + 1240, datagrams 6 x 1500 + 1280; its FIN 40;
//   - the client ACKs every second segment still (the segments it receives are its largest,
//     1460: tcp_measure_rcv_mss), after 2, 4 and 6; its FIN and last ACK as before:
//     client 60, 40, 40 + R, 40 x 5;
//   - towards the server the director inserts TOA (8 bytes) into the SYN, the handshake's
//     ACK and the request (the segments that acknowledge exactly the SYN-ACK), not into the
//     ACKs of the response, the FIN or the last ACK: 68, 48, 48 + R, 40 x 5.
std::vector<std::uint32_t> fullnat_client_datagrams(std::uint32_t request) { return {60, 40, 40 + request, 40, 40, 40, 40, 40}; }
std::vector<std::uint32_t> fullnat_forwarded_datagrams(std::uint32_t request) { return {68, 48, 48 + request, 40, 40, 40, 40, 40}; }
const std::vector<std::uint32_t> kFullNatServerDatagrams{52, 1500, 1500, 1500, 1500, 1500, 1500, 1280, 40};

/// The datagrams of one request in `mode`: what the client sends, what the server sends, and
/// what the director sends on to the server.
struct Exchange {
  std::vector<std::uint32_t> client, server, forwarded;
};

/// Frames carrying `datagrams`, each grown by `extra` bytes of headers (IPIP: 20).
std::vector<std::uint32_t> frames(std::vector<std::uint32_t> datagrams, std::uint32_t extra = 0) {
  for (std::uint32_t& b : datagrams) b = std::max(kEthernetMinFrame, b + extra + kEthernetHeader + kEthernetFcs);
  return datagrams;
}

Exchange exchange(const Mode& mode) {
  const std::string m = mode.name;
  if (m == "fullnat")
    return {fullnat_client_datagrams(mode.request), kFullNatServerDatagrams, fullnat_forwarded_datagrams(mode.request)};
  std::vector<std::uint32_t> forwarded = client_datagrams(mode.request);
  if (m == "tun")  // the IPIP header
    for (std::uint32_t& d : forwarded) d += 20;
  return {client_datagrams(mode.request), kServerDatagrams, forwarded};
}

// The first frame after `at` (in arrival order) that carries the same packet.
const Frame* next_hop(const std::vector<Frame>& frames, std::size_t at) {
  for (std::size_t i = at + 1; i < frames.size(); ++i)
    if (frames[i].pkt.id == frames[at].pkt.id) return &frames[i];
  return nullptr;
}

MacAddress mac_of(const Host& h) { return h.interfaces().front()->mac(); }

}  // namespace

TEST_CASE("byte accounting: the director carries both directions in NAT and FULLNAT, requests only in DR and TUN",
          "[run][modes]") {
  for (const Mode& mode : kModes) {
    SECTION(mode.file) {
      OneRequest r;
      run_one(r, mode);
      const RequestStats& done = r.client->totals();
      REQUIRE(done.completed == 1);
      CHECK(done.failed_total() == 0);
      CHECK(done.response_bytes == 10000);

      const auto c2s = [&](const Frame& f) { return to_service(f, *r.svc); };
      const auto s2c = [&](const Frame& f) { return from_service(f, *r.svc); };
      const Exchange ex = exchange(mode);
      // What the end hosts send is the exchange computed by hand: client frames 78, 70,
      // 70 + R, then five of 70; server frames 78, 6 x 1518, 1382, 70 (FULLNAT: client 78,
      // 64, 58 + R, five of 64; server 70, 6 x 1518, 1298, 64).
      CHECK(sizes(r.cap.out, *r.client, is_tcp) == frames(ex.client));
      CHECK(sizes(r.cap.out, *r.server, is_tcp) == frames(ex.server));

      // The director: 8 frames in from the client's side; 9 from the server's in NAT and
      // FULLNAT, none in DR and TUN (the replies go straight to the client).
      const std::vector<std::uint32_t> in_c2s = sizes(r.cap.in, *r.director, c2s);
      const std::vector<std::uint32_t> in_s2c = sizes(r.cap.in, *r.director, s2c);
      const std::vector<std::uint32_t> out_c2s = sizes(r.cap.out, *r.director, c2s);
      const std::vector<std::uint32_t> out_s2c = sizes(r.cap.out, *r.director, s2c);
      CHECK(in_c2s == frames(ex.client));
      CHECK(in_s2c == (mode.director_sees_replies ? frames(ex.server) : std::vector<std::uint32_t>{}));
      CHECK(out_s2c == in_s2c);
      // On to the real server the same frames; in TUN each datagram is 20 bytes longer (the
      // IPIP header): the 70-byte frames become 90, the SYN 98, the request 90 + R. In
      // FULLNAT the SYN, the handshake's ACK and the request carry TOA: 86, 66, 66 + R.
      const std::string m = mode.name;
      CHECK(out_c2s == frames(ex.forwarded));
      if (m == "fullnat") {
        CHECK(sum(in_c2s) == 78 + 64 + 58 + mode.request + 5 * 64);
        CHECK(sum(out_c2s) == 86 + 66 + 66 + mode.request + 5 * 64);
        CHECK(sum(in_s2c) == 70 + 6 * 1518 + 1298 + 64);
      } else {
        CHECK(sum(in_c2s) == 78 + 7 * 70 + mode.request);
        CHECK(sum(out_c2s) == (m == "tun" ? 98 + 7 * 90 + mode.request : 78 + 7 * 70 + mode.request));
        CHECK(sum(in_s2c) == (mode.director_sees_replies ? 78 + 6 * 1518 + 1382 + 70 : 0));
      }

      // The interface counters are these frames plus the ARP frames the director took part
      // in: NAT and FULLNAT who-has VIP from the client and the server's reply in, the
      // director's reply and who-has RIP out; DR also the server's broadcast who-has for
      // its gateway; TUN only the router's who-has VIP and the reply (the director learns
      // the router's MAC from it). NAT: 17 + 2 frames each way.
      std::uint64_t arp_in = 0, arp_out = 0, pk_in = 0, pk_out = 0, by_in = 0, by_out = 0;
      for (const Frame& f : r.cap.in) arp_in += &f.iface->node() == r.director && f.pkt.ethertype == EtherType::Arp;
      for (const Frame& f : r.cap.out) arp_out += &f.iface->node() == r.director && f.pkt.ethertype == EtherType::Arp;
      for (const auto& i : r.director->interfaces()) {
        pk_in += i->stats().packets_in, pk_out += i->stats().packets_out;
        by_in += i->stats().bytes_in, by_out += i->stats().bytes_out;
      }
      CHECK(arp_in == mode.arp_in);
      CHECK(arp_out == mode.arp_out);
      CHECK(pk_in == in_c2s.size() + in_s2c.size() + arp_in);
      CHECK(pk_out == out_c2s.size() + out_s2c.size() + arp_out);
      CHECK(by_in == sum(in_c2s) + sum(in_s2c) + 64 * arp_in);
      CHECK(by_out == sum(out_c2s) + sum(out_s2c) + 64 * arp_out);

      // ipvsadm --stats counts IP bytes as they arrive, before encapsulation and before TOA
      // (ip_vs_in_stats comes before the transmitter): in 60 + 52 + (52 + R) + 5 x 52; out
      // 60 + 6 x 1500 + 1364 + 52 = 10476. FULLNAT: in 60 + 40 + (40 + R) + 5 x 40 = 340 + R;
      // out 52 + 6 x 1500 + 1280 + 40 = 10372. OutPkts is 0 in DR and TUN.
      const IpvsStats& st = r.svc->stats();
      CHECK(st.conns == 1);
      CHECK(st.in_packets == 8);
      CHECK(st.in_bytes == (m == "fullnat" ? 340 : 424) + mode.request);
      CHECK(st.out_packets == (mode.director_sees_replies ? 9u : 0u));
      CHECK(st.out_bytes == (m == "fullnat" ? 10372u : mode.director_sees_replies ? 10476u : 0u));
    }
  }
}

TEST_CASE("hop tables: every frame of one request matches the approved table and the mode's rewrite rules",
          "[run][modes]") {
  const bool approve = std::getenv("LVSLAB_APPROVE") != nullptr;
  for (const Mode& mode : kModes) {
    SECTION(mode.name) {
      OneRequest r;
      run_one(r, mode);
      const std::string m = mode.name;
      const Ipv4Address vip = r.svc->vip();
      const Ipv4Address rip = r.server->interfaces().front()->primary_address();
      int in_pairs = 0, out_pairs = 0;
      std::uint16_t client_port = 0;  // the ephemeral port of the client's SYN
      for (const Frame& f : r.cap.out)
        if (&f.iface->node() == r.client && is_tcp(f) && f.pkt.tcp.flags == tcp_flags::kSyn) client_port = f.pkt.sport;
      REQUIRE(client_port >= 32768);
      for (std::size_t i = 0; i < r.cap.in.size(); ++i) {
        const Frame& before = r.cap.in[i];
        if (&before.iface->node() != r.director || !is_tcp(before)) continue;
        const Frame* after = next_hop(r.cap.in, i);
        REQUIRE(after != nullptr);
        const Packet& a = before.pkt;
        const Packet& b = after->pkt;
        CAPTURE(hop_row(before), hop_row(*after));
        bool from_director = false;  // whatever the director sends leaves with one of its MACs
        for (const auto& iface : r.director->interfaces()) from_director = from_director || b.eth_src == iface->mac();
        CHECK(from_director);
        if (to_service(before, *r.svc)) {  // towards the real server
          ++in_pairs;
          CHECK(a.ip.dst == vip);
          if (m == "dr") {  // the IP header is untouched; the frame goes to the server's MAC
            CHECK(after->node() == mode.server);
            CHECK((b.ip.src == a.ip.src && b.ip.dst == vip && b.sport == a.sport && b.dport == a.dport));
            CHECK(b.eth_dst == mac_of(*r.server));
            CHECK(b.eth_src == mac_of(*r.director));
            CHECK(!b.encapsulated);
            CHECK(b.frame_bytes() == a.frame_bytes());
          } else if (m == "nat") {  // destination rewritten to the real server
            CHECK((b.ip.src == a.ip.src && b.sport == a.sport));
            CHECK((b.ip.dst == rip && b.dport == 80));
          } else if (m == "tun") {  // a second IP header from the director to the real server
            CHECK(b.encapsulated);
            CHECK(b.outer.src == r.director->interfaces().front()->primary_address());
            CHECK(b.outer.dst == rip);
            CHECK(b.outer.proto == IpProto::IpIp);
            CHECK((b.ip.src == a.ip.src && b.ip.dst == vip && b.sport == a.sport && b.dport == a.dport));
            CHECK(b.ip_bytes() == a.ip_bytes() + 20);
            CHECK(b.frame_bytes() == std::max(kEthernetMinFrame, a.ip_bytes() + 20 + 18));
          } else {  // fullnat: source from the local address pool, destination the real server
            CHECK((r.director->fullnat_pool(*r.svc)->owns(b.ip.src) && b.sport != a.sport));
            CHECK((b.ip.dst == rip && b.dport == 443));
          }
        } else if (from_service(before, *r.svc)) {  // a reply on its way back
          ++out_pairs;
          CHECK(a.ip.src == rip);
          CHECK(b.ip.src == vip);
          CHECK(b.sport == r.svc->port());
          CHECK((b.ip.dst == r.client->config().first_source && b.dport == client_port));  // back to the client's port
          CHECK(after->node() == r.client->name());
          if (m == "fullnat") CHECK((r.director->fullnat_pool(*r.svc)->owns(a.ip.dst) && a.dport != client_port));
          if (m == "nat") CHECK((a.ip.dst == b.ip.dst && a.dport == b.dport));
        }
      }
      CHECK(in_pairs == 8);
      CHECK(out_pairs == (mode.director_sees_replies ? 9 : 0));

      std::string table;
      for (const Frame& f : r.cap.in) table += hop_row(f) + '\n';
      const fs::path approved = kSource / "tests" / "golden" / ("hops-" + m + ".txt");
      if (approve) std::ofstream(approved) << table;
      INFO("approved: " << approved.string() << "\n(run with LVSLAB_APPROVE=1 to approve a deliberate change)");
      REQUIRE(fs::exists(approved));
      CHECK(table == read_file(approved));
    }
  }
}

namespace {

using ConnCounts = std::map<std::string, std::pair<std::int64_t, std::int64_t>>;  // server -> (active, inactive)

ConnCounts conn_counts(const VirtualService& s) {
  ConnCounts out;
  for (const SchedDest& d : s.destinations()) out[s.config(d.id).name] = {d.activeconns, d.inactconns};
  return out;
}

std::map<std::string, int> conn_states(const Director& d) {
  std::map<std::string, int> out;
  d.connections().for_each([&](const Connection& c) { ++out[std::string(state_name(c.state))]; });
  return out;
}

struct CountCase {
  const char* name;
  const char* file;
  std::vector<std::string> overrides;
  ConnCounts held, closed;        // while the requests are served (t = 1 s), after the close (t = 5 s)
  std::map<std::string, int> held_states, closed_states;
  Time linger;                    // the closed state's timeout: TIME_WAIT / FIN_WAIT 120 s (FULLNAT 7 s), UDP 300 s
};

// Three sessions at 0.1, 0.2 and 0.3 s, each served for 2 s.
const std::vector<std::string> kThreeHeld{"duration=400s", "warmup=0", "workload.clients[0].arrivals.process=constant",
                                          "workload.clients[0].arrivals.rate=10", "workload.clients[0].stop=350ms",
                                          "servers[0].service_time.distribution=normal",
                                          "servers[0].service_time.mean=2s", "servers[0].service_time.stddev=0",
                                          "servers[0].response_size.distribution=normal",
                                          "servers[0].response_size.mean=1000B", "servers[0].response_size.stddev=0"};

// The same three sessions on fullnat-cloud (a constant 1000-byte response, one request each).
const std::vector<std::string> kThreeHeldFullNat{
    "duration=400s",  "warmup=0", "workload.clients[0].arrivals.process=constant", "workload.clients[0].arrivals.rate=10",
    "workload.clients[0].stop=350ms", "workload.clients[0].requests_per_connection=1",
    "servers[0].service_time.distribution=normal", "servers[0].service_time.mean=2s",
    "servers[0].service_time.stddev=0", "servers[0].response_size=1000B"};

// ipvs-semantics.md §3: a scheduled TCP connection is active at once (SYN_RECV) and while
// ESTABLISHED; NAT sees the client's FIN (CLOSE_WAIT) then the server's (TIME_WAIT); DR sees
// only the client's FIN (FIN_WAIT); both are inactive. UDP is never active.
// Picks: nat wrr 1,1 over the list rs2, rs1 -> rs2 rs1 rs2; dr wrr 2,2,1,1 over rs4 rs3 rs2
// rs1 with cw = 1 -> rs4 rs3 rs2.
const std::vector<CountCase> kCountCases{
    {"nat tcp", "nat-basic", kThreeHeld,
     {{"rs1", {1, 0}}, {"rs2", {2, 0}}}, {{"rs1", {0, 1}}, {"rs2", {0, 2}}},
     {{"ESTABLISHED", 3}}, {{"TIME_WAIT", 3}}, Time::s(120)},
    {"dr tcp", "dr-basic",
     joined(kThreeHeld, {"workload.clients[0].requests_per_connection=1", "workload.clients[1].start=1000s"}),
     {{"rs1", {0, 0}}, {"rs2", {1, 0}}, {"rs3", {1, 0}}, {"rs4", {1, 0}}},
     {{"rs1", {0, 0}}, {"rs2", {0, 1}}, {"rs3", {0, 1}}, {"rs4", {0, 1}}},
     {{"ESTABLISHED", 3}}, {{"FIN_WAIT", 3}}, Time::s(120)},
    {"nat udp", "nat-basic",
     joined(kThreeHeld, {"services[0].protocol=udp", "servers[0].protocol=udp", "workload.clients[0].protocol=udp"}),
     {{"rs1", {0, 1}}, {"rs2", {0, 2}}}, {{"rs1", {0, 1}}, {"rs2", {0, 2}}},
     {{"UDP", 3}}, {{"UDP", 3}}, Time::s(300)},
    // FULLNAT follows its flavour's table (7 s TIME_WAIT) and counts only ESTABLISHED as
    // active. rr over rs4 rs3 rs2 rs1 -> rs4 rs3 rs2.
    {"fullnat alibaba", "fullnat-cloud", kThreeHeldFullNat,
     {{"rs1", {0, 0}}, {"rs2", {1, 0}}, {"rs3", {1, 0}}, {"rs4", {1, 0}}},
     {{"rs1", {0, 0}}, {"rs2", {0, 1}}, {"rs3", {0, 1}}, {"rs4", {0, 1}}},
     {{"ESTABLISHED", 3}}, {{"TIME_WAIT", 3}}, Time::s(7)},
    {"fullnat dpvs", "fullnat-cloud", joined(kThreeHeldFullNat, {"services[0].flavour=dpvs"}),
     {{"rs1", {0, 0}}, {"rs2", {1, 0}}, {"rs3", {1, 0}}, {"rs4", {1, 0}}},
     {{"rs1", {0, 0}}, {"rs2", {0, 1}}, {"rs3", {0, 1}}, {"rs4", {0, 1}}},
     {{"ESTABLISHED", 3}}, {{"TIME_WAIT", 3}}, Time::s(7)},
};

}  // namespace

TEST_CASE("activeconns and inactconns follow the connections' states, then expire", "[run][modes][counting]") {
  for (const CountCase& k : kCountCases) {
    SECTION(k.name) {
      const scenario::ScenarioSpec spec = scenario_file(k.file, k.overrides);
      std::unique_ptr<run::Model> m = run::build_model(spec, spec.seed);
      Capture cap;
      m->net.set_observer(&cap);
      const Director& d = *m->directors.at(0);
      const VirtualService& svc = *d.services().at(0);

      m->sim.run_until(Time::s(1));
      CHECK(m->clients.at(0)->sessions_started() == 3);
      CHECK(conn_counts(svc) == k.held);
      CHECK(conn_states(d) == k.held_states);

      m->sim.run_until(Time::s(5));
      CHECK(m->clients.at(0)->totals().completed == 3);
      CHECK(conn_counts(svc) == k.closed);
      CHECK(conn_states(d) == k.closed_states);

      // Each connection lingers for its state's timeout after the last packet the director
      // saw of it; the last one goes exactly `linger` after the last frame.
      Time last;
      for (const Frame& f : cap.in)
        if (&f.iface->node() == &d && f.pkt.ethertype == EtherType::Ipv4) last = f.t;
      m->sim.run_until(last + k.linger - Time::ns(1));
      CHECK(d.connections().size() == 1);
      m->sim.run_until(last + k.linger);
      CHECK(d.connections().size() == 0);
      CHECK(d.counters().expired == 3);
      for (const auto& [server, counts] : conn_counts(svc)) {
        INFO(server);
        CHECK(counts == std::pair<std::int64_t, std::int64_t>{0, 0});
      }

      // The run's summary reports the same counts per real server at its end.
      run::RunOptions at_5s;
      at_5s.until = Time::s(5);
      for (const run::ServerResult& rs : run::run_scenario(spec, at_5s).servers) {
        INFO(rs.name);
        CHECK(std::pair{rs.activeconns, rs.inactconns} == k.closed.at(rs.name));
      }
    }
  }
}

// An idle ESTABLISHED FULLNAT connection lives 90 s in both flavours (mainline: 900 s): one
// session whose request takes the server 100 s. The entry expires 90 s after the request,
// and the response that comes 10 s later finds no connection at the director.
TEST_CASE("an idle FULLNAT connection expires after ESTABLISHED's 90 s", "[run][modes][counting]") {
  for (const char* flavour : {"alibaba", "dpvs"}) {
    SECTION(flavour) {
      const scenario::ScenarioSpec spec = scenario_file(
          "fullnat-cloud", joined(one_request("fullnat-cloud"),
                                  {"duration=200s", "servers[0].service_time.mean=100s", "workload.clients[0].timeout=150s",
                                   std::string("services[0].flavour=") + flavour}));
      std::unique_ptr<run::Model> m = run::build_model(spec, spec.seed);
      Capture cap;
      m->net.set_observer(&cap);
      const Director& d = *m->directors.at(0);
      m->sim.run_until(Time::s(2));
      Time last;
      for (const Frame& f : cap.in)
        if (&f.iface->node() == &d && f.pkt.ethertype == EtherType::Ipv4) last = f.t;
      REQUIRE(conn_states(d) == std::map<std::string, int>{{"ESTABLISHED", 1}});
      m->sim.run_until(last + Time::s(90) - Time::ns(1));
      CHECK(d.connections().size() == 1);
      m->sim.run_until(last + Time::s(90));
      CHECK(d.connections().size() == 0);
      CHECK(d.counters().expired == 1);
      CHECK(d.fullnat_pools().at(0)->in_use() == 0);
    }
  }
}
