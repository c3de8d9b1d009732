// The Sweep tab (gui/sweep_panel.hpp): its chart, table and answer are the library's sweep
// and SLO search, and `lvslab sweep`'s; a bad grid is refused with the CLI's words.

#include <catch2/catch.hpp>

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLegend>
#include <QLegendMarker>
#include <QLineEdit>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "capture/tshark.hpp"
#include "gui_fixture.hpp"
#include "main_window.hpp"
#include "run/slo_search.hpp"
#include "run/sweep.hpp"
#include "scripted_session.hpp"
#include "sweep_chart.hpp"
#include "sweep_panel.hpp"
#include "sweep_params.hpp"

namespace {

using lvs::gui::SweepPanel;
using lvs::gui::SweepWorker;
using lvs::run::RunMetric;
using lvs::test::app;
using lvs::test::series_named;
using lvs::test::wait_for;
namespace fs = std::filesystem;

const std::string kRate = "workload.clients[0].arrivals.rate";
const std::vector<std::string> kOverrides{"warmup=200ms"};

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A panel over nat-basic with a 200 ms warm-up (as the window's --set), sweeping the rate
// 1000..4000 for 1 s, 2 replications: its servers carry at most 3200 requests/s.
struct Swept {
  QApplication& application = app();  // before any widget
  std::string path = lvs::test::scenario_path("nat-basic.yaml");
  SweepPanel panel;

  Swept() {
    const lvs::scenario::ScenarioSpec spec = lvs::scenario::read_scenario(path, kOverrides);
    panel.set_scenario(spec, file_text(path), kOverrides);
    panel.param_combo()->setEditText(QString::fromStdString(kRate));
    panel.values_edit()->setText(QStringLiteral("1000:4000:1000"));
    panel.replications_spin()->setValue(2);
    panel.until_spin()->setValue(1);
  }

  // The same sweep through the library, as `lvslab sweep` makes it.
  lvs::run::SweepResult library_sweep() const {
    lvs::run::SweepOptions o;
    o.params.push_back(lvs::run::parse_sweep_param(kRate + "=1000:4000:1000"));
    o.replications = 2;
    o.until = lvs::Time::s(1);
    const auto specs = lvs::run::read_points(path, kOverrides, o.params, o.until);
    lvs::run::BatchOptions b;
    b.until = o.until;
    lvs::run::ThreadRunner runner(b);
    return lvs::run::run_sweep(specs, o, runner);
  }

  void run() {
    panel.start();
    REQUIRE(panel.running());
    REQUIRE(wait_for(&panel, &SweepPanel::swept));
    REQUIRE(panel.outcome().has_value());
  }
};

const QAreaSeries* band_of(const QChart* chart) {
  for (QAbstractSeries* s : chart->series())
    if (auto* a = qobject_cast<QAreaSeries*>(s)) return a;
  return nullptr;
}

const QLineSeries* line_starting(const QChart* chart, const QString& prefix) {
  for (QAbstractSeries* s : chart->series())
    if (s->name().startsWith(prefix)) return qobject_cast<const QLineSeries*>(s);
  return nullptr;
}

// The band's ends and the mean line are the sweep's intervals, point by point; on a log
// axis without the points it cannot draw (a band whose lower end is at or below 0).
void check_band(const QChart* chart, const lvs::run::SweepResult& r, RunMetric m, bool log = false) {
  const auto k = static_cast<std::size_t>(m);
  const QAreaSeries* band = band_of(chart);
  REQUIRE(band != nullptr);
  CHECK(band->name() == QStringLiteral("95% CI"));
  const QLineSeries* mean = series_named(chart, lvs::gui::sweep_mean_name(m));
  REQUIRE(mean != nullptr);
  const QList<QPointF> upper = band->upperSeries()->points(), lower = band->lowerSeries()->points();
  REQUIRE(lower.size() == upper.size());
  REQUIRE(mean->count() == static_cast<int>(r.points.size()));
  qsizetype drawn = 0;
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    INFO("point " << i);
    const lvs::ConfidenceInterval& ci = r.points[i].metrics[k];
    const double x = 1000.0 * static_cast<double>(i + 1);
    CHECK(mean->at(static_cast<int>(i)) == QPointF(x, ci.mean));
    if (log && ci.lower() <= 0) continue;
    REQUIRE(drawn < upper.size());
    CHECK(upper[drawn] == QPointF(x, ci.upper()));
    CHECK(lower[drawn] == QPointF(x, ci.lower()));
    ++drawn;
  }
  CHECK(drawn == upper.size());
}

}  // namespace

