// lvslab export of a scenario whose real servers are a group: keepalived.conf and
// `ipvsadm -S -n` list the expanded servers, one real_server / -a line each, as they would
// for the same servers written by hand (keepalived and ipvsadm have no notion of a group).

#include <catch2/catch.hpp>

#include <string>

#include "import/keepalived_writer.hpp"

using namespace lvs;
using namespace lvs::import;

TEST_CASE("export: capacity-groups.yaml lists each server of the group", "[import][groups]") {
  const scenario::ScenarioSpec spec = scenario::read_scenario(
      std::string(LVSLAB_SOURCE_DIR) + "/scenarios/capacity-groups.yaml", {"services[0].groups[0].count=3"});
  CHECK(ipvsadm_save_n(spec, "director") ==
        "-A -t 192.168.1.100:80 -s wlc\n"
        "-a -t 192.168.1.100:80 -r 192.168.1.11:80 -g -w 1\n"
        "-a -t 192.168.1.100:80 -r 192.168.1.12:80 -g -w 1\n"
        "-a -t 192.168.1.100:80 -r 192.168.1.13:80 -g -w 1\n");
  const std::string conf = keepalived_conf(spec, "director");
  for (const char* server : {"192.168.1.11", "192.168.1.12", "192.168.1.13"})
    CHECK(conf.find(std::string("    real_server ") + server + " 80 {\n") != std::string::npos);
  CHECK(conf.find("real_server 192.168.1.14") == std::string::npos);
}
