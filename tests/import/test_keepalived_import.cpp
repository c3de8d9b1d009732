// keepalived.conf import: the DR pair of lvs-models-reference.md §8.1, the tokeniser's rules,
// includes, and what is reported with FILE:LINE.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "import/keepalived_lexer.hpp"
#include "import/keepalived_reader.hpp"
#include "import/to_scenario.hpp"
#include "import_configs.hpp"

namespace fs = std::filesystem;
using namespace lvs;
using namespace lvs::import;
using namespace lvs::test::imports;

TEST_CASE("import: the DR pair of §8.1 becomes one service on both directors and one VRRP instance", "[import]") {
  const fs::path dir = scratch("pair");
  Diagnostics d;
  ImportInput in;
  in.keepalived.push_back(read_keepalived(write(dir / "lvs1.conf", kLvs1), d));
  in.keepalived.push_back(read_keepalived(write(dir / "lvs2.conf", lvs2_of(kLvs1)), d));
  const ImportResult r = to_scenario(in, d);
  CHECK(warnings(d).empty());
  REQUIRE(r.spec.services.size() == 1);
  const scenario::ServiceSpec& s = r.spec.services[0];
  CHECK(s.director == "lvs1");
  CHECK(s.also_on == std::vector<std::string>{"lvs2"});
  CHECK(s.persistent == Time::s(300));
  REQUIRE(s.health_check);
  CHECK(s.health_check->delay_loop == Time::s(6));
  CHECK(s.health_check->inhibit_on_failure);
  CHECK(s.health_check->sorry_server == "sorry");
  REQUIRE(s.destinations.size() == 2);
  // The checker's own value, then the real server's, then the virtual server's, then keepalived's default.
  const scenario::CheckSpec& http = s.destinations[0].checks.at(0);
  CHECK(http.kind == scenario::CheckKind::Http);
  CHECK(http.url_path == "/health/nfs.txt");
  CHECK(http.connect_timeout == Time::s(3));
  CHECK(http.retry == 3);
  CHECK(http.delay_before_retry == Time::s(3));  // HTTP_GET's own default
  const scenario::CheckSpec& tcp = s.destinations[1].checks.at(0);
  CHECK(tcp.connect_timeout == Time::s(4));
  CHECK(tcp.retry == 2);
  CHECK(tcp.delay_before_retry == Time::s(1));
  REQUIRE(r.spec.vrrp.size() == 1);
  const scenario::VrrpInstanceSpec& v = r.spec.vrrp[0];
  CHECK(v.virtual_router_id == 51);
  CHECK(v.auth_pass == "s3cr3t12");
  REQUIRE(v.members.size() == 2);
  CHECK(v.members[0].director == "lvs1");
  CHECK(v.members[0].state == scenario::VrrpInitialState::Master);
  CHECK(v.members[1].priority == 100u);
  REQUIRE(r.spec.sync_daemon);
  CHECK(r.spec.sync_daemon->interface == "eth1");
  CHECK(r.spec.sync_daemon->syncid == 51);
  // DR real servers: the VIP on lo, arp_ignore 1 / arp_announce 2, the router as gateway.
  for (const scenario::HostSpec& h : r.spec.topology.hosts)
    if (h.name == "rs1") {
      CHECK(h.loopback == std::vector<Ipv4Address>{*Ipv4Address::parse("192.0.2.10")});
      CHECK(h.sysctl.arp_ignore == 1);
      CHECK(h.sysctl.arp_announce == 2);
      CHECK(h.gateway == Ipv4Address::parse("10.0.1.254"));
    }
}

TEST_CASE("import: lower-case lb_kind dr is NAT in keepalived 2.2.7, with a warning naming the line", "[import]") {
  const fs::path dir = scratch("lbkind");
  const std::string f = write(dir / "k.conf", kLowerLbKind);
  Diagnostics d;
  ImportInput in;
  in.keepalived.push_back(read_keepalived(f, d));
  const ImportResult r = to_scenario(in, d);
  CHECK(warnings(d) == std::vector<std::string>{
                           f + ":3: warning: lb_kind dr: keepalived 2.2.7 compares the method case-sensitively "
                               "(NAT, DR, TUN) and ignores 'dr': this virtual server forwards by NAT, as keepalived "
                               "would run it"});
  CHECK(r.spec.services.at(0).destinations.at(0).method == scenario::Method::Nat);
  CHECK(r.spec.services.at(0).director == "k");  // no router_id: the file's stem
  for (const scenario::HostSpec& h : r.spec.topology.hosts)
    if (h.name == "rs1") CHECK(h.gateway == Ipv4Address::parse("10.0.1.1"));  // the director's address
}

