// The overlay named and pinnable, and the strip over the charts: lesson, warnings, overlay.

#include <catch2/catch.hpp>

#include <QAction>
#include <QDoubleSpinBox>
#include <QComboBox>

#include <string>
#include <vector>

#include "gui_fixture.hpp"
#include "main_window.hpp"
#include "overlay_label.hpp"
#include "run_banner.hpp"
#include "run_charts.hpp"
#include "scenario_editor.hpp"

namespace {

using lvs::gui::MainWindow;
using lvs::gui::RunChart;
using lvs::test::app;
using lvs::test::scenario_path;
using lvs::test::wait_for;

// The throughput the charts draw for `r` (after its warm-up) as run_lines makes it.
QList<QPointF> measured_throughput(const lvs::run::RunResult& r) {
  QList<QPointF> out;
  for (const lvs::run::Sample& s : r.series)
    if (s.time_s > r.warmup_s) out.append(QPointF(s.time_s, s.throughput_rps));
  return out;
}

}  // namespace

TEST_CASE("overlay: the caption names the settings that tell the overlay's run apart", "[gui][overlay]") {
  lvs::scenario::ScenarioSpec a = lvs::scenario::read_scenario(scenario_path("nat-basic.yaml"));
  lvs::scenario::ScenarioSpec b = a;
  CHECK(lvs::gui::overlay_caption(false, a, b) == QStringLiteral("previous run (same settings)"));
  b.services.front().scheduler = "wlc";
  CHECK(lvs::gui::overlay_caption(false, a, b) == QStringLiteral("previous run (scheduler=rr)"));
  b.workload.clients.front().rate.front().rate = 250;
  b.services.front().destinations.front().weight = 3;
  CHECK(lvs::gui::overlay_caption(true, a, b) ==
        QStringLiteral("baseline, pinned (scheduler=rr, rate=500, weights=1:1)"));
  b.seed = 9;
  CHECK(lvs::gui::overlay_differences(a, b, 3) ==
        QStringList{"scheduler=rr", "rate=500", "weights=1:1", QStringLiteral("…")});
}

TEST_CASE("overlay: a pinned baseline stays the overlay across later runs until unpinned", "[gui][overlay]") {
  app();
  MainWindow w(scenario_path("nat-basic.yaml"), {"duration=2s"});
  REQUIRE(w.loaded());
  CHECK_FALSE(w.pin_action()->isEnabled());  // nothing to pin before a run
  w.start();
  REQUIRE(wait_for(&w, &MainWindow::redrawn));
  const lvs::run::RunResult first = *w.last_result();
  REQUIRE(w.pin_action()->isEnabled());
  w.pin_action()->trigger();
  REQUIRE(w.baseline().has_value());
  CHECK(w.baseline()->fingerprint == first.fingerprint);

  w.scheduler_combo()->setCurrentText(QStringLiteral("wlc"));  // second run
  REQUIRE(wait_for(&w, &MainWindow::redrawn));
  const lvs::run::RunResult second = *w.last_result();
  w.rate_spin()->setValue(250.0);  // third run: without the pin, the second would be the overlay
  REQUIRE(wait_for(&w, &MainWindow::redrawn));
  REQUIRE(w.previous_result()->fingerprint == second.fingerprint);
  REQUIRE(w.overlay_result() != nullptr);
  CHECK(w.overlay_result()->fingerprint == first.fingerprint);
  const lvs::gui::GapLine* baseline = w.charts()->line(RunChart::Throughput, QStringLiteral("baseline throughput"));
  REQUIRE(baseline != nullptr);
  CHECK(baseline->points() == measured_throughput(first));
  CHECK(w.charts()->line(RunChart::Throughput, QStringLiteral("previous throughput")) == nullptr);
  CHECK(w.banner()->overlay_shown().endsWith(QStringLiteral("baseline, pinned (scheduler=rr, rate=500)")));

  w.pin_action()->trigger();  // unpinned: the run before the last is the overlay again
  CHECK_FALSE(w.baseline().has_value());
  CHECK(w.overlay_result()->fingerprint == second.fingerprint);
  const lvs::gui::GapLine* previous = w.charts()->line(RunChart::Throughput, QStringLiteral("previous throughput"));
  REQUIRE(previous != nullptr);
  CHECK(previous->points() == measured_throughput(second));
  CHECK(w.banner()->overlay_shown().endsWith(QStringLiteral("previous run (rate=500)")));
}

TEST_CASE("banner: a lesson's text and validate's warnings are on the first tab", "[gui][banner]") {
  app();
  MainWindow w(scenario_path("nat-no-ip-forward.yaml"), {"duration=2s"});
  REQUIRE(w.loaded());
  CHECK(w.tabs()->currentIndex() == static_cast<int>(MainWindow::Tab::OverTime));
  const QString lesson = lvs::gui::lesson_of(w.editor()->text());
  CHECK(lesson.startsWith(QStringLiteral("an LVS-NAT director without ip_forward. IPVS takes")));
  CHECK(lesson.endsWith(QStringLiteral("while the real servers see the SYNs and answer them.")));
  CHECK_FALSE(lesson.contains(QLatin1Char('#')));
  CHECK(w.banner()->lesson() == lesson);
  CHECK(w.banner()->lesson_shown().contains(QStringLiteral("an LVS-NAT director without ip_forward.")));
  // The editor's footer warnings, the same text.
  REQUIRE(w.editor()->warnings().size() == 1);
  CHECK(w.editor()->warnings().front().contains(QStringLiteral("ip_forward")));
  CHECK(w.banner()->warnings_shown().contains(w.editor()->warnings().front().toHtmlEscaped()));
  CHECK(w.banner()->overlay_shown().isEmpty());  // no run yet, no overlay

  MainWindow plain(scenario_path("nat-basic.yaml"));  // no lesson, no warning: nothing shown
  CHECK(plain.banner()->lesson_shown().isEmpty());
  CHECK(plain.banner()->warnings_shown().isEmpty());
  CHECK(lvs::gui::lesson_of(QStringLiteral("# LVS-NAT, the classic\nname: x\n")).isEmpty());
}