TEST_CASE("sweep: the band is the sweep's 95% intervals and the table the CLI's cells and bottlenecks",
          "[gui][sweep]") {
  Swept s;
  s.run();
  const lvs::run::SweepResult expected = s.library_sweep();
  const lvs::run::SweepResult& shown = s.panel.outcome()->sweep;
  REQUIRE(shown.points.size() == 4);
  check_band(s.panel.chart(), expected, RunMetric::LatencyP99);
  const QTableWidget* table = s.panel.table();
  REQUIRE(table->rowCount() == 4);
  CHECK(table->columnCount() == 3);  // no search: no probe column
  const auto p99 = static_cast<std::size_t>(RunMetric::LatencyP99);
  for (std::size_t i = 0; i < expected.points.size(); ++i) {
    const lvs::run::SweepPoint& p = expected.points[i];
    const int row = static_cast<int>(i);
    CHECK(table->item(row, 0)->text().toStdString() == p.values.front());
    CHECK(table->item(row, 1)->text().toStdString() == lvs::run::interval_text(p.metrics[p99], 3));
    CHECK(table->item(row, 2)->text().toStdString() == lvs::run::point_bottleneck_text(p.bottleneck, 2));
  }
  // 4000/s saturates the servers' workers, as the library names it.
  CHECK(expected.points[3].bottleneck.resource == "rs workers");
  CHECK(expected.points[3].bottleneck.saturated);
  CHECK(s.panel.status_text().startsWith(
      QStringLiteral("4 points, 2 replications each, seeds 1..2 at every point (common random numbers), 1.000 s")));
  CHECK(s.panel.status_text().contains(QStringLiteral("1 of 4 points have warnings; the first: point 4")));
  // Another metric redraws from the same sweep, without running it again.
  s.panel.metric_combo()->setCurrentIndex(static_cast<int>(RunMetric::Throughput));
  CHECK_FALSE(s.panel.running());
  check_band(s.panel.chart(), expected, RunMetric::Throughput);
  // On a log axis, the same numbers.
  s.panel.metric_combo()->setCurrentIndex(static_cast<int>(RunMetric::LatencyP99));
  s.panel.log_check()->setChecked(true);
  check_band(s.panel.chart(), expected, RunMetric::LatencyP99, true);
  const auto* log_axis = qobject_cast<const QLogValueAxis*>(const_cast<QAreaSeries*>(band_of(s.panel.chart()))->attachedAxes().value(1));
  REQUIRE(log_axis != nullptr);
  CHECK(log_axis->isVisible());
  CHECK(log_axis->min() <= expected.points[0].metrics[p99].lower());
  CHECK(log_axis->max() >= expected.points[3].metrics[p99].upper());
  // An edit leaves the sweep drawn and says it is of the text before; another file clears it.
  s.panel.set_scenario(lvs::scenario::read_scenario(s.path, kOverrides), file_text(s.path) + "\n", kOverrides);
  CHECK(s.panel.outcome().has_value());
  CHECK(s.panel.status_text() == QStringLiteral("nat-basic changed since this sweep: run it again to sweep the new text"));
  const std::string dr = lvs::test::scenario_path("dr-basic.yaml");
  s.panel.set_scenario(lvs::scenario::read_scenario(dr), file_text(dr), {});
  CHECK_FALSE(s.panel.outcome().has_value());
  CHECK(s.panel.table()->rowCount() == 0);
  CHECK(s.panel.chart()->series().isEmpty());
  CHECK(s.panel.status_text() == QStringLiteral("dr-basic: ready"));
}

