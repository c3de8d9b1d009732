#include <catch2/catch.hpp>

#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGraphicsScene>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLineSeries>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "chart_export.hpp"
#include "compare_chart.hpp"
#include "compare_panel.hpp"
#include "gui_fixture.hpp"
#include "scenario/scenario_spec.hpp"

namespace {

using lvs::gui::ComparePanel;
using lvs::gui::CompareWorker;
using lvs::run::CompareMetric;
using lvs::test::app;
using lvs::test::series_named;
using lvs::test::wait_for;

lvs::scenario::ScenarioSpec nat_basic(const std::string& duration) {
  return lvs::scenario::read_scenario(lvs::test::scenario_path("nat-basic.yaml"),
                                      {"duration=" + duration});
}

// Checks exactly the schedulers in `names`.
void check_only(ComparePanel& panel, const std::set<std::string>& names) {
  QListWidget* list = panel.scheduler_list_widget();
  for (int i = 0; i < list->count(); ++i)
    list->item(i)->setCheckState(names.contains(list->item(i)->text().toStdString()) ? Qt::Checked : Qt::Unchecked);
}

std::set<std::string> checked(const ComparePanel& panel) {
  std::set<std::string> out;
  const QListWidget* list = panel.scheduler_list_widget();
  for (int i = 0; i < list->count(); ++i)
    if (list->item(i)->checkState() == Qt::Checked) out.insert(list->item(i)->text().toStdString());
  return out;
}

const QBarSet* bars_of(const QChart* chart) {
  for (QAbstractSeries* s : chart->series())
    if (auto* bars = qobject_cast<QBarSeries*>(s)) return bars->barSets().front();
  return nullptr;
}

QString fixed(double v, int digits) { return QString::number(v, 'f', digits); }

// Bars at the means, whiskers over mean ± half-width, table cells with those numbers.
void check_drawn(const ComparePanel& panel, const lvs::run::CompareResult& r) {
  for (std::size_t m = 0; m < lvs::run::kCompareMetrics; ++m) {
    INFO("metric " << lvs::run::metric_info(static_cast<CompareMetric>(m)).key);
    const QChart* chart = panel.chart(static_cast<CompareMetric>(m));
    const QBarSet* bars = bars_of(chart);
    REQUIRE(bars != nullptr);
    REQUIRE(bars->count() == static_cast<int>(r.schedulers.size()));
    const int digits = lvs::run::metric_info(static_cast<CompareMetric>(m)).decimals;
    for (std::size_t i = 0; i < r.schedulers.size(); ++i) {
      const lvs::ConfidenceInterval& ci = r.schedulers[i].metrics[m];
      CHECK(bars->at(static_cast<int>(i)) == ci.mean);
      const QLineSeries* whisker =
          series_named(chart, lvs::gui::whisker_name(QString::fromStdString(r.schedulers[i].scheduler)));
      REQUIRE(whisker != nullptr);
      const QList<QPointF> points = whisker->points();
      const auto [low, high] = std::minmax_element(points.begin(), points.end(),
                                                   [](QPointF a, QPointF b) { return a.y() < b.y(); });
      CHECK(low->y() == ci.mean - ci.half_width);
      CHECK(high->y() == ci.mean + ci.half_width);
      CHECK(points[2] == QPointF(static_cast<double>(i), high->y()));  // the vertical line at bar i
      CHECK(points[3] == QPointF(static_cast<double>(i), low->y()));
    }
    const QTableWidget* table = panel.table();
    const lvs::run::SchedulerComparison& rr = r.schedulers[0];
    const lvs::run::SchedulerComparison& wlc = r.schedulers[1];
    CHECK(table->item(static_cast<int>(m), 0)->text() ==
          fixed(rr.metrics[m].mean, digits) + " ± " + fixed(rr.metrics[m].half_width, digits));
    CHECK(table->item(static_cast<int>(m), 1)->text() ==
          fixed(wlc.metrics[m].mean, digits) + " ± " + fixed(wlc.metrics[m].half_width, digits));
    const QString difference = table->item(static_cast<int>(m), 2)->text();
    const lvs::ConfidenceInterval& d = (*wlc.paired)[m];
    CHECK(difference.contains(fixed(std::abs(d.mean), digits) + " ± " + fixed(d.half_width, digits)));
    CHECK(difference.endsWith(QStringLiteral(" *")) == lvs::run::excludes_zero(d));
  }
}

}  // namespace

