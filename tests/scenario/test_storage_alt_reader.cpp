// The keys of the storage alternatives (kind drbd, rsync, glusterfs) read into exact values,
// and their checks in validate(), each bad value named at its key.

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

std::string path_of(const std::string& stem) { return std::string(LVSLAB_SOURCE_DIR) + "/scenarios/" + stem + ".yaml"; }

std::string text_of(const std::string& stem) {
  std::ifstream in(path_of(stem));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string edited(const std::string& stem, const std::string& from, const std::string& to) {
  std::string text = text_of(stem);
  const std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::vector<std::string> findings(const std::string& text) {
  std::vector<std::string> out;
  for (const Finding& f : validate(read_scenario_text(text, "p.yaml")))
    if (f.severity == Finding::Severity::Error) out.push_back(f.str("p.yaml"));
  return out;
}

bool has_finding(const std::string& text, const std::string& part) {
  const std::vector<std::string> found = findings(text);
  for (const std::string& f : found)
    if (f.find(part) != std::string::npos) return true;
  for (const std::string& f : found) UNSCOPED_INFO(f);
  return false;
}

}  // namespace

TEST_CASE("storage alternatives: the three scenarios read and validate without error", "[scenario_reader][storage]") {
  for (const char* stem : {"storage-alternatives", "storage-alternatives-rsync", "storage-alternatives-glusterfs"}) {
    INFO(stem);
    CHECK(findings(text_of(stem)).empty());
  }
}

TEST_CASE("storage alternatives: kind drbd reads hosts, address, protocol and Pacemaker's timings",
          "[scenario_reader][storage]") {
  const ScenarioSpec spec = read_scenario(path_of("storage-alternatives"));
  REQUIRE(spec.storage.size() == 1);
  const StorageSpec& s = spec.storage[0];
  CHECK(s.kind == StorageKind::Drbd);
  CHECK(storage_kind_name(s.kind) == "drbd");
  CHECK(s.name == "r0");
  CHECK(s.host == "nfs1");
  CHECK(s.drbd.hosts == std::vector<std::string>{"nfs1", "nfs2"});
  CHECK(s.drbd.address.str() == "192.168.10.104/24");
  CHECK(s.drbd.drbd.protocol == storage::DrbdProtocol::C);
  CHECK(s.drbd.pacemaker.detection == Time::ms(2200));
  CHECK(s.drbd.pacemaker.fencing == Time::zero());
  CHECK(s.drbd.pacemaker.promote == Time::s(1));
  CHECK(s.drbd.pacemaker.start == Time::s(2));
  CHECK(s.nfs.export_path == "/opt/wwwroot");
  const ScenarioSpec b = read_scenario_text(edited("storage-alternatives", "protocol: C", "protocol: B"), "p.yaml");
  CHECK(b.storage[0].drbd.drbd.protocol == storage::DrbdProtocol::B);
}

TEST_CASE("storage alternatives: kind rsync and kind glusterfs read their keys", "[scenario_reader][storage]") {
  const ScenarioSpec r = read_scenario(path_of("storage-alternatives-rsync"));
  CHECK(r.storage[0].kind == StorageKind::Rsync);
  CHECK(r.storage[0].host == "nfs1");
  CHECK(r.storage[0].rsync.source == "nfs1");
  CHECK(r.storage[0].rsync.interval == Time::s(25));
  CHECK(r.storage[0].disk_profile == "hdd-7200");
  const ScenarioSpec g = read_scenario(path_of("storage-alternatives-glusterfs"));
  CHECK(g.storage[0].kind == StorageKind::Glusterfs);
  CHECK(g.storage[0].gluster.hosts == std::vector<std::string>{"nfs1", "nfs2"});
  CHECK(g.storage[0].gluster.volume == "gv0");
  CHECK(g.storage[0].gluster.ping_timeout == Time::s(42));
  CHECK(g.storage[0].nfs.export_path == "/gv0");
}

TEST_CASE("storage alternatives: bad values are refused at their key", "[scenario_reader][storage]") {
  CHECK(error_of([] { read_scenario_text(edited("storage-alternatives", "protocol: C", "protocol: D"), "p.yaml"); })
            .find("storage[0].protocol") != std::string::npos);
  CHECK(error_of([] { read_scenario_text(edited("storage-alternatives", "hosts: [nfs1, nfs2]", "hosts: [nfs1]"), "p.yaml"); })
            .find("storage[0].hosts: expected two hosts") != std::string::npos);
  CHECK(error_of([] {
          read_scenario_text(edited("storage-alternatives-rsync", "interval: 25s", "interval: 25s\n    threads: 4"), "p.yaml");
        }).find("storage[0]") != std::string::npos);
  CHECK(error_of([] {
          read_scenario_text(edited("storage-alternatives-glusterfs", "volume: gv0", "volume: a/b"), "p.yaml");
        }).find("storage[0].volume: expected a volume name") != std::string::npos);
}

TEST_CASE("storage alternatives: validate refuses a taken address, one host twice, a subnet the pair is not on",
          "[scenario_reader][storage]") {
  CHECK(has_finding(edited("storage-alternatives", "address: 192.168.10.104/24", "address: 192.168.10.103/24"),
                    "is already real server web1's address"));
  CHECK(has_finding(edited("storage-alternatives", "hosts: [nfs1, nfs2]", "hosts: [nfs1, nfs1]"),
                    "a DRBD pair needs two different hosts"));
  CHECK(has_finding(edited("storage-alternatives", "address: 192.168.10.104/24", "address: 10.9.9.9/24"),
                    "nfs1 has no interface in 10.9.9.9/24's subnet"));
  CHECK(has_finding(edited("storage-alternatives-glusterfs", "from: 192.168.10.104:/gv0", "from: 192.168.10.107:/gv1"),
                    "access denied"));
}

TEST_CASE("storage alternatives: NFS mount options on an rsync mount are warned about, not silently dropped",
          "[scenario_reader][storage]") {
  const ScenarioSpec spec = read_scenario(std::string(LVSLAB_SOURCE_DIR) + "/scenarios/storage-alternatives-rsync.yaml",
                                          {"servers[0].mount.options=soft,timeo=10"});
  std::vector<std::string> warnings;
  for (const Finding& f : validate(spec))
    if (f.severity == Finding::Severity::Warning) warnings.push_back(f.message);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == "mount options are NFS's (nfs(5)); a mount from rsync storage ignores 'soft,timeo=10'");
}
