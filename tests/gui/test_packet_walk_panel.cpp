// The packet walk panel: a trace of nat-basic in the four modes, checked against the
// library's own walk of the same request (run::trace_modes): every hop visited in order,
// the header's marks equal to each row's changed fields, the topology marking each frame's
// node; Back, the keys and a click on a column; a DR hop at the director; the pcap export
// against `lvslab trace --pcap`; an error shown.

#include <catch2/catch.hpp>

#include <QApplication>
#include <QEventLoop>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QTreeWidget>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "../capture/tshark.hpp"
#include "gui_fixture.hpp"
#include "packet_walk_panel.hpp"
#include "run/trace.hpp"
#include "topology_view.hpp"
#include "walk_column.hpp"

namespace {

namespace fs = std::filesystem;
using lvs::gui::PacketWalkPanel;
using lvs::test::app;
using lvs::test::scenario_path;
using lvs::test::wait_for;

const std::vector<std::string> kModes{"nat", "dr", "tun", "fullnat"};

void press(QObject* target, Qt::Key key) {
  QKeyEvent event(QEvent::KeyPress, key, Qt::NoModifier);
  QApplication::sendEvent(target, &event);
}

// A panel over nat-basic that has traced request 1 of its client.
struct Traced {
  lvs::scenario::ScenarioSpec spec = lvs::scenario::read_scenario(scenario_path("nat-basic.yaml"));
  PacketWalkPanel panel;
  std::vector<lvs::run::ModeTrace> expected;

  Traced() {
    panel.resize(1500, 950);
    panel.set_spec(spec);
    panel.trace();
    REQUIRE(wait_for(&panel, &PacketWalkPanel::traced));
    lvs::run::TraceRequest request;
    request.client = "client";
    expected = lvs::run::trace_modes(spec, kModes, request);
  }
  const std::vector<lvs::run::TraceRow>& rows(int mode) const { return expected[mode].trace->rows; }
};

// The line of `text` that starts with `label`.
QString line_of(const QString& text, const QString& label) {
  for (const QString& line : text.split(QLatin1Char('\n')))
    if (line.startsWith(label)) return line;
  return {};
}

// Number of frames tshark reads in `file`.
std::size_t tshark_frames(const fs::path& file) {
  const lvs::test::CommandResult r = lvs::test::run_command("tshark -r " + lvs::test::quoted(file));
  CHECK(r.status == 0);
  return r.lines.size();
}

}  // namespace

TEST_CASE("packet walk: every hop of every mode, in order, with the row's changed fields marked", "[gui][walk]") {
  app();
  Traced t;
  REQUIRE(t.panel.mode_count() == 4);
  for (int m = 0; m < 4; ++m) {
    INFO("mode " << kModes[m]);
    REQUIRE(t.expected[m].trace);
    CHECK(t.panel.walks()[m].walk.mode == kModes[m]);
    CHECK(t.panel.walks()[m].walk.file == t.expected[m].file);
    const auto& rows = t.rows(m);
    REQUIRE(t.panel.hop_count(m) == static_cast<int>(rows.size()));
    t.panel.set_active_mode(m);
    press(&t.panel, Qt::Key_Home);
    for (std::size_t k = 0; k < rows.size(); ++k) {
      INFO("hop " << k << " at " << rows[k].node << "/" << rows[k].iface);
      REQUIRE(t.panel.current_hop(m) == static_cast<int>(k));
      CHECK(t.panel.changed_fields() == rows[k].changed);
      CHECK(line_of(t.panel.header_text(), QStringLiteral("hop")).contains(QString::fromStdString(rows[k].node)));
      if (rows[k].is_frame()) {
        CHECK(t.panel.topology()->highlighted_node() == rows[k].node);
        CHECK(t.panel.topology()->highlighted_iface() == rows[k].iface);
      }
      if (k % 2 == 0)
        t.panel.forward_button()->click();
      else
        press(&t.panel, Qt::Key_Right);
    }
    CHECK(t.panel.current_hop(m) == static_cast<int>(rows.size()) - 1);  // no step past the last
    CHECK_FALSE(t.panel.forward_button()->isEnabled());
    t.panel.back_button()->click();
    CHECK(t.panel.current_hop(m) == static_cast<int>(rows.size()) - 2);
    press(&t.panel, Qt::Key_Left);
    CHECK(t.panel.current_hop(m) == static_cast<int>(rows.size()) - 3);
    press(&t.panel, Qt::Key_End);
    CHECK(t.panel.current_hop(m) == static_cast<int>(rows.size()) - 1);
  }
  // Each column kept its own hop; the topology is of the scenario the active mode walked.
  CHECK(t.panel.current_hop(0) == t.panel.hop_count(0) - 1);
  const auto& dr = t.panel.walks()[1];
  t.panel.set_active_mode(1);
  CHECK(t.panel.topology()->node_names().size() ==
        dr.scenario.topology.hosts.size() + dr.scenario.topology.segments.size() + dr.scenario.topology.links.size());
}

