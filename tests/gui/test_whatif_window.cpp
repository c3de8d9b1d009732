#include <catch2/catch.hpp>

#include <QApplication>
#include <QChart>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLineSeries>
#include <QTimer>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "gui_fixture.hpp"
#include "run_worker.hpp"
#include "whatif_window.hpp"

namespace {

using lvs::test::app;
using lvs::test::series_named;

using lvs::gui::RunWorker;
using lvs::gui::WhatIfWindow;

constexpr int kTimeoutMs = 30000;  // wall time allowed for one event; runs take far less

std::string scenario_path(const std::string& file) { return std::string(LVSLAB_SOURCE_DIR) + "/scenarios/" + file; }

// Runs the event loop until `sender` emits `signal` or `timeout_ms` pass; true if it emitted.
template <typename Sender, typename Signal>
bool wait_for(const Sender* sender, Signal signal, int timeout_ms = kTimeoutMs) {
  QEventLoop loop;
  bool fired = false;
  QObject::connect(sender, signal, &loop, [&] {
    fired = true;
    loop.quit();
  });
  QTimer::singleShot(timeout_ms, &loop, &QEventLoop::quit);
  loop.exec();
  return fired;
}

// Runs the event loop for `ms` milliseconds.
void pump(int ms) {
  QEventLoop loop;
  QTimer::singleShot(ms, &loop, &QEventLoop::quit);
  loop.exec();
}

// The series holds exactly one point per sample: (time_s, sample.*field).
void check_series(const QChart* chart, const QString& name, const lvs::run::RunResult& r,
                  double lvs::run::Sample::*field) {
  INFO("series " << name.toStdString());
  const QLineSeries* s = series_named(chart, name);
  REQUIRE(s != nullptr);
  REQUIRE(s->count() == static_cast<int>(r.series.size()));
  for (std::size_t i = 0; i < r.series.size(); ++i) {
    const QPointF p = s->at(static_cast<int>(i));
    CHECK(p.x() == r.series[i].time_s);
    CHECK(p.y() == r.series[i].*field);
  }
}

void check_run_drawn(const WhatIfWindow& w, const lvs::run::RunResult& r, const QString& prefix) {
  check_series(w.throughput_chart(), prefix + QStringLiteral("throughput"), r, &lvs::run::Sample::throughput_rps);
  check_series(w.latency_chart(), prefix + QStringLiteral("p50"), r, &lvs::run::Sample::latency_p50_ms);
  check_series(w.latency_chart(), prefix + QStringLiteral("p99"), r, &lvs::run::Sample::latency_p99_ms);
}

const std::vector<std::string> kShort{"duration=2s"};

}  // namespace

TEST_CASE("what-if: a run of nat-basic draws the run's throughput and latency samples", "[gui][whatif]") {
  app();
  WhatIfWindow w(scenario_path("nat-basic.yaml"), kShort);
  REQUIRE(w.loaded());
  CHECK(w.scheduler_combo()->currentText() == QStringLiteral("wrr"));
  CHECK(w.rate_spin()->value() == 500.0);
  w.start();
  CHECK(w.running());
  REQUIRE(wait_for(&w, &WhatIfWindow::redrawn));
  CHECK_FALSE(w.running());
  REQUIRE(w.last_result().has_value());
  const lvs::run::RunResult& r = *w.last_result();
  CHECK(r.sim_time_s == 2.0);
  REQUIRE(r.series.size() == 2);  // sample_interval 1s
  CHECK(r.series.back().throughput_rps > 0);
  check_run_drawn(w, r, QString());
  CHECK(series_named(w.throughput_chart(), QStringLiteral("previous throughput"))->count() == 0);
  CHECK(w.status_text().contains(QStringLiteral("req/s")));
}

