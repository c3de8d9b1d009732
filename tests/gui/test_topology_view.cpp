// The topology view: one box per host, segment and link of every bundled scenario, each
// host box showing its addresses, none overlapping, clients left of real servers; a sample
// shown as load fractions; the packet walk's hop marked.

#include <catch2/catch.hpp>

#include <QAbstractGraphicsShapeItem>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QPen>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "gui_fixture.hpp"
#include "scenario/scenario_spec.hpp"
#include "topology_view.hpp"

namespace {

namespace fs = std::filesystem;
using lvs::gui::TopologyView;
using lvs::test::app;
using lvs::test::bundled_scenarios;

lvs::scenario::ScenarioSpec scenario(const std::string& stem) {
  return lvs::scenario::read_scenario((fs::path(LVSLAB_SOURCE_DIR) / "scenarios" / (stem + ".yaml")).string());
}

// The boxes in the scene, by the name they carry (counting each name's boxes).
std::map<std::string, int> boxes_by_name(const TopologyView& view) {
  std::map<std::string, int> out;
  for (const QGraphicsItem* item : view.scene()->items())
    if (item->data(TopologyView::kKindKey).isValid())
      ++out[item->data(TopologyView::kNameKey).toString().toStdString()];
  return out;
}

const QAbstractGraphicsShapeItem* box_of(const TopologyView& view, const std::string& name) {
  for (QGraphicsItem* item : view.scene()->items())
    if (item->data(TopologyView::kKindKey).isValid() &&
        item->data(TopologyView::kNameKey).toString().toStdString() == name)
      return dynamic_cast<const QAbstractGraphicsShapeItem*>(item);
  return nullptr;
}

}  // namespace

TEST_CASE("topology: every bundled scenario draws one box per host, segment and link, with the addresses",
          "[gui][topology]") {
  app();
  const std::vector<fs::path> files = bundled_scenarios();
  REQUIRE(files.size() >= 10);
  for (const fs::path& file : files) {
    INFO(file.filename().string());
    const lvs::scenario::ScenarioSpec spec = lvs::scenario::read_scenario(file.string());
    TopologyView view;
    view.resize(1000, 600);
    view.set_topology(spec);
    const auto& t = spec.topology;
    std::map<std::string, int> expected;
    for (const auto& s : t.segments) ++expected[s.name];
    for (const auto& l : t.links) ++expected[l.name];
    for (const auto& h : t.hosts) ++expected[h.name];
    CHECK(boxes_by_name(view) == expected);
    CHECK(view.node_names().size() == t.segments.size() + t.links.size() + t.hosts.size());
    for (const auto& h : t.hosts) {
      const QString text = view.node_text(h.name);
      INFO(h.name << ":\n" << text.toStdString());
      CHECK(text.startsWith(QString::fromStdString(h.name)));
      for (const auto& i : h.interfaces) {
        CHECK(text.contains(QString::fromStdString(i.name + " " + i.address.str())));
        for (const auto& a : i.secondary) CHECK(text.contains(QString::fromStdString(a.str())));
      }
      if (h.kind == lvs::scenario::HostKind::Director)  // its CPU's profile: "kernel-ipvs, 6 cores"
        CHECK(text.contains(QString::fromStdString(h.cpu.profile + ", ")));
    }
  }
}

TEST_CASE("topology: no two boxes overlap, and every client is left of every real server", "[gui][topology]") {
  app();
  for (const fs::path& file : bundled_scenarios()) {
    INFO(file.filename().string());
    const lvs::scenario::ScenarioSpec spec = lvs::scenario::read_scenario(file.string());
    TopologyView view;
    view.set_topology(spec);
    const std::vector<std::string> names = view.node_names();
    for (std::size_t i = 0; i < names.size(); ++i)
      for (std::size_t j = i + 1; j < names.size(); ++j) {
        INFO(names[i] << " and " << names[j]);
        CHECK_FALSE(view.node_rect(names[i]).intersects(view.node_rect(names[j])));
      }
    for (const auto& c : spec.topology.hosts)
      for (const auto& s : spec.topology.hosts)
        if (c.kind == lvs::scenario::HostKind::Client && s.kind == lvs::scenario::HostKind::Server)
          CHECK(view.node_rect(c.name).right() < view.node_rect(s.name).left());
  }
}