TEST_CASE("compare: the panel checks the scenario's scheduler plus rr, wlc and sh, and keeps the user's choice",
          "[gui][compare]") {
  app();
  ComparePanel panel;
  lvs::scenario::ScenarioSpec weighted = nat_basic("2s");
  weighted.services.front().scheduler = "wrr";
  panel.set_spec(weighted);
  CHECK(checked(panel) == std::set<std::string>{"rr", "sh", "wlc", "wrr"});
  CHECK(panel.selected_schedulers() == std::vector<std::string>{"wrr", "rr", "sh", "wlc"});
  CHECK(panel.replications_spin()->value() == 5);
  CHECK(panel.jobs_spin()->value() == 2);
  CHECK(panel.scheduler_list_widget()->count() > 10);
  CHECK_FALSE(panel.scheduler_list_widget()->item(0)->toolTip().isEmpty());
  check_only(panel, {"lc"});
  lvs::scenario::ScenarioSpec other = nat_basic("2s");
  other.services.front().scheduler = "sed";
  panel.set_spec(other);
  CHECK(checked(panel) == std::set<std::string>{"lc"});
}

TEST_CASE("compare: rr vs wlc on nat-basic draws the library's means, intervals and paired differences",
          "[gui][compare]") {
  app();
  ComparePanel panel;
  panel.set_spec(nat_basic("2s"));
  check_only(panel, {"rr", "wlc"});
  panel.replications_spin()->setValue(3);
  panel.start();
  CHECK(panel.running());
  CHECK(panel.run_button()->text() == QStringLiteral("Cancel"));
  REQUIRE(wait_for(&panel, &ComparePanel::compared));
  CHECK_FALSE(panel.running());
  REQUIRE(panel.result().has_value());
  const lvs::run::CompareResult& r = *panel.result();
  REQUIRE(r.schedulers.size() == 2);
  CHECK(r.schedulers[0].scheduler == "rr");
  CHECK(r.schedulers[1].scheduler == "wlc");
  CHECK(r.seeds == std::vector<std::uint64_t>{1, 2, 3});
  CHECK(r.sim_time_s == 2.0);
  CHECK(r.schedulers[0].metrics[0].n == 3);
  CHECK(r.schedulers[0].metrics[0].mean > 0);
  check_drawn(panel, r);
  CHECK(panel.status_text().contains(QStringLiteral("seeds 1..3")));
  CHECK(panel.run_button()->text() == QStringLiteral("Run"));
  if (const char* png = std::getenv("LVSLAB_COMPARE_PANEL_PNG")) {  // pictures to look at
    panel.resize(1500, 950);
    panel.grab().save(QString::fromLocal8Bit(png));
    auto* view = qobject_cast<QChartView*>(panel.chart(CompareMetric::Throughput)->scene()->views().front());
    REQUIRE(view != nullptr);
    CHECK(lvs::gui::save_chart_png(*view, QString::fromLocal8Bit(png) + QStringLiteral(".throughput.png")));
    CHECK(lvs::gui::save_chart_svg(*view, QString::fromLocal8Bit(png) + QStringLiteral(".throughput.svg")));
  }
}

TEST_CASE("compare: a long comparison can be cancelled and leaves no result", "[gui][compare]") {
  app();
  ComparePanel panel;
  panel.set_spec(nat_basic("600s"));
  check_only(panel, {"rr", "wlc"});
  QElapsedTimer clock;
  clock.start();
  panel.start();
  REQUIRE(panel.running());
  QTimer::singleShot(100, &panel, &ComparePanel::cancel);  // once the runs are under way
  REQUIRE(wait_for(panel.worker(), &CompareWorker::cancelled));
  WARN("cancel of a 600 s compare took " << clock.elapsed() << " ms wall");
  CHECK_FALSE(panel.running());
  CHECK_FALSE(panel.result().has_value());
  CHECK(panel.status_text() == QStringLiteral("cancelled"));
  CHECK(panel.run_button()->text() == QStringLiteral("Run"));
}

TEST_CASE("compare: with no scheduler checked the panel shows an error and starts nothing", "[gui][compare]") {
  app();
  ComparePanel panel;
  panel.set_spec(nat_basic("2s"));
  check_only(panel, {});
  const auto generation = panel.worker()->generation();
  panel.run_button()->click();
  CHECK(panel.selection_error() == QStringLiteral("select at least one scheduler"));
  CHECK(panel.status_text().startsWith(QStringLiteral("not run: ")));
  CHECK_FALSE(panel.running());
  CHECK(panel.worker()->generation() == generation);
  check_only(panel, {"rr"});  // a valid selection clears the error
  CHECK(panel.selection_error().isEmpty());
}
