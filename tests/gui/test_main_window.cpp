#include <catch2/catch.hpp>

#include <QApplication>
#include <QChart>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLineSeries>
#include <QTabWidget>
#include <QTimer>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "gui_fixture.hpp"
#include "ipvsadm_panel.hpp"
#include "run_charts.hpp"
#include "run_worker.hpp"
#include "scripted_session.hpp"
#include "main_window.hpp"
#include "topology_view.hpp"

namespace {

using lvs::test::app;
using lvs::test::pump;
using lvs::test::scenario_path;
using lvs::test::series_named;
using lvs::test::wait_for;

using lvs::gui::RunWorker;
using lvs::gui::MainWindow;

// The line holds one point per sample that has a value, (time_s, sample.*field), and a gap
// (a new segment) where it has none: throughput before the end of the warm-up, latency where
// no request completed (run_lines.hpp).
void check_series(const MainWindow& w, lvs::gui::RunChart chart, const QString& name, const lvs::run::RunResult& r,
                  double lvs::run::Sample::*field) {
  INFO("series " << name.toStdString());
  const lvs::gui::GapLine* line = w.charts()->line(chart, name);
  REQUIRE(line != nullptr);
  QList<QPointF> expected;
  std::size_t segments = 0;
  bool in_gap = true;
  for (const lvs::run::Sample& s : r.series) {
    const bool has = field == &lvs::run::Sample::throughput_rps ? s.time_s > r.warmup_s : s.completed > 0;
    if (has) {
      expected.append(QPointF(s.time_s, s.*field));
      if (in_gap) ++segments;
    }
    in_gap = !has;
  }
  CHECK(line->points() == expected);
  CHECK(line->segments().size() == std::max<std::size_t>(segments, 1));
}

void check_run_drawn(const MainWindow& w, const lvs::run::RunResult& r, const QString& prefix) {
  using lvs::gui::RunChart;
  check_series(w, RunChart::Throughput, prefix + QStringLiteral("throughput"), r, &lvs::run::Sample::throughput_rps);
  check_series(w, RunChart::Latency, prefix + QStringLiteral("p50"), r, &lvs::run::Sample::latency_p50_ms);
  check_series(w, RunChart::Latency, prefix + QStringLiteral("p99"), r, &lvs::run::Sample::latency_p99_ms);
}

const std::vector<std::string> kShort{"duration=2s"};

}  // namespace

TEST_CASE("main window: a run of nat-basic draws the run's throughput and latency samples", "[gui][whatif]") {
  app();
  MainWindow w(scenario_path("nat-basic.yaml"), kShort);
  REQUIRE(w.loaded());
  CHECK(w.scheduler_combo()->currentText() == QStringLiteral("rr"));
  CHECK(w.rate_spin()->value() == 500.0);
  w.start();
  CHECK(w.running());
  REQUIRE(wait_for(&w, &MainWindow::redrawn));
  CHECK_FALSE(w.running());
  REQUIRE(w.last_result().has_value());
  const lvs::run::RunResult& r = *w.last_result();
  CHECK(r.sim_time_s == 2.0);
  REQUIRE(r.series.size() == 2);  // sample_interval 1s
  CHECK(r.series.back().throughput_rps > 0);
  check_run_drawn(w, r, QString());
  CHECK(series_named(w.throughput_chart(), QStringLiteral("previous throughput")) == nullptr);  // no previous run
  CHECK(w.status_text().contains(QStringLiteral("req/s")));
}

