#include <catch2/catch.hpp>

#include <QChart>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QLineSeries>
#include <QTabWidget>

#include <algorithm>
#include <string>
#include <vector>

#include "failover_marks.hpp"
#include "gui_fixture.hpp"
#include "main_window.hpp"
#include "run/failover_output.hpp"
#include "run/number_text.hpp"
#include "run_charts.hpp"
#include "run_worker.hpp"
#include "timeline_lanes.hpp"
#include "timeline_panel.hpp"
#include "window_runs.hpp"

namespace {

using lvs::test::app;
using lvs::test::run_to_end;
using lvs::test::scenario_path;
using lvs::test::series_named;
using lvs::test::wait_for;

using lvs::gui::FailoverMark;
using lvs::gui::Lane;
using lvs::gui::LanesView;
using lvs::gui::MainWindow;

const Lane& lane_named(const std::vector<Lane>& lanes, const std::string& name) {
  const auto it = std::find_if(lanes.begin(), lanes.end(), [&](const Lane& l) { return l.name == name; });
  REQUIRE(it != lanes.end());
  return *it;
}

std::vector<const QGraphicsItem*> items_of(const LanesView& view, const QString& what) {
  std::vector<const QGraphicsItem*> out;
  for (const QGraphicsItem* item : view.scene()->items())
    if (item->data(LanesView::kWhatKey).toString() == what) out.push_back(item);
  return out;
}

}  // namespace

TEST_CASE("timeline tab: one tick per record of the run's timeline, at its time, hover = the summary's line",
          "[gui][timeline]") {
  app();
  MainWindow w(scenario_path("failover-realserver.yaml"));
  run_to_end(w);
  const lvs::run::RunResult& r = *w.last_result();
  REQUIRE(r.timeline.size() == 39);
  const LanesView& view = *w.timeline()->lanes_view();
  std::vector<std::size_t> entries;
  for (const Lane& lane : view.lanes())
    for (const lvs::gui::LaneMark& m : lane.marks) {
      entries.push_back(m.entry);
      CHECK(m.time_s == r.timeline[m.entry].time_s);
    }
  std::sort(entries.begin(), entries.end());
  std::vector<std::size_t> all(r.timeline.size());
  for (std::size_t k = 0; k < all.size(); ++k) all[k] = k;
  CHECK(entries == all);  // every record exactly once
  const std::vector<const QGraphicsItem*> ticks = items_of(view, QStringLiteral("mark"));
  REQUIRE(ticks.size() == r.timeline.size());
  for (const QGraphicsItem* tick : ticks) {
    const auto k = tick->data(LanesView::kIndexKey).toULongLong();
    CHECK(tick->toolTip().toStdString() ==
          lvs::run::fixed(r.timeline[k].time_s, 3) + " s  " + lvs::run::timeline_line(r.timeline[k]));
  }
  // The crash of web2 is on web2's lane; its checker records ("[192.168.1.102]:80") too.
  const Lane& web2 = lane_named(view.lanes(), "web2");
  CHECK(std::any_of(web2.marks.begin(), web2.marks.end(),
                    [&](const lvs::gui::LaneMark& m) { return r.timeline[m.entry].event == "realserver-down"; }));
}

TEST_CASE("timeline tab: real server lanes follow the log: down at the crash, removed until re-added",
          "[gui][timeline]") {
  app();
  MainWindow w(scenario_path("failover-realserver.yaml"));
  run_to_end(w);
  const std::vector<Lane>& lanes = w.timeline()->lanes_view()->lanes();
  // The scenario: crash web2 at 20 s, recover at 40 s; stop web1's service at 45 s, start at 52 s.
  // keepalived re-adds web2 on lvs1's check at 41.811 s and on lvs2's at 42.474 s (the summary's
  // timeline): removed while any director's checker has it out.
  const Lane& web2 = lane_named(lanes, "web2");
  CHECK(lvs::gui::state_at(web2, 19.9) == "up");
  CHECK(lvs::gui::state_at(web2, 20.0) == "down");
  CHECK(lvs::gui::state_at(web2, 39.9) == "down");
  CHECK(lvs::gui::state_at(web2, 40.0) == "removed");
  CHECK(lvs::gui::state_at(web2, 41.8) == "removed");
  CHECK(lvs::gui::state_at(web2, 42.47) == "removed");
  CHECK(lvs::gui::state_at(web2, 42.48) == "up");
  const Lane& web1 = lane_named(lanes, "web1");
  CHECK(lvs::gui::state_at(web1, 44.9) == "up");
  CHECK(lvs::gui::state_at(web1, 45.0) == "down");
  CHECK(lvs::gui::state_at(web1, 52.0) == "removed");  // lvs2's checker took it out at 50.41 s
  CHECK(lvs::gui::state_at(web1, 57.0) == "up");        // and put it back at 56.41 s
  CHECK(web2.spans.front().from_s == 0.0);
  CHECK(web2.spans.back().to_s == w.last_result()->sim_time_s);
}

