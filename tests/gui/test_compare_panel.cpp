#include <catch2/catch.hpp>

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QLabel>
#include <QGraphicsScene>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLineSeries>
#include <QListWidget>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>
#include <QValueAxis>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "chart_export.hpp"
#include "compare_chart.hpp"
#include "compare_panel.hpp"
#include "gui_fixture.hpp"
#include "main_window.hpp"
#include "whatif_panel.hpp"
#include "scenario/scenario_spec.hpp"
#include "schedulers/registry.hpp"

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

// The scheduler an item of the list stands for (its text may carry a mark).
std::string name_of(const QListWidgetItem* item) { return item->data(Qt::UserRole).toString().toStdString(); }

QListWidgetItem* item_named(const ComparePanel& panel, const std::string& name) {
  QListWidget* list = panel.scheduler_list_widget();
  for (int i = 0; i < list->count(); ++i)
    if (name_of(list->item(i)) == name) return list->item(i);
  return nullptr;
}

// Checks exactly the schedulers in `names`, in the order of their names (unchecking all
// first, so that the first name is the baseline).
void check_only(ComparePanel& panel, const std::set<std::string>& names) {
  QListWidget* list = panel.scheduler_list_widget();
  for (int i = 0; i < list->count(); ++i) list->item(i)->setCheckState(Qt::Unchecked);
  for (int i = 0; i < list->count(); ++i)
    if (names.contains(name_of(list->item(i)))) list->item(i)->setCheckState(Qt::Checked);
}

std::set<std::string> checked(const ComparePanel& panel) {
  std::set<std::string> out;
  const QListWidget* list = panel.scheduler_list_widget();
  for (int i = 0; i < list->count(); ++i)
    if (list->item(i)->checkState() == Qt::Checked) out.insert(name_of(list->item(i)));
  return out;
}

const QBarSet* bars_of(const QChart* chart) {
  for (QAbstractSeries* s : chart->series())
    if (auto* bars = qobject_cast<QBarSeries*>(s)) return bars->barSets().front();
  return nullptr;
}

QString fixed(double v, int digits) { return QString::number(v, 'f', digits); }

constexpr std::size_t kThroughputIndex = static_cast<std::size_t>(CompareMetric::Throughput);

// Where a metric can lie: imbalance (max over mean) is at least 1, Jain's index at most 1,
// the rest at least 0.
std::pair<double, double> possible(std::size_t m) {
  if (m == static_cast<std::size_t>(CompareMetric::Imbalance)) return {1.0, 1e300};
  if (m == static_cast<std::size_t>(CompareMetric::Jain)) return {0.0, 1.0};
  return {0.0, 1e300};
}

// An interval's end as drawn: cut at what the metric can be.
double drawn_end(const lvs::ConfidenceInterval& ci, std::size_t m, int side) {
  const auto [floor, ceiling] = possible(m);
  return std::clamp(side < 0 ? ci.lower() : ci.upper(), floor, ceiling);
}

// The lowest lower (side -1) or highest upper (+1) 95% bound of metric `m` over the schedulers, as drawn.
double ci_bound(const lvs::run::CompareResult& r, std::size_t m, int side) {
  double v = side < 0 ? 1e300 : -1e300;
  for (const lvs::run::SchedulerComparison& s : r.schedulers)
    v = side < 0 ? std::min(v, drawn_end(s.metrics[m], m, -1)) : std::max(v, drawn_end(s.metrics[m], m, +1));
  return v;
}

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
      CHECK(low->y() == drawn_end(ci, m, -1));
      CHECK(high->y() == drawn_end(ci, m, +1));
      CHECK(points[2] == QPointF(static_cast<double>(i), high->y()));  // the vertical line at bar i
      CHECK(points[3] == QPointF(static_cast<double>(i), low->y()));
    }
    const QTableWidget* table = panel.table();
    const lvs::run::SchedulerComparison& rr = r.schedulers[0];
    const lvs::run::SchedulerComparison& wlc = r.schedulers[1];
    CHECK(table->item(static_cast<int>(m), 0)->text() ==
          fixed(rr.metrics[m].mean, digits) + " ± " + fixed(rr.metrics[m].half_width, digits));
    // Under the mean, the difference from the baseline as `lvslab compare` prints it.
    const QStringList lines = table->item(static_cast<int>(m), 1)->text().split('\n');
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == fixed(wlc.metrics[m].mean, digits) + " ± " + fixed(wlc.metrics[m].half_width, digits));
    const lvs::ConfidenceInterval& d = (*wlc.paired)[m];
    CHECK(lines[1] == QStringLiteral("Δ ") + QString::fromStdString(lvs::run::difference_text(d, digits)));
    CHECK(lines[1].contains(fixed(std::abs(d.mean), digits) + " ± " + fixed(d.half_width, digits)));
    CHECK(lines[1].endsWith(QStringLiteral(" *")) == lvs::run::excludes_zero(d));
    // The value axis spans the intervals (not from 0 when they are far from it).
    const auto* y = qobject_cast<const QValueAxis*>(chart->axes(Qt::Vertical).front());
    REQUIRE(y != nullptr);
    double low = ci_bound(r, m, -1), high = ci_bound(r, m, +1);
    CHECK(y->min() <= low);
    CHECK(y->max() >= high);
    if (m == kThroughputIndex) CHECK(y->min() > 0);
  }
  CHECK(panel.table()->horizontalHeaderItem(0)->text() == QStringLiteral("rr (baseline)"));
  CHECK(panel.table()->horizontalHeaderItem(1)->text() == QStringLiteral("wlc"));
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