TEST_CASE("topology: a sample colours servers, directors and links with the fractions shown", "[gui][topology]") {
  app();
  TopologyView view;
  view.set_topology(scenario("dr-basic"));
  lvs::run::SeriesLayout layout{{"rs1", "rs2", "rs3", "rs4"}, {"director"}, {"internet", "lan"}, {}, {}};
  lvs::run::Sample sample;
  sample.server_utilization = {0.1, 0.5, 0.93, 0.0};
  sample.director_cpu = {0.25};
  sample.link_utilization = {0.02, 0.61};
  view.set_load(layout, sample);
  CHECK(view.load_fraction("rs1") == 0.1);
  CHECK(view.load_fraction("rs3") == 0.93);
  CHECK(view.load_fraction("rs4") == 0.0);
  CHECK(view.load_fraction("director") == 0.25);
  CHECK(view.load_fraction("lan") == 0.61);
  CHECK(view.load_fraction("internet") == 0.02);
  CHECK(std::isnan(view.load_fraction("router")));
  CHECK(std::isnan(view.load_fraction("clients-a")));
  CHECK(view.node_text("rs3").endsWith(QStringLiteral("util 93%")));
  CHECK(view.node_text("director").endsWith(QStringLiteral("cpu 25%")));
  CHECK(view.node_text("director").contains(QStringLiteral("kernel-ipvs, 6 cores")));
  CHECK(view.node_text("lan").endsWith(QStringLiteral("load 61%")));
  // Busier is redder: the red channel of the fill grows with the load, the green one falls.
  const QColor idle = box_of(view, "rs4")->brush().color(), busy = box_of(view, "rs3")->brush().color();
  CHECK(busy.red() >= idle.red());
  CHECK(busy.green() < idle.green());
  view.clear_load();
  CHECK(std::isnan(view.load_fraction("rs3")));
  CHECK(view.node_text("rs3").endsWith(QStringLiteral("lo 192.168.1.100 VIP")));
}

TEST_CASE("topology: the packet walk's hop is marked on its node and interface", "[gui][topology]") {
  app();
  TopologyView view;
  view.set_topology(scenario("nat-basic"));
  const double normal = box_of(view, "director")->pen().widthF();
  view.highlight_hop("director", "eth1", true);
  CHECK(view.highlighted_node() == "director");
  CHECK(view.highlighted_iface() == "eth1");
  CHECK(box_of(view, "director")->pen().widthF() > normal);
  CHECK(box_of(view, "rs1")->pen().widthF() == normal);
  view.highlight_hop("rs1", "", false);  // an action: the node only
  CHECK(view.highlighted_node() == "rs1");
  CHECK(view.highlighted_iface().empty());
  CHECK(box_of(view, "director")->pen().widthF() == normal);
  view.highlight_hop("nobody", "eth0", true);
  CHECK(view.highlighted_node().empty());
  view.highlight_hop("client", "eth0", true);
  view.clear_highlight();
  CHECK(view.highlighted_node().empty());
  CHECK(box_of(view, "client")->pen().widthF() == normal);
}

// Not run by ctest (hidden): `lvslab_gui_tests "[render]"` with LVSLAB_RENDER_DIR set writes
// topology.png, dr-basic under a made-up load, and topology-STEM.png for each bundled
// scenario, for a look at the drawing.
TEST_CASE("topology: render dr-basic under load", "[.][render]") {
  app();
  const char* dir = std::getenv("LVSLAB_RENDER_DIR");
  if (dir == nullptr) return;
  TopologyView view;
  view.resize(1100, 520);
  view.set_topology(scenario("dr-basic"));
  lvs::run::Sample sample;
  sample.server_utilization = {0.35, 0.62, 0.97, 0.08};
  sample.director_cpu = {0.44};
  sample.link_utilization = {0.12, 0.71};
  view.set_load({{"rs1", "rs2", "rs3", "rs4"}, {"director"}, {"internet", "lan"}, {}, {}}, sample);
  view.highlight_hop("director", "eth0", true);
  CHECK(view.grab().save(QString::fromUtf8(dir) + QStringLiteral("/topology.png")));
  for (const fs::path& file : bundled_scenarios()) {  // and each bundled scenario as it is
    view.set_topology(lvs::scenario::read_scenario(file.string()));
    CHECK(view.grab().save(QString::fromUtf8(dir) + QStringLiteral("/topology-%1.png").arg(file.stem().c_str())));
  }
}
