// `lvslab trace`: the walk of one request in each forwarding mode is an approved text
// (tests/golden/trace-MODE.txt; LVSLAB_APPROVE=1 rewrites them, review the diff), and the
// rows follow the rules of each mode: which fields change where, the ARP exchanges of a
// cold cache, what the director carries; the text fits 80 columns; --json has every field.
//
// Each scenario is cut down as in test_modes.cpp: one session at t = 1 s, one request per
// connection, a constant service time and a constant 10000-byte response.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <cstdlib>
#include <set>
#include <sstream>

#include "run/trace.hpp"
#include "run/trace_text.hpp"
#include "run_fixture.hpp"
#include "storage/content.hpp"
#include "storage/nfs_wire.hpp"

namespace fs = std::filesystem;
using namespace lvs;
using namespace lvs::test;

namespace {

struct Mode {
  const char* name;  ///< trace-NAME.txt
  const char* file;  ///< scenarios/FILE.yaml
  std::vector<std::string> overrides;
  std::uint32_t request;  ///< request bytes in the file
  bool director_sees_replies;
};

const std::vector<Mode> kModes{
    {"nat", "nat-basic", one_request("nat-basic"), 300, true},
    {"dr", "dr-basic",
     one_request("dr-basic"),
     400, false},
    {"tun", "tun-wan", one_request("tun-wan"), 300, false},
    {"fullnat", "fullnat-cloud",
     one_request("fullnat-cloud"), 500,
     true},
};

run::Trace trace_of(const Mode& m) { return run::trace_request(scenario_file(m.file, m.overrides), {}); }

const run::TraceFormat kPlain{false, 80};

bool is_director(const std::string& node) { return node == "director"; }
bool is_tcp(const run::TraceRow& r) { return r.packet.ethertype == EtherType::Ipv4 && r.packet.ip.proto == IpProto::Tcp; }

// The TCP frames the director sends, towards the server (true) or the client.
std::vector<const run::TraceRow*> director_out(const run::Trace& t, bool to_server) {
  std::vector<const run::TraceRow*> out;
  for (const run::TraceRow& r : t.rows)
    if (r.event == run::HopEvent::Out && is_director(r.node) && is_tcp(r) && r.to_server == to_server) out.push_back(&r);
  return out;
}

using Fields = std::set<std::string>;
Fields ip_changes(const run::TraceRow& r) {
  Fields f;
  for (const std::string& c : r.changed)
    if (c != "eth_src" && c != "eth_dst" && c != "bytes") f.insert(c);
  return f;
}

}  // namespace

TEST_CASE("trace: the walk of one request in each mode matches its approved text", "[run][trace]") {
  const bool approve = std::getenv("LVSLAB_APPROVE") != nullptr;
  for (const Mode& m : kModes) {
    SECTION(m.name) {
      const std::string text = run::format_trace(trace_of(m), kPlain);
      const fs::path approved = kSource / "tests" / "golden" / ("trace-" + std::string(m.name) + ".txt");
      if (approve) std::ofstream(approved) << text;
      INFO("approved: " << approved.string() << "\n(run with LVSLAB_APPROVE=1 to approve a deliberate change)");
      REQUIRE(fs::exists(approved));
      CHECK(text == read_file(approved));
      std::istringstream lines(text);
      for (std::string line; std::getline(lines, line);) {
        INFO(line);
        CHECK(run::visible(line) <= 80);
        CHECK(line.find('\033') == std::string::npos);
      }
    }
  }
}