TEST_CASE("sweep: the SLO line is at the bound and the marked answer is slo_search's and the CLI's",
          "[gui][sweep]") {
  Swept s;
  s.panel.slo_check()->setChecked(true);
  s.panel.slo_spin()->setValue(50);
  s.panel.find_combo()->setCurrentIndex(1);  // the highest value meeting it
  const QString command = s.panel.command_line();
  CHECK(command.endsWith(QStringLiteral(" --slo 'p99<50ms' --find 'max:workload.clients[0].arrivals.rate'")));
  s.run();
  const QChart* chart = s.panel.chart();
  const QLineSeries* slo = series_named(chart, QStringLiteral("SLO p99<50ms"));
  REQUIRE(slo != nullptr);
  REQUIRE(slo->count() == 2);
  CHECK(slo->at(0).y() == 50.0);
  CHECK(slo->at(1).y() == 50.0);
  // The legend shows the '<' (it draws its labels as rich text).
  CHECK(chart->legend()->markers(const_cast<QLineSeries*>(slo)).value(0)->label() == QStringLiteral("SLO p99&lt;50ms"));

  // The library's search on the same points ...
  lvs::run::SloOptions o;
  o.slo = lvs::run::parse_slo("p99<50ms");
  o.param = lvs::run::parse_sweep_param(kRate + "=1000:4000:1000");
  o.replications = 2;
  o.max_replications = 10;
  o.until = lvs::Time::s(1);
  const auto specs = lvs::run::read_points(s.path, kOverrides, {o.param}, o.until);
  lvs::run::BatchOptions b;
  b.until = o.until;
  lvs::run::ThreadRunner runner(b);
  const lvs::run::SloSearchResult expected = lvs::run::find_slo(specs, o, runner);
  REQUIRE(expected.last_passing.has_value());
  const std::string answer = expected.candidates[*expected.last_passing];
  const lvs::run::SloSearchResult& shown = *s.panel.outcome()->search;
  CHECK(shown.last_passing == expected.last_passing);
  CHECK(shown.first_failing == expected.first_failing);
  REQUIRE(shown.probes.size() == expected.probes.size());
  for (std::size_t i = 0; i < shown.probes.size(); ++i) {
    CHECK(shown.probes[i].replications == expected.probes[i].replications);
    CHECK(shown.probes[i].holds == expected.probes[i].holds);
    CHECK(shown.probes[i].no_steady_state == expected.probes[i].no_steady_state);
    const double a = shown.probes[i].ci.mean, b = expected.probes[i].ci.mean;
    CHECK((a == b || (std::isnan(a) && std::isnan(b))));  // NaN: not run (no steady state)
  }
  const QLineSeries* marked = line_starting(chart, QStringLiteral("answer: "));
  REQUIRE(marked != nullptr);
  CHECK(marked->name() == QStringLiteral("answer: %1 (highest meeting p99<50ms)").arg(QString::fromStdString(answer)));
  CHECK(marked->at(0).x() == std::stod(answer));
  CHECK(marked->at(1).x() == std::stod(answer));
  CHECK(s.panel.answer_text().startsWith(QStringLiteral("answer: %1\nbracket: [").arg(QString::fromStdString(answer))));
  // The answer's row says so; the probe column gives each probe's verdict.
  REQUIRE(s.panel.table()->columnCount() == 4);
  const int row = static_cast<int>(*expected.last_passing);
  CHECK(s.panel.table()->item(row, 3)->text().contains(QStringLiteral(": holds, ")));
  bool unsteady = false;
  for (std::size_t k = 0; k < expected.probes.size(); ++k) {
    const lvs::run::SloProbe& p = expected.probes[k];
    const QTableWidgetItem* cell = s.panel.table()->item(static_cast<int>(p.index), 3);
    if (p.no_steady_state.empty()) {
      CHECK(cell->text() == QStringLiteral("%1: %2, %3 runs").arg(k + 1).arg(p.holds ? "holds" : "fails").arg(p.replications));
      continue;
    }
    unsteady = true;  // 4000/s: above the 3200/s the servers carry, not run
    CHECK(cell->text() == QStringLiteral("%1: fails (no steady state)").arg(k + 1));
    CHECK(cell->toolTip() == QStringLiteral("not run: ") + QString::fromStdString(p.no_steady_state));
  }
  CHECK(unsteady);

  // ... and `lvslab sweep` with the command line the panel shows.
  const fs::path json = lvs::test::capture_dir() / "gui-sweep-search.json";
  fs::remove(json);
  const std::string cli = command.toStdString().replace(0, std::string("lvslab").size(),
                                                         lvs::test::quoted(fs::path(LVSLAB_CLI)));
  const lvs::test::CommandResult r = lvs::test::run_command(cli + " --json " + lvs::test::quoted(json));
  REQUIRE(r.status == 0);
  const nlohmann::json j = nlohmann::json::parse(file_text(json.string()));
  CHECK(j["answer"] == answer);
  CHECK(j["probes"].size() == shown.probes.size());
  fs::remove(json);
}