TEST_CASE("main window: the ipvsadm tab shows the last run's tables as ipvsadm prints them", "[gui][ipvsadm]") {
  app();
  MainWindow w(scenario_path("nat-basic.yaml"), kShort);
  REQUIRE(w.loaded());
  CHECK(w.ipvsadm()->text().isEmpty());  // nothing before a run
  w.start();
  REQUIRE(wait_for(&w, &MainWindow::redrawn));
  const lvs::run::RunResult& r = *w.last_result();
  w.show_tab(MainWindow::Tab::Ipvsadm);
  CHECK(w.ipvsadm()->director_combo()->currentText() == QStringLiteral("director"));
  CHECK(w.ipvsadm()->view_combo()->currentText() == QStringLiteral("ipvsadm -Ln"));
  // The same writer as the summary's table, at the same moment (the end of the run).
  CHECK(w.ipvsadm()->text().toStdString() == r.directors.front().ipvsadm_list);
  w.ipvsadm()->view_combo()->setCurrentText(QStringLiteral("ipvsadm -S -n"));
  CHECK(w.ipvsadm()->text() == QStringLiteral("-A -t 192.168.74.129:80 -s rr\n"
                                              "-a -t 192.168.74.129:80 -r 192.168.10.102:80 -m -w 1\n"
                                              "-a -t 192.168.74.129:80 -r 192.168.10.103:80 -m -w 1\n"));
  w.ipvsadm()->view_combo()->setCurrentText(QStringLiteral("ipvsadm -Ln --timeout"));
  CHECK(w.ipvsadm()->text() == QStringLiteral("Timeout (tcp tcpfin udp): 900 120 300\n"));
}

TEST_CASE("main window: changing the scheduler re-runs and keeps the previous run as a faint overlay", "[gui][whatif]") {
  app();
  MainWindow w(scenario_path("nat-basic.yaml"), kShort);
  REQUIRE(w.loaded());
  w.start();
  REQUIRE(wait_for(&w, &MainWindow::redrawn));
  const lvs::run::RunResult first = *w.last_result();

  QElapsedTimer clock;
  clock.start();
  w.scheduler_combo()->setCurrentText(QStringLiteral("wlc"));
  CHECK(w.spec().services.front().scheduler == "wlc");
  REQUIRE(wait_for(&w, &MainWindow::redrawn));
  WARN("control change to redraw, nat-basic 2 s simulated (200 ms debounce included): "
       << clock.elapsed() << " ms wall");
  const lvs::run::RunResult second = *w.last_result();
  check_run_drawn(w, second, QString());
  check_run_drawn(w, first, QStringLiteral("previous "));
  // The overlay dashed and lighter, the current run solid.
  const QPen overlay = series_named(w.throughput_chart(), QStringLiteral("previous throughput"))->pen();
  CHECK(overlay.color().alpha() < 255);
  CHECK(overlay.style() == Qt::CustomDashLine);
  CHECK(series_named(w.throughput_chart(), QStringLiteral("throughput"))->pen().color().alpha() == 255);
  CHECK(series_named(w.throughput_chart(), QStringLiteral("throughput"))->pen().style() == Qt::SolidLine);

  // The rate: every step of the first client scales; the run uses the new rate.
  w.rate_spin()->setValue(250.0);
  REQUIRE(w.spec().workload.clients.front().rate.front().rate == 250.0);
  REQUIRE(wait_for(&w, &MainWindow::redrawn));
  CHECK(w.last_result()->series.back().throughput_rps < first.series.back().throughput_rps);
  check_run_drawn(w, second, QStringLiteral("previous "));
}

TEST_CASE("main window: a long run can be cancelled and the window stops running", "[gui][whatif]") {
  app();
  MainWindow w(scenario_path("nat-basic.yaml"), {"duration=600s"});
  REQUIRE(w.loaded());
  w.start();
  REQUIRE(w.running());
  REQUIRE(wait_for(w.worker(), &RunWorker::progress));  // the run is under way
  w.cancel();
  REQUIRE(wait_for(w.worker(), &RunWorker::cancelled));
  CHECK_FALSE(w.running());
  CHECK_FALSE(w.last_result().has_value());
  CHECK(w.status_text() == QStringLiteral("cancelled"));
}

TEST_CASE("main window: a new start cancels the run in flight and only the newest result is drawn", "[gui][whatif]") {
  app();
  MainWindow w(scenario_path("nat-basic.yaml"), {"duration=600s"});
  REQUIRE(w.loaded());
  w.start();  // long: superseded below
  const auto superseded = w.worker()->generation();
  int cancelled = 0;
  QObject::connect(w.worker(), &RunWorker::cancelled, [&] { ++cancelled; });
  MainWindow short_run(scenario_path("nat-basic.yaml"), kShort);
  w.worker()->start(short_run.spec());
  CHECK(w.worker()->generation() == superseded + 1);
  REQUIRE(wait_for(&w, &MainWindow::redrawn));
  CHECK(w.last_result()->sim_time_s == 2.0);
  pump(100);
  CHECK(cancelled == 0);  // the superseded run's cancellation is not reported
  CHECK_FALSE(w.running());
}