TEST_CASE("trace: the changed-field marks fall exactly where the mode rewrites", "[run][trace]") {
  for (const Mode& m : kModes) {
    SECTION(m.name) {
      const run::Trace t = trace_of(m);
      const std::string mode = m.name;
      REQUIRE(t.end == run::Trace::End::Closed);
      const auto in = director_out(t, true);
      const auto back = director_out(t, false);
      REQUIRE(in.size() == 8);
      REQUIRE(back.size() == (m.director_sees_replies ? 9u : 0u));
      const Fields in_fields = mode == "nat"   ? Fields{"ip_dst"}
                               : mode == "dr"  ? Fields{}
                               : mode == "tun" ? Fields{"outer"}
                                               : Fields{"ip_src", "sport", "ip_dst"};
      const Fields back_fields = mode == "nat" ? Fields{"ip_src"} : Fields{"ip_src", "ip_dst", "dport"};
      // FULLNAT also rewrites options: TOA into the SYN, the handshake's ACK and the request
      // (8 bytes more; the SYN also loses its timestamps), MSS - 8 into the SYN-ACK.
      const auto with_options = [](Fields f) {
        f.insert("tcp_options");
        return f;
      };
      for (const run::TraceRow* r : in) {
        const bool toa = mode == "fullnat" && r->packet.tcp.has_option(tcp_option::kToa);
        CHECK(r->changed_field("eth_dst"));  // DR: the only rewrite; the others route on
        CHECK(ip_changes(*r) == (toa ? with_options(in_fields) : in_fields));
        CHECK(r->changed_field("bytes") == (mode == "tun" || toa));
      }
      if (mode == "fullnat") CHECK(in[0]->packet.tcp.has_option(tcp_option::kTimestampsStripped));
      if (mode == "fullnat")
        CHECK(std::count_if(in.begin(), in.end(), [](const run::TraceRow* r) {
                return r->packet.tcp.has_option(tcp_option::kToa);
              }) == 3);
      for (const run::TraceRow* r : back) {
        const bool synack = mode == "fullnat" && r->packet.has_flag(tcp_flags::kSyn);
        CHECK(ip_changes(*r) == (synack ? with_options(back_fields) : back_fields));
      }
      // Nowhere else does an IP field change: routers rewrite only the MACs; in TUN the
      // real server removes the outer header (its decapsulate action is marked).
      for (const run::TraceRow& r : t.rows) {
        if (ip_changes(r).empty() || (is_director(r.node) && r.event == run::HopEvent::Out)) continue;
        INFO(r.node << " " << r.text);
        CHECK(mode == "tun");
        CHECK(r.event == run::HopEvent::Action);
        CHECK(r.text == "decapsulate IPIP on tunl0");
        CHECK(ip_changes(r) == Fields{"outer"});
      }
    }
  }
}

TEST_CASE("trace: a cold ARP cache shows its exchanges, before the frames that waited", "[run][trace]") {
  for (const Mode& m : kModes) {
    SECTION(m.name) {
      const run::Trace t = trace_of(m);
      REQUIRE(!t.rows.empty());
      CHECK(t.rows.front().text.starts_with("ARP request: who has "));  // the client's first ARP
      CHECK(t.rows.front().node == t.client);
      CHECK(t.rows.front().t == Time());
      std::size_t requests = 0, replies = 0;
      for (const run::TraceRow& r : t.rows) {
        if (r.packet.ethertype != EtherType::Arp || r.event != run::HopEvent::Out) continue;
        ++(r.packet.arp.op == ArpOp::Request ? requests : replies);
      }
      CHECK(requests >= 2);  // the client's, and the next hop's towards the real server
      CHECK(replies == requests);
      // The client's SYN leaves right when the reply arrives.
      const auto syn = std::find_if(t.rows.begin(), t.rows.end(), [](const run::TraceRow& r) { return is_tcp(r); });
      REQUIRE(syn != t.rows.end());
      CHECK(syn->event == run::HopEvent::Out);
      CHECK(syn->node == t.client);
      const run::TraceRow& before = *(syn - 1);
      CHECK((before.packet.ethertype == EtherType::Arp && before.packet.arp.op == ArpOp::Reply));
      CHECK(before.t == syn->t);
    }
  }
}

