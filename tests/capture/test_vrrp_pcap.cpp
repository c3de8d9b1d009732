// VRRP adverts on the wire: their exact size and bytes (RFC 3768 5.1, RFC 5798 5.1), the
// checksum each version defines, and pcap files of a running pair that tshark decodes
// without a warning.

#include <catch2/catch.hpp>

#include "capture/frame_bytes.hpp"
#include "capture/pcap_writer.hpp"
#include "control/vrrp_fixture.hpp"
#include "frame_check.hpp"
#include "tshark.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

Packet advert(int version, std::uint8_t count) {
  Packet p;
  p.eth_src = MacAddress::local(1);
  p.eth_dst = ipv4_multicast_mac(kVrrpGroup);
  p.ip = Ipv4Header{addr("10.0.0.1"), kVrrpGroup, IpProto::Vrrp, 255, false, 7};
  p.vrrp.version = static_cast<std::uint8_t>(version);
  p.vrrp.vrid = 51;
  p.vrrp.priority = 100;
  p.vrrp.count = count;
  p.vrrp.advert_int = version == 2 ? 1 : 50;
  for (std::uint8_t i = 0; i < count; ++i) p.vrrp.addresses[i] = Ipv4Address(10, 0, 0, static_cast<std::uint8_t>(100 + i));
  return p;
}

}  // namespace

TEST_CASE("vrrp advert: sizes are 8 + 4 per address (+ 8 auth bytes in v2), padded to 64", "[capture][vrrp]") {
  struct Row {
    int version;
    std::uint8_t count;
    std::uint32_t ip_bytes;
    std::uint32_t frame_bytes;
  };
  const Row row = GENERATE(Row{2, 1, 20 + 20, 64}, Row{3, 1, 20 + 12, 64}, Row{2, 5, 20 + 36, 74},
                           Row{3, 5, 20 + 28, 66}, Row{2, 8, 20 + 48, 86}, Row{3, 8, 20 + 40, 78});
  const Packet p = advert(row.version, row.count);
  CHECK(p.ip_bytes() == row.ip_bytes);
  CHECK(p.frame_bytes() == row.frame_bytes);
  Bytes f;
  serialize_frame(p, f);
  CHECK(f.size() == row.frame_bytes - 4);
}

TEST_CASE("vrrp advert: v2 bytes, with the checksum over the VRRP message alone", "[capture][vrrp]") {
  Packet p = advert(2, 1);
  p.vrrp.auth_type = 1;
  const std::string pass = "s3cr3t12";
  for (std::size_t i = 0; i < 8; ++i) p.vrrp.auth_data[i] = static_cast<std::uint8_t>(pass[i]);
  Bytes f;
  serialize_frame(p, f);
  const std::string h = hex(f);
  CHECK(h.substr(0, 28) == "01005e000012" "020000000001" "0800");
  CHECK(h.substr(28 + 16, 4) == "ff70");  // TTL 255, protocol 112
  CHECK(get16(f, 16) == 40);              // IP total length
  CHECK(ipv4_checksum_ok(f, 14));
  // version 2 type 1, VRID 51, priority 100, 1 address, auth 1, interval 1 s; 10.0.0.100; "s3cr3t12"
  CHECK(h.substr(68, 12) == "213364010101");
  CHECK(h.substr(84, 8) == "0a000064");
  CHECK(h.substr(92, 16) == "7333637233743132");
  CHECK(word_sum(f, 34, 20) == 0xffff);
  CHECK(h.substr(108) == std::string(12, '0'));  // Ethernet padding to 60 bytes
}

TEST_CASE("vrrp advert: v3 bytes, a 12-bit interval in centiseconds and the pseudo-header checksum",
          "[capture][vrrp]") {
  const Packet p = advert(3, 5);
  Bytes f;
  serialize_frame(p, f);
  const std::string h = hex(f);
  CHECK(h.substr(68, 8) == "31336405");  // version 3 type 1, VRID 51, priority 100, 5 addresses
  CHECK(get16(f, 38) == 50);             // 0.5 s
  CHECK(l4_checksum_ok(f, 14, 28, 28));  // RFC 5798 5.2.8
  CHECK(word_sum(f, 34, 28) != 0xffff);  // not the v2 checksum
}

TEST_CASE("vrrp pcap: a pair's adverts and GARPs decode in tshark without warnings", "[capture][vrrp]") {
  const int version = GENERATE(2, 3);
  VrrpLan lan(2);
  control::VrrpConfig a = vi_1(255, version, version == 2 ? Time::s(1) : Time::ms(500), true);
  if (version == 2) a.auth_pass = "s3cr3t12";
  control::VrrpConfig b = a;
  b.priority = 100;
  b.initial_master = false;
  lan.add(0, a);
  lan.add(1, b);
  const std::filesystem::path file = capture_dir() / ("vrrp-v" + std::to_string(version) + ".pcap");
  {
    PcapWriter w(file.string(), {lan.router.interface("eth0")});
    lan.net.set_observer(&w);
    lan.daemon(0).start();
    lan.daemon(1).start();
    lan.at(Time::ms(2'200), [&] { lan.daemon(0).shutdown(); });
    lan.sim.run_until(Time::s(4));
    w.close();
    lan.net.set_observer(nullptr);
  }
  if (!tshark_or_warn()) return;
  // Every frame decodes cleanly. The one expert note allowed is tshark's ARP "Duplicate IP
  // address configured (10.0.0.100)": the VIP announced from a second MAC, which is what a
  // takeover is.
  std::vector<std::string> problems;
  for (const std::string& line : decode_problems(file))
    if (line.find("Duplicate IP address configured (10.0.0.100)") == std::string::npos) problems.push_back(line);
  CHECK(problems.empty());
  const std::vector<std::string> rows = tshark_fields(file, "vrrp", {"ip.src", "ip.ttl", "vrrp.version", "vrrp.prio"});
  const std::size_t owner = version == 2 ? 3 : 5;  // at 0, 1, 2 s (0.5 s apart for v3) and priority 0 at 2.2 s
  REQUIRE(rows.size() >= owner + 1);
  const std::string v = std::to_string(version);
  CHECK(rows.front() == "10.0.0.1|255|" + v + "|255");
  CHECK(rows[owner] == "10.0.0.1|255|" + v + "|0");
  CHECK(rows[owner + 1] == "10.0.0.2|255|" + v + "|100");  // lvs2 after its skew
  const std::vector<std::string> garps = tshark_fields(file, "arp.isgratuitous == 1", {"arp.src.proto_ipv4"});
  CHECK(garps.size() == 10);  // 5 from lvs1 at 0 s, 5 from lvs2 at its takeover
}
