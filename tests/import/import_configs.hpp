#pragma once
// The configurations the import tests read, in one place: the reader tests check what each
// says, test_import_runs.cpp that each imports to a scenario validate accepts and that runs.

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "import/ipvsadm_save_reader.hpp"
#include "import/keepalived_reader.hpp"
#include "import/ldirectord_reader.hpp"
#include "import/to_scenario.hpp"

namespace lvs::test::imports {

namespace fs = std::filesystem;

/// A fresh directory per test case under the system's temp directory.
inline fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("lvslab-import-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

/// Writes `text` to `path` (making its directory); returns the path.
inline std::string write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
  return path.string();
}

inline std::vector<std::string> warnings(const import::Diagnostics& d) {
  std::vector<std::string> out;
  for (const import::Diagnostic& w : d.warnings) out.push_back(w.str());
  return out;
}

/// The DR pair of lvs-models-reference.md §8.1, lvs1's side.
inline const std::string kLvs1 = R"(global_defs {
    router_id lvs1
    lvs_sync_daemon eth1 VI_WEB id 51
}
vrrp_instance VI_WEB {
    state MASTER              ! lvs2: BACKUP
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass s3cr3t12
    }
    virtual_ipaddress {
        192.0.2.10/24
    }
}
virtual_server 192.0.2.10 80 {
    delay_loop 6
    lb_algo wlc
    lb_kind DR
    persistence_timeout 300
    protocol TCP
    connect_timeout 4
    sorry_server 10.0.1.5 80
    real_server 10.0.1.11 80 {
        weight 1
        inhibit_on_failure
        HTTP_GET {
            url {
                path /health/nfs.txt   ! served from the NFS mount
                status_code 200
            }
            connect_timeout 3
            retry 3
        }
    }
    real_server 10.0.1.12 80 {
        weight 2
        retry 2
        TCP_CHECK {
        }
    }
}
)";

/// lvs2's side of a pair: router_id, state and priority changed.
inline std::string lvs2_of(std::string text) {
  text.replace(text.find("router_id lvs1"), 14, "router_id lvs2");
  text.replace(text.find("state MASTER"), 12, "state BACKUP");
  text.replace(text.find("priority 150"), 12, "priority 100");
  return text;
}

/// A lower-case lb_kind: NAT in keepalived 2.2.7.
inline const std::string kLowerLbKind =
    "virtual_server 10.0.0.100 80 {\n    lb_algo rr\n    lb_kind dr\n    real_server 10.0.1.11 80 {\n    }\n}\n";

/// Braces glued to words, comments, old spellings and a misspelt keyword.
inline const std::string kGlued =
    "virtual_server 10.0.0.100 80{   # glued\n"
    "  lvs_sched wrr ! old and new names are both keepalived's\n"
    "  lvs_method DR\n"
    "  real_server 10.0.0.11 80 { weight 3\n"
    "    TCP_CHECK\n    {\n      nb_get_retry 4\n      conect_timeout 2\n    }\n  }\n}\n";

/// A virtual_server_group with a range and an fwmark entry, unmodelled and unknown keywords.
inline const std::string kGroup =
    "virtual_server_group WEB {\n  10.0.0.100-101 80\n  fwmark 7\n}\n"
    "virtual_server group WEB {\n  lb_kind NAT\n  omega\n  frobnicate 1\n"
    "  real_server 10.0.1.11 8080 {\n    SMTP_CHECK {\n    }\n  }\n}\n"
    "virtual_server fwmark 7 {\n}\n";

/// The pair of the fixed-point test: VRRP with two VIPs (one the NAT gateway), a script, a
/// sync group, a sorry server, HTTP and MISC checks, quorum, and a UDP TUN service.
inline const std::string kFixedPointLvs1 =
    "global_defs {\n router_id lvs1\n lvs_sync_daemon eth1 VI_1 id 51\n}\n"
    "vrrp_script chk {\n script \"/bin/grep -q up /sys/class/net/eth1/operstate\"\n interval 2\n fall 2\n}\n"
    "vrrp_sync_group G1 {\n group {\n  VI_1\n }\n}\n"
    "vrrp_instance VI_1 {\n state MASTER\n interface eth0\n virtual_router_id 51\n priority 150\n"
    " virtual_ipaddress {\n  192.168.1.100/24\n  192.168.2.1/24\n }\n track_script {\n  chk weight -60\n }\n}\n"
    "virtual_server 192.168.1.100 80 {\n delay_loop 6\n lb_algo rr\n lb_kind NAT\n persistence_timeout\n"
    " quorum 2\n hysteresis 1\n sorry_server 192.168.2.50 8080\n"
    " real_server 192.168.2.11 80 {\n  weight 3\n  uthreshold 100\n  HTTP_GET {\n   url {\n    path /health\n   }\n  }\n }\n"
    " real_server 192.168.2.12 80 {\n  MISC_CHECK {\n   misc_path /usr/bin/true\n   misc_timeout 5\n  }\n }\n}\n"
    "virtual_server 192.168.1.100 53 {\n protocol UDP\n lb_kind TUN\n real_server 10.3.0.11 53 {\n }\n}\n";

inline std::string fixed_point_lvs2() {
  std::string conf = kFixedPointLvs1;
  conf.replace(conf.find("lvs1"), 4, "lvs2");
  conf.replace(conf.find("state MASTER"), 12, "state BACKUP");
  return conf;
}