TEST_CASE("trace: what the director carries, per mode: DR and TUN only client-to-server frames", "[run][trace]") {
  for (const Mode& m : kModes) {
    SECTION(m.name) {
      const run::TraceSummary s = trace_of(m).summary;
      // As tests/run/test_modes.cpp computes them by hand (Linux's TCP options): client
      // frames 78, 70, 70 + R, then five of 70; server frames 78, 6 x 1518, 1382, 70.
      // FULLNAT (no timestamps end to end, TOA towards the server): client 78, 64, 58 + R,
      // five of 64; on to the server 86, 66, 66 + R, five of 64; server 70, 6 x 1518, 1298, 64.
      const bool fullnat = std::string(m.name) == "fullnat";
      const std::uint64_t c2s = fullnat ? 78 + 64 + 58 + m.request + 5 * 64 : 78 + 7 * 70 + m.request;
      const std::uint64_t s2c = fullnat ? 70 + 6 * 1518 + 1298 + 64 : 78 + 6 * 1518 + 1382 + 70;
      CHECK(s.packets == 17);
      CHECK(s.director_to_server == 8);
      CHECK(s.director_to_client == (m.director_sees_replies ? 9u : 0u));
      CHECK(s.director_frames == s.director_to_server + s.director_to_client);
      CHECK(s.director_bytes_in == c2s + (m.director_sees_replies ? s2c : 0));
      const bool tun = std::string(m.name) == "tun";  // IPIP: 20 bytes more, the 70-byte frames become 90 (SYN 98)
      // FULLNAT's TOA: 8 more bytes in the SYN and in the request, 2 in the handshake's ACK
      // (58 + 8 = 66 where the bare ACK was padded to 64).
      const std::uint64_t toa = fullnat ? 8 + 2 + 8 : 0;
      CHECK(s.director_bytes_out == (tun ? 98 + 7 * 90 + m.request : s.director_bytes_in + toa));
    }
  }
}

namespace {

// TCP payload bytes the client sent (true) or received in the walk.
std::uint64_t client_payload(const run::Trace& t, bool sent) {
  std::uint64_t bytes = 0;
  for (const run::TraceRow& r : t.rows)
    if (r.node == t.client && is_tcp(r) && r.event == (sent ? run::HopEvent::Out : run::HopEvent::In))
      bytes += r.packet.payload;
  return bytes;
}

bool has_error(const scenario::ScenarioSpec& spec) {
  for (const scenario::Finding& f : scenario::validate(spec))
    if (f.severity == scenario::Finding::Severity::Error) return true;
  return false;
}

}  // namespace

// nat-basic's real servers have no router on their segment: DR's and TUN's replies, from the
// VIP, could only go back through the director, whose Linux drops them (martian source), so
// those two modes fall back to their examples; NAT and FULLNAT are derived from the file.
TEST_CASE("trace: --modes derives NAT and FULLNAT from nat-basic itself, and says why not DR and TUN",
          "[run][trace]") {
  const std::string nat = (kSource / "scenarios" / "nat-basic.yaml").string();
  const std::vector<run::ModeTrace> walks =
      run::trace_modes(nat, one_request("nat-basic"), {"nat", "dr", "tun", "fullnat"}, {});
  REQUIRE(walks.size() == 4);
  CHECK(walks[0].note == "every destination of nat-basic switched to nat");
  CHECK(walks[3].note == "every destination of nat-basic switched to fullnat; local address 192.168.10.254 on "
                         "director/eth1 (local_addresses)");
  for (const std::size_t i : {0u, 3u}) {
    const run::ModeTrace& w = walks[i];
    INFO(w.mode);
    CHECK(w.file == nat);
    REQUIRE(w.trace);
    REQUIRE(w.spec);
    CHECK(!has_error(*w.spec));
    CHECK(w.trace->end == run::Trace::End::Closed);
    CHECK(client_payload(*w.trace, true) == 300);  // the same request in both
    CHECK(client_payload(*w.trace, false) == 10000);
  }
  const std::string why = "real server rs1 has no router on its segment but the director: its replies, from the VIP, "
                          "would reach director, which drops a packet from its own address (martian source; "
                          "accept_local=0)";
  CHECK(walks[1].note == "nat-basic does not suit dr: " + why + "; walked in dr-basic.yaml instead");
  CHECK(walks[2].note == "nat-basic does not suit tun: " + why + "; walked in tun-wan.yaml instead");
  const std::string text = run::format_modes(walks, kPlain);
  for (const char* line : {"\nnat      nat-basic            17    34      17       8       9     11506   11506\n",
                           "\nfullnat  nat-basic            17    34      17       8       9     11360   11378\n"}) {
    INFO(line);
    CHECK(text.find(line) != std::string::npos);
  }
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) CHECK(run::visible(line) <= 80);
}

