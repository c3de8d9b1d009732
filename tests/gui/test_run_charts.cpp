#include <catch2/catch.hpp>

#include <QChart>
#include <QChartView>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "chart_export.hpp"
#include "gap_line.hpp"
#include "gui_fixture.hpp"
#include "main_window.hpp"
#include "nodes/client.hpp"
#include "run_charts.hpp"
#include "run_lines.hpp"

namespace {

using lvs::gui::GapLine;
using lvs::gui::RunChart;
using lvs::gui::RunCharts;
using lvs::run::Sample;
using lvs::test::app;
using lvs::test::scenario_path;
using lvs::test::wait_for;

Sample sample(double t, std::uint64_t completed, std::uint64_t timeouts, double p50_ms) {
  Sample s;
  s.time_s = t;
  s.completed = completed;
  s.failed = timeouts;
  s.failed_by_reason[static_cast<std::size_t>(lvs::FailReason::Timeout)] = timeouts;
  s.throughput_rps = static_cast<double>(completed);  // a 1 s interval
  s.latency_p50_ms = completed > 0 ? p50_ms : 0.0;     // as the sampler leaves it
  s.latency_p99_ms = completed > 0 ? 2 * p50_ms : 0.0;
  return s;
}

// Warm-up 1 s; at 3 s and 5 s nothing completed (at 3 s three requests timed out).
lvs::run::RunResult gappy_run() {
  lvs::run::RunResult r;
  r.sim_time_s = 5;
  r.warmup_s = 1;
  r.series = {sample(1, 0, 0, 0), sample(2, 10, 0, 4), sample(3, 0, 3, 0), sample(4, 5, 0, 6), sample(5, 0, 0, 0)};
  return r;
}

QList<QPointF> pts(std::initializer_list<QPointF> p) { return QList<QPointF>(p); }

void check_gappy(const RunCharts& c, const QString& prefix) {
  const GapLine* throughput = c.line(RunChart::Throughput, prefix + "throughput");
  const GapLine* p50 = c.line(RunChart::Latency, prefix + "p50");
  const GapLine* timeouts = c.line(RunChart::Failures, prefix + "timeout");
  REQUIRE(throughput != nullptr);
  REQUIRE(p50 != nullptr);
  REQUIRE(timeouts != nullptr);
  // Throughput: a gap in the warm-up (not a 0 ramping up to 10), a measured 0 after it.
  CHECK(throughput->points() == pts({{2, 10}, {3, 0}, {4, 5}, {5, 0}}));
  CHECK(throughput->segments().size() == 1);
  // Latency: only where requests completed; each lone point a segment of its own, shown as a dot.
  CHECK(p50->points() == pts({{2, 4}, {4, 6}}));
  REQUIRE(p50->segments().size() == 2);
  CHECK(p50->segments()[0]->pointsVisible());
  CHECK(p50->segments()[1]->points() == pts({{4, 6}}));
  CHECK(timeouts->points() == pts({{2, 0}, {3, 3}, {4, 0}, {5, 0}}));
  CHECK(c.line(RunChart::Failures, prefix + "reset") == nullptr);  // no reset failed a request
}

// One legend entry per line, however many segments it has (the chart shown: a marker of a
// hidden chart is not visible).
int visible_markers(const RunCharts& c, RunChart chart, const QString& name) {
  QChartView* view = c.views()[static_cast<std::size_t>(chart)];
  view->show();
  lvs::test::pump(0);
  int n = 0;
  for (QLegendMarker* m : view->chart()->legend()->markers())
    if (m->label() == name && m->isVisible()) ++n;
  view->hide();
  return n;
}

}  // namespace

TEST_CASE("run charts: an interval with nothing completed is a gap, not 0, drawn or live", "[gui][charts]") {
  app();
  const lvs::run::RunResult r = gappy_run();
  RunCharts drawn;
  drawn.show(r, nullptr);
  check_gappy(drawn, QString());
  CHECK(visible_markers(drawn, RunChart::Latency, QStringLiteral("p50")) == 1);

  RunCharts live;
  live.begin_run({}, r.sim_time_s, r.warmup_s, nullptr);
  for (const Sample& s : r.series) live.add_sample(s);
  check_gappy(live, QString());
  CHECK(visible_markers(live, RunChart::Latency, QStringLiteral("p50")) == 1);
}

