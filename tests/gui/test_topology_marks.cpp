// The topology's state marks agree with the Timeline tab's lanes; the storage tier's mounts
// are drawn from the scenario.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "gui_fixture.hpp"
#include "main_window.hpp"
#include "run_worker.hpp"
#include "timeline_panel.hpp"
#include "topology_marks.hpp"
#include "topology_view.hpp"
#include "window_runs.hpp"

namespace {

using lvs::gui::MainWindow;
using lvs::test::app;
using lvs::test::run_to_end;
using lvs::test::scenario_path;
using lvs::test::wait_for;

}  // namespace

TEST_CASE("topology marks: the master director at the end, and the director that was down and when",
          "[gui][timeline][topology]") {
  app();
  MainWindow w(scenario_path("failover-director.yaml"));
  run_to_end(w);
  // lvs1 powered off at 20 s, booted at 40 s and took the VIP back at 41.004 s (the summary).
  CHECK(lvs::gui::badge_text(*w.topology(), "lvs1") == QStringLiteral("VRRP MASTER; down 20.0–40.0 s"));
  CHECK(lvs::gui::badge_text(*w.topology(), "lvs2") == QStringLiteral("BACKUP"));
  CHECK(lvs::gui::badge_text(*w.topology(), "web1").isEmpty());  // up throughout
  CHECK(lvs::gui::mounted_servers(*w.topology()).empty());       // no storage tier
  // A new run takes the marks away until it ends.
  w.start();
  REQUIRE(wait_for(w.worker(), &lvs::gui::RunWorker::started));
  CHECK(lvs::gui::badge_text(*w.topology(), "lvs1").isEmpty());
  REQUIRE(wait_for(&w, &MainWindow::redrawn));
}

TEST_CASE("topology marks: the NFS server, its mounts and its outage", "[gui][timeline][topology]") {
  app();
  MainWindow w(scenario_path("nfs-spof.yaml"), {"duration=65s"});
  CHECK(lvs::gui::badge_text(*w.topology(), "nfs1") == QStringLiteral("NFS server"));  // from the scenario alone
  CHECK(lvs::gui::mounted_servers(*w.topology()) == std::vector<std::string>{"web1", "web2"});
  run_to_end(w);
  CHECK(lvs::gui::badge_text(*w.topology(), "nfs1") == QStringLiteral("NFS server; down 30.0–60.0 s"));
  CHECK(lvs::gui::badge_text(*w.topology(), "lvs1") == QStringLiteral("VRRP MASTER"));
}

TEST_CASE("topology marks: a lane's trouble lists its intervals, at most three", "[gui][timeline][topology]") {
  lvs::gui::Lane lane;
  lane.kind = lvs::gui::Lane::Kind::Server;
  lane.name = "rs1";
  lane.spans = {{0, 1, "up", ""},      {1, 2, "down", ""}, {2, 3, "removed", ""}, {3, 4, "up", ""},
                {4, 5, "weight 0", ""}, {5, 6, "down", ""}, {6, 7, "up", ""}};
  CHECK(lvs::gui::trouble_text(lane) == "down 1.0–2.0 s, removed 2.0–3.0 s, weight 0 4.0–5.0 s, +1 more");
  lane.spans = {{0, 10, "up", ""}};
  CHECK(lvs::gui::trouble_text(lane).empty());
}
