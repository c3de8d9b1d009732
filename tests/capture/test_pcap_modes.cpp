// One request through each forwarding mode (the four files in scenarios/, cut down as in
// tests/run/test_modes.cpp), captured at the default capture points, every frame checked
// for its size, and the file decoded by tshark: no malformed frame, no bad checksum, and
// the header that tells the mode apart -- DR keeps the VIP with the real server's MAC, NAT
// rewrites to the real server's address, TUN adds a second IP header; and FULLNAT's TCP
// options as tshark reads them.

#include <catch2/catch.hpp>

#include <map>

#include "capture/frame_bytes.hpp"
#include "capture/observer_fanout.hpp"
#include "capture/pcap_writer.hpp"
#include "run/run_fixture.hpp"
#include "tshark.hpp"

using namespace lvs;
using namespace lvs::test;
namespace fs = std::filesystem;

namespace {

/// What the director does to the IP headers of a client's frame, as tshark shows them.
enum class Rewrite {
  KeepVip,      ///< DR: ip.dst stays the VIP (only the MAC changes)
  ToServer,     ///< NAT, FULLNAT: ip.dst is the real server's address
  Encapsulate,  ///< TUN: an outer header to the real server (protocol 4), the inner one to the VIP
};

struct Mode {
  const char* file;  ///< scenarios/FILE.yaml
  std::vector<std::string> overrides;
  const char* server;         ///< the real server the scheduler picks first
  const char* director_side;  ///< the director's interface towards the real servers
  const char* next_hop;       ///< NODE/IFACE the director sends to (the server's eth0, or a router)
  Rewrite rewrite;
};

// SYN, ACK, the request, three ACKs, FIN and the last ACK: 8 frames from the client. Written
// once, as sent, each is the frame the director sends and the one the real server receives
// (in TUN the director sends to a router; the frame rs-c receives is the last router's).
constexpr std::size_t kClientFrames = 8;
const std::vector<Mode> kModes{
    {"nat-basic", one_request("nat-basic"), "rs2", "eth1", "rs2/eth0", Rewrite::ToServer},
    {"dr-basic",
     one_request("dr-basic"),
     "rs4", "eth0", "rs4/eth0", Rewrite::KeepVip},
    {"tun-wan", one_request("tun-wan"), "rs-c", "eth0", "router-a/eth1", Rewrite::Encapsulate},
    {"fullnat-cloud",
     one_request("fullnat-cloud"), "rs4",
     "eth1", "rs4/eth0", Rewrite::ToServer},
};

/// Checks that every frame serializes to frame_bytes() - 4 bytes, and counts them.
struct SizeCheck : PacketObserver {
  std::vector<std::uint8_t> buffer;
  std::uint64_t frames = 0, wrong = 0;
  void check(const Packet& p) {
    serialize_frame(p, buffer);
    ++frames;
    if (buffer.size() != p.frame_bytes() - kEthernetFcs) ++wrong;
  }
  void on_transmit(Time, const Interface&, const Packet& p) override { check(p); }
  void on_receive(Time, const Interface&, const Packet& p) override { check(p); }
};

struct Captured {
  scenario::ScenarioSpec spec;
  std::unique_ptr<run::Model> model;
  fs::path file;
  std::uint64_t frames = 0;
  const Interface& iface(const std::string& node, const std::string& name) const {
    const Node* n = model->net.node(node);
    REQUIRE(n != nullptr);
    const Interface* i = n->interface(name);
    REQUIRE(i != nullptr);
    return *i;
  }
};

/// Runs `mode` with a writer at the default capture points, to FILE.pcap in the capture directory.
Captured run_captured(const Mode& mode, const std::string& file, CaptureAt at = CaptureAt::Sender) {
  Captured c;
  c.spec = scenario_file(mode.file, mode.overrides);
  c.model = run::build_model(c.spec, c.spec.seed);
  c.file = capture_dir() / (file + ".pcap");
  PcapWriter writer(c.file.string(), run::default_capture_points(*c.model, c.spec), at);
  SizeCheck sizes;
  ObserverFanout fan;
  fan.add(writer);
  fan.add(sizes);
  c.model->net.set_observer(&fan);
  c.model->sim.run_until(Time::s(3));
  c.model->net.set_observer(nullptr);
  writer.close();
  c.frames = writer.frames();
  REQUIRE(c.model->clients.at(0)->totals().completed == 1);
  CHECK(sizes.frames > c.frames);  // the clients' and routers' frames are not captured
  CHECK(sizes.wrong == 0);
  return c;
}

std::string mac_of(const Interface& i) { return i.mac().str(); }

/// ip.dst|ip.proto of a client's frame after the director.
std::string ip_headers(const Captured& c, const Mode& m) {
  const std::string vip = c.spec.services.at(0).vip.str();
  const std::string server = c.iface(m.server, "eth0").primary_address().str();
  switch (m.rewrite) {
    case Rewrite::KeepVip: return vip + "|6";
    case Rewrite::ToServer: return server + "|6";
    case Rewrite::Encapsulate: return server + "," + vip + "|4,6";
  }
  return "";
}

}  // namespace