TEST_CASE("compare: the value axis spans the intervals with a margin, from 0 only when it must", "[gui][compare]") {
  using lvs::gui::value_axis_range;
  const auto range = [](double lo, double hi) {
    const lvs::gui::AxisRange r = value_axis_range(lo, hi);
    return std::pair{r.low, r.high};
  };
  CHECK(range(100, 110) == std::pair{98.0, 112.0});            // a fifth of the span of 10 each side
  CHECK(range(0.5, 1.0) == std::pair{0.4, 1.1});
  CHECK(range(0.1, 1.0).first == 0.0);                         // 0.1 - 0.18 would go below 0
  CHECK(range(-2, 2) == std::pair{-2.8, 2.8});                 // a difference may be negative
  CHECK(range(5, 5) == std::pair{0.0, 5.0 * 1.08});            // no span: from 0, or nothing shows
  CHECK(range(0, 0) == std::pair{0.0, 1.0});                   // failed: 0 in every run
  CHECK(range(1e300, -1e300) == std::pair{0.0, 1.0});          // nothing finite drawn
  CHECK(range(std::nan(""), 1) == std::pair{0.0, 1.0});
}

TEST_CASE("compare: Jain's index never drawn above 1, though its 95% interval may reach past it",
          "[gui][compare]") {
  using lvs::run::CompareMetric;
  lvs::test::app();
  lvs::run::CompareResult r;
  r.replications = 5;
  for (const auto& [name, mean, half] : {std::tuple{"wrr", 0.998, 0.01}, std::tuple{"rr", 0.9, 0.05}}) {
    lvs::run::SchedulerComparison s;
    s.scheduler = name;
    s.metrics.fill(lvs::ConfidenceInterval{1.5, 0.1, 5, 0.95});
    s.metrics[static_cast<std::size_t>(CompareMetric::Jain)] = lvs::ConfidenceInterval{mean, half, 5, 0.95};
    r.schedulers.push_back(s);
  }
  std::unique_ptr<QChart> chart(lvs::gui::make_compare_chart(CompareMetric::Jain));
  lvs::gui::fill_compare_chart(*chart, CompareMetric::Jain, r);
  const auto* y = qobject_cast<QValueAxis*>(chart->axes(Qt::Vertical).front());
  CHECK(y->max() == 1.0);  // the interval's top, 1.008, is cut at 1
  CHECK(y->min() < 0.85);  // rr's lower end, 0.85, shows
  double top = 0, bottom = 2;
  for (QAbstractSeries* s : chart->series())
    if (auto* w = qobject_cast<QLineSeries*>(s))
      for (const QPointF& p : w->points()) top = std::max(top, p.y()), bottom = std::min(bottom, p.y());
  CHECK(top == 1.0);
  CHECK(bottom == Approx(0.85));
}