TEST_CASE("main window: fullnat without local addresses shows the validation error and starts no run", "[gui][whatif]") {
  app();
  MainWindow w(scenario_path("nat-basic.yaml"), kShort);
  REQUIRE(w.loaded());
  const auto generation = w.worker()->generation();
  w.method_combo()->setCurrentText(QStringLiteral("fullnat"));
  // The validation error, next to the control and in the editor at the service's line.
  CHECK(w.method_error().contains(QStringLiteral("has fullnat destinations but no local_addresses")));
  CHECK(w.method_error() == w.editor()->error_text());
  CHECK(w.editor()->error_line() > 0);
  CHECK(w.status_text().startsWith(QStringLiteral("not run: ")));
  pump(400);  // past the debounce
  CHECK_FALSE(w.running());
  CHECK(w.worker()->generation() == generation);
  CHECK(w.spec().services.front().destinations.front().method == lvs::scenario::Method::Nat);
  w.method_combo()->setCurrentText(QStringLiteral("nat"));  // valid again: runs
  CHECK(w.method_error().isEmpty());
  REQUIRE(wait_for(&w, &MainWindow::redrawn));
}

TEST_CASE("main window: every bundled scenario loads into the window", "[gui][whatif]") {
  app();
  const std::vector<std::string> files = lvs::test::bundled_scenario_files();
  REQUIRE(files.size() >= 10);
  for (const std::string& file : files) {
    INFO(file);
    const lvs::scenario::ScenarioSpec spec = lvs::scenario::read_scenario(file);
    MainWindow w(file);
    CHECK(w.loaded());
    CHECK_FALSE(w.status_text().startsWith(QStringLiteral("cannot load")));
    CHECK(w.scheduler_combo()->currentText().toStdString() == spec.services.front().scheduler);
    CHECK_FALSE(w.running());
  }
}

TEST_CASE("main window: each bundled scenario runs after a scheduler change and its charts hold the run",
          "[gui][whatif]") {
  app();
  const std::string file = GENERATE(from_range(lvs::test::bundled_scenario_files()));
  CAPTURE(file);
  MainWindow w(file, {"duration=2s", "warmup=0s"});
  REQUIRE(w.loaded());
  const lvs::scenario::ScenarioSpec& spec = w.spec();
  CHECK(w.topology()->node_names().size() ==
        spec.topology.hosts.size() + spec.topology.segments.size() + spec.topology.links.size());
  const QString other = spec.services.front().scheduler == "rr" ? QStringLiteral("wlc") : QStringLiteral("rr");
  w.scheduler_combo()->setCurrentText(other);  // the change runs the scenario (after the debounce)
  REQUIRE(wait_for(&w, &MainWindow::redrawn));
  const lvs::run::RunResult& r = *w.last_result();
  CHECK(w.spec().services.front().scheduler == other.toStdString());
  CHECK(r.sim_time_s == 2.0);
  check_run_drawn(w, r, QString());
}

TEST_CASE("main window: --screenshots names each tab's picture after that tab", "[gui][walk]") {
  app();
  MainWindow w(scenario_path("nat-basic.yaml"), kShort);
  const auto* tabs = w.findChild<QTabWidget*>();
  REQUIRE(tabs != nullptr);
  const QStringList names = lvs::gui::tab_screenshot_names();
  REQUIRE(names.size() == tabs->count());  // one picture per tab, in tab order
  for (int i = 0; i < tabs->count(); ++i) {
    const QString tab = tabs->tabText(i).toLower().replace(QLatin1Char(' '), QLatin1Char('-'));
    INFO(tab.toStdString() << " <- " << names[i].toStdString());
    CHECK(tab.startsWith(names[i].chopped(4)));  // "packet-walk" <- packet-walk.png
  }
}
