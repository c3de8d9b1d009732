// The main window's what-if controls edit the scenario text; the runs they start; what the
// charts, the topology and the files written then hold.

#include <catch2/catch.hpp>

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLineSeries>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "gui_fixture.hpp"
#include "main_window.hpp"
#include "packet_walk_panel.hpp"
#include "run_charts.hpp"
#include "scenario/scenario_spec.hpp"
#include "scenario/scenario_text.hpp"
#include "scenario_editor.hpp"
#include "scripted_session.hpp"
#include "topology_view.hpp"

namespace {

using lvs::gui::MainWindow;
using lvs::gui::RunChart;
using lvs::gui::WhatIfPanel;
using lvs::test::app;
using lvs::test::pump;
using lvs::test::scenario_path;
using lvs::test::series_named;
using lvs::test::wait_for;

const std::vector<std::string> kShort{"duration=2s"};

const QBarSet* bar_set(const QChart* chart, const QString& name) {
  for (QBarSet* set : static_cast<QBarSeries*>(chart->series().front())->barSets())
    if (set->label() == name) return set;
  return nullptr;
}

// The window after its first run.
void run_once(MainWindow& w) {
  REQUIRE(w.loaded());
  w.start();
  REQUIRE(wait_for(&w, &MainWindow::redrawn));
}

}  // namespace

TEST_CASE("main window: every chart holds the run's numbers", "[gui][main]") {
  app();
  MainWindow w(scenario_path("nat-basic.yaml"), {"duration=3s"});
  run_once(w);
  const lvs::run::RunResult& r = *w.last_result();
  lvs::gui::RunCharts& c = *w.charts();
  const QLineSeries* cpu = series_named(c.chart(RunChart::DirectorCpu), QStringLiteral("director"));
  REQUIRE(cpu != nullptr);
  REQUIRE(cpu->count() == 3);
  for (int i = 0; i < 3; ++i) CHECK(cpu->at(i).y() == r.series[static_cast<std::size_t>(i)].director_cpu[0] * 100);
  for (std::size_t k = 0; k < r.links.size(); ++k) {
    const QLineSeries* link = series_named(c.chart(RunChart::LinkUtilization), QString::fromStdString(r.links[k].name));
    REQUIRE(link != nullptr);
    REQUIRE(link->count() == 3);
    CHECK(link->at(2).y() == r.series[2].link_utilization[k] * 100);
  }
  const QBarSet* requests = bar_set(c.chart(RunChart::ServerRequests), QStringLiteral("requests"));
  const QBarSet* active = bar_set(c.chart(RunChart::ServerActiveconns), QStringLiteral("mean activeconns"));
  const QBarSet* busy = bar_set(c.chart(RunChart::ServerUtilization), QStringLiteral("utilisation %"));
  REQUIRE(requests != nullptr);
  REQUIRE(requests->count() == static_cast<int>(r.servers.size()));
  for (std::size_t i = 0; i < r.servers.size(); ++i) {
    const auto q = static_cast<qsizetype>(i);
    CHECK(requests->at(q) == static_cast<double>(r.servers[i].requests));
    const double mean = (static_cast<double>(r.series[0].server_activeconns[i] + r.series[1].server_activeconns[i] +
                                             r.series[2].server_activeconns[i])) / 3;
    CHECK(active->at(q) == Approx(mean));
    CHECK(busy->at(q) == r.servers[i].utilization * 100);
  }
  auto* axis = static_cast<QBarCategoryAxis*>(c.chart(RunChart::ServerRequests)->axes(Qt::Horizontal).front());
  CHECK(axis->categories() == QStringList{QStringLiteral("rs1"), QStringLiteral("rs2")});
  // The CDF: one point per histogram bucket, in ms, ending at the slowest request with 1.
  const QLineSeries* cdf = series_named(c.chart(RunChart::LatencyCdf), QStringLiteral("latency CDF"));
  const auto points = r.requests.latency.cdf();
  REQUIRE(cdf->count() == static_cast<int>(points.size()));
  CHECK(cdf->at(cdf->count() - 1).x() == points.back().value * 1e3);
  CHECK(cdf->at(cdf->count() - 1).y() == 1.0);
  CHECK(w.status_text().contains(QStringLiteral("seed 1")));
}