TEST_CASE("what-if: changing the scheduler re-runs and keeps the previous run as a faint overlay", "[gui][whatif]") {
  app();
  WhatIfWindow w(scenario_path("nat-basic.yaml"), kShort);
  REQUIRE(w.loaded());
  w.start();
  REQUIRE(wait_for(&w, &WhatIfWindow::redrawn));
  const lvs::run::RunResult first = *w.last_result();

  QElapsedTimer clock;
  clock.start();
  w.scheduler_combo()->setCurrentText(QStringLiteral("rr"));
  CHECK(w.spec().services.front().scheduler == "rr");
  REQUIRE(wait_for(&w, &WhatIfWindow::redrawn));
  WARN("control change to redraw, nat-basic 2 s simulated (200 ms debounce included): "
       << clock.elapsed() << " ms wall");
  const lvs::run::RunResult second = *w.last_result();
  check_run_drawn(w, second, QString());
  check_run_drawn(w, first, QStringLiteral("previous "));
  CHECK(series_named(w.throughput_chart(), QStringLiteral("previous throughput"))->pen().color().alpha() < 100);
  CHECK(series_named(w.throughput_chart(), QStringLiteral("throughput"))->pen().color().alpha() == 255);

  // The rate: every step of the first client scales; the run uses the new rate.
  w.rate_spin()->setValue(250.0);
  REQUIRE(w.spec().workload.clients.front().rate.front().rate == 250.0);
  REQUIRE(wait_for(&w, &WhatIfWindow::redrawn));
  CHECK(w.last_result()->series.back().throughput_rps < first.series.back().throughput_rps);
  check_run_drawn(w, second, QStringLiteral("previous "));
}

TEST_CASE("what-if: a long run can be cancelled and the window stops running", "[gui][whatif]") {
  app();
  WhatIfWindow w(scenario_path("nat-basic.yaml"), {"duration=600s"});
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

TEST_CASE("what-if: a new start cancels the run in flight and only the newest result is drawn", "[gui][whatif]") {
  app();
  WhatIfWindow w(scenario_path("nat-basic.yaml"), {"duration=600s"});
  REQUIRE(w.loaded());
  w.start();  // long: superseded below
  const auto superseded = w.worker()->generation();
  int cancelled = 0;
  QObject::connect(w.worker(), &RunWorker::cancelled, [&] { ++cancelled; });
  WhatIfWindow short_run(scenario_path("nat-basic.yaml"), kShort);
  w.worker()->start(short_run.spec());
  CHECK(w.worker()->generation() == superseded + 1);
  REQUIRE(wait_for(&w, &WhatIfWindow::redrawn));
  CHECK(w.last_result()->sim_time_s == 2.0);
  pump(100);
  CHECK(cancelled == 0);  // the superseded run's cancellation is not reported
  CHECK_FALSE(w.running());
}

TEST_CASE("what-if: fullnat without local addresses shows the validation error and starts no run", "[gui][whatif]") {
  app();
  WhatIfWindow w(scenario_path("nat-basic.yaml"), kShort);
  REQUIRE(w.loaded());
  const auto generation = w.worker()->generation();
  w.method_combo()->setCurrentText(QStringLiteral("fullnat"));
  CHECK(w.method_error().contains(QStringLiteral("error:")));
  CHECK(w.status_text().startsWith(QStringLiteral("not run: ")));
  pump(400);  // past the debounce
  CHECK_FALSE(w.running());
  CHECK(w.worker()->generation() == generation);
  CHECK(w.spec().services.front().destinations.front().method == lvs::scenario::Method::Nat);
  w.method_combo()->setCurrentText(QStringLiteral("nat"));  // valid again: runs
  CHECK(w.method_error().isEmpty());
  REQUIRE(wait_for(&w, &WhatIfWindow::redrawn));
}

TEST_CASE("what-if: every bundled scenario loads into the window", "[gui][whatif]") {
  app();
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(LVSLAB_SOURCE_DIR) + "/scenarios"))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().filename().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 10);
  for (const std::string& file : files) {
    INFO(file);
    const lvs::scenario::ScenarioSpec spec = lvs::scenario::read_scenario(scenario_path(file));
    WhatIfWindow w(scenario_path(file));
    CHECK(w.loaded());
    CHECK_FALSE(w.status_text().startsWith(QStringLiteral("cannot load")));
    CHECK(w.scheduler_combo()->currentText().toStdString() == spec.services.front().scheduler);
    CHECK_FALSE(w.running());
  }
}