TEST_CASE("the default capture points: every Ethernet interface of the directors and the servers", "[capture][run]") {
  const scenario::ScenarioSpec spec = scenario_file("nat-basic", {});
  const auto m = run::build_model(spec, spec.seed);
  std::vector<std::string> names;
  for (const Interface* i : run::default_capture_points(*m, spec)) names.push_back(i->node().name() + "/" + i->name());
  CHECK(names == std::vector<std::string>{"director/eth0", "director/eth1", "rs1/eth0", "rs2/eth0"});
}

TEST_CASE("one request per mode: the capture decodes cleanly and shows the mode's headers", "[capture][run][tshark]") {
  for (const Mode& mode : kModes) {
    SECTION(mode.file) {
      const Captured c = run_captured(mode, mode.file);
      CHECK(c.frames > 20);
      if (!tshark_or_warn()) continue;
      const std::vector<std::string> problems = decode_problems(c.file);
      for (const std::string& p : problems) UNSCOPED_INFO(p);
      CHECK(problems.empty());
      CHECK(tshark_fields(c.file, "", {"frame.number"}).size() == c.frames);

      // The client's frames as the director sends them, and as the real server receives them.
      const std::string port = "tcp.dstport == " + std::to_string(c.spec.services.at(0).port);
      const std::string director = mac_of(c.iface("director", mode.director_side));
      const std::string server = mac_of(c.iface(mode.server, "eth0"));
      const std::string next_hop(mode.next_hop);
      const std::size_t cut = next_hop.find('/');
      const std::string next_mac = mac_of(c.iface(next_hop.substr(0, cut), next_hop.substr(cut + 1)));
      const std::vector<std::string> fields{"eth.dst", "ip.dst", "ip.proto"};
      CHECK(tshark_fields(c.file, port + " && eth.src == " + director, fields) ==
            std::vector<std::string>(kClientFrames, next_mac + "|" + ip_headers(c, mode)));
      CHECK(tshark_fields(c.file, port + " && eth.dst == " + server, fields) ==
            std::vector<std::string>(kClientFrames, server + "|" + ip_headers(c, mode)));
    }
  }
}

TEST_CASE("run_scenario with the pcap option writes the same file as a writer installed by hand", "[capture][run]") {
  const Mode& nat = kModes.front();
  const Captured by_hand = run_captured(nat, "by-hand-nat-basic");
  run::RunOptions options;
  options.pcap = (capture_dir() / "run-nat-basic.pcap").string();
  const run::RunResult r = run::run_scenario(by_hand.spec, options);  // duration=3s, as run_captured
  CHECK(r.requests.completed == 1);
  const std::string written = read_file(*options.pcap);
  CHECK(written.size() == fs::file_size(by_hand.file));
  CHECK(written == read_file(by_hand.file));
}