TEST_CASE("import: braces glued to words, comments anywhere, quoted words, old spellings", "[import]") {
  CHECK(split_words("real_server 10.0.0.1 80{ # a comment") ==
        std::vector<std::string>{"real_server", "10.0.0.1", "80", "{"});
  CHECK(split_words("}}!x") == std::vector<std::string>{"}", "}"});
  CHECK(split_words("script \"killall -0 haproxy\"") == std::vector<std::string>{"script", "killall -0 haproxy"});
  const fs::path dir = scratch("glued");
  const std::string f = write(dir / "k.conf", kGlued);
  Diagnostics d;
  const KeepalivedConfig c = read_keepalived(f, d);
  CHECK(warnings(d) == std::vector<std::string>{
                           f + ":7: warning: nb_get_retry is the old name of 'retry': read as retry",
                           f + ":8: warning: TCP_CHECK: unknown keyword 'conect_timeout', did you mean "
                               "'connect_timeout'? (skipped)"});
  REQUIRE(c.services.size() == 1);
  CHECK(c.services[0].scheduler == "wrr");
  CHECK(c.services[0].method == scenario::Method::Dr);
  CHECK(c.services[0].reals.at(0).weight == 3);
  CHECK(c.services[0].reals.at(0).checks.at(0).retry == 4);
}

TEST_CASE("import: include globs relative to the including file, an absolute one found under the main file's directory",
          "[import]") {
  const fs::path dir = scratch("include");
  const std::string main = write(dir / "keepalived.conf",
                                 "include conf.d/*.conf\ninclude /etc/keepalived/extra/vs.conf\ninclude missing/*.conf\n");
  write(dir / "conf.d/10-global.conf", "global_defs {\n  router_id lvs9\n}\n");
  write(dir / "conf.d/20-vs.conf", "include ../snippets/rs.conf\n");
  write(dir / "snippets/rs.conf", "virtual_server 10.0.0.100 80 {\n  lb_kind TUN\n  real_server 10.9.0.11 80 {\n  }\n}\n");
  write(dir / "extra/vs.conf", "virtual_server 10.0.0.100 443 {\n  lb_kind DR\n  real_server 10.0.0.11 443 {\n  }\n}\n");
  Diagnostics d;
  const KeepalivedConfig c = read_keepalived(main, d);
  CHECK(warnings(d) == std::vector<std::string>{
                           main + ":2: warning: include /etc/keepalived/extra/vs.conf: not found; read " +
                               (dir / "extra/vs.conf").string() + " under the main file's directory instead",
                           main + ":3: warning: include missing/*.conf: no file matches (skipped, as keepalived does)"});
  CHECK(c.router_id == "lvs9");
  REQUIRE(c.services.size() == 2);
  CHECK(c.services[0].at.file == (dir / "snippets/rs.conf").string());
  CHECK(c.services[0].at.line == 1);
  CHECK(c.services[0].method == scenario::Method::Tun);
}

TEST_CASE("import: an include cycle, a missing main file and an empty configuration are errors", "[import]") {
  const fs::path dir = scratch("cycle");
  const std::string a = write(dir / "a.conf", "include b.conf\n");
  write(dir / "b.conf", "\n\ninclude a.conf\n");
  Diagnostics d;
  CHECK_THROWS_WITH(read_keepalived(a, d), (dir / "b.conf").string() + ":3: error: include cycle: a.conf -> b.conf -> a.conf");
  CHECK_THROWS_WITH(read_keepalived((dir / "nope.conf").string(), d),
                    (dir / "nope.conf").string() + ": error: cannot read " + (dir / "nope.conf").string() +
                        ": No such file or directory");
  const std::string empty = write(dir / "empty.conf", "global_defs {\n  router_id x\n}\n");
  ImportInput in;
  in.keepalived.push_back(read_keepalived(empty, d));
  CHECK_THROWS_WITH(to_scenario(in, d), empty + ": error: no virtual server with a real server and no vrrp_instance: nothing to import");
}

TEST_CASE("import: fwmark, groups, unmodelled and unknown keywords are reported and skipped", "[import]") {
  const fs::path dir = scratch("group");
  const std::string f = write(dir / "k.conf", kGroup);
  Diagnostics d;
  const KeepalivedConfig c = read_keepalived(f, d);
  CHECK(warnings(d) == std::vector<std::string>{
                           f + ":3: warning: virtual_server_group WEB: fwmark entries are not modelled (skipped)",
                           f + ":7: warning: virtual_server: 'omega' is not modelled (skipped)",
                           f + ":8: warning: virtual_server: unknown keyword 'frobnicate' (skipped)",
                           f + ":10: warning: real_server: 'SMTP_CHECK' is not modelled (skipped)",
                           f + ":14: warning: virtual_server fwmark: firewall-mark services are not modelled "
                               "(skipped with its real servers)"});
  REQUIRE(c.services.size() == 2);
  CHECK(c.services[1].vip == *Ipv4Address::parse("10.0.0.101"));
  CHECK(c.services[1].reals.at(0).port == 8080);
}

TEST_CASE("import: include depth and glob limits bound the read", "[import]") {
  const fs::path dir = scratch("limits");
  const std::string f = write(dir / "k.conf", "include *.inc\n");
  for (int i = 0; i < 3; ++i) write(dir / ("f" + std::to_string(i) + ".inc"), "\n");
  Diagnostics d;
  LexLimits limits;
  limits.max_glob_files = 2;
  CHECK_THROWS_WITH(read_keepalived(f, d, limits), f + ":1: error: include *.inc matches 3 files, more than 2");
}
