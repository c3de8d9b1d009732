#include <catch2/catch.hpp>

#include <QChart>
#include <QChartView>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>

#include <string>
#include <utility>
#include <vector>

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
