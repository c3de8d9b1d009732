// FULLNAT as Alibaba LVS and DPVS ship it (docs/fullnat.md): which local address and port
// each new connection gets, as data rows; Alibaba's 10000-try window; DPVS's free lists, its
// pools shared by real servers and its next-address fallback; the per-flavour timeouts; and
// what the director does to the TCP options (fullnat_tcp.hpp).

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "lvs/fullnat_pool.hpp"
#include "lvs/fullnat_tcp.hpp"
#include "schedulers/registry.hpp"

using namespace lvs;

namespace {

const Ipv4Address kRs1(10, 1, 0, 11), kRs2(10, 1, 0, 12), kRs27(10, 1, 0, 27);
const Ipv4Address kLaddrA(10, 1, 0, 201), kLaddrB(10, 1, 0, 202), kLaddrC(10, 1, 0, 203);

/// One service's pool over the director-wide port tables.
struct Pool {
  Rng rng{1};
  VirtualService svc;
  LocalPorts ports;
  LportSysctl sysctl;
  FullNatPool pool;
  Pool(Flavour f, std::vector<Ipv4Address> laddrs, const std::string& scheduler = "wlc", LportSysctl s = {})
      : svc(IpProto::Tcp, Ipv4Address(203, 0, 113, 100), 443, make_scheduler(scheduler), rng),
        sysctl(s),
        pool(svc, f, ports, sysctl, rng) {
    for (Ipv4Address a : laddrs) pool.add(a);
  }
  /// "10.1.0.201:5001", or "refused".
  std::string next(Ipv4Address rip, std::uint16_t rport = 443) {
    const auto got = pool.allocate(IpProto::Tcp, rip, rport);
    return got ? got->addr.str() + ":" + std::to_string(got->port) : "refused";
  }
  void give_back(const std::string& local, Ipv4Address rip, std::uint16_t rport = 443) {
    const std::size_t colon = local.find(':');
    const auto addr = Ipv4Address::parse(local.substr(0, colon));
    REQUIRE(addr);
    pool.release(IpProto::Tcp, {*addr, static_cast<std::uint16_t>(std::stoi(local.substr(colon + 1)))}, rip, rport);
  }
};

struct SequenceRow {
  const char* name;
  Flavour flavour;
  std::vector<Ipv4Address> laddrs;
  std::vector<Ipv4Address> servers;  ///< the real server of each new connection, in turn
  std::vector<std::string> expected;
};

// Alibaba: one counter per local address, bumped before use, whichever the real server:
// lport_min + 1 first. DPVS: a free list per (local address, pool of rip:rport), from 1025;
// 10.1.0.11:443 and 10.1.0.12:443 are in pools 6 and 7 ((11 + 443) % 16, (12 + 443) % 16),
// 10.1.0.27:443 in pool 6 with 10.1.0.11, so those two share one list.
const std::vector<SequenceRow> kSequences{
    {"alibaba, one address, one server", Flavour::Alibaba, {kLaddrA}, {kRs1, kRs1, kRs1, kRs1},
     {"10.1.0.201:5001", "10.1.0.201:5002", "10.1.0.201:5003", "10.1.0.201:5004"}},
    {"alibaba, two addresses take turns", Flavour::Alibaba, {kLaddrA, kLaddrB}, {kRs1, kRs1, kRs1, kRs1},
     {"10.1.0.201:5001", "10.1.0.202:5001", "10.1.0.201:5002", "10.1.0.202:5002"}},
    {"alibaba, two servers share the address's counter", Flavour::Alibaba, {kLaddrA}, {kRs1, kRs2, kRs1, kRs2},
     {"10.1.0.201:5001", "10.1.0.201:5002", "10.1.0.201:5003", "10.1.0.201:5004"}},
    {"dpvs, one address, one server", Flavour::Dpvs, {kLaddrA}, {kRs1, kRs1, kRs1},
     {"10.1.0.201:1025", "10.1.0.201:1026", "10.1.0.201:1027"}},
    {"dpvs, two addresses take turns", Flavour::Dpvs, {kLaddrA, kLaddrB}, {kRs1, kRs1, kRs1, kRs1},
     {"10.1.0.201:1025", "10.1.0.202:1025", "10.1.0.201:1026", "10.1.0.202:1026"}},
    {"dpvs, two servers in two pools: a list each", Flavour::Dpvs, {kLaddrA}, {kRs1, kRs2, kRs1, kRs2},
     {"10.1.0.201:1025", "10.1.0.201:1025", "10.1.0.201:1026", "10.1.0.201:1026"}},
    {"dpvs, two servers in one pool: one list", Flavour::Dpvs, {kLaddrA}, {kRs1, kRs27, kRs1, kRs27},
     {"10.1.0.201:1025", "10.1.0.201:1026", "10.1.0.201:1027", "10.1.0.201:1028"}},
    {"no local address: refused", Flavour::Alibaba, {}, {kRs1}, {"refused"}},
};

}  // namespace