TEST_CASE("main window: the samples are drawn live while the run goes on", "[gui][main]") {
  app();
  MainWindow w(scenario_path("nat-basic.yaml"), {"duration=600s"});
  REQUIRE(w.loaded());
  w.start();
  REQUIRE(wait_for(w.worker(), &lvs::gui::RunWorker::sampled));
  pump(0);
  // The director's CPU is measured from the start (throughput and latency have a gap in the
  // warm-up, which the first sample is in).
  const lvs::gui::GapLine* cpu = w.charts()->line(RunChart::DirectorCpu, QStringLiteral("director"));
  REQUIRE(cpu != nullptr);
  CHECK(cpu->points().size() >= 1);
  CHECK(w.running());
  CHECK_FALSE(std::isnan(w.topology()->load_fraction("rs1")));
  w.cancel();
  REQUIRE(wait_for(w.worker(), &lvs::gui::RunWorker::cancelled));
}

TEST_CASE("main window: a control's edit is in the scenario text, undo takes it back", "[gui][main]") {
  app();
  MainWindow w(scenario_path("nat-basic.yaml"), kShort);
  REQUIRE(w.loaded());
  const QString original = w.editor()->text();
  w.scheduler_combo()->setCurrentText(QStringLiteral("lc"));
  CHECK(w.spec().services.front().scheduler == "lc");
  CHECK(w.editor()->text().contains(QStringLiteral("scheduler: lc")));
  CHECK(w.editor()->modified());
  CHECK(w.windowTitle().endsWith(QStringLiteral("nat-basic.yaml*")));
  w.editor()->editor()->undo();
  CHECK(w.editor()->text() == original);
  w.editor()->check_now();
  CHECK(w.spec().services.front().scheduler == "rr");
  CHECK(w.scheduler_combo()->currentText() == QStringLiteral("rr"));
}

TEST_CASE("main window: with two services, the controls show and edit the one chosen", "[gui][main]") {
  app();
  QTemporaryDir dir;
  REQUIRE(dir.isValid());
  // dr-basic with a second virtual service on port 8080, scheduled by sh.
  lvs::scenario::ScenarioText text(lvs::test::read_file(scenario_path("dr-basic.yaml")), "dr-basic.yaml");
  text.duplicate("services", 0);
  text.set("services[1].port", "8080");
  text.set("services[1].scheduler", "sh");
  const QString path = dir.filePath(QStringLiteral("two-services.yaml"));
  {
    std::ofstream out(path.toStdString());
    out << text.text();
  }
  MainWindow w(path.toStdString(), kShort);
  REQUIRE(w.loaded());
  WhatIfPanel& p = *w.whatif();
  REQUIRE(p.service_combo()->count() == 2);
  CHECK(p.service_combo()->isVisibleTo(&p));
  CHECK(p.service_combo()->itemText(1) == QStringLiteral("tcp/192.168.1.100:8080  sh"));
  CHECK(p.service_index() == 0);
  CHECK(w.scheduler_combo()->currentText() == QStringLiteral("wrr"));
  const QString before = w.editor()->text();
  p.service_combo()->setCurrentIndex(1);  // shows the second service, edits nothing
  CHECK(p.service_index() == 1);
  CHECK(w.scheduler_combo()->currentText() == QStringLiteral("sh"));
  CHECK(w.editor()->text() == before);
  w.scheduler_combo()->setCurrentText(QStringLiteral("lc"));
  p.weight_slider(0)->setValue(5);
  p.persistent_check()->setChecked(true);
  const lvs::scenario::ScenarioSpec& spec = w.spec();
  REQUIRE(spec.services.size() == 2);
  CHECK(spec.services[1].scheduler == "lc");
  CHECK(spec.services[1].destinations[0].weight == 5);
  CHECK(spec.services[1].persistent.has_value());
  CHECK(spec.services[0].scheduler == "wrr");  // the first service untouched
  CHECK(spec.services[0].destinations[0].weight == 2);
  CHECK_FALSE(spec.services[0].persistent.has_value());
  CHECK(p.service_index() == 1);  // still the one chosen after the edits re-read the file
  CHECK(p.service_combo()->currentText() == QStringLiteral("tcp/192.168.1.100:8080  lc"));
}

TEST_CASE("main window: a single service has no service choice", "[gui][main]") {
  app();
  MainWindow w(scenario_path("nat-basic.yaml"), kShort);
  REQUIRE(w.loaded());
  CHECK(w.whatif()->service_combo()->count() == 1);
  CHECK_FALSE(w.whatif()->service_combo()->isVisibleTo(w.whatif()));
}