// tcpdump on each interface: a frame between two capture points (the director's eth1 and
// rs2's eth0) is in the file twice, a frame to a host that is not one (the client) once.
TEST_CASE("run_scenario with pcap_both_ends writes a frame at each capture point it crosses", "[capture][run]") {
  const Mode& nat = kModes.front();
  const Captured once = run_captured(nat, "sender-nat-basic");
  const Captured twice = run_captured(nat, "both-ends-nat-basic", CaptureAt::BothEnds);
  run::RunOptions options;
  options.pcap = (capture_dir() / "run-both-ends-nat-basic.pcap").string();
  options.pcap_both_ends = true;
  run::run_scenario(twice.spec, options);
  CHECK(read_file(*options.pcap) == read_file(twice.file));
  CHECK(twice.frames > once.frames);
  if (!tshark_or_warn()) return;
  const std::string inside = "eth.src == " + mac_of(once.iface("director", "eth1")) +
                             " && eth.dst == " + mac_of(once.iface("rs2", "eth0"));
  const std::string outside = "eth.src == " + mac_of(once.iface("director", "eth0"));
  const std::size_t inside_once = tshark_fields(once.file, inside, {"frame.number"}).size();
  CHECK(inside_once >= kClientFrames);
  CHECK(tshark_fields(twice.file, inside, {"frame.number"}).size() == 2 * inside_once);
  CHECK(tshark_fields(twice.file, outside, {"frame.number"}).size() ==
        tshark_fields(once.file, outside, {"frame.number"}).size());
}

// FULLNAT on the wire (Alibaba, fullnat-cloud's flavour; fullnat_tcp.hpp). tshark decodes
// TOA as an RFC 6994 experimental option: kind 254, the client port 53648 read as its Experiment
// Identifier (0xd190), then the client's address 203.0.113.150 (cb007196). Each frame to the
// real server is written once, as the director sends it.
TEST_CASE("FULLNAT on the wire: TOA first in the SYN, the handshake's ACK and the request, no timestamps, MSS 1452",
          "[capture][run][tshark][fullnat]") {
  const Mode& mode = kModes.at(3);
  const Captured c = run_captured(mode, "fullnat-options");
  if (!tshark_or_warn()) return;
  const std::string director = mac_of(c.iface("director", "eth1"));
  const std::string client = c.model->clients.at(0)->interfaces().front()->mac().str();
  std::map<std::string, int> to_server;
  for (const std::string& row :
       tshark_fields(c.file, "tcp.dstport == 443 && eth.src == " + director,
                     {"frame.len", "tcp.flags", "tcp.option_kind", "tcp.options.experimental.exid",
                      "tcp.options.experimental.data"}))
    ++to_server[row];
  // SYN: TOA, MSS 1460, SACK-permitted, the timestamp option as ten NOPs, NOP + window scale:
  // 20 + 20 + 28 bytes; the handshake's ACK and the 500-byte request with TOA only; the
  // three ACKs of the response, the FIN (0x11) and the last ACK without options (60: padded).
  CHECK(to_server == std::map<std::string, int>{{"82|0x0002|254,2,4,1,1,1,1,1,1,1,1,1,1,1,3|0xd190|cb007196", 1},
                                                {"62|0x0010|254|0xd190|cb007196", 1},
                                                {"562|0x0018|254|0xd190|cb007196", 1},
                                                {"60|0x0010|||", 4},
                                                {"60|0x0011|||", 1}});
  // The SYN-ACK the client gets: MSS 1460 - 8, and no timestamps (rs4 never saw the client's).
  const auto synack = tshark_fields(c.file, "tcp.srcport == 443 && tcp.flags == 0x12 && eth.dst == " + client,
                                    {"frame.len", "tcp.option_kind", "tcp.options.mss_val"});
  CHECK(synack == std::vector<std::string>{"66|2,1,1,4,1,3|1452"});
  // The only timestamp option on the wire is the one in the client's SYN, before the director.
  CHECK(tshark_fields(c.file, "tcp.option_kind == 8", {"frame.len", "tcp.flags"}) ==
        std::vector<std::string>{"74|0x0002"});
}