TEST_CASE("FULLNAT local ports: the order each flavour hands them out in", "[lvs][fullnat]") {
  for (const SequenceRow& row : kSequences) {
    SECTION(row.name) {
      Pool p(row.flavour, row.laddrs);
      std::vector<std::string> got;
      for (Ipv4Address rs : row.servers) got.push_back(p.next(rs));
      CHECK(got == row.expected);
      CHECK(p.pool.peak() == p.pool.in_use());
    }
  }
}

TEST_CASE("FULLNAT local ports: each flavour's range, and a repeated address adds none", "[lvs][fullnat]") {
  Pool alibaba(Flavour::Alibaba, {kLaddrA});
  CHECK(alibaba.pool.port_min() == 5000);
  CHECK(alibaba.pool.port_max() == 65535);
  CHECK_FALSE(alibaba.pool.add(kLaddrA));  // EEXIST
  CHECK(alibaba.pool.addresses().size() == 1);
  Pool dpvs(Flavour::Dpvs, {kLaddrA});
  CHECK(dpvs.pool.port_min() == 1025);
  CHECK(dpvs.pool.port_max() == 65535);
  CHECK(kDpvsPorts == 64511);
  CHECK(LportSysctl{}.range() == 60536);
}

// lport_min 1025, lport_max 1124: 100 ports, the counter at 100 after taking them all (the
// 100th was 1025 + 100 % 100 = 1025). Port 1050 comes free; the next try starts at 1026.
TEST_CASE("Alibaba gives up after lport_tries even with a port free further on", "[lvs][fullnat]") {
  LportSysctl small;
  small.min = 1025;
  small.max = 1124;
  small.tries = 10;
  Pool p(Flavour::Alibaba, {kLaddrA}, "wlc", small);
  for (int k = 0; k < 100; ++k) REQUIRE(p.next(kRs1) != "refused");
  CHECK(p.next(kRs1) == "refused");  // all 100 in use
  p.give_back("10.1.0.201:1050", kRs1);
  // Counter 110: tries 1036..1045 -> refused; counter 120: 1046..1050 -> 1050.
  CHECK(p.next(kRs1) == "refused");
  CHECK(p.next(kRs1) == "10.1.0.201:1050");
  CHECK(p.pool.refused() == 2);
  // With 30 tries the first attempt after the release reaches it (the 25th try).
  small.tries = 30;
  Pool q(Flavour::Alibaba, {kLaddrA}, "wlc", small);
  for (int k = 0; k < 100; ++k) REQUIRE(q.next(kRs1) != "refused");
  q.give_back("10.1.0.201:1050", kRs1);
  CHECK(q.next(kRs1) == "10.1.0.201:1050");
  // The other real server has its own ports on the same address: free.
  CHECK(q.next(kRs2) == "10.1.0.201:1051");  // counter 126: 1025 + 126 % 100
}

TEST_CASE("Alibaba tries one local address per connection, DPVS moves on to the next", "[lvs][fullnat]") {
  LportSysctl small;
  small.min = 1025;
  small.max = 1034;  // 10 ports
  Pool alibaba(Flavour::Alibaba, {kLaddrA, kLaddrB}, "wlc", small);
  for (int k = 0; k < 20; ++k) REQUIRE(alibaba.next(kRs1) != "refused");
  alibaba.give_back("10.1.0.202:1030", kRs1);
  CHECK(alibaba.next(kRs1) == "refused");  // the turn of 10.1.0.201, full
  CHECK(alibaba.next(kRs1) == "10.1.0.202:1030");

  Pool dpvs(Flavour::Dpvs, {kLaddrA, kLaddrB});
  for (std::uint32_t k = 0; k < 2 * kDpvsPorts; ++k) REQUIRE(dpvs.next(kRs1) != "refused");
  CHECK(dpvs.next(kRs1) == "refused");  // both lists empty
  dpvs.give_back("10.1.0.202:2000", kRs1);
  CHECK(dpvs.next(kRs1) == "10.1.0.202:2000");  // 10.1.0.201's list is empty: the next address
  CHECK(dpvs.pool.refused() == 1);
}

