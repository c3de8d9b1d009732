#include <catch2/catch.hpp>

#include <QApplication>
#include <QChart>
#include <QLineSeries>

#include "gui_fixture.hpp"
#include "metrics/queueing.hpp"
#include "theory_window.hpp"

using lvs::test::app;
using lvs::test::series_named;

TEST_CASE("the what-if chart redraws with the Erlang C figures of the chosen cluster", "[gui]") {
  app();
  lvs::gui::TheoryWindow window;
  window.set_inputs(10, 1000.0);  // c = 10, mean service 1 s
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
  window.set_inputs(1, 10.0);  // M/M/1, 10 ms: W = 10 ms / (1 - rho)
  mean = series_named(window.chart(), QStringLiteral("mean"));
  REQUIRE(mean != nullptr);
  CHECK(mean->at(48).y() == Approx(20.0));  // rho = 0.5
}