TEST_CASE("packet walk: a click on a column makes it active, the keys step it from its hop list", "[gui][walk]") {
  app();
  Traced t;
  const QList<lvs::gui::WalkColumn*> columns = t.panel.findChildren<lvs::gui::WalkColumn*>();
  REQUIRE(columns.size() == 4);
  for (int m = 0; m < 4; ++m) {  // each title names the file walked, with the note when it is not the user's or changed it
    INFO("mode " << kModes[m]);
    const lvs::run::ModeTrace& w = t.expected[m];
    const lvs::run::TraceSummary& s = w.trace->summary;
    CHECK(columns[m]->title_text().contains(QString::fromStdString(fs::path(w.file).filename().string())));
    CHECK(columns[m]->title_text().contains(QString::fromStdString(w.note)) ==
          (w.file != t.spec.file || !w.changes.empty()));
    CHECK(columns[m]->summary_text().startsWith(
        QStringLiteral(
            "%1 packets, %2 hops; director: %3 frames in (%4 from client, %5 from server side), %6 B in, %7 B out")
            .arg(s.packets)
            .arg(s.hops)
            .arg(s.director_frames)
            .arg(s.director_to_server)
            .arg(s.director_to_client)
            .arg(s.director_bytes_in)
            .arg(s.director_bytes_out)));
  }
  QWidget* viewport = columns[2]->hops()->viewport();
  QMouseEvent click(QEvent::MouseButtonPress, QPointF(2, 2), QPointF(2, 2), viewport->mapToGlobal(QPointF(2, 2)),
                    Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(viewport, &click);
  CHECK(t.panel.active_mode() == 2);
  press(columns[2]->hops(), Qt::Key_End);
  CHECK(t.panel.current_hop(2) == t.panel.hop_count(2) - 1);
  press(columns[2]->hops(), Qt::Key_Left);
  CHECK(t.panel.current_hop(2) == t.panel.hop_count(2) - 2);
  CHECK(t.panel.current_hop(0) == 0);
  CHECK(columns[2]->hops()->currentItem() == columns[2]->hops()->topLevelItem(t.panel.hop_count(2) - 2));
}

TEST_CASE("packet walk: DR at the director rewrites the Ethernet destination and keeps the VIP", "[gui][walk]") {
  app();
  Traced t;
  const auto& trace = *t.expected[1].trace;
  const auto& rows = trace.rows;
  std::size_t k = 0;
  while (k < rows.size() && !(rows[k].node == "director" && rows[k].event == lvs::run::HopEvent::Out &&
                              rows[k].to_server && rows[k].packet.is_tcp()))
    ++k;
  REQUIRE(k < rows.size());
  REQUIRE(rows[k].changed_field("eth_dst"));  // what the trace says of this hop ...
  REQUIRE_FALSE(rows[k].changed_field("ip_dst"));
  REQUIRE(rows[k].packet.ip.dst == trace.dst);
  t.panel.set_active_mode(1);
  press(&t.panel, Qt::Key_Home);
  t.panel.step(static_cast<int>(k));
  REQUIRE(t.panel.current_hop(1) == static_cast<int>(k));
  const std::vector<std::string>& marked = t.panel.changed_fields();  // ... and what the pane shows
  CHECK(std::find(marked.begin(), marked.end(), "eth_dst") != marked.end());
  CHECK(std::find(marked.begin(), marked.end(), "ip_dst") == marked.end());
  const QString vip = QString::fromStdString(trace.dst.str());
  CHECK(line_of(t.panel.header_text(), QStringLiteral("IP dst")).endsWith(QStringLiteral(" ") + vip));
  CHECK(line_of(t.panel.header_text(), QStringLiteral("hop"))
            .contains(QString::fromStdString(rows[k].node + "/" + rows[k].iface + " out")));
  CHECK(t.panel.topology()->highlighted_node() == "director");
}

TEST_CASE("packet walk: Save pcap writes the frames lvslab trace --pcap writes", "[gui][walk][pcap]") {
  app();
  Traced t;
  const fs::path dir = lvs::test::capture_dir();
  const fs::path cli(LVSLAB_CLI);
  for (const int m : {0, 1}) {  // NAT in nat-basic itself; DR derived from it
    INFO("mode " << kModes[m]);
    const fs::path saved = dir / ("gui-walk-" + kModes[m] + ".pcap"),
                   cli_file = dir / ("cli-walk-" + kModes[m] + ".pcap");
    fs::remove(saved);
    t.panel.set_active_mode(m);
    t.panel.save_pcap(QString::fromStdString(saved.string()));
    REQUIRE(wait_for(&t.panel, &PacketWalkPanel::pcap_saved));
    REQUIRE(fs::file_size(saved) > 24);
    if (!lvs::test::tshark_or_warn()) continue;
    const std::string walked = t.panel.walks()[m].walk.file;
    const lvs::test::CommandResult r =
        lvs::test::run_command(lvs::test::quoted(cli) + " trace " + lvs::test::quoted(walked) + " --modes " +
                               kModes[m] + " --pcap " + lvs::test::quoted(cli_file) + " >/dev/null");
    REQUIRE(r.status == 0);
    const std::size_t frames = tshark_frames(saved);
    CHECK(frames > 0);
    CHECK(frames == tshark_frames(cli_file));
    fs::remove(saved);
    fs::remove(cli_file);
  }
}

TEST_CASE("packet walk: a request the client never opens is an error in the status line", "[gui][walk]") {
  app();
  PacketWalkPanel panel;
  panel.set_spec(lvs::scenario::read_scenario(scenario_path("nat-basic.yaml"), {"duration=50ms", "warmup=0"}));
  panel.request_spin()->setValue(100);
  panel.trace();
  REQUIRE(wait_for(&panel, &PacketWalkPanel::failed));
  CHECK(panel.status_text().contains(QStringLiteral("--request 100: client client started only")));
  CHECK(panel.mode_count() == 0);
  CHECK_FALSE(panel.running());
}

// Not run by ctest (hidden): `lvslab_gui_tests "[render]"` with LVSLAB_RENDER_DIR set writes
// packet_walk.png, the panel after a trace of nat-basic with the DR column active.
TEST_CASE("packet walk: render after a trace", "[.][render]") {
  app();
  const char* dir = std::getenv("LVSLAB_RENDER_DIR");
  if (dir == nullptr) return;
  Traced t;
  t.panel.show();
  t.panel.set_active_mode(1);
  const auto& rows = t.rows(1);  // the first frame the director sends on
  int k = 0;
  while (k + 1 < static_cast<int>(rows.size()) &&
         !(rows[k].node == "director" && rows[k].event == lvs::run::HopEvent::Out))
    ++k;
  t.panel.step(k);
  QApplication::processEvents();
  CHECK(t.panel.grab().save(QString::fromUtf8(dir) + QStringLiteral("/packet_walk.png")));
}
