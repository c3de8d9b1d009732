// The storage keys read into exact values (workload.content, storage, servers[].mount) and
// the storage checks of validate(), each bad value named at its key.

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "scenario/scenario_spec.hpp"
#include "scenario_fixture.hpp"

using namespace lvs;
using namespace lvs::scenario;
using lvs::test::error_of;

namespace {

const std::string kNatNfs = std::string(LVSLAB_SOURCE_DIR) + "/scenarios/nat-nfs.yaml";

std::string nat_nfs_text() {
  std::ifstream in(kNatNfs);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string edited(const std::string& from, const std::string& to) {
  std::string text = nat_nfs_text();
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::string finding_with(const std::string& text, const std::string& part) {
  std::vector<std::string> found;
  for (const Finding& f : validate(read_scenario_text(text, "p.yaml"))) found.push_back(f.str("p.yaml"));
  for (const std::string& f : found)
    if (f.find(part) != std::string::npos) return f;
  for (const std::string& f : found) UNSCOPED_INFO(f);
  return "";
}

}  // namespace

TEST_CASE("storage: nat-nfs reads into its content, NFS server and mounts", "[scenario_reader][storage]") {
  const ScenarioSpec spec = read_scenario(kNatNfs);
  REQUIRE(spec.workload.content);
  CHECK(spec.workload.content->config.files == 5000);
  CHECK(spec.workload.content->config.zipf == 0.9);
  CHECK(spec.workload.content->config.write_fraction == 0);
  REQUIRE(spec.storage.size() == 1);
  const StorageSpec& nfs = spec.storage[0];
  CHECK(nfs.name == "nfs");
  CHECK(nfs.host == "nfs");
  CHECK(nfs.nfs.export_path == "/opt/wwwroot");
  CHECK(nfs.nfs.threads == 16);
  CHECK(nfs.nfs.page_cache_bytes == 2ULL << 30);
  CHECK(nfs.nfs.sync);
  CHECK(nfs.disk_profile == "hdd-7200");
  REQUIRE(spec.servers.at(0).mount);
  const MountSpec& m = *spec.servers[0].mount;
  CHECK(m.server == *Ipv4Address::parse("192.168.10.104"));
  CHECK(m.export_path == "/opt/wwwroot");
  CHECK(m.mount_point == "/var/www/html");
  CHECK(m.page_cache_bytes == 24ULL << 20);
  CHECK(m.warm);
  // `defaults`: Linux's hard mount, timeo=600 (60 s), retrans=2, close-to-open.
  CHECK(m.options.hard);
  CHECK(m.options.timeo == Time::s(60));
  CHECK(m.options.retrans == 2);
  CHECK(m.options.cto);
  CHECK(validate(spec).empty());
}

TEST_CASE("storage: mount options as mount -o writes them", "[scenario_reader][storage]") {
  const ScenarioSpec spec =
      read_scenario_text(edited("options: defaults", "options: soft,timeo=10,retrans=3,nocto,actimeo=0"), "p.yaml");
  const storage::NfsMountOptions& o = spec.servers.at(0).mount->options;
  CHECK_FALSE(o.hard);
  CHECK(o.timeo == Time::s(1));
  CHECK(o.retrans == 3);
  CHECK_FALSE(o.cto);
  CHECK(o.acregmin == Time());
  CHECK(o.acregmax == Time());
  CHECK(spec.servers[0].mount->options_text == "soft,timeo=10,retrans=3,nocto,actimeo=0");
}

TEST_CASE("storage: bad values are refused at their key", "[scenario_reader][storage]") {
  CHECK(error_of([] { read_scenario_text(edited("options: defaults", "options: hard,vers=4"), "p.yaml"); })
            .find("servers[0].mount.options: mount option 'vers=4': expected") != std::string::npos);
  CHECK(error_of([] { read_scenario_text(edited("from: 192.168.10.104:/opt/wwwroot", "from: nfs:/opt/wwwroot"), "p.yaml"); })
            .find("servers[0].mount.from: expected SERVER:/EXPORT with the server's IPv4 address") != std::string::npos);
  CHECK(error_of([] { read_scenario_text(edited("disk: hdd-7200", "disk: floppy"), "p.yaml"); })
            .find("storage[0].disk: ") != std::string::npos);
  CHECK(error_of([] { read_scenario_text(edited("    files: 5000", "    files: 0"), "p.yaml"); })
            .find("workload.content.files") != std::string::npos);
  CHECK(error_of([] { read_scenario_text(edited("    threads: 16", "    threads: 16\n    color: red"), "p.yaml"); })
            .find("storage[0]") != std::string::npos);
}

TEST_CASE("storage: validate names the mount that points nowhere, the wrong export, a missing catalogue",
          "[scenario_reader][storage]") {
  CHECK(finding_with(edited("from: 192.168.10.104:/opt/wwwroot", "from: 192.168.10.103:/opt/wwwroot"),
                     "servers[0].mount.from") ==
        "p.yaml:66:13: servers[0].mount.from: error: 192.168.10.103 is real server rs2, which runs no storage server; "
        "a mount names an NFS server listed under `storage`");
  CHECK(finding_with(edited("from: 192.168.10.104:/opt/wwwroot", "from: 192.168.10.104:/srv/www"), "access denied") ==
        "p.yaml:66:13: servers[0].mount.from: error: mount.nfs: access denied by server while mounting "
        "192.168.10.104:/srv/www (nfs exports /opt/wwwroot)");
  const std::string no_content = edited(
      "  content:\n    files: 5000\n    zipf: 0.9\n    size: {distribution: lognormal, mean: 10KB, stddev: 5KB}\n", "");
  CHECK(finding_with(no_content, "workload.content").find("error: a mount serves files") != std::string::npos);
  CHECK(finding_with(edited("  - host: nfs  ", "  - host: rs1  "), "also runs a server application") != "");
}

TEST_CASE("storage: a catalogue whose tables would outgrow 8 GiB is refused before the run", "[scenario_reader][storage]") {
  // 3 hosts read the content (nfs, rs1, rs2): 50 000 000 x (24 + 64 x 3) bytes = 10 GiB.
  CHECK(finding_with(edited("    files: 5000", "    files: 50000000"), "GiB of tables") ==
        "p.yaml:74:12: workload.content.files: error: 50000000 files read by 3 hosts need about 10 GiB of tables "
        "(64 bytes a file per host); at most 8 GiB: use fewer files or fewer hosts");
  CHECK(finding_with(edited("    files: 5000", "    files: 30000000"), "GiB of tables").empty());
}

TEST_CASE("storage: sites need content, one request per connection, and a service for the last site",
          "[scenario_reader][storage]") {
  const std::string with_sites = edited("      request_size: 300B", "      request_size: 300B\n      sites: 10");
  CHECK(finding_with(with_sites, "sites").find("the last site, 192.168.74.138, is not taken by service") !=
        std::string::npos);
  const std::string too_many = edited("      request_size: 300B", "      request_size: 300B\n      sites: 6000");
  CHECK(finding_with(too_many, "6000 sites for 5000 files") != "");
}