TEST_CASE("main window: more real servers, weights and persistence, each run as edited", "[gui][main]") {
  app();
  MainWindow w(scenario_path("nat-basic.yaml"), kShort);
  REQUIRE(w.loaded());
  WhatIfPanel& p = *w.whatif();
  w.scheduler_combo()->setCurrentText(QStringLiteral("wrr"));  // nat-basic's rr ignores weights
  p.servers_spin()->setValue(4);
  REQUIRE(w.spec().services.front().destinations.size() == 4);
  REQUIRE(p.weight_count() == 4);
  CHECK(w.topology()->node_names().size() == w.spec().topology.hosts.size() + w.spec().topology.segments.size() +
                                                  w.spec().topology.links.size());
  p.weight_slider(0)->setValue(3);  // rs1 of wrr 3:1:1:1
  CHECK(w.spec().services.front().destinations.front().weight == 3);
  REQUIRE(wait_for(&w, &MainWindow::redrawn));
  const lvs::run::RunResult& r = *w.last_result();
  REQUIRE(r.servers.size() == 4);
  const std::uint64_t others = r.servers[1].requests + r.servers[2].requests + r.servers[3].requests;
  // wrr gives 3 of every 6 picks to rs1: its share is 1/2 to within one cycle.
  CHECK(std::llabs(static_cast<long long>(r.servers[0].requests) - static_cast<long long>(others)) <= 6);
  p.persistent_spin()->setValue(300);
  p.persistent_check()->setChecked(true);
  CHECK(w.spec().services.front().persistent == lvs::Time::s(300));
  p.netmask_combo()->setCurrentText(QStringLiteral("255.255.255.0"));
  CHECK(w.spec().services.front().netmask.str() == "255.255.255.0");
  p.persistent_check()->setChecked(false);
  CHECK_FALSE(w.spec().services.front().persistent.has_value());
  CHECK_FALSE(w.editor()->text().contains(QStringLiteral("netmask")));
  p.servers_spin()->setValue(2);
  CHECK(w.spec().services.front().destinations.size() == 2);
  CHECK(w.editor()->text() == QString::fromStdString(lvs::test::read_file(scenario_path("nat-basic.yaml")))
                                  .replace(QStringLiteral("{server: rs1, method: nat, weight: 1}"),
                                           QStringLiteral("{server: rs1, method: nat, weight: 3}"))
                                  .replace(QStringLiteral("scheduler: rr"), QStringLiteral("scheduler: wrr")));
}

TEST_CASE("main window: save writes the edited text, which `lvslab run` reads as what was run", "[gui][main]") {
  app();
  QStandardPaths::setTestModeEnabled(true);
  QTemporaryDir dir;
  REQUIRE(dir.isValid());
  MainWindow w(scenario_path("dr-basic.yaml"));
  REQUIRE(w.loaded());
  w.whatif()->servers_spin()->setValue(6);
  w.scheduler_combo()->setCurrentText(QStringLiteral("wlc"));
  const QString path = dir.filePath(QStringLiteral("dr-six.yaml"));
  REQUIRE(w.save(path));
  CHECK_FALSE(w.editor()->modified());
  CHECK(w.recent_files().front() == path);
  QFile saved(path);
  REQUIRE(saved.open(QIODevice::ReadOnly));
  CHECK(QString::fromUtf8(saved.readAll()) == w.editor()->text());
  const lvs::scenario::ScenarioSpec back = lvs::scenario::read_scenario(path.toStdString());
  CHECK(back.services.front().destinations.size() == 6);
  CHECK(back.services.front().scheduler == "wlc");
  CHECK(lvs::scenario::validate(back).size() == lvs::scenario::validate(w.spec()).size());
  CHECK_FALSE(w.save(dir.filePath(QStringLiteral("missing/dir/x.yaml"))));
}

TEST_CASE("main window: export_run writes every chart as PNG, SVG and CSV, and the results", "[gui][main]") {
  app();
  QTemporaryDir dir;
  MainWindow w(scenario_path("nat-basic.yaml"), kShort);
  run_once(w);
  REQUIRE(w.export_run(dir.path()));
  for (const char* f : {"throughput.png", "throughput.svg", "throughput.csv", "latency-cdf.csv",
                        "requests-per-real-server.csv", "link-utilisation.png", "results.json", "timeseries.csv",
                        "servers.csv", "links.csv"})
    CHECK(QFile::exists(QDir(dir.path()).filePath(QString::fromLatin1(f))));
  CHECK(w.status_text().contains(QStringLiteral("seed 1")));
}

