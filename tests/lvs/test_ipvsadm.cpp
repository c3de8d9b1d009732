// The ipvsadm views, byte for byte: print_largenum's boundaries, the rate estimator against
// a hand computation, -Lnc, --thresholds, --persistent-conn, --timeout, -S -n, and the
// argument checks (docs/ipvsadm.md).

#include <catch2/catch.hpp>

#include <stdexcept>

#include "lvs/ipvsadm_args.hpp"
#include "lvs/ipvsadm_format.hpp"
#include "lvs/ipvsadm_view.hpp"
#include "lvs/rate_estimator.hpp"
#include "lvs_fixture.hpp"

using namespace lvs;
using namespace lvs::test;

namespace {

ModeTopology& one_syn(ModeTopology& t, ForwardingMethod m) {
  build(t, m);
  send_syn(t);
  t.sim.run_until(Time::s(1));
  return t;
}

constexpr const char* kVersion = "IP Virtual Server version 1.2.1 (size=4096)\n";

}  // namespace

TEST_CASE("print_largenum switches unit at 1e8, 1e9, 1e11 and 1e14", "[lvs][ipvsadm]") {
  // ipvsadm.c print_largenum: %9llu below 1e8, then %8llu and K (/1e3), M (/1e6), G (/1e9), T (/1e12).
  const auto [n, text] = GENERATE(table<std::uint64_t, std::string>({
      {0, "        0"},
      {99'999'999, " 99999999"},
      {100'000'000, "  100000K"},
      {999'999'999, "  999999K"},
      {1'000'000'000, "    1000M"},
      {99'999'999'999, "   99999M"},
      {100'000'000'000, "     100G"},
      {99'999'999'999'999, "   99999G"},
      {100'000'000'000'000, "     100T"},
  }));
  CHECK(print_largenum(n, false) == text);
}

TEST_CASE("print_largenum with --exact pads to 9 columns or to the length + 1", "[lvs][ipvsadm]") {
  const auto [n, text] = GENERATE(table<std::uint64_t, std::string>({
      {7, "        7"},
      {99'999'999, " 99999999"},
      {100'000'000, " 100000000"},
      {100'000'000'000'000, " 100000000000000"},
  }));
  CHECK(print_largenum(n, true) == text);
}

TEST_CASE("the estimator follows ip_vs_est.c for a constant rate, then decays", "[lvs][ipvsadm][rate]") {
  // 100 conn/s, 1000 pkt/s, 64000 B/s: every 2 s tick sees 200 conns, 2000 packets, 128000 bytes.
  // conns: rate = 200 << 9 = 102400 (x2^10); avg 0 -> 25600 -> 44800 -> 59200 (avg += (rate-avg)>>2);
  //        read (avg + 511) >> 10 = 25, 44, 58.
  // packets: rate = 2000 << 9 = 1024000; avg 256000 -> 448000 -> 592000; read 250, 437, 578.
  // bytes: rate = 128000 << 4 = 2048000 (x2^5); avg 512000 -> 896000 -> 1184000; read (avg+15)>>5 = 16000, 28000, 37000.
  RateEstimator e;
  IpvsStats s;
  const std::uint64_t want_cps[] = {25, 44, 58}, want_pps[] = {250, 437, 578}, want_bps[] = {16000, 28000, 37000};
  for (int tick = 0; tick < 3; ++tick) {
    s.conns += 200, s.in_packets += 2000, s.out_packets += 2000, s.in_bytes += 128000, s.out_bytes += 128000;
    e.tick(s);
    const IpvsRates r = e.read();
    CHECK(r.cps == want_cps[tick]);
    CHECK(r.inpps == want_pps[tick]);
    CHECK(r.outpps == want_pps[tick]);
    CHECK(r.inbps == want_bps[tick]);
    CHECK(r.outbps == want_bps[tick]);
  }
  // No traffic: avg -= avg >> 2: conns 59200 -> 44400, read (44400 + 511) >> 10 = 43.
  e.tick(s);
  CHECK(e.read().cps == 43);
  // Long constant traffic converges to 3 below the target (102397): read 100.
  for (int tick = 0; tick < 100; ++tick) {
    s.conns += 200;
    e.tick(s);
  }
  CHECK(e.read().cps == 100);
}

TEST_CASE("ipvsadm -Ln --rate: the director's ticks at 2 s and 4 s after one NAT SYN", "[lvs][ipvsadm][rate]") {
  ModeTopology t;
  one_syn(t, ForwardingMethod::Masquerade);
  // Tick at 2 s: 1 conn, 1 packet each way, 44 bytes each way. cps avg 1<<9>>2 = 128 -> read 0;
  // bytes avg (44<<4)>>2 = 176 -> (176+15)>>5 = 5. Tick at 4 s, no traffic: 176 - 44 = 132 -> 4.
  t.sim.run_until(Time::s(2));
  const IpvsadmCommand rate = parse_ipvsadm_args("-Ln --rate");
  CHECK(ipvsadm_view(*t.director, rate, t.sim.now()) ==
        std::string(kVersion) +
            "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n"
            "  -> RemoteAddress:Port\n"
            "TCP  192.168.74.129:80                   0        0        0        5        5\n"
            "  -> 192.168.10.102:80                   0        0        0        0        0\n"
            "  -> 192.168.10.103:80                   0        0        0        5        5\n");
  t.sim.run_until(Time::s(4));
  CHECK(ipvsadm_view(*t.director, rate, t.sim.now()) ==
        std::string(kVersion) +
            "Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n"
            "  -> RemoteAddress:Port\n"
            "TCP  192.168.74.129:80                   0        0        0        4        4\n"
            "  -> 192.168.10.102:80                   0        0        0        0        0\n"
            "  -> 192.168.10.103:80                   0        0        0        4        4\n");
}

TEST_CASE("ipvsadm -Lnc lists templates and connections, expire as mm:ss past 59 minutes", "[lvs][ipvsadm]") {
  ModeTopology t;
  build(t, ForwardingMethod::Masquerade);
  t.service->set_persistence(Persistence{Time::s(3601), Ipv4Address(0xffffff00U)});
  send_syn(t);
  t.sim.run_until(Time::s(1));
  // At 1 s: the template (made at the SYN, a few us in) has 3600.00x s left -> 60:00; the
  // connection, SYN_RECV (60 s) since the SYN-ACK, has 59.00x s -> 00:59.
  CHECK(ipvsadm_connections(*t.director, t.sim.now()) ==
        "IPVS connection entries\n"
        "pro expire state       source             virtual            destination\n"
        "TCP 60:00  NONE        192.168.74.0:0     192.168.74.129:80  192.168.10.103:80\n"
        "TCP 00:59  SYN_RECV    192.168.74.10:40000 192.168.74.129:80  192.168.10.103:80\n");
  CHECK(ipvsadm_list(*t.director) ==
        std::string(kVersion) +
            "Prot LocalAddress:Port Scheduler Flags\n"
            "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
            "TCP  192.168.74.129:80 rr persistent 3601 mask 255.255.255.0\n"
            "  -> 192.168.10.102:80            Masq    1      0          0         \n"
            "  -> 192.168.10.103:80            Masq    1      1          0         \n");
  CHECK(ipvsadm_persistent_conn(*t.director) ==
        std::string(kVersion) +
            "Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn \n"
            "  -> RemoteAddress:Port\n"
            "TCP  192.168.74.129:80 rr persistent 3601 mask 255.255.255.0\n"
            "  -> 192.168.10.102:80            1         0           0          0         \n"
            "  -> 192.168.10.103:80            1         1           1          0         \n");
  CHECK(ipvsadm_save(*t.director) ==
        "-A -t 192.168.74.129:80 -s rr -p 3601 -M 255.255.255.0\n"
        "-a -t 192.168.74.129:80 -r 192.168.10.102:80 -m -w 1\n"
        "-a -t 192.168.74.129:80 -r 192.168.10.103:80 -m -w 1\n");
}

TEST_CASE("ipvsadm -Ln --thresholds shows -x and -y, and --timeout the kernel's timeouts", "[lvs][ipvsadm]") {
  ModeTopology t;
  one_syn(t, ForwardingMethod::DirectRouting);
  t.service->edit_destination(*t.service->find(ip("192.168.1.11"), 80), 3, 200, 150);
  CHECK(ipvsadm_thresholds(*t.director) ==
        std::string(kVersion) +
            "Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn \n"
            "  -> RemoteAddress:Port\n"
            "TCP  192.168.1.100:80 rr\n"
            "  -> 192.168.1.11:80              200        150        0          0         \n"
            "  -> 192.168.1.12:80              0          0          1          0         \n");
  CHECK(ipvsadm_timeout(*t.director) == "Timeout (tcp tcpfin udp): 900 120 300\n");
}

TEST_CASE("ipvsadm -S -n writes -g, -i, -m and FULLNAT's -b", "[lvs][ipvsadm]") {
  const auto [method, rules] = GENERATE(table<ForwardingMethod, std::string>({
      {ForwardingMethod::DirectRouting,
       "-A -t 192.168.1.100:80 -s rr\n"
       "-a -t 192.168.1.100:80 -r 192.168.1.11:80 -g -w 1\n"
       "-a -t 192.168.1.100:80 -r 192.168.1.12:80 -g -w 1\n"},
      {ForwardingMethod::Tunnel,
       "-A -t 192.168.1.100:80 -s rr\n"
       "-a -t 192.168.1.100:80 -r 192.168.1.11:80 -i -w 1\n"
       "-a -t 192.168.1.100:80 -r 192.168.1.12:80 -i -w 1\n"},
      {ForwardingMethod::FullNat,
       "-A -t 192.168.74.129:80 -s rr\n"
       "-a -t 192.168.74.129:80 -r 192.168.10.102:80 -b -w 1\n"
       "-a -t 192.168.74.129:80 -r 192.168.10.103:80 -b -w 1\n"},
  }));
  ModeTopology t;
  one_syn(t, method);
  CHECK(ipvsadm_view(*t.director, parse_ipvsadm_args("-S -n"), t.sim.now()) == rules);
}

TEST_CASE("ipvsadm arguments: the views lvslab answers", "[lvs][ipvsadm][args]") {
  const auto [args, view, exact] = GENERATE(table<std::string, IpvsadmView, bool>({
      {"-Ln", IpvsadmView::List, false},
      {"-L -n", IpvsadmView::List, false},
      {"--list --numeric --sort", IpvsadmView::List, false},
      {"-Ln --stats", IpvsadmView::Stats, false},
      {"-Ln --stats --exact", IpvsadmView::Stats, true},
      {"-LnX --rate", IpvsadmView::Rate, true},
      {"-ln --rate --stats", IpvsadmView::Stats, false},  // print_title tests stats first
      {"-Ln --thresholds", IpvsadmView::Thresholds, false},
      {"-Ln --persistent-conn", IpvsadmView::PersistentConn, false},
      {"-Lnc", IpvsadmView::Connections, false},
      {"-L --timeout", IpvsadmView::Timeout, false},
      {"-S -n", IpvsadmView::Save, false},
      {"--save -n", IpvsadmView::Save, false},
  }));
  const IpvsadmCommand c = parse_ipvsadm_args(args);
  CHECK(c.args == args);
  CHECK(c.view == view);
  CHECK(c.exact == exact);
}

TEST_CASE("ipvsadm arguments: ipvsadm's refusals and what lvslab does not model", "[lvs][ipvsadm][args]") {
  const auto [args, message] = GENERATE(table<std::string, std::string>({
      {"-n", "no command: give -L (list) or -S (save), e.g. \"-Ln\""},
      {"-L -S -n", "multiple commands specified"},
      {"-Ln -n", "multiple 'numeric' options specified"},
      {"-Lnc --timeout", "The option 'timeout' conflicts with the 'connection' option in the 'list' command"},
      {"-Lnc --stats", "options conflicts in the list command"},
      {"-S -n --stats", "Illegal 'stats' option with the 'save' command"},
      {"-L", "-L without -n resolves names (DNS, /etc/services); lvslab prints numeric addresses only: add -n"},
      {"-A -t 10.0.0.1:80", "ipvsadm -A changes the table; --ipvsadm only lists (-L) and saves (-S): change the "
                            "scenario's services (or its events) instead"},
      {"-L --daemon", "--daemon: not modelled (lvslab's directors run no sync daemon)"},
      {"-Ln -t 10.0.0.1:80", "-t: listing one service is not modelled; list them all (-Ln)"},
      {"-Ln extra", "unexpected argument extra"},
  }));
  CHECK_THROWS_WITH(parse_ipvsadm_args(args), message);
}
