// lvslab export of a fwmark service: keepalived.conf's `virtual_server fwmark N` with the
// iptables rule that sets the mark as a comment, and `ipvsadm -S -n` with -f N.

#include <catch2/catch.hpp>

#include "import/keepalived_writer.hpp"

using namespace lvs;
using namespace lvs::import;

TEST_CASE("export: fwmark-cache.yaml writes virtual_server fwmark 1 and -A -f 1", "[import][fwmark]") {
  const scenario::ScenarioSpec spec = scenario::read_scenario(std::string(LVSLAB_SOURCE_DIR) + "/scenarios/fwmark-cache.yaml");
  CHECK(ipvsadm_save_n(spec, "director") ==
        "-A -f 1 -s dh\n"
        "-a -f 1 -r 192.168.1.11:0 -g -w 1\n"
        "-a -f 1 -r 192.168.1.12:0 -g -w 1\n"
        "-a -f 1 -r 192.168.1.13:0 -g -w 1\n");
  const std::string conf = keepalived_conf(spec, "director");
  CHECK(conf.find("! iptables -t mangle -A PREROUTING -p tcp -d 10.1.0.0/16 --dport 80 -j MARK --set-mark 1\n"
                  "virtual_server fwmark 1 {\n"
                  "    delay_loop 60\n"
                  "    lb_algo dh\n"
                  "    lb_kind DR\n") != std::string::npos);
  CHECK(conf.find("    real_server 192.168.1.11 0 {\n") != std::string::npos);
}