TEST_CASE("timeline tab: the master lane agrees with every sample's vrrp_master", "[gui][timeline]") {
  app();
  MainWindow w(scenario_path("failover-director.yaml"));
  run_to_end(w);
  const lvs::run::RunResult& r = *w.last_result();
  REQUIRE(r.vrrp_instances == std::vector<std::string>{"VI_1"});
  const Lane& master = lane_named(w.timeline()->lanes_view()->lanes(), "VI_1");
  CHECK(master.kind == Lane::Kind::Master);
  for (const lvs::run::Sample& s : r.series) {
    INFO("sample at " << s.time_s);
    CHECK(lvs::gui::state_at(master, s.time_s) == (s.vrrp_master.front().empty() ? "none" : s.vrrp_master.front()));
  }
  CHECK(lvs::gui::state_at(master, 30) == "lvs2");
  CHECK(lvs::gui::state_at(lane_named(w.timeline()->lanes_view()->lanes(), "lvs1"), 30) == "down");
}

TEST_CASE("timeline tab: the split brain has two masters", "[gui][timeline]") {
  app();
  MainWindow w(scenario_path("split-brain.yaml"));
  run_to_end(w);
  const lvs::run::RunResult& r = *w.last_result();
  const Lane& master = lane_named(w.timeline()->lanes_view()->lanes(), "VI_1");
  bool two = false;
  for (const lvs::run::Sample& s : r.series) {
    INFO("sample at " << s.time_s);
    CHECK(lvs::gui::state_at(master, s.time_s) == (s.vrrp_master.front().empty() ? "none" : s.vrrp_master.front()));
    two = two || s.vrrp_master.front() == "lvs1+lvs2";
  }
  CHECK(two);
}

TEST_CASE("timeline tab: an ipvsadm edit of the scenario's timeline puts the server at weight 0", "[gui][timeline]") {
  app();
  MainWindow w(scenario_path("persistence-drain.yaml"));
  run_to_end(w);
  const Lane& rs1 = lane_named(w.timeline()->lanes_view()->lanes(), "rs1");
  CHECK(lvs::gui::state_at(rs1, 3.9) == "up");
  CHECK(lvs::gui::state_at(rs1, 4.0) == "weight 0");  // {at: 4s, edit: rs1, weight: 0}
  CHECK(rs1.marks.empty());                          // not a record of keepalived's log
}

TEST_CASE("timeline tab: the NFS server has a lane, down from its crash to its recovery", "[gui][timeline]") {
  app();
  MainWindow w(scenario_path("nfs-spof.yaml"), {"duration=65s"});
  run_to_end(w);
  const Lane& nfs = lane_named(w.timeline()->lanes_view()->lanes(), "nfs1");
  CHECK(nfs.kind == Lane::Kind::Storage);
  CHECK(nfs.title == "nfs1 (nfs)");
  CHECK(lvs::gui::state_at(nfs, 29.9) == "up");
  CHECK(lvs::gui::state_at(nfs, 45) == "down");
  CHECK(lvs::gui::state_at(nfs, 61) == "up");
}