TEST_CASE("lvslab-gui --change: controls and values are checked", "[gui][main]") {
  app();
  using lvs::gui::parse_change;
  CHECK(parse_change(QStringLiteral("scheduler=lc")).value == QStringLiteral("lc"));
  CHECK_THROWS_WITH(parse_change(QStringLiteral("colour=red")),
                    "--change colour=red: unknown control 'colour'; expected one of scheduler, rate, method, servers, "
                    "weight.N, persistent, netmask, failure");
  CHECK_THROWS_WITH(parse_change(QStringLiteral("scheduler")), "--change scheduler: expected CONTROL=VALUE");
  MainWindow w(scenario_path("nat-basic.yaml"), kShort);
  CHECK_THROWS_WITH(lvs::gui::apply_change(w, parse_change(QStringLiteral("scheduler=fastest"))),
                    Catch::StartsWith("--change scheduler=fastest: expected one of dh, fo, jiq,"));
  CHECK_THROWS_WITH(lvs::gui::apply_change(w, parse_change(QStringLiteral("weight.7=2"))),
                    "--change weight.7: expected weight.N with N in 0..1 (the first service's destinations)");
  CHECK_THROWS_WITH(lvs::gui::apply_change(w, parse_change(QStringLiteral("rate=fast"))),
                    "--change rate=fast: expected a number");
  lvs::gui::apply_change(w, parse_change(QStringLiteral("method=fullnat")));  // no local_addresses
  CHECK(w.method_error().contains(QStringLiteral("no local_addresses")));
  CHECK_FALSE(w.loaded());
}

TEST_CASE("lvslab-gui --size: WIDTHxHEIGHT in pixels, within what a screen has", "[gui][main]") {
  using lvs::gui::parse_window_size;
  CHECK(parse_window_size(QStringLiteral("1600x1000")) == QSize(1600, 1000));
  CHECK(parse_window_size(QStringLiteral("640x480")) == QSize(640, 480));
  for (const char* bad : {"1600", "1600x", "x1000", "1600x1000x2", "639x480", "7681x1000", "wide"})
    CHECK_THROWS_WITH(parse_window_size(QString::fromLatin1(bad)),
                      "--size " + std::string(bad) + ": expected WIDTHxHEIGHT in pixels, from 640x480 to 7680x4320");
}

TEST_CASE("main window: the packet walk traces when its tab is shown, and again after a change", "[gui][main]") {
  app();
  MainWindow w(scenario_path("nat-basic.yaml"), kShort);
  REQUIRE(w.loaded());
  lvs::gui::PacketWalkPanel& walk = *w.packet_walk();
  CHECK(walk.mode_count() == 0);
  w.show_tab(MainWindow::Tab::PacketWalk);
  REQUIRE(wait_for(&walk, &lvs::gui::PacketWalkPanel::traced));
  CHECK(walk.mode_count() == 4);
  CHECK(walk.hop_count(0) > 0);
  w.show_tab(MainWindow::Tab::OverTime);
  w.show_tab(MainWindow::Tab::PacketWalk);  // still up to date: no second trace
  CHECK_FALSE(walk.running());
  w.whatif()->servers_spin()->setValue(3);
  CHECK(walk.running());
  REQUIRE(wait_for(&walk, &lvs::gui::PacketWalkPanel::traced));
  CHECK(walk.topology()->node_names().size() == w.topology()->node_names().size());
}

TEST_CASE("main window: an edit the scenario cannot take, or a file that is not there, is an error, not a crash",
          "[gui][main]") {
  app();
  MainWindow missing(scenario_path("no-such-scenario.yaml"));
  CHECK_FALSE(missing.loaded());
  CHECK(missing.status_text().startsWith(QStringLiteral("not run: cannot load: cannot read ")));
  CHECK_FALSE(missing.run_button()->isEnabled());

  // persistence-drain's event, edited to drain rs2: the last destination cannot be removed.
  MainWindow w(scenario_path("persistence-drain.yaml"), kShort);
  w.editor()->apply_text(w.editor()->text().replace(QStringLiteral("edit: rs1"), QStringLiteral("edit: rs2")));
  w.editor()->check_now();
  REQUIRE(w.loaded());
  const QString before = w.editor()->text();
  const std::size_t servers = w.spec().services.front().destinations.size();
  w.whatif()->servers_spin()->setValue(1);
  INFO(w.whatif()->error(WhatIfPanel::Control::Servers).toStdString());
  CHECK(w.whatif()->error(WhatIfPanel::Control::Servers).contains(QStringLiteral("events")));
  CHECK(w.editor()->text() == before);  // refused whole: nothing half-edited
  CHECK(w.spec().services.front().destinations.size() == servers);
  CHECK(w.loaded());
}