// sa_release puts a port at the tail of the free list: after 1025..65535 the list gives back
// the released ports oldest first.
TEST_CASE("DPVS hands released ports out again oldest first, after the never-used ones", "[lvs][fullnat]") {
  Pool p(Flavour::Dpvs, {kLaddrA});
  CHECK(p.next(kRs1) == "10.1.0.201:1025");
  CHECK(p.next(kRs1) == "10.1.0.201:1026");
  p.give_back("10.1.0.201:1026", kRs1);
  p.give_back("10.1.0.201:1025", kRs1);
  CHECK(p.next(kRs1) == "10.1.0.201:1027");  // never-used ports first
  for (std::uint32_t k = 1028; k <= 65535; ++k) REQUIRE(p.next(kRs1) == "10.1.0.201:" + std::to_string(k));
  CHECK(p.next(kRs1) == "10.1.0.201:1026");
  CHECK(p.next(kRs1) == "10.1.0.201:1025");
  CHECK(p.next(kRs1) == "refused");
  CHECK(p.pool.peak() == kDpvsPorts);
}

// __laddr_step: under rr and wrr, 5% of the picks skip an address. Deterministic per seed.
TEST_CASE("DPVS skips a local address in about 5% of the picks under rr and wrr only", "[lvs][fullnat]") {
  const auto skips = [](const std::string& scheduler) {
    Pool p(Flavour::Dpvs, {kLaddrA, kLaddrB, kLaddrC}, scheduler);
    int skipped = 0;
    std::string last = "10.1.0.203";
    for (int k = 0; k < 10000; ++k) {
      const std::string local = p.next(kRs1);
      const std::string addr = local.substr(0, local.find(':'));
      const int step = (addr.back() - last.back() + 3) % 3;
      skipped += step == 2;
      last = addr;
    }
    return skipped;
  };
  const int rr = skips("rr");
  CHECK(rr > 400);
  CHECK(rr < 600);
  CHECK(skips("rr") == rr);
  CHECK(skips("wrr") > 400);
  CHECK(skips("wlc") == 0);
  CHECK(skips("sh") == 0);
}

TEST_CASE("FULLNAT connections follow their flavour's timeouts and active states", "[lvs][fullnat][counting]") {
  struct Row {
    ConnState state;
    std::int64_t mainline, fullnat;
  };
  const std::vector<Row> rows{{ConnState::None, 2, 2},        {ConnState::Established, 900, 90},
                              {ConnState::SynSent, 120, 3},   {ConnState::SynRecv, 60, 30},
                              {ConnState::FinWait, 120, 7},   {ConnState::TimeWait, 120, 7},
                              {ConnState::Close, 10, 3},      {ConnState::CloseWait, 60, 7},
                              {ConnState::LastAck, 30, 7},    {ConnState::Listen, 120, 120},
                              {ConnState::SynAck, 120, 30},   {ConnState::Udp, 300, 300}};
  for (const Row& r : rows) {
    CAPTURE(state_name(r.state));
    CHECK(state_timeout(r.state) == Time::s(r.mainline));
    CHECK(state_timeout(r.state, Flavour::Alibaba) == Time::s(r.fullnat));
    CHECK(state_timeout(r.state, Flavour::Dpvs) == Time::s(r.fullnat));
    CHECK(is_active(r.state, Flavour::Alibaba) == (r.state == ConnState::Established));
    CHECK(is_active(r.state, Flavour::Dpvs) == (r.state == ConnState::Established));
  }
  CHECK(is_active(ConnState::SynRecv));  // mainline since 4.7: pre-established states count
}

// ---- the TCP options (fullnat_tcp.hpp) --------------------------------------------------

namespace {

Connection fullnat_connection() {
  Connection c;
  c.method = ForwardingMethod::FullNat;
  c.caddr = Ipv4Address(203, 0, 113, 150);
  c.cport = 32768;
  c.fdata_seq = 5001;
  return c;
}

/// A client's SYN as Linux sends it: mss 1460, sackOK, TS, nop, wscale 7.
Packet client_syn() {
  Packet p;
  p.ip.proto = IpProto::Tcp;
  p.tcp.flags = tcp_flags::kSyn;
  p.tcp.kinds = tcp_option::kMss | tcp_option::kSackPermitted | tcp_option::kTimestamps | tcp_option::kWindowScale;
  p.tcp.options = 20;
  p.tcp.mss = 1460;
  p.tcp.tsval = 77;
  return p;
}

Packet segment(std::uint8_t flags, std::uint32_t ack, std::uint32_t payload) {
  Packet p;
  p.ip.proto = IpProto::Tcp;
  p.tcp.flags = flags;
  p.tcp.ack = ack;
  p.payload = payload;
  return p;
}

}  // namespace