TEST_CASE("trace: --modes derives NAT and TUN on dr-basic, and DR as it is", "[run][trace]") {
  const std::string dr = (kSource / "scenarios" / "dr-basic.yaml").string();
  const std::vector<run::ModeTrace> walks = run::trace_modes(dr, one_request("dr-basic"), {"dr", "tun", "nat"}, {});
  REQUIRE(walks.size() == 3);
  CHECK(walks[0].note == "every destination of dr-basic switched to dr");
  // The VIP's segment is the real servers' own: arp_ignore and arp_announce are already set;
  // their gateway is the router, which carries the replies in both.
  CHECK(walks[1].note == "every destination of dr-basic switched to tun; VIP 192.168.1.100 on tunl0 of rs1, rs2, rs3, rs4");
  CHECK(walks[2].note == "every destination of dr-basic switched to nat; ip_forward=1 on director; gateway of rs1, rs2, "
                         "rs3, rs4 192.168.1.10 (director)");
  for (const run::ModeTrace& w : walks) {
    INFO(w.mode);
    REQUIRE(w.trace);
    CHECK(w.file == dr);
    CHECK(w.trace->end == run::Trace::End::Closed);
    CHECK(client_payload(*w.trace, true) == 400);
    CHECK(client_payload(*w.trace, false) == 10000);
  }
  // The same request, the same frames into the director; TUN sends 20 bytes more for each;
  // NAT brings the replies through it.
  const run::TraceSummary& s_dr = walks[0].trace->summary;
  const run::TraceSummary& s_tun = walks[1].trace->summary;
  const run::TraceSummary& s_nat = walks[2].trace->summary;
  CHECK(s_dr.director_frames == s_tun.director_frames);
  CHECK(s_dr.director_to_client == 0);
  CHECK(s_tun.director_to_client == 0);
  CHECK(s_dr.director_bytes_in == s_tun.director_bytes_in);
  CHECK(s_dr.director_bytes_out == s_dr.director_bytes_in);
  CHECK(s_tun.director_bytes_out == s_tun.director_bytes_in + 20 * s_tun.director_frames);
  CHECK(s_nat.director_to_server == s_dr.director_to_server);
  CHECK(s_nat.director_to_client == 9);
}

TEST_CASE("trace: --modes gives DR and TUN no way back through the director, and takes an ARP-answering VIP off for NAT",
          "[run][trace]") {
  // fullnat-cloud's real servers have no gateway (FULLNAT needs none) and no router on their
  // segment: DR and TUN replies could only go through the director, which would drop them.
  const std::string cloud = (kSource / "scenarios" / "fullnat-cloud.yaml").string();
  const std::vector<run::ModeTrace> walks = run::trace_modes(cloud, one_request("fullnat-cloud"), {"dr", "tun"}, {});
  REQUIRE(walks.size() == 2);
  for (const run::ModeTrace& w : walks) {
    INFO(w.mode);
    CHECK(w.note.find("fullnat-cloud does not suit " + w.mode + ": real server rs1 has no router on its segment") == 0);
    CHECK(w.file != cloud);
  }
  // dr-arp-problem's real servers hold the VIP on lo with arp_ignore=0: NAT takes it off,
  // or they would answer the router's ARP for it and take the clients' frames.
  const std::string rs = "rs1, rs2, rs3, rs4";
  const std::string lesson = (kSource / "scenarios" / "dr-arp-problem.yaml").string();
  const std::vector<run::ModeTrace> nat = run::trace_modes(lesson, {}, {"nat"}, {});
  CHECK(nat[0].note == "every destination of dr-arp-problem switched to nat; VIP 192.168.1.100 off lo of " + rs +
                           " (arp_ignore=0: it would answer ARP for it); ip_forward=1 on director; gateway of " + rs +
                           " 192.168.1.10 (director)");
  REQUIRE(nat[0].trace);
  CHECK(nat[0].trace->summary.director_to_server > 0);
  CHECK(nat[0].trace->summary.director_to_client > 0);
}

