// VRRP timing against the RFC 3768 / RFC 5798 arithmetic in keepalived's integer
// microseconds (docs/vrrp.md; ipvs-semantics.md test vector 25): skew, Master_Down_Interval,
// start-up, takeover after a silent crash, priority-0 handover, preemption.

#include <catch2/catch.hpp>

#include "vrrp_fixture.hpp"

using namespace lvs;
using namespace lvs::control;
using namespace lvs::test;

namespace {

Time us(std::int64_t v) { return Time::us(v); }

}  // namespace

TEST_CASE("vrrp: skew and master-down are test vector 25 in integer microseconds", "[control][vrrp]") {
  struct Row {
    int version;
    std::uint32_t priority;
    Time advert;
    Time skew;
    Time down;
  };
  const Row row = GENERATE(Row{2, 100, Time::s(1), us(609'375), us(3'609'375)},
                           Row{2, 254, Time::s(1), us(7'812), us(3'007'812)},  // 7812.5 truncated
                           Row{2, 100, Time::s(3), us(609'375), us(9'609'375)},  // v2 skew does not scale
                           Row{3, 100, Time::s(3), us(1'828'125), us(10'828'125)},
                           Row{3, 200, Time::ms(500), us(109'375), us(1'609'375)},
                           Row{3, 1, Time::s(1), us(996'093), us(3'996'093)});
  INFO("v" << row.version << " prio " << row.priority << " advert " << to_string(row.advert));
  CHECK(vrrp_skew(row.version, row.priority, row.advert) == row.skew);
  CHECK(vrrp_master_down(row.version, row.priority, row.advert) == row.down);
  CHECK(vrrp_master_down(row.version, row.priority, row.advert, 4) == row.down + Time::us(row.advert.count() / 1000));
  CHECK(vrrp_skew_min(2, Time::s(1)) == us(3'906));
  CHECK(vrrp_skew_min(3, Time::ms(500)) == us(1'953));
}

TEST_CASE("vrrp: a backup takes over Master_Down_Interval after the last advert of a crashed master",
          "[control][vrrp]") {
  struct Row {
    int version;
    std::uint8_t priority;
    Time advert;
    Time down;
    std::size_t adverts_in_10s;
  };
  const Row row = GENERATE(Row{2, 100, Time::s(1), us(3'609'375), 10}, Row{2, 254, Time::s(1), us(3'007'812), 10},
                           Row{2, 100, Time::s(3), us(9'609'375), 4}, Row{3, 100, Time::s(3), us(10'828'125), 4},
                           Row{3, 200, Time::ms(500), us(1'609'375), 20});
  INFO("v" << row.version << " prio " << int{row.priority} << " advert " << to_string(row.advert));
  VrrpLan lan(2);
  lan.add(0, vi_1(255, row.version, row.advert, true));  // the owner: MASTER at once
  VrrpInstance& backup = lan.add(1, vi_1(row.priority, row.version, row.advert));
  lan.daemon(0).start();
  lan.daemon(1).start();
  const Time crash = Time::ms(20'250);
  lan.at(crash, [&] { lan.daemon(0).stop(); });
  lan.sim.run_until(Time::s(40));

  CHECK(lan.watch.sent("lvs1", Time::zero(), Time::s(10)) == row.adverts_in_10s);
  CHECK(lan.watch.sent("lvs2", Time::zero(), crash) == 0);
  const Seen last = lan.watch.last_received("lvs2", crash);
  REQUIRE(last.at != Time::max());
  CHECK(last.priority == 255);
  const Time takeover = entered(lan.log, "VI_1@lvs2", "BACKUP->MASTER");
  CHECK(takeover - last.at == row.down);
  CHECK(backup.state() == VrrpState::Master);
  CHECK(lan.directors[1]->interface("eth0")->has_address(kVip.address()));
  CHECK_FALSE(lan.directors[0]->interface("eth0")->has_address(kVip.address()));
  // the new master advertises from the takeover on, once per interval
  CHECK(lan.watch.sent("lvs2", takeover, takeover + row.advert * 3) == 3);
}

TEST_CASE("vrrp: start-up follows vrrp_init_state", "[control][vrrp]") {
  SECTION("the owner with state MASTER is MASTER at once and advertises at 0") {
    VrrpLan lan(1);
    lan.add(0, vi_1(255, 2, Time::s(1), true));
    lan.daemon(0).start();
    lan.sim.run_until(Time::ms(2'500));
    CHECK(entered(lan.log, "VI_1@lvs1", "INIT->MASTER") == Time::zero());
    CHECK(lan.watch.sent("lvs1", Time::zero(), Time::ns(1)) == 1);
    CHECK(lan.watch.sent("lvs1", Time::zero(), Time::ms(2'500)) == 3);
  }
  SECTION("a non-owner with state MASTER waits one interval and the smallest skew") {
    const int version = GENERATE(2, 3);
    const Time advert = version == 2 ? Time::s(1) : Time::ms(500);
    VrrpLan lan(1);
    lan.add(0, vi_1(150, version, advert, true));
    lan.daemon(0).start();
    lan.sim.run_until(Time::s(5));
    CHECK(entered(lan.log, "VI_1@lvs1", "INIT->BACKUP") == Time::zero());
    CHECK(entered(lan.log, "VI_1@lvs1", "BACKUP->MASTER") == (version == 2 ? us(1'003'906) : us(501'953)));
  }
  SECTION("state BACKUP waits the whole Master_Down_Interval") {
    VrrpLan lan(1);
    lan.add(0, vi_1(100));
    lan.daemon(0).start();
    lan.sim.run_until(Time::s(5));
    CHECK(entered(lan.log, "VI_1@lvs1", "BACKUP->MASTER") == us(3'609'375));
  }
  SECTION("a pair: the state MASTER side wins at 1.003906 s and the backup never takes over") {
    VrrpLan lan(2);
    lan.add(0, vi_1(150, 2, Time::s(1), true));
    VrrpInstance& b = lan.add(1, vi_1(100));
    lan.daemon(0).start();
    lan.daemon(1).start();
    lan.sim.run_until(Time::s(30));
    CHECK(entered(lan.log, "VI_1@lvs1", "BACKUP->MASTER") == us(1'003'906));
    CHECK(entered(lan.log, "VI_1@lvs2", "->MASTER") == Time::max());
    CHECK(b.state() == VrrpState::Backup);
    CHECK(lan.watch.sent("lvs1", Time::zero(), Time::s(30)) == 29);  // 1.003906, 2.003906, ..., 29.003906
  }
}

TEST_CASE("vrrp: a graceful shutdown hands over after the backup's skew alone", "[control][vrrp]") {
  VrrpLan lan(2);
  VrrpInstance& a = lan.add(0, vi_1(255, 2, Time::s(1), true));
  VrrpInstance& b = lan.add(1, vi_1(100));
  lan.daemon(0).start();
  lan.daemon(1).start();
  lan.at(Time::ms(10'500), [&] { lan.daemon(0).shutdown(); });
  lan.sim.run_until(Time::s(15));
  const Seen zero = lan.watch.last_received("lvs2", Time::s(11));
  REQUIRE(zero.at > Time::ms(10'500));
  CHECK(zero.priority == 0);
  CHECK(entered(lan.log, "VI_1@lvs2", "BACKUP->MASTER") - zero.at == us(609'375));  // skew(100), RFC 3768 6.4.2
  CHECK(a.state() == VrrpState::Init);
  CHECK(b.state() == VrrpState::Master);
  CHECK(lan.log.records().size() >= 3);
  bool said = false;
  for (const LogRecord& r : lan.log.records()) said |= r.line == "VRRP_Instance(VI_1) sent 0 priority";
  CHECK(said);
}

TEST_CASE("vrrp: preemption waits for the down timer of the last accepted advert", "[control][vrrp]") {
  // lvs1 (150, state MASTER) masters from 1.003906 s; lvs2 (200) starts at 5.5 s.
  VrrpLan lan(2);
  VrrpInstance& a = lan.add(0, vi_1(150, 2, Time::s(1), true));
  VrrpConfig cfg = vi_1(200);
  SECTION("preempt: the lower adverts are ignored, so it takes over 3.21875 s after its own start") {
    VrrpInstance& b = lan.add(1, cfg);
    lan.daemon(0).start();
    lan.at(Time::ms(5'500), [&] { lan.daemon(1).start(); });
    lan.sim.run_until(Time::s(20));
    const Time takeover = entered(lan.log, "VI_1@lvs2", "BACKUP->MASTER");
    CHECK(takeover == Time::ms(5'500) + us(3'218'750));  // not at the first lower advert (6.003906 s)
    // lvs1 yields at the first advert of priority 200 (RFC 3768 6.4.3) and drops the VIP
    const Time yielded = entered(lan.log, "VI_1@lvs1", "MASTER->BACKUP");
    CHECK(yielded > takeover);
    CHECK(yielded - takeover < Time::us(20));
    CHECK(a.state() == VrrpState::Backup);
    CHECK(b.state() == VrrpState::Master);
    CHECK_FALSE(lan.directors[0]->interface("eth0")->has_address(kVip.address()));
  }
  SECTION("nopreempt: it never takes over") {
    cfg.nopreempt = true;
    VrrpInstance& b = lan.add(1, cfg);
    lan.daemon(0).start();
    lan.at(Time::ms(5'500), [&] { lan.daemon(1).start(); });
    lan.sim.run_until(Time::s(60));
    CHECK(b.state() == VrrpState::Backup);
    CHECK(a.state() == VrrpState::Master);
  }
  SECTION("preempt_delay 10 s: lower adverts are accepted for 10 s after the first one") {
    cfg.preempt_delay = Time::s(10);
    lan.add(1, cfg);
    lan.daemon(0).start();
    lan.at(Time::ms(5'500), [&] { lan.daemon(1).start(); });
    lan.sim.run_until(Time::s(30));
    const Seen first = lan.watch.last_received("lvs2", Time::ms(6'100));
    REQUIRE(first.at > us(6'003'906));
    // accepted: those received before first + 10 s (the first came late, behind lvs1's
    // second GARP burst at 6.003906 s, so the one sent at 16.003906 s is still inside)
    const Seen last = lan.watch.last_received("lvs2", first.at + Time::s(10));
    CHECK(last.at > us(16'003'906));
    const Time takeover = entered(lan.log, "VI_1@lvs2", "BACKUP->MASTER");
    INFO("first " << to_string(first.at) << " last " << to_string(last.at) << " takeover " << to_string(takeover));
    CHECK(takeover == last.at + us(3'218'750));
    CHECK(takeover > first.at + Time::s(10));
  }
}