TEST_CASE("FULLNAT: the client's SYN loses its timestamps in place and gains TOA", "[lvs][fullnat][options]") {
  const Connection c = fullnat_connection();
  Packet syn = client_syn();
  CHECK(fullnat_rewrite_in(c, syn, 1500));
  CHECK_FALSE(syn.tcp.has_option(tcp_option::kTimestamps));
  CHECK(syn.tcp.has_option(tcp_option::kTimestampsStripped));
  CHECK(syn.tcp.has_option(tcp_option::kToa));
  CHECK(syn.tcp.options == 28);
  CHECK(syn.ip_bytes() == 68);
  CHECK(syn.tcp.toa_addr == c.caddr.value());
  CHECK(syn.tcp.toa_port == 32768);
}

struct ToaRow {
  const char* name;
  std::uint8_t flags;
  std::uint32_t ack, payload, mtu;
  bool toa;
};

// fdata_seq 5001: the real server's SYN-ACK had seq 5000.
const std::vector<ToaRow> kToaRows{
    {"the handshake's ACK", tcp_flags::kAck, 5001, 0, 1500, true},
    {"request data acking only the SYN-ACK", tcp_flags::kAck | tcp_flags::kPsh, 5001, 500, 1500, true},
    {"a full segment at MSS 1452 still fits: 1492 + 8", tcp_flags::kAck, 5001, 1452, 1500, true},
    {"a full segment at MSS 1460 would not: 1500 + 8 > 1500", tcp_flags::kAck, 5001, 1460, 1500, false},
    {"an ACK of response data", tcp_flags::kAck, 6461, 0, 1500, false},
    {"a FIN", tcp_flags::kAck | tcp_flags::kFin, 5001, 0, 1500, false},
    {"a RST", tcp_flags::kAck | tcp_flags::kRst, 5001, 0, 1500, false},
};

TEST_CASE("FULLNAT: TOA goes on the segments that acknowledge exactly the SYN-ACK, if it fits",
          "[lvs][fullnat][options]") {
  const Connection c = fullnat_connection();
  for (const ToaRow& row : kToaRows) {
    SECTION(row.name) {
      Packet p = segment(row.flags, row.ack, row.payload);
      const std::uint32_t before = p.ip_bytes();
      CHECK(fullnat_rewrite_in(c, p, row.mtu) == row.toa);
      CHECK(p.tcp.has_option(tcp_option::kToa) == row.toa);
      CHECK(p.ip_bytes() == before + (row.toa ? 8 : 0));
    }
  }
}

TEST_CASE("FULLNAT: no TOA when the TCP header has fewer than 8 option bytes free", "[lvs][fullnat][options]") {
  const Connection c = fullnat_connection();
  Packet p = segment(tcp_flags::kAck, 5001, 0);
  p.tcp.options = 33;  // more than 32 used
  CHECK_FALSE(fullnat_rewrite_in(c, p, 1500));
  p.tcp.options = 32;
  CHECK(fullnat_rewrite_in(c, p, 1500));
  CHECK(p.tcp.options == 40);
}

TEST_CASE("FULLNAT: the real server's SYN-ACK reaches the client with MSS - 8", "[lvs][fullnat][options]") {
  Connection c = fullnat_connection();
  c.fdata_seq = 0;
  Packet synack = segment(tcp_flags::kSyn | tcp_flags::kAck, 1, 0);
  synack.tcp.seq = 90000;
  synack.tcp.kinds = tcp_option::kMss;
  synack.tcp.mss = 1460;
  fullnat_rewrite_out(c, synack);
  CHECK(synack.tcp.mss == 1452);
  CHECK(c.fdata_seq == 90001);
  Packet data = segment(tcp_flags::kAck, 1, 1000);  // not a SYN-ACK: untouched
  data.tcp.seq = 90001;
  fullnat_rewrite_out(c, data);
  CHECK(c.fdata_seq == 90001);
}