TEST_CASE("run charts: samples drawn in batches give the lines sample by sample gives", "[gui][charts]") {
  app();
  const lvs::run::RunResult r = gappy_run();
  const std::vector<Sample>& all = r.series;
  // One batch; and two that split a gap in p50 and start the timeout line (first failure at
  // 3 s) in the middle of the first.
  for (const std::vector<std::vector<Sample>>& batches :
       {std::vector<std::vector<Sample>>{all},
        std::vector<std::vector<Sample>>{{all[0], all[1], all[2]}, {all[3], all[4]}},
        std::vector<std::vector<Sample>>{{all[0]}, {all[1], all[2], all[3]}, {}, {all[4]}}}) {
    RunCharts live;
    live.begin_run({}, r.sim_time_s, r.warmup_s, nullptr);
    for (const std::vector<Sample>& b : batches) live.add_samples(b);
    check_gappy(live, QString());
  }
}

// Every series of chart `c`, in the order drawn (the legend's), with its points.
std::vector<std::pair<QString, QList<QPointF>>> drawn_series(const RunCharts& c, RunChart chart) {
  std::vector<std::pair<QString, QList<QPointF>>> out;
  for (QAbstractSeries* s : c.chart(chart)->series())
    if (auto* line = qobject_cast<QLineSeries*>(s)) out.emplace_back(line->name(), line->points());
  return out;
}

TEST_CASE("run charts: a run that streamed its samples ends with the lines show() draws from its result",
          "[gui][charts]") {
  app();
  lvs::run::RunResult r = gappy_run();
  // Unreachable at 2 s, before the timeouts of 3 s, and a reset at 4 s: the lines come in the
  // order the reasons first failed, not in enum order (timeout, reset, unreachable).
  using lvs::FailReason;
  const auto index = [](FailReason f) { return static_cast<std::size_t>(f); };
  r.series[1].failed_by_reason[index(FailReason::Unreachable)] = 2;
  r.series[3].failed_by_reason[index(FailReason::Reset)] = 1;
  REQUIRE(lvs::gui::failure_reasons(r.series) ==
          std::vector<std::size_t>{index(FailReason::Unreachable), index(FailReason::Timeout), index(FailReason::Reset)});
  RunCharts drawn;
  drawn.show(r, nullptr);
  for (std::size_t streamed = 0; streamed <= r.series.size(); ++streamed) {
    INFO(streamed << " samples streamed before the end");
    RunCharts live;
    live.begin_run({}, r.sim_time_s, r.warmup_s, nullptr);
    live.add_samples(std::vector<Sample>(r.series.begin(), r.series.begin() + static_cast<std::ptrdiff_t>(streamed)));
    live.finish_run(r, nullptr);
    for (RunChart chart : {RunChart::Throughput, RunChart::Latency, RunChart::Failures})
      CHECK(drawn_series(live, chart) == drawn_series(drawn, chart));
    CHECK(live.chart(RunChart::Failures)->title() == drawn.chart(RunChart::Failures)->title());
  }
}

TEST_CASE("run charts: the overlay has the same gaps, under its own name", "[gui][charts]") {
  app();
  const lvs::run::RunResult r = gappy_run();
  RunCharts c;
  c.show(r, &r, QStringLiteral("baseline"));
  check_gappy(c, QString());
  check_gappy(c, QStringLiteral("baseline "));
  CHECK(c.line(RunChart::Throughput, "baseline throughput")->segments().front()->pen().style() == Qt::CustomDashLine);
}

TEST_CASE("run charts: failures by reason over time equal the samples' failed_by_reason", "[gui][charts]") {
  app();
  lvs::gui::MainWindow w(scenario_path("nat-no-ip-forward.yaml"));
  REQUIRE(w.loaded());
  w.start();
  REQUIRE(wait_for(&w, &lvs::gui::MainWindow::redrawn));
  const lvs::run::RunResult& r = *w.last_result();
  REQUIRE(r.requests.completed == 0);
  REQUIRE(r.requests.failed_total() > 0);
  std::size_t lines = 0;
  for (std::size_t k = 0; k < lvs::kFailReasons; ++k) {
    const QString name = QString::fromLatin1(lvs::fail_reason_name(static_cast<lvs::FailReason>(k)));
    const GapLine* line = w.charts()->line(RunChart::Failures, name);
    INFO(name.toStdString());
    if (r.requests.failed[k] == 0) {
      CHECK(line == nullptr);
      continue;
    }
    REQUIRE(line != nullptr);
    ++lines;
    QList<QPointF> expected;
    for (const Sample& s : r.series)
      if (s.time_s > r.warmup_s) expected.append(QPointF(s.time_s, static_cast<double>(s.failed_by_reason[k])));
    CHECK(line->points() == expected);
  }
  CHECK(lines >= 1);
  // Nothing completed: no latency anywhere, not a line along 0.
  CHECK(w.charts()->line(RunChart::Latency, QStringLiteral("p99"))->points().isEmpty());
}