TEST_CASE("sweep: a bad grid is refused with lvslab sweep's error text, and nothing runs", "[gui][sweep]") {
  Swept s;
  const auto refused = [&](const QString& values) {
    s.panel.values_edit()->setText(values);
    s.panel.start();
    CHECK_FALSE(s.panel.running());
    const lvs::test::CommandResult r =
        lvs::test::run_command(lvs::test::quoted(fs::path(LVSLAB_CLI)) + " sweep " + lvs::test::quoted(s.path) +
                               " --param '" + kRate + "=" + values.toStdString() + "'");
    CHECK(r.status == 2);
    REQUIRE(r.lines.size() == 1);
    CHECK(r.lines.front() == "lvslab sweep: error: " + s.panel.grid_error().toStdString());
    CHECK(s.panel.status_text() == QStringLiteral("not run: ") + s.panel.grid_error());
  };
  refused(QStringLiteral("1000:4000:0"));
  CHECK(s.panel.grid_error() == QString::fromStdString("--param " + kRate + ": STEP must not be 0"));
  refused(QStringLiteral("1000:4000:-1000"));
  refused(QStringLiteral("1ms:5s:1ms"));
  refused(QStringLiteral("1000,,2000"));
  refused(QStringLiteral("1:2"));
}

TEST_CASE("sweep: a point that does not read fails with the point and the key named, as the CLI does",
          "[gui][sweep]") {
  Swept s;
  s.panel.param_combo()->setEditText(QStringLiteral("services[0].destinations[0].weight"));
  s.panel.values_edit()->setText(QStringLiteral("1,-1"));
  s.panel.start();
  REQUIRE(wait_for(s.panel.worker(), &SweepWorker::failed));
  CHECK(s.panel.grid_error().startsWith(
      QStringLiteral("point 2 (services[0].destinations[0].weight=-1): --set services[0].destinations[0].weight: ")));
  CHECK_FALSE(s.panel.running());
}

TEST_CASE("sweep: cancel stops the sweep and leaves the last one drawn", "[gui][sweep]") {
  Swept s;
  s.panel.until_spin()->setValue(600);  // far longer than the test
  s.panel.start();
  REQUIRE(s.panel.running());
  QTimer::singleShot(100, &s.panel, &SweepPanel::cancel);  // once the runs are under way
  REQUIRE(wait_for(s.panel.worker(), &SweepWorker::cancelled));
  CHECK_FALSE(s.panel.running());
  CHECK(s.panel.status_text() == QStringLiteral("cancelled"));
  CHECK_FALSE(s.panel.outcome().has_value());
}

