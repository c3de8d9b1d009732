#include <catch2/catch.hpp>

#include <QApplication>
#include <QChart>
#include <QDoubleSpinBox>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSpinBox>
#include <QTableWidget>

#include <sstream>
#include <string>

#include "gui_fixture.hpp"
#include "main_window.hpp"
#include "metrics/queueing.hpp"
#include "run/run.hpp"
#include "run/scenario_theory.hpp"
#include "theory_window.hpp"

using lvs::gui::TheoryWindow;
using lvs::test::app;
using lvs::test::series_named;

namespace {

const QScatterSeries* points_named(const QChart* chart, const QString& name) {
  for (QAbstractSeries* s : chart->series())
    if (s->name() == name) return qobject_cast<QScatterSeries*>(s);
  return nullptr;
}

lvs::scenario::ScenarioSpec dr_basic(std::vector<std::string> overrides = {}) {
  return lvs::scenario::read_scenario(lvs::test::scenario_path("dr-basic.yaml"), overrides);
}

}  // namespace

TEST_CASE("the what-if chart redraws with the Erlang C figures of the chosen cluster", "[gui][theory]") {
  app();
  TheoryWindow window;
  window.set_inputs(5, 2, 1000.0, 0);  // c = 5 x 2 = 10, mean service 1 s
  const QLineSeries* mean = series_named(window.chart(), QStringLiteral("mean"));
  const QLineSeries* p99 = series_named(window.chart(), QStringLiteral("p99"));
  REQUIRE(mean != nullptr);
  REQUIRE(p99 != nullptr);
  REQUIRE(mean->count() == 97);
  // The point at 80% utilisation: offered load 8 Erlang, W = 1 + 0.2046 s.
  const QPointF at80 = mean->at(78);
  CHECK(at80.x() == Approx(80.0));
  CHECK(at80.y() == Approx(1204.59).margin(0.01));
  CHECK(p99->at(78).y() == Approx(lvs::response_time_quantile(lvs::mmc(10, 8, 1), 0.99) * 1e3));
  CHECK(points_named(window.chart(), TheoryWindow::kModelPoint)->count() == 0);  // rate 0: no point
  window.set_inputs(1, 1, 10.0, 50);  // M/M/1, 10 ms: W = 10 ms / (1 - rho); 50 req/s is rho 0.5
  mean = series_named(window.chart(), QStringLiteral("mean"));
  REQUIRE(mean != nullptr);
  CHECK(mean->at(48).y() == Approx(20.0));  // rho = 0.5
  const QScatterSeries* model = points_named(window.chart(), TheoryWindow::kModelPoint);
  REQUIRE(model->count() == 2);
  CHECK(model->at(0).x() == Approx(50.0));
  CHECK(model->at(0).y() == Approx(20.0));
  CHECK(model->at(1).y() == Approx(20.0 * std::log(100.0)));  // M/M/1: T ~ Exp(mu - lambda)
  window.set_inputs(1, 1, 10.0, 150);  // beyond capacity: no steady state, no point
  CHECK(points_named(window.chart(), TheoryWindow::kModelPoint)->count() == 0);
  CHECK(window.status_text().contains(QStringLiteral("no steady state")));
}