TEST_CASE("m4: per column of x, the first, lowest, highest and last point in their order", "[gui][charts]") {
  using lvs::gui::m4;
  // Column [0, 5): y 3 1 7 2 5; column [5, 10): a flat 4; column [10, 15): one point.
  const QList<QPointF> points = pts({{0, 3}, {1, 1}, {2, 7}, {3, 2}, {4, 5}, {5, 4}, {6, 4}, {7, 4}, {8, 4},
                                     {9, 4}, {12, 8}});
  CHECK(m4(points, 5) == pts({{0, 3}, {1, 1}, {2, 7}, {4, 5}, {5, 4}, {9, 4}, {12, 8}}));
  // The highest before the lowest keeps that order; a first or last that is the extreme is not repeated.
  CHECK(m4(pts({{0, 9}, {1, 5}, {2, 0}, {3, 4}, {4, 6}}), 5) == pts({{0, 9}, {2, 0}, {4, 6}}));
  CHECK(m4(points, 0) == points);    // no step: every point
  CHECK(m4(points, 0.5) == points);  // a column per point
  CHECK(m4(pts({{0, 1}, {1, 2}, {2, 3}}), 100) == pts({{0, 1}, {1, 2}, {2, 3}}));  // four or fewer: as they are
}

TEST_CASE("run charts: a 2 h run draws at most four points per pixel column, and its CSV has every sample",
          "[gui][charts]") {
  app();
  lvs::run::RunResult r;
  r.sim_time_s = 7200;
  r.warmup_s = 0;
  for (int t = 1; t <= 7200; ++t)  // a saw tooth: every column has its own lowest and highest
    r.series.push_back(sample(t, 100 + t % 7 * 10, 0, 4));
  RunCharts c;
  QChartView* view = c.views()[static_cast<std::size_t>(RunChart::Throughput)];
  view->resize(600, 400);
  view->show();
  c.show(r, nullptr);
  lvs::test::pump(0);
  const QChart* chart = c.chart(RunChart::Throughput);
  const double width = chart->plotArea().width();
  REQUIRE(width > 100);
  const GapLine* throughput = c.line(RunChart::Throughput, QStringLiteral("throughput"));
  REQUIRE(throughput != nullptr);
  REQUIRE(throughput->segments().size() == 1);
  const QLineSeries* drawn = throughput->segments().front();
  CHECK(drawn->count() <= 4 * (static_cast<int>(width) + 1));
  CHECK(drawn->count() >= 2 * static_cast<int>(width) - 2);  // a saw tooth has a distinct low and high in each
  CHECK(throughput->points().size() == 7200);                // all of them kept
  CHECK(drawn->points() == lvs::gui::m4(throughput->points(), 7200 / width));
  // Its top and bottom, and the ends, are drawn.
  const QList<QPointF> on_screen = drawn->points();
  const auto [low, high] = std::minmax_element(on_screen.begin(), on_screen.end(),
                                               [](QPointF a, QPointF b) { return a.y() < b.y(); });
  CHECK(low->y() == 100);
  CHECK(high->y() == 160);
  CHECK(on_screen.front() == QPointF(1, 110));
  CHECK(on_screen.back() == QPointF(7200, 100 + 7200 % 7 * 10));
  // The CSV has a row per sample (and the header), not per drawn point.
  const QString csv = lvs::gui::chart_csv(*chart);
  CHECK(csv.count('\n') == 7201);
  CHECK(csv.contains(QStringLiteral("throughput,3,130\n")));  // a sample m4 does not draw
  view->hide();
}