/// ipvsadm-save -n, and the same table saved without -n.
inline const std::string kIpvsadmNumeric = "-A -t 10.0.0.100:80 -s wrr -p 300 -M 255.255.255.0\n"
                                           "-a -t 10.0.0.100:80 -r 10.0.1.11:80 -m -w 2\n"
                                           "-a -t 10.0.0.100:80 -r 10.0.1.12:80 -m -w 1 -x 100 -y 50\n";
inline const std::string kIpvsadmNamed = "-A -t 10.0.0.100:http -s wrr -p 300 -M 255.255.255.0\n"
                                         "-a -t 10.0.0.100:http -r 10.0.1.11:http -m -w 2\n"
                                         "-a -t 10.0.0.100:www -r 10.0.1.12:80 --masquerading --weight 1 -x 100 -y 50\n";
/// Lines the ipvsadm-save reader cannot use, and one UDP service it can.
inline const std::string kIpvsadmBadLines =
    "-A -f 7 -s rr\n-A -t www.example.com:80\n-a -t 10.0.0.9:80 -r 10.0.1.1:80 -g\n"
    "-A -t 10.0.0.100:gopherx -s rr\n-A -u 10.0.0.100:53 -s rr -p\n-Z\n";
/// One DR service: the exact-YAML test.
inline const std::string kIpvsadmOneService = "-A -t 10.0.0.100:80 -s rr\n"
                                              "-a -t 10.0.0.100:80 -r 10.0.0.11:80 -g -w 1\n";

/// ldirectord.cf with globals, a virtual block, an HTTP negotiate check and a fallback.
inline const std::string kLdirectord = "checktimeout=3\ncheckinterval=5\nquiescent=no\nautoreload=yes\n"
                                       "virtual=192.168.6.240:80\n"
                                       "\treal=192.168.6.2:80 gate\n\treal=192.168.6.3:80 gate 2\n"
                                       "\tfallback=192.168.6.9:80 gate\n\tservice=http\n\trequest=\"index.html\"\n"
                                       "\treceive=\"Test Page\"\n\tscheduler=rr\n\tprotocol=tcp\n\tchecktype=negotiate\n"
                                       "\tnegotiatetimeout=4\n\tfailurecount=3\n";

/// The names of the cases import_case() knows that import to a scenario ("ipvsadm-bad-lines"
/// is known too: its one usable service has no real server, so there is nothing to import).
inline std::vector<std::string> import_case_names() {
  return {"dr-pair",          "dr-pair-backup-first", "lower-lb-kind",     "glued",          "include",         "group",
          "fixed-point-pair", "ipvsadm-numeric",   "ipvsadm-named",  "ipvsadm-one-service",
          "ldirectord"};
}

/// The sources of case `name` read (into a scratch directory where they are files).
inline import::ImportInput import_case(const std::string& name, import::Diagnostics& d) {
  import::ImportInput in;
  const auto keepalived = [&](const std::vector<std::pair<std::string, std::string>>& files) {
    const fs::path dir = scratch("case-" + name);
    for (const auto& [file, text] : files) in.keepalived.push_back(import::read_keepalived(write(dir / file, text), d));
  };
  const auto table = [&](const std::string& file, std::vector<import::ImportedService> services) {
    in.tables.push_back({"director", file, std::move(services)});
  };
  if (name == "dr-pair") keepalived({{"lvs1.conf", kLvs1}, {"lvs2.conf", lvs2_of(kLvs1)}});
  if (name == "dr-pair-backup-first") keepalived({{"lvs2.conf", lvs2_of(kLvs1)}, {"lvs1.conf", kLvs1}});
  if (name == "lower-lb-kind") keepalived({{"k.conf", kLowerLbKind}});
  if (name == "glued") keepalived({{"k.conf", kGlued}});
  if (name == "group") keepalived({{"k.conf", kGroup}});
  if (name == "fixed-point-pair") keepalived({{"lvs1.conf", kFixedPointLvs1}, {"lvs2.conf", fixed_point_lvs2()}});
  if (name == "include") {
    const fs::path dir = scratch("case-include");
    const std::string main =
        write(dir / "keepalived.conf", "include conf.d/*.conf\ninclude /etc/keepalived/extra/vs.conf\ninclude missing/*.conf\n");
    write(dir / "conf.d/10-global.conf", "global_defs {\n  router_id lvs9\n}\n");
    write(dir / "conf.d/20-vs.conf", "include ../snippets/rs.conf\n");
    write(dir / "snippets/rs.conf", "virtual_server 10.0.0.100 80 {\n  lb_kind TUN\n  real_server 10.9.0.11 80 {\n  }\n}\n");
    write(dir / "extra/vs.conf", "virtual_server 10.0.0.100 443 {\n  lb_kind DR\n  real_server 10.0.0.11 443 {\n  }\n}\n");
    in.keepalived.push_back(import::read_keepalived(main, d));
  }
  if (name == "ipvsadm-numeric") table("n.rules", import::read_ipvsadm_save_text(kIpvsadmNumeric, "n.rules", d, ""));
  if (name == "ipvsadm-named") table("s.rules", import::read_ipvsadm_save_text(kIpvsadmNamed, "s.rules", d, ""));
  if (name == "ipvsadm-bad-lines") table("r", import::read_ipvsadm_save_text(kIpvsadmBadLines, "r", d, ""));
  if (name == "ipvsadm-one-service") table("rules", import::read_ipvsadm_save_text(kIpvsadmOneService, "rules", d, ""));
  if (name == "ldirectord") table("ld.cf", import::read_ldirectord_text(kLdirectord, "ld.cf", d, ""));
  return in;
}

}  // namespace lvs::test::imports