TEST_CASE("compare: the baseline is the scheduler checked first, and the order of checking is kept",
          "[gui][compare]") {
  app();
  ComparePanel panel;
  lvs::scenario::ScenarioSpec spec = nat_basic("2s");
  spec.services.front().scheduler = "wrr";
  panel.set_spec(spec);
  CHECK(panel.baseline_label()->text() == QStringLiteral("baseline: wrr"));
  check_only(panel, {});
  item_named(panel, "wlc")->setCheckState(Qt::Checked);
  item_named(panel, "rr")->setCheckState(Qt::Checked);
  item_named(panel, "ring")->setCheckState(Qt::Checked);
  CHECK(panel.selected_schedulers() == std::vector<std::string>{"wlc", "rr", "ring"});
  CHECK(panel.baseline_label()->text() == QStringLiteral("baseline: wlc"));
  item_named(panel, "wlc")->setCheckState(Qt::Unchecked);  // the next one becomes the baseline
  CHECK(panel.selected_schedulers() == std::vector<std::string>{"rr", "ring"});
  CHECK(panel.baseline_label()->text() == QStringLiteral("baseline: rr"));
  item_named(panel, "wlc")->setCheckState(Qt::Checked);  // back at the end
  CHECK(panel.selected_schedulers() == std::vector<std::string>{"rr", "ring", "wlc"});
  item_named(panel, "rr")->setCheckState(Qt::Unchecked);
  CHECK(panel.baseline_label()->text() == QStringLiteral("baseline: ring†"));
  panel.set_spec(spec);  // the user's order survives an edit of the scenario
  CHECK(panel.selected_schedulers() == std::vector<std::string>{"ring", "wlc"});

  panel.replications_spin()->setValue(2);
  panel.start();
  REQUIRE(wait_for(&panel, &ComparePanel::compared));
  const lvs::run::CompareResult& r = *panel.result();
  REQUIRE(r.schedulers.size() == 2);
  CHECK(r.schedulers[0].scheduler == "ring");  // the baseline: no differences of its own
  CHECK_FALSE(r.schedulers[0].paired.has_value());
  CHECK(r.schedulers[1].paired.has_value());
  CHECK(panel.table()->horizontalHeaderItem(0)->text() == QStringLiteral("ring† (baseline)"));
  CHECK(panel.table()->horizontalHeaderItem(1)->text() == QStringLiteral("wlc"));
  const QChart* throughput = panel.chart(CompareMetric::Throughput);
  auto* x = qobject_cast<QBarCategoryAxis*>(throughput->axes(Qt::Horizontal).front());
  REQUIRE(x != nullptr);
  CHECK(x->categories() == QStringList{QStringLiteral("ring†"), QStringLiteral("wlc")});
}

TEST_CASE("compare: schedulers that are not in the kernel are marked, and the legend says what the marks mean",
          "[gui][compare]") {
  app();
  ComparePanel panel;
  for (const lvs::SchedulerInfo& info : lvs::scheduler_list()) {
    INFO(info.name);
    const QListWidgetItem* item = item_named(panel, info.name);
    REQUIRE(item != nullptr);
    CHECK(item->text().contains(QStringLiteral("†")) == !info.in_kernel);
    CHECK(item->font().italic() == !info.in_kernel);
    CHECK(lvs::gui::scheduler_label(info.name).endsWith(QStringLiteral("†")) == !info.in_kernel);
  }
  CHECK(item_named(panel, "ring")->text() == QStringLiteral("ring†  not in the kernel"));
  CHECK(item_named(panel, "wlc")->text() == QStringLiteral("wlc"));
  const QString legend = panel.legend()->text();
  for (const char* mark : {"95% confidence interval", "* its 95% interval excludes 0", "(no spread)", "†",
                           "not in the Linux kernel", "per unit weight", "not from 0"})
    CHECK(legend.contains(QString::fromUtf8(mark)));
}

TEST_CASE("compare: at the default window size the table shows every cell without scrolling", "[gui][compare]") {
  app();
  lvs::gui::MainWindow window(lvs::test::scenario_path("dr-basic.yaml"), {"duration=2s"});
  window.resize(1334, 800);
  window.show();
  window.show_tab(lvs::gui::MainWindow::Tab::Compare);
  ComparePanel& panel = *window.compare();
  CHECK(panel.selected_schedulers() == std::vector<std::string>{"wrr", "rr", "sh", "wlc"});
  panel.replications_spin()->setValue(2);
  panel.start();
  REQUIRE(wait_for(&panel, &ComparePanel::compared));
  lvs::test::pump(0);
  const QTableWidget* table = panel.table();
  CHECK(table->columnCount() == 4);
  CHECK(table->horizontalScrollBar()->maximum() == 0);
  CHECK(table->verticalScrollBar()->maximum() == 0);
  CHECK(table->horizontalHeaderItem(0)->text() == QStringLiteral("wrr (baseline)"));
  window.cancel();
}

TEST_CASE("the what-if scheduler list says which schedulers are not in the kernel", "[gui][compare]") {
  app();
  lvs::gui::WhatIfPanel panel;
  const QComboBox* combo = panel.scheduler_combo();
  for (const lvs::SchedulerInfo& info : lvs::scheduler_list()) {
    INFO(info.name);
    const int i = combo->findText(QString::fromStdString(info.name));  // scripts pick by the bare name
    REQUIRE(i >= 0);
    const QString tip = combo->itemData(i, Qt::ToolTipRole).toString();
    CHECK(tip.startsWith(QString::fromStdString(info.description)));
    CHECK(tip.endsWith(QStringLiteral("not in the kernel")) == !info.in_kernel);
  }
}
