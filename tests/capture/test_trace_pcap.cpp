// `lvslab trace --pcap`: the capture of a traced request holds exactly the frames of its walk
// (the out-rows of the hop table: every IP frame once, as many as the walk's hops, and the
// ARP frames sent for it), in each mode's example cut down to one request; tshark decodes it;
// --pcap-all holds more, and still each frame once.

#include <catch2/catch.hpp>

#include <set>

#include "run/run_fixture.hpp"
#include "run/trace.hpp"
#include "tshark.hpp"

using namespace lvs;
using namespace lvs::test;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kFiles{"nat-basic", "dr-basic", "tun-wan", "fullnat-cloud"};

std::size_t out_rows(const run::Trace& t, EtherType type) {
  std::size_t n = 0;
  for (const run::TraceRow& r : t.rows) n += r.event == run::HopEvent::Out && r.packet.ethertype == type;
  return n;
}

run::Trace traced(const scenario::ScenarioSpec& spec, const fs::path& pcap, bool all) {
  run::TraceRequest req;
  req.pcap = pcap.string();
  req.pcap_all = all;
  return run::trace_request(spec, req);
}

// One line per TCP frame: what tells two frames of one request apart (the link by its MACs).
const std::vector<std::string> kFrameFields{"eth.src", "eth.dst", "ip.src", "ip.dst", "tcp.srcport", "tcp.dstport",
                                            "tcp.seq_raw", "tcp.ack_raw", "tcp.flags", "tcp.len"};

}  // namespace

TEST_CASE("trace --pcap: exactly the request's frames, each once, as the hop table counts them",
          "[capture][trace][tshark]") {
  for (const std::string& file : kFiles) {
    SECTION(file) {
      const fs::path pcap = capture_dir() / ("trace-" + file + ".pcap");
      const run::Trace t = traced(scenario_file(file, one_request(file)), pcap, false);
      REQUIRE(t.end == run::Trace::End::Closed);
      // Every IP frame of the request is received once: the walk's hops; the ARP frames are
      // those sent (a broadcast request is one frame, however many hosts receive it).
      CHECK(out_rows(t, EtherType::Ipv4) == t.summary.hops);
      CHECK(out_rows(t, EtherType::Arp) > 0);
      CHECK(out_rows(t, EtherType::Arp) <= t.summary.arp_frames);
      if (!tshark_or_warn()) continue;
      const std::vector<std::string> problems = decode_problems(pcap);
      for (const std::string& p : problems) UNSCOPED_INFO(p);
      CHECK(problems.empty());
      CHECK(tshark_fields(pcap, "", {"frame.number"}).size() ==
            out_rows(t, EtherType::Ipv4) + out_rows(t, EtherType::Arp));
      CHECK(tshark_fields(pcap, "ip", {"frame.number"}).size() == t.summary.hops);
      CHECK(tshark_fields(pcap, "arp", {"frame.number"}).size() == out_rows(t, EtherType::Arp));
      // Only the traced flow (and ICMP about it): one client port, both ways (FULLNAT's
      // director connects to the real server from a port of its own).
      if (file != "fullnat-cloud")
        CHECK(tshark_fields(pcap, "tcp && !(tcp.port == " + std::to_string(t.sport) + ")", {"frame.number"}).empty());
      const std::vector<std::string> tcp = tshark_fields(pcap, "tcp", kFrameFields);
      CHECK(std::set<std::string>(tcp.begin(), tcp.end()).size() == tcp.size());  // each frame once
      // Times are the simulated time: the first frame at the walk's first row.
      const std::vector<std::string> first = tshark_fields(pcap, "frame.number == 1", {"frame.time_epoch"});
      REQUIRE(first.size() == 1);
      CHECK(std::stod(first[0]) == Approx(t.start.seconds()).epsilon(1e-12));
    }
  }
}

TEST_CASE("trace --pcap-all: every frame at the capture points, each once, more than the request's",
          "[capture][trace][tshark]") {
  // nat-basic as it is: 500 sessions a second, the first traced.
  const scenario::ScenarioSpec spec = scenario_file("nat-basic", {});
  const fs::path one = capture_dir() / "trace-one-nat-basic.pcap", all = capture_dir() / "trace-all-nat-basic.pcap";
  const run::Trace t = traced(spec, one, false);
  const run::Trace t_all = traced(spec, all, true);
  CHECK(t_all.summary.hops == t.summary.hops);  // the capture does not change the walk
  CHECK(fs::file_size(all) > fs::file_size(one));
  if (!tshark_or_warn()) return;
  CHECK(decode_problems(all).empty());
  // In nat-basic every link ends at a capture point (a director or a real server): the
  // traced flow's frames are all in the file, once each, as in the request's capture.
  const std::string flow = "ip.addr == " + t.src.str() + " && tcp.port == " + std::to_string(t.sport);
  const std::vector<std::string> in_all = tshark_fields(all, flow, kFrameFields);
  CHECK(in_all.size() == t.summary.hops);
  CHECK(in_all == tshark_fields(one, "tcp", kFrameFields));
  CHECK(tshark_fields(all, "", {"frame.number"}).size() > tshark_fields(one, "", {"frame.number"}).size());
  fs::remove(all);  // about 12 MB
}