TEST_CASE("trace: --modes falls back to the bundled example, with the reason, when a mode cannot be derived",
          "[run][trace]") {
  // tun-wan's real servers sit behind routers: DR cannot reach them by MAC.
  const std::string tun = (kSource / "scenarios" / "tun-wan.yaml").string();
  const std::vector<run::ModeTrace> walks = run::trace_modes(tun, one_request("tun-wan"), {"tun", "dr"}, {});
  REQUIRE(walks.size() == 2);
  CHECK(walks[0].note == "every destination of tun-wan switched to tun");
  CHECK(walks[1].note == "tun-wan does not suit dr: real server rs-b shares no segment or link with director: DR "
                         "rewrites only the MAC address; walked in dr-basic.yaml instead");
  CHECK(walks[1].file == (kSource / "scenarios" / "dr-basic.yaml").string());
  REQUIRE(walks[1].trace);
  REQUIRE(walks[1].spec);
  CHECK(walks[1].spec->name == "dr-basic");
  CHECK(run::format_modes(walks, kPlain).find("\ndr       dr-basic ") != std::string::npos);
  // Without an example next to the file, the mode is not run, and says why.
  const fs::path dir = fs::temp_directory_path() / "lvslab-trace-test";
  fs::create_directories(dir);
  const fs::path file = dir / "tun-alone.yaml";
  fs::copy_file(tun, file, fs::copy_options::overwrite_existing);
  const std::vector<run::ModeTrace> alone = run::trace_modes(file.string(), one_request("tun-wan"), {"dr"}, {});
  CHECK(!alone[0].trace);
  CHECK(alone[0].note.ends_with("DR rewrites only the MAC address (and no dr-basic.yaml next to it)"));
  CHECK(run::format_modes(alone, kPlain).find("\ndr       (not run)\n") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("trace: --json has every field of every row, and the fields each row changed", "[run][trace]") {
  const run::Trace t = trace_of(kModes[0]);
  const nlohmann::json j = nlohmann::json::parse(run::trace_to_json(t));
  CHECK(j["scenario"] == "nat-basic");
  CHECK(j["flow"]["dport"] == 80);
  CHECK(j["end"] == "closed");
  REQUIRE(j["rows"].size() == t.rows.size());
  bool dnat = false, marked = false;
  for (const nlohmann::json& r : j["rows"]) {
    for (const char* key : {"t_us", "event", "node", "packet", "eth_src", "eth_dst", "proto", "bytes", "changed"})
      CHECK(r.contains(key));
    if (r["proto"] == "tcp")
      for (const char* key : {"ip_src", "ip_dst", "sport", "dport", "flags"}) CHECK(r.contains(key));
    if (r["event"] == "in" || r["event"] == "out") CHECK(r.contains("iface"));
    dnat = dnat || (r["event"] == "action" && r["action"].get<std::string>().starts_with("DNAT 192.168.74.129:80 -> "));
    marked = marked || (r["event"] == "out" && r["node"] == "director" &&
                        r["changed"] == nlohmann::json{"eth_src", "eth_dst", "ip_dst"});
  }
  CHECK(dnat);
  CHECK(marked);
  CHECK(j["summary"]["director_frames"] == 17);
}

TEST_CASE("trace: a client, session or mode that does not exist is refused by name", "[run][trace]") {
  const scenario::ScenarioSpec spec = scenario_file("nat-basic", {"duration=20ms", "warmup=0"});
  CHECK_THROWS_WITH(run::trace_request(spec, {"nobody", 1, {}, false, nullptr, {}}),
                    "--client: no client population called 'nobody'; the scenario has: client");
  CHECK_THROWS_WITH(run::trace_request(spec, {"", 0, {}, false, nullptr, {}}), "--request: sessions are numbered from 1");
  CHECK_THROWS_WITH(run::trace_request(spec, {"", 1000, {}, false, nullptr, {}}),
                    Catch::Matchers::StartsWith("--request 1000: client client started only ") &&
                        Catch::Matchers::EndsWith(" sessions in 20ms"));
  CHECK_THROWS_WITH(run::trace_modes((kSource / "scenarios" / "nat-basic.yaml").string(), {}, {"nat", "lc"}, {}),
                    "--modes: unknown mode 'lc'; valid modes: nat, dr, tun, fullnat");
}

TEST_CASE("trace: a request on an NFS web root shows the calls it causes, with their real sizes", "[run][trace][nfs]") {
  // nat-nfs's first session: rs2 has not opened this file yet, so it LOOKUPs the name (its
  // reply carries the attributes) and READs the file; the calls of other requests stay out.
  const run::Trace t = run::trace_request(scenario_file("nat-nfs", {}), {});
  std::vector<const run::TraceRow*> calls, replies;
  for (const run::TraceRow& r : t.rows) {
    if (r.event != run::HopEvent::Out || !is_tcp(r) || r.packet.payload == 0) continue;
    if (r.packet.dport == storage::kNfsPort) calls.push_back(&r);
    if (r.packet.sport == storage::kNfsPort) replies.push_back(&r);
  }
  REQUIRE(calls.size() == 2);
  const storage::RpcCallTag lookup = storage::decode_call(calls[0]->packet.app);
  const storage::RpcCallTag read = storage::decode_call(calls[1]->packet.app);
  CHECK(lookup.op == storage::NfsOp::Lookup);
  CHECK(read.op == storage::NfsOp::Read);
  CHECK(read.file == lookup.file);
  CHECK(calls[0]->node == "rs2");
  // AUTH_SYS for "rs2" (3 bytes, padded to 4) and the file's name, "<index>.html".
  const storage::RpcCredential rs2{3, 1};
  CHECK(calls[0]->packet.payload == storage::nfs_call_bytes(storage::NfsOp::Lookup, rs2, 0,
                                                             storage::file_name_bytes(lookup.file)));
  CHECK(calls[1]->packet.payload == storage::nfs_call_bytes(storage::NfsOp::Read, rs2));
  // The READ reply is 28 + 104 bytes plus the file, padded to 4, over MSS-sized segments.
  std::uint64_t read_reply = 0;
  for (const run::TraceRow* r : replies)
    if (storage::decode_reply(r->packet.app).xid == read.xid) read_reply += r->packet.payload;
  const scenario::ScenarioSpec spec = scenario_file("nat-nfs", {});
  Rng sizes_rng = Simulation(spec.seed).rng("content/sizes");
  const storage::Catalogue content(spec.workload.content->config, sizes_rng);
  CHECK(read_reply == storage::nfs_reply_bytes(storage::NfsOp::Read, content.bytes(read.file)));
  CHECK(run::format_trace(t, kPlain).find("NFS V3 LOOKUP Call") != std::string::npos);
}

// The sentence each director and real-server hop carries (run/hop_reason.hpp), checked by
// hand against each mode's rule: DR rewrites only the destination MAC and the real server
// takes the VIP as its own on lo; NAT rewrites the destination IP to the real server and the
// reply's source back to the VIP; TUN wraps the packet in IPIP to the server, which strips
// it on tunl0; FULLNAT rewrites both addresses (source to a local address, the client in the
// TOA option), and the reply both back. DR and TUN replies go straight to the client.
TEST_CASE("trace: each director and real-server hop says why, in the words of its mode", "[run][trace]") {
  struct Expected {
    const char* to_server;  ///< the director's first frame to the real server
    const char* to_client;  ///< its first frame back ("" when replies bypass it)
    const char* server_in;  ///< the real server taking the SYN
    const char* reply;      ///< the real server's SYN-ACK
  };
  const std::map<std::string, Expected> expected{
      {"nat",
       {"director: NAT — destination IP rewritten from the VIP 192.168.74.129 to rs2 (192.168.10.103), the client's "
        "source kept",
        "director: NAT — source IP rewritten from rs2 (192.168.10.103) back to the VIP 192.168.74.129: replies pass "
        "through the director",
        "rs2: NAT — receives it at its own address 192.168.10.103; it never sees the VIP",
        "rs2: NAT — replies from 192.168.10.103 via director, its gateway, which rewrites the source back to the VIP"}},
      {"dr",
       {"director: DR — destination MAC rewritten to rs4, IP untouched, VIP 192.168.1.100 kept", "",
        "rs4: DR — accepts the frame: the VIP 192.168.1.100 is on its lo, so the packet is its own",
        "rs4: DR — replies from the VIP 192.168.1.100 straight to the client 10.0.0.10 via router, not through the "
        "director"}},
      {"tun",
       {"director: TUN — IPIP header added, 192.168.1.10 > rs-c (10.3.0.11); inner IP untouched, VIP 192.168.1.100 "
        "kept",
        "",
        "rs-c: TUN — IPIP header removed; the inner packet is for the VIP 192.168.1.100, on its tunl0, so rs-c "
        "answers it itself",
        "rs-c: TUN — replies from the VIP 192.168.1.100 straight to the client 10.0.0.10 via router-c, not through "
        "the director"}},
      {"fullnat",
       {"director: FULLNAT — source IP rewritten to its local address 10.1.0.201, destination IP to rs4 (10.1.0.14); "
        "the client's address rides in the TOA option",
        "director: FULLNAT — source IP rewritten back to the VIP 203.0.113.100, destination back to the client "
        "203.0.113.150: replies pass through the director",
        "rs4: FULLNAT — receives it from the director's local address 10.1.0.201, not from the client",
        "rs4: FULLNAT — replies to the director's local address 10.1.0.201, so the reply goes back through it"}},
  };
  for (const Mode& m : kModes) {
    SECTION(m.name) {
      const run::Trace t = trace_of(m);
      const Expected& e = expected.at(m.name);
      CHECK(director_out(t, true).front()->reason == e.to_server);
      const auto back = director_out(t, false);
      CHECK((back.empty() ? std::string() : back.front()->reason) == e.to_client);
      std::vector<std::string> server;  // the first two sentences of the real server
      for (const run::TraceRow& r : t.rows) {
        if (r.reason.empty()) continue;
        INFO(r.node << " " << r.reason);
        if (is_director(r.node)) {
          CHECK(r.event == run::HopEvent::Out);  // the director speaks where its frame leaves
        } else {
          CHECK(r.node.rfind("rs", 0) == 0);  // nobody else: no router, no client
          server.push_back(r.reason);
        }
      }
      REQUIRE(server.size() >= 2);
      CHECK(server[0] == e.server_in);
      CHECK(server[1] == e.reply);
      const std::string text = run::format_trace(t, kPlain);
      CHECK(text.find("why: " + std::string(e.to_server).substr(0, 30)) != std::string::npos);
      // Each sentence once, where it first applies: the text has one why: per distinct reason.
      std::set<std::string> reasons;
      for (const run::TraceRow& r : t.rows)
        if (!r.reason.empty()) reasons.insert(r.reason);
      std::size_t whys = 0;
      for (std::size_t at = text.find("why: "); at != std::string::npos; at = text.find("why: ", at + 1)) ++whys;
      CHECK(whys == reasons.size());
      CHECK(whys < static_cast<std::size_t>(std::count_if(t.rows.begin(), t.rows.end(),
                                                          [](const run::TraceRow& r) { return !r.reason.empty(); })));
    }
  }
}

TEST_CASE("trace: a DR reply through a director that is also the clients' gateway is routed, not rewritten",
          "[run][trace]") {
  // fwmark-cache: the director is the offices' gateway, so the caches' replies pass it;
  // DR's IPVS does nothing to them (only requests are scheduled and rewritten).
  const run::Trace t = run::trace_request(scenario_file("fwmark-cache", {}), {});
  const auto back = director_out(t, false);
  REQUIRE_FALSE(back.empty());
  CHECK(back.front()->reason == "director: DR — routes the reply as the gateway; IPVS leaves it as the real server sent it");
  CHECK(back.front()->changed_field("eth_dst"));
  CHECK_FALSE(back.front()->changed_field("ip_src"));  // the VIP stays the source: nothing rewritten
}