TEST_CASE("timeline tab: failed requests by reason per interval equal each sample's failed_by_reason",
          "[gui][timeline]") {
  app();
  MainWindow w(scenario_path("failover-realserver.yaml"));
  run_to_end(w);
  const lvs::run::RunResult& r = *w.last_result();
  const QChart* chart = w.timeline()->failures_chart();
  for (std::size_t k = 0; k < lvs::kFailReasons; ++k) {
    const QString name = QString::fromUtf8(lvs::fail_reason_name(static_cast<lvs::FailReason>(k)));
    std::uint64_t total = 0;
    for (const lvs::run::Sample& s : r.series) total += s.failed_by_reason[k];
    const QLineSeries* line = series_named(chart, name);
    INFO(name.toStdString());
    if (total == 0) {
      CHECK(line == nullptr);
      continue;
    }
    REQUIRE(line != nullptr);
    // As on the Over time page: the intervals of the warm-up were not measured (no point).
    std::size_t first = 0;
    while (first < r.series.size() && r.series[first].time_s <= r.warmup_s) ++first;
    REQUIRE(first > 0);
    REQUIRE(line->count() == static_cast<int>(r.series.size() - first));
    for (std::size_t i = first; i < r.series.size(); ++i)
      CHECK(line->at(static_cast<int>(i - first)) ==
            QPointF(r.series[i].time_s, double(r.series[i].failed_by_reason[k])));
    // The same colour as the reason's line on the Over time page.
    CHECK(line->color() == w.charts()->line(lvs::gui::RunChart::Failures, name)->segments().front()->color());
  }
  CHECK(series_named(chart, QStringLiteral("timeout")) != nullptr);  // web2 silent: connects time out
  CHECK(series_named(chart, QStringLiteral("reset")) != nullptr);    // web1 stopped: SYNs get RST
  // Shown, the lanes and the chart share one time axis: time 0 where the plot area starts.
  w.show_tab(MainWindow::Tab::Timeline);
  w.show();
  lvs::test::pump(100);
  CHECK(w.timeline()->lanes_view()->time_origin() == chart->plotArea().left());
  CHECK(chart->plotArea().left() >= 130);  // past the lane titles
  w.hide();
}

TEST_CASE("chart marks: the over-time charts mark each failover's failure, detection, takeover and recovery",
          "[gui][timeline]") {
  app();
  MainWindow w(scenario_path("failover-realserver.yaml"));
  run_to_end(w);
  const lvs::run::RunResult& r = *w.last_result();
  REQUIRE(r.failovers.size() == 2);
  std::vector<std::pair<double, FailoverMark::Kind>> expected;
  for (const lvs::run::FailoverResult& f : r.failovers) {
    expected.emplace_back(f.at_s, FailoverMark::Kind::Failure);
    if (f.detected_s) expected.emplace_back(*f.detected_s, FailoverMark::Kind::Detection);
    if (f.traffic_moved_s) expected.emplace_back(*f.traffic_moved_s, FailoverMark::Kind::Takeover);
    if (f.recovered_s) expected.emplace_back(*f.recovered_s, FailoverMark::Kind::Recovery);
  }
  // As the summary's Failovers table: web2's crash detected, moved and recovered; web1's stop
  // detected (by lvs2) and recovered, but its traffic never moved ("-": lvs1, the master, kept it).
  CHECK(expected.size() == 7);
  for (const QChart* chart : {w.throughput_chart(), w.latency_chart(), w.timeline()->failures_chart()}) {
    std::vector<std::pair<double, FailoverMark::Kind>> drawn;
    for (const FailoverMark& m : lvs::gui::marks_on(chart)) drawn.emplace_back(m.time_s, m.kind);
    CHECK(drawn == expected);
  }
  CHECK(lvs::gui::marks_on(w.charts()->chart(lvs::gui::RunChart::LatencyCdf)).empty());
  const std::string record = lvs::gui::failover_record_text(r.failovers.front());
  CHECK(record.rfind("crash of web2 at 20.000 s\ndetected 35.811 s", 0) == 0);
  // A new run takes the marks away until it ends.
  w.start();
  REQUIRE(wait_for(w.worker(), &lvs::gui::RunWorker::started));
  CHECK(lvs::gui::marks_on(w.throughput_chart()).empty());
  REQUIRE(wait_for(&w, &MainWindow::redrawn));
  CHECK(lvs::gui::marks_on(w.throughput_chart()).size() == 7);
}

TEST_CASE("timeline tab: a scenario without a control plane says so", "[gui][timeline]") {
  app();
  MainWindow w(scenario_path("nat-basic.yaml"), {"duration=2s"});
  run_to_end(w);
  CHECK(w.timeline()->summary_text().startsWith(QStringLiteral("No control plane")));
  CHECK(lvs::gui::marks_on(w.throughput_chart()).empty());
  CHECK(w.tabs()->tabText(static_cast<int>(MainWindow::Tab::Timeline)) == QStringLiteral("Timeline"));
}