TEST_CASE("the theory tab derives its model from the scenario as `lvslab theory` does", "[gui][theory]") {
  app();
  const lvs::scenario::ScenarioSpec spec = dr_basic();
  TheoryWindow window;
  window.set_scenario(spec);
  // The library function `lvslab theory scenarios/dr-basic.yaml` calls, and its text.
  const lvs::run::ScenarioTheory t = lvs::run::scenario_theory(spec);
  std::ostringstream cli;
  lvs::run::print_theory(cli, t);
  REQUIRE(window.theory().has_value());
  const lvs::run::ServiceTheory& s = t.services.front();
  CHECK(window.theory()->service == s.service);
  // dr-basic: 4 servers of 16 workers, 4 ms, 2000 requests/s offered.
  CHECK(cli.str().find("4, 64 workers in all, mean service time 4.000 ms") != std::string::npos);
  CHECK(window.servers_spin()->value() == 4);
  CHECK(window.workers_spin()->value() == 16);
  CHECK(window.service_spin()->value() == 4.0);
  CHECK(window.rate_spin()->value() == 2000.0);
  CHECK(cli.str().find("2000.0 requests/s (open loop)") != std::string::npos);

  // One row per model, its figures as the CLI prints them.
  const QTableWidget* table = window.models_table();
  REQUIRE(table->rowCount() == static_cast<int>(s.models.size()));
  for (int i = 0; i < table->rowCount(); ++i) {
    const lvs::run::ModelFigures& m = s.models[static_cast<std::size_t>(i)];
    INFO(m.name);
    CHECK(table->item(i, 0)->text().startsWith(QString::fromStdString(m.name)));
    const std::string line = "mean " + table->item(i, 1)->text().toStdString() + " ms";
    CHECK(cli.str().find(line) != std::string::npos);
    if (m.p99_s) CHECK(cli.str().find("p99 " + table->item(i, 2)->text().toStdString() + " ms") != std::string::npos);
    if (m.utilization > 0)
      CHECK(cli.str().find("utilization " + table->item(i, 3)->text().toStdString() + " %") != std::string::npos);
  }
  CHECK(table->item(0, 1)->text() == QStringLiteral("4.000"));  // the M/M/w per server line
  CHECK(table->item(0, 2)->text() == QStringLiteral("18.421"));
  CHECK(table->item(0, 3)->text() == QStringLiteral("12.5"));

  // The model's point at the offered rate is the library's M/M/c pooled figures.
  const lvs::run::ModelFigures* pooled = nullptr;
  for (const lvs::run::ModelFigures& m : s.models)
    if (m.name == "M/M/c pooled") pooled = &m;
  REQUIRE(pooled != nullptr);
  const QScatterSeries* model = points_named(window.chart(), TheoryWindow::kModelPoint);
  REQUIRE(model != nullptr);
  REQUIRE(model->count() == 2);
  CHECK(model->at(0).x() == Approx(pooled->utilization * 100).epsilon(1e-12));
  CHECK(model->at(0).y() == Approx(pooled->mean_response_s * 1e3).epsilon(1e-12));
  CHECK(model->at(1).y() == Approx(*pooled->p99_s * 1e3).epsilon(1e-12));
  CHECK(points_named(window.chart(), TheoryWindow::kMeasuredPoint)->count() == 0);  // no run yet
}

TEST_CASE("the theory tab marks the run's measured operating point", "[gui][theory]") {
  app();
  const lvs::scenario::ScenarioSpec spec = dr_basic({"duration=3s"});
  const lvs::run::RunResult r = lvs::run::run_scenario(spec, {});
  TheoryWindow window;
  window.set_scenario(spec);
  window.set_run(r);
  REQUIRE(window.measured().has_value());
  const lvs::run::MeasuredPoint& p = *window.measured();
  // Every server has 16 workers: the utilisation is the plain mean of the summary's util column.
  double util = 0;
  for (const lvs::run::ServerResult& s : r.servers) util += s.utilization / 4;
  CHECK(p.utilization == Approx(util).epsilon(1e-12));
  CHECK(p.mean_s == r.residence.mean_s);
  REQUIRE(p.p99_s.has_value());
  CHECK(*p.p99_s == r.residence.p99_s);
  CHECK(p.requests == r.residence.requests);
  const QScatterSeries* measured = points_named(window.chart(), TheoryWindow::kMeasuredPoint);
  REQUIRE(measured != nullptr);
  REQUIRE(measured->count() == 2);
  CHECK(measured->at(0) == QPointF(p.utilization * 100, p.mean_s * 1e3));
  CHECK(measured->at(1) == QPointF(p.utilization * 100, *p.p99_s * 1e3));
  window.set_scenario(spec);  // a new scenario forgets the old run
  CHECK_FALSE(window.measured().has_value());
  CHECK(points_named(window.chart(), TheoryWindow::kMeasuredPoint)->count() == 0);
}

TEST_CASE("the main window's theory tab follows the open scenario and its last run", "[gui][theory]") {
  app();
  lvs::gui::MainWindow window(lvs::test::scenario_path("dr-basic.yaml"), {"duration=2s"});
  REQUIRE(window.loaded());
  TheoryWindow* theory = window.theory();
  REQUIRE(theory->theory().has_value());
  CHECK(theory->theory()->service == lvs::run::scenario_theory(window.spec()).services.front().service);
  REQUIRE(lvs::test::wait_for(&window, &lvs::gui::MainWindow::redrawn));
  REQUIRE(theory->measured().has_value());
  const auto expected = lvs::run::measured_point(window.spec(), theory->theory()->service, *window.last_result());
  REQUIRE(expected.has_value());
  CHECK(theory->measured()->utilization == expected->utilization);
  CHECK(theory->measured()->mean_s == window.last_result()->residence.mean_s);
}
