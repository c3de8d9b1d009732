// Numbers that never mislead: the formatting helper, and the topology's load labels, caption
// and legend that use it.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "gui_fixture.hpp"
#include "number_text.hpp"
#include "scenario/scenario_spec.hpp"
#include "topology_view.hpp"

namespace {

using lvs::gui::number_text;
using lvs::gui::percent_text;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

TEST_CASE("number text: no -0, no nan, a small positive value is not shown as 0", "[gui][numbers]") {
  CHECK(percent_text(-0.0) == QStringLiteral("0%"));
  CHECK(percent_text(-0.004) == QStringLiteral("0%"));  // printf's "%.0f" gives "-0"
  CHECK(percent_text(0.0) == QStringLiteral("0%"));
  CHECK(percent_text(0.0004) == QStringLiteral("<1%"));
  CHECK(percent_text(0.0004, 1) == QStringLiteral("<0.1%"));
  CHECK(percent_text(0.0004, 2) == QStringLiteral("0.04%"));
  CHECK(percent_text(0.005) == QStringLiteral("1%"));  // 0.5% rounds up to 1: shown
  CHECK(percent_text(0.52) == QStringLiteral("52%"));
  CHECK(percent_text(1.25) == QStringLiteral("125%"));
  CHECK(percent_text(-0.25) == QStringLiteral("-25%"));
  CHECK(percent_text(kNaN) == QStringLiteral("n/a"));
  CHECK(percent_text(kInf) == QStringLiteral("∞%"));
  CHECK(number_text(-0.0, 3) == QStringLiteral("0"));
  CHECK(number_text(0.0004, 3) == QStringLiteral("<0.001"));
  CHECK(number_text(0.0004, 4) == QStringLiteral("0.0004"));
  CHECK(number_text(-0.0004, 3) == QStringLiteral("0"));
  CHECK(number_text(kNaN, 1) == QStringLiteral("n/a"));
  CHECK(number_text(kInf, 1) == QStringLiteral("∞"));
  CHECK(number_text(-kInf, 1) == QStringLiteral("-∞"));
  CHECK(number_text(10.0, 1) == QStringLiteral("10.0"));
}

TEST_CASE("topology: load labels never say -0% or nan, the caption names the sample, the legend its colours",
          "[gui][numbers]") {
  lvs::test::app();
  lvs::gui::TopologyView view;
  view.set_topology(lvs::scenario::read_scenario(lvs::test::scenario_path("nat-basic.yaml")));
  CHECK(view.load_caption().isEmpty());  // no run: coloured by kind, nothing to explain
  lvs::run::SeriesLayout layout;
  layout.servers = {"rs1", "rs2"};
  layout.directors = {"director"};
  lvs::run::Sample s;
  s.time_s = 7;
  s.server_utilization = {-0.0, 0.0004};
  s.director_cpu = {kNaN};
  view.set_load(layout, s);
  CHECK(view.node_text("rs1").contains(QStringLiteral("util 0%")));
  CHECK(view.node_text("rs2").contains(QStringLiteral("util <1%")));
  CHECK(view.node_text("director").contains(QStringLiteral("cpu n/a")));
  for (const std::string& name : view.node_names()) {
    CHECK_FALSE(view.node_text(name).contains(QStringLiteral("-0")));
    CHECK_FALSE(view.node_text(name).contains(QStringLiteral("nan")));
  }
  CHECK(view.load_caption() == lvs::gui::load_caption(7));
  CHECK(view.load_caption().startsWith(
      QStringLiteral("Load in the sample at 7.0 s (its interval only, not the whole run)")));
  const auto legend = lvs::gui::TopologyView::load_legend();
  REQUIRE(legend.size() == 3);
  CHECK(legend.front().second == QStringLiteral("0%"));
  CHECK(legend.back().second == QStringLiteral("100% or more"));
  CHECK(legend.front().first == QColor(22, 163, 74));  // green: idle
  CHECK(legend.back().first == QColor(220, 38, 38));   // red: saturated
  view.clear_load();
  CHECK(view.load_caption().isEmpty());
}
