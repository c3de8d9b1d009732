// The what-if edits of failover (whatif_edits.hpp): each is an edit of the scenario text that
// reads back as the spec asked for, leaving the rest of the text as written.

#include <catch2/catch.hpp>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>

#include <fstream>
#include <sstream>
#include <string>

#include "gui_fixture.hpp"
#include "main_window.hpp"
#include "scenario_editor.hpp"
#include "scenario/scenario_spec.hpp"
#include "scenario/scenario_text.hpp"
#include "whatif_edits.hpp"

namespace {

using lvs::gui::InjectedFailure;
using lvs::scenario::EventSpec;
using lvs::scenario::ScenarioSpec;
using lvs::scenario::ScenarioText;
using lvs::test::scenario_path;

std::string file_text(const std::string& file) {
  std::ifstream in(scenario_path(file));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

ScenarioSpec read(const ScenarioText& t) { return lvs::scenario::read_scenario_text(t.text(), t.name()); }

}  // namespace

TEST_CASE("what-if failure: a scenario without a timeline gets one with the failure and its repair",
          "[gui][whatif][failover]") {
  ScenarioText t(file_text("keepalived-lvs.yaml"), "keepalived-lvs.yaml");
  const ScenarioSpec before = read(t);
  CHECK_FALSE(lvs::gui::first_failure(before).has_value());
  lvs::gui::edit_failure(t, before, InjectedFailure{"crash", "lvs1", 20, 40.5});
  const ScenarioSpec after = read(t);
  REQUIRE(after.events.size() == 2);
  CHECK(after.events[0].action == EventSpec::Action::Crash);
  CHECK(after.events[0].component == "lvs1");
  CHECK(after.events[0].at == lvs::Time::s(20));
  CHECK(after.events[1].action == EventSpec::Action::Recover);
  CHECK(after.events[1].at == lvs::Time::ms(40500));
  const auto shown = lvs::gui::first_failure(after);
  REQUIRE(shown.has_value());
  CHECK(shown->action == "crash");
  CHECK(shown->component == "lvs1");
  CHECK(shown->at_s == 20.0);
  CHECK(shown->repair_s == 40.5);
  CHECK(t.text().find("timeline: [{at: 20s, crash: lvs1}, {at: 40.5s, recover: lvs1}]") != std::string::npos);
}

TEST_CASE("what-if failure: the scenario's failure is replaced in place, in time order among the other entries",
          "[gui][whatif][failover]") {
  ScenarioText t(file_text("failover-realserver.yaml"), "failover-realserver.yaml");
  const ScenarioSpec before = read(t);
  REQUIRE(before.events.size() == 4);  // crash web2 20 s, recover 40 s, stop web1 45 s, start 52 s
  const auto first = lvs::gui::first_failure(before);
  REQUIRE(first.has_value());
  CHECK(first->component == "web2");
  CHECK(first->repair_s == 40.0);
  // Move web2's crash after web1's stop: the entries go where time order puts them.
  lvs::gui::edit_failure(t, before, InjectedFailure{"crash", "web2", 47, 50});
  const ScenarioSpec after = read(t);
  REQUIRE(after.events.size() == 4);
  CHECK(after.events[0].action == EventSpec::Action::Stop);
  CHECK(after.events[0].at == lvs::Time::s(45));
  CHECK(after.events[1].action == EventSpec::Action::Crash);
  CHECK(after.events[1].at == lvs::Time::s(47));
  CHECK(after.events[2].action == EventSpec::Action::Recover);
  CHECK(after.events[3].action == EventSpec::Action::Start);
  // The first failure is now web1's stop. None: both its entries go; web2's crash and recover stay.
  CHECK(lvs::gui::first_failure(after)->component == "web1");
  lvs::gui::edit_failure(t, after, std::nullopt);
  const ScenarioSpec none = read(t);
  REQUIRE(none.events.size() == 2);
  CHECK(none.events[0].component == "web2");
  CHECK(none.events[1].action == EventSpec::Action::Recover);
  // Never repaired: the failure replaces web2's crash, and no recover entry is written.
  lvs::gui::edit_failure(t, none, InjectedFailure{"crash", "lvs1", 10, std::nullopt});
  const ScenarioSpec crash = read(t);
  REQUIRE(crash.events.size() == 1);
  CHECK(crash.events[0].component == "lvs1");
  CHECK(crash.events[0].at == lvs::Time::s(10));
}

TEST_CASE("what-if failure: a stop moved in time keeps the port it named, on the stop and on the start",
          "[gui][whatif][failover]") {
  ScenarioText t(file_text("failover-realserver.yaml"), "failover-realserver.yaml");
  lvs::gui::edit_failure(t, read(t), std::nullopt);  // web2's crash goes: web1's stop at port 80 is first
  const ScenarioSpec before = read(t);
  REQUIRE(lvs::gui::first_failure(before)->action == "stop");
  lvs::gui::edit_failure(t, before, InjectedFailure{"stop", "web1", 30, 35});
  const ScenarioSpec after = read(t);
  REQUIRE(after.events.size() == 2);
  CHECK(after.events[0].action == EventSpec::Action::Stop);
  CHECK(after.events[0].at == lvs::Time::s(30));
  CHECK(after.events[0].port == std::optional<std::uint16_t>(80));
  CHECK(after.events[1].action == EventSpec::Action::Start);
  CHECK(after.events[1].port == std::optional<std::uint16_t>(80));
  // Another host's stop names no port: every server application of that host stops.
  lvs::gui::edit_failure(t, after, InjectedFailure{"stop", "web2", 30, 35});
  const ScenarioSpec other = read(t);
  REQUIRE(other.events.size() == 2);
  CHECK(other.events[0].component == "web2");
  CHECK_FALSE(other.events[0].port.has_value());
}

TEST_CASE("what-if failure: the choices are the directors, real servers, the NFS server, services and cables",
          "[gui][whatif][failover]") {
  const ScenarioSpec spec = lvs::scenario::read_scenario(scenario_path("nfs-spof.yaml"));
  std::vector<std::string> choices;
  for (const InjectedFailure& f : lvs::gui::failure_choices(spec)) choices.push_back(f.action + " " + f.component);
  CHECK(choices == std::vector<std::string>{"crash lvs1", "crash lvs2", "crash web1", "crash web2", "crash nfs1",
                                            "stop web1", "stop web2", "link-down lvs1/eth0", "link-down lvs2/eth0"});
}

TEST_CASE("what-if health check and VRRP: delay_loop, retry, connect_timeout, inhibit_on_failure, advert_int",
          "[gui][whatif][failover]") {
  ScenarioText t(file_text("keepalived-lvs.yaml"), "keepalived-lvs.yaml");
  lvs::gui::edit_health_check(t, read(t), 0, true, 3, 1, 2, true);
  ScenarioSpec s = read(t);
  REQUIRE(s.services.front().health_check.has_value());
  CHECK(s.services.front().health_check->delay_loop == lvs::Time::s(3));
  CHECK(s.services.front().health_check->inhibit_on_failure);
  for (const auto& d : s.services.front().destinations) {
    REQUIRE(d.checks.size() == 1);
    CHECK(d.checks.front().retry == 1);
    CHECK(d.checks.front().connect_timeout == lvs::Time::s(2));
  }
  CHECK(t.text().find("check: {type: TCP_CHECK, connect_timeout: 2s, retry: 1, delay_before_retry: 2s}") !=
        std::string::npos);
  lvs::gui::edit_health_check(t, s, 0, false, 3, 1, 2, true);
  s = read(t);
  CHECK_FALSE(s.services.front().health_check.has_value());
  lvs::gui::edit_health_check(t, s, 0, true, 6, 2, 3, false);  // a TCP_CHECK where there was none
  s = read(t);
  REQUIRE(s.services.front().health_check.has_value());
  CHECK(s.services.front().destinations.front().checks.front().retry == 2);
  lvs::gui::edit_advert_int(t, s, 3);
  CHECK(read(t).vrrp.front().advert_int == lvs::Time::s(3));
}

TEST_CASE("what-if panel: choosing a failure edits the timeline and the run shows its failover", "[gui][whatif][failover]") {
  lvs::test::app();
  lvs::gui::MainWindow w(scenario_path("keepalived-lvs.yaml"), {"duration=30s"});
  REQUIRE(w.loaded());
  w.start();
  REQUIRE(lvs::test::wait_for(&w, &lvs::gui::MainWindow::redrawn));
  CHECK(w.last_result()->failovers.empty());
  lvs::gui::WhatIfPanel& p = *w.whatif();
  CHECK(p.failure_combo()->currentText() == QStringLiteral("none"));
  CHECK_FALSE(p.failure_at_spin()->isEnabled());
  p.failure_combo()->setCurrentText(QStringLiteral("crash lvs1"));  // at a third of the run, back at two thirds
  REQUIRE(w.spec().events.size() == 2);
  CHECK(w.spec().events[0].action == EventSpec::Action::Crash);
  CHECK(w.spec().events[0].at == lvs::Time::s(10));
  CHECK(w.spec().events[1].at == lvs::Time::s(20));
  CHECK(w.editor()->text().contains(QStringLiteral("timeline: [{at: 10s, crash: lvs1}, {at: 20s, recover: lvs1}]")));
  REQUIRE(lvs::test::wait_for(&w, &lvs::gui::MainWindow::redrawn));
  const lvs::run::RunResult& r = *w.last_result();
  REQUIRE(r.failovers.size() == 1);
  CHECK(r.failovers[0].component == "lvs1");
  CHECK(r.failovers[0].at_s == 10.0);
  CHECK(r.failovers[0].recovered_s == 20.0);
  // The repair never: the recover entry goes.
  p.failure_back_spin()->setValue(0);
  REQUIRE(w.spec().events.size() == 1);
  // Checks off, then VRRP's advert_int.
  p.check_box()->setChecked(false);
  CHECK_FALSE(w.spec().services.front().health_check.has_value());
  p.advert_int_spin()->setValue(2);
  CHECK(w.spec().vrrp.front().advert_int == lvs::Time::s(2));
  CHECK(p.error(lvs::gui::WhatIfPanel::Control::Vrrp).isEmpty());
  REQUIRE(lvs::test::wait_for(&w, &lvs::gui::MainWindow::redrawn));
}

TEST_CASE("what-if storage kind: NFS server and rsync copies turn into each other on the same host",
          "[gui][whatif][failover]") {
  ScenarioText t(file_text("nfs-spof.yaml"), "nfs-spof.yaml");
  lvs::gui::edit_storage_kind(t, read(t), "rsync");
  ScenarioSpec s = read(t);
  REQUIRE(s.storage.size() == 1);
  CHECK(s.storage.front().kind == lvs::scenario::StorageKind::Rsync);
  CHECK(s.storage.front().rsync.source == "nfs1");
  CHECK(t.text().find("page_cache: 4GiB") == std::string::npos);  // an NFS server's, refused by rsync
  for (const lvs::scenario::Finding& f : lvs::scenario::validate(s)) {
    INFO(f.message);
    CHECK(f.severity == lvs::scenario::Finding::Severity::Warning);  // the mount options rsync ignores
  }
  lvs::gui::edit_storage_kind(t, s, "nfs");
  s = read(t);
  CHECK(s.storage.front().kind == lvs::scenario::StorageKind::Nfs);
  CHECK(s.storage.front().host == "nfs1");
  CHECK_THROWS_WITH(lvs::gui::edit_storage_kind(t, s, "drbd"),
                    Catch::Contains("from nfs storage to drbd needs hosts this scenario lacks"));
}

TEST_CASE("what-if panel: the storage kind, and a change the scenario cannot take shown beside the control",
          "[gui][whatif][failover]") {
  lvs::test::app();
  lvs::gui::MainWindow w(scenario_path("nfs-spof.yaml"), {"duration=12s"});
  REQUIRE(w.loaded());
  lvs::gui::WhatIfPanel& p = *w.whatif();
  REQUIRE(p.storage_combo()->isEnabled());
  CHECK(p.storage_combo()->currentText() == QStringLiteral("nfs"));
  p.storage_combo()->setCurrentText(QStringLiteral("rsync"));
  CHECK(w.spec().storage.front().kind == lvs::scenario::StorageKind::Rsync);
  CHECK(p.error(lvs::gui::WhatIfPanel::Control::Storage).isEmpty());
  p.storage_combo()->setCurrentText(QStringLiteral("drbd"));
  CHECK(w.spec().storage.front().kind == lvs::scenario::StorageKind::Rsync);  // not changed
  CHECK(p.error(lvs::gui::WhatIfPanel::Control::Storage).contains(QStringLiteral("needs hosts this scenario lacks")));
  lvs::gui::MainWindow plain(scenario_path("nat-basic.yaml"), {"duration=2s"});
  CHECK_FALSE(plain.whatif()->storage_combo()->isEnabled());
}