TEST_CASE("sweep: values with one unit are numbers on the x axis, others are named positions", "[gui][sweep]") {
  const lvs::gui::SweepAxis ms = lvs::gui::sweep_axis({"5ms", "10ms", "15ms"});
  CHECK(ms.x == std::vector<double>{5, 10, 15});
  CHECK(ms.unit == QStringLiteral("ms"));
  CHECK(ms.labels.isEmpty());
  const lvs::gui::SweepAxis mixed = lvs::gui::sweep_axis({"500us", "1ms"});
  CHECK(mixed.x == std::vector<double>{0, 1});
  CHECK(mixed.labels == QStringList{QStringLiteral("500us"), QStringLiteral("1ms")});
  const lvs::gui::SweepAxis names = lvs::gui::sweep_axis({"rr", "wlc"});
  CHECK(names.labels == QStringList{QStringLiteral("rr"), QStringLiteral("wlc")});
  CHECK(lvs::gui::sweep_axis({"0.5", "1.5"}).x == std::vector<double>{0.5, 1.5});
}

TEST_CASE("sweep: every suggested parameter's grid reads at every point of the bundled scenarios", "[gui][sweep]") {
  for (const char* file : {"nat-basic.yaml", "dr-basic.yaml", "capacity-groups.yaml"}) {
    INFO(file);
    const std::string path = lvs::test::scenario_path(file);
    const std::vector<lvs::gui::SweepSuggestion> suggestions =
        lvs::gui::sweep_suggestions(lvs::scenario::read_scenario(path));
    REQUIRE(suggestions.size() >= 3);
    for (const lvs::gui::SweepSuggestion& s : suggestions) {
      INFO(s.key.toStdString() << "=" << s.values.toStdString());
      const lvs::run::SweepParam p = lvs::run::parse_sweep_param((s.key + '=' + s.values).toStdString());
      CHECK(p.values.size() >= 2);
      CHECK_NOTHROW(lvs::run::read_points(path, {}, {p}, std::nullopt));
    }
  }
  const std::vector<lvs::gui::SweepSuggestion> dr =
      lvs::gui::sweep_suggestions(lvs::scenario::read_scenario(lvs::test::scenario_path("dr-basic.yaml")));
  CHECK(dr.front().key == QString::fromStdString(kRate));
  CHECK(dr.front().values == QStringLiteral("500:2000:250"));  // half to twice its 1000/s
}

TEST_CASE("sweep: the window has a Sweep tab, screenshot sweep.png, and it sweeps the editor's text with the window's --set",
          "[gui][sweep]") {
  app();
  lvs::gui::MainWindow w(lvs::test::scenario_path("dr-basic.yaml"), {"warmup=2s"});
  REQUIRE(w.loaded());
  CHECK(w.tabs()->widget(static_cast<int>(lvs::gui::MainWindow::Tab::Sweep)) == w.sweep());
  const QStringList shots = lvs::gui::tab_screenshot_names();
  REQUIRE(shots.size() == w.tabs()->count());
  CHECK(shots[static_cast<int>(lvs::gui::MainWindow::Tab::Ipvsadm)] == QStringLiteral("ipvsadm.png"));
  CHECK(shots[static_cast<int>(lvs::gui::MainWindow::Tab::Sweep)] == QStringLiteral("sweep.png"));
  CHECK(w.sweep()->command_line().startsWith(QStringLiteral("lvslab sweep ")));
  CHECK(w.sweep()->command_line().contains(QStringLiteral(" --set warmup=2s --param 'workload.clients[0].arrivals.rate=500:2000:250'")));
  const std::optional<lvs::gui::SweepRequest> r = w.sweep()->request();
  REQUIRE(r.has_value());
  CHECK(QString::fromStdString(r->text) == w.editor()->text());
  CHECK(r->overrides == std::vector<std::string>{"warmup=2s"});
  CHECK_FALSE(r->seed.has_value());  // the scenario's
  w.sweep()->seed_edit()->setText(QStringLiteral("7"));
  REQUIRE(w.sweep()->request().has_value());
  CHECK(w.sweep()->request()->seed == 7u);
  CHECK(w.sweep()->command_line().contains(QStringLiteral(" --jobs 2 --seed 7")));
  w.sweep()->seed_edit()->setText(QStringLiteral("-1"));
  CHECK_FALSE(w.sweep()->request().has_value());
  CHECK(w.sweep()->grid_error() == QStringLiteral("--seed: expected an integer >= 0, got '-1'"));
  w.cancel();
}
