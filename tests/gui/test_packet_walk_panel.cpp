// The packet walk panel: a trace of nat-basic in the four modes, checked against the
// library's own walk of the same request (run::trace_modes): every hop visited in order,
// the header's marks equal to each row's changed fields, the topology marking each frame's
// node; Back, the keys and a click on a column; a DR hop at the director; the pcap export
// against `lvslab trace --pcap`; an error shown.

#include <catch2/catch.hpp>

#include <QApplication>
#include <QEventLoop>
#include <QHeaderView>
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
#include "walk_lesson.hpp"
#include "walk_overlay.hpp"

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

// A panel over a bundled scenario (nat-basic unless said) that has traced request 1 of its
// first client; `lesson`: ARP folded and the columns stepping together, or each alone.
struct Traced {
  lvs::scenario::ScenarioSpec spec;
  PacketWalkPanel panel;
  std::vector<lvs::run::ModeTrace> expected;

  explicit Traced(bool lesson = false, const std::string& file = "nat-basic.yaml")
      : spec(lvs::scenario::read_scenario(scenario_path(file))) {
    panel.resize(1334, 760);
    panel.set_spec(spec);
    panel.set_lesson(lesson);
    panel.trace();
    REQUIRE(wait_for(&panel, &PacketWalkPanel::traced));
    lvs::run::TraceRequest request;
    request.client = spec.workload.clients.front().name;
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
  Traced t;  // not the lesson: every row a line, each column stepping alone
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
  const auto& cells = t.panel.header_cells();
  const auto ip_dst = std::find_if(cells.begin(), cells.end(), [](const auto& c) { return c.key == "ip_dst"; });
  REQUIRE(ip_dst != cells.end());
  CHECK(ip_dst->after == vip);
  CHECK(ip_dst->before == vip);
  CHECK_FALSE(ip_dst->changed);
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
// packet_walk.png, the lesson on dr-basic at the DR director's first hop, and
// packet_walk_tun.png, the TUN column at its director's first hop, at 1334x760.
TEST_CASE("packet walk: render after a trace", "[.][render]") {
  app();
  const char* dir = std::getenv("LVSLAB_RENDER_DIR");
  if (dir == nullptr) return;
  Traced t(true, "dr-basic.yaml");
  t.panel.show();
  t.panel.jump_to_director();
  QApplication::processEvents();
  CHECK(t.panel.grab().save(QString::fromUtf8(dir) + QStringLiteral("/packet_walk.png")));
  t.panel.set_active_mode(2);
  press(&t.panel, Qt::Key_Home);
  t.panel.jump_to_director();
  QApplication::processEvents();
  CHECK(t.panel.grab().save(QString::fromUtf8(dir) + QStringLiteral("/packet_walk_tun.png")));
}

namespace {

// The row `changed` of row `i` compares against, found by hand: the packet's previous frame.
int previous_frame_of(const std::vector<lvs::run::TraceRow>& rows, int i) {
  for (int j = i - 1; j >= 0; --j)
    if (rows[j].is_frame() && rows[j].packet.id == rows[i].packet.id) return j;
  return -1;
}

QString owner(const lvs::run::Trace& t, lvs::MacAddress m) {
  if (m.is_broadcast()) return QStringLiteral("broadcast");
  for (const auto& [mac, name] : t.macs)
    if (mac == m) return QString::fromStdString(name);
  return QString::fromStdString(m.str());
}

const lvs::gui::HeaderCell* cell(const PacketWalkPanel& panel, const std::string& key) {
  for (const lvs::gui::HeaderCell& c : panel.header_cells())
    if (c.key == key) return &c;
  return nullptr;
}

bool is_arp(const lvs::run::TraceRow& r) { return r.packet.ethertype == lvs::EtherType::Arp; }

}  // namespace

TEST_CASE("packet walk: each hop's before and after cells are the trace's rows", "[gui][walk]") {
  app();
  Traced t(false, "dr-basic.yaml");  // all four modes derived from dr-basic: TUN's outer header included
  for (int m = 0; m < 4; ++m) {
    INFO("mode " << kModes[m]);
    const lvs::run::Trace& trace = *t.expected[m].trace;
    const auto& rows = trace.rows;
    t.panel.set_active_mode(m);
    press(&t.panel, Qt::Key_Home);
    for (int k = 0; k < static_cast<int>(rows.size()); ++k, t.panel.step(1)) {
      INFO("hop " << k << " at " << rows[k].node << "/" << rows[k].iface);
      REQUIRE(t.panel.current_hop(m) == k);
      const int prev = previous_frame_of(rows, k);
      const auto check = [&](const std::string& key, const QString& after, const QString& before) {
        const lvs::gui::HeaderCell* c = cell(t.panel, key);
        REQUIRE(c != nullptr);
        CHECK(c->after == after);
        CHECK(c->before == (prev < 0 ? QStringLiteral("—") : before));
        CHECK(c->changed == rows[k].changed_field(key));
      };
      const lvs::Packet& p = rows[k].packet;
      const lvs::Packet& b = rows[prev < 0 ? k : prev].packet;
      check("eth_src", owner(trace, p.eth_src), owner(trace, b.eth_src));
      check("eth_dst", owner(trace, p.eth_dst), owner(trace, b.eth_dst));
      check("bytes", QStringLiteral("%1 (%2 on the wire)").arg(p.frame_bytes()).arg(p.wire_bytes()),
            QStringLiteral("%1 (%2 on the wire)").arg(b.frame_bytes()).arg(b.wire_bytes()));
      if (is_arp(rows[k])) continue;
      check("ip_src", QString::fromStdString(p.ip.src.str()), QString::fromStdString(b.ip.src.str()));
      check("ip_dst", QString::fromStdString(p.ip.dst.str()), QString::fromStdString(b.ip.dst.str()));
      check("sport", QString::number(p.sport), QString::number(b.sport));
      check("dport", QString::number(p.dport), QString::number(b.dport));
      if (p.encapsulated || b.encapsulated)
        check("outer", p.encapsulated ? QStringLiteral("present") : QStringLiteral("none"),
              b.encapsulated ? QStringLiteral("present") : QStringLiteral("none"));
      if (p.encapsulated) check("outer_dst", QString::fromStdString(p.outer.dst.str()),
                                b.encapsulated ? QString::fromStdString(b.outer.dst.str()) : QStringLiteral("—"));
      CHECK((cell(t.panel, "outer") != nullptr) == (p.encapsulated || b.encapsulated));  // nested only with IPIP
    }
  }
}

TEST_CASE("packet walk: the lesson folds each ARP exchange into one line and keeps every hop", "[gui][walk]") {
  app();
  Traced t(true, "dr-basic.yaml");
  for (int m = 0; m < 4; ++m) {
    INFO("mode " << kModes[m]);
    const auto& rows = t.rows(m);
    lvs::gui::WalkColumn* column = t.panel.column(m);
    CHECK(column->hop_count() == static_cast<int>(rows.size()));
    CHECK(t.panel.hop_count(m) == static_cast<int>(rows.size()));
    // By hand: the lines are the rows less all but the first of each run of 2+ ARP rows.
    int folded = 0, runs = 0;
    for (std::size_t i = 0; i < rows.size();) {
      std::size_t j = i;
      while (j < rows.size() && is_arp(rows[j])) ++j;
      if (j - i >= 2) folded += static_cast<int>(j - i) - 1, ++runs;
      i = std::max(j, i + 1);
    }
    REQUIRE(runs > 0);
    CHECK(column->line_count() == static_cast<int>(rows.size()) - folded);
    QTreeWidgetItem* first = column->arp_line(0);
    REQUIRE(first != nullptr);
    CHECK(first->text(2).startsWith(QStringLiteral("ARP ×%1 who-has").arg(first->childCount())));  // the first asks
    first->setExpanded(true);  // expanded: its rows are lines again
    CHECK(column->line_count() == static_cast<int>(rows.size()) - folded + first->childCount() - 1);
    first->setExpanded(false);
    CHECK(column->arp_line(runs) == nullptr);
  }
  t.panel.set_lesson(false);  // unfolded: one line per row
  for (int m = 0; m < 4; ++m) CHECK(t.panel.column(m)->line_count() == static_cast<int>(t.rows(m).size()));
}

TEST_CASE("packet walk: at the width the window gives the tab, each column's frame text ends inside it",
          "[gui][walk]") {
  app();
  Traced t(true, "dr-basic.yaml");
  t.panel.resize(990, 760);  // 1334 less the what-if panel
  t.panel.show();
  lvs::test::pump(50);
  for (int m = 0; m < 4; ++m) {
    INFO("mode " << kModes[m]);
    QTreeWidget* hops = t.panel.column(m)->hops();
    const QHeaderView* header = hops->header();
    CHECK(header->sectionPosition(2) + header->sectionSize(2) <= hops->viewport()->width());
    CHECK(header->sectionSize(2) > 40);  // and the frame column still has room to say something
    QTreeWidgetItem* arp = t.panel.column(m)->arp_line(0);
    REQUIRE(arp != nullptr);
    const QRect cell = hops->visualItemRect(arp);
    CHECK(cell.right() < hops->viewport()->width());
  }
  t.panel.hide();
}

TEST_CASE("packet walk: the lesson starts on the scenario's own mode and steps the four columns together",
          "[gui][walk]") {
  app();
  Traced nat(true);
  CHECK(nat.panel.active_mode() == 0);  // nat-basic is NAT
  Traced t(true, "dr-basic.yaml");
  REQUIRE(t.panel.active_mode() == 1);  // dr-basic is DR
  for (int m = 0; m < 4; ++m) {  // one request of the user's scenario in all four
    const lvs::run::Trace& w = *t.panel.walks()[m].walk.trace;
    CHECK(t.panel.walks()[m].walk.file == t.spec.file);
    CHECK(w.session == 1);
    CHECK(w.src == t.expected[1].trace->src);
    CHECK(w.sport == t.expected[1].trace->sport);
  }
  const auto together = [&] {
    const lvs::gui::PacketKey key = t.panel.current_packet(t.panel.active_mode());
    for (int m = 0; m < 4; ++m) {
      INFO("mode " << kModes[m] << " at hop " << t.panel.current_hop(m));
      CHECK(t.panel.current_packet(m) == key);
    }
    return key;
  };
  int steps = 0;
  for (; t.panel.forward_button()->isEnabled() && steps < 400; ++steps) {
    t.panel.forward_button()->click();
    INFO("after Forward " << steps + 1);
    CHECK(together().ordinal > 0);
  }
  CHECK_FALSE(t.panel.forward_button()->isEnabled());  // reached the DR walk's last line
  CHECK(steps == t.panel.column(1)->line_count() - 1);
  press(&t.panel, Qt::Key_Home);
  int jumps = 0;
  for (; t.panel.director_button()->isEnabled() && jumps < 100; ++jumps) {
    t.panel.director_button()->click();
    const lvs::run::TraceRow& r = t.rows(1)[t.panel.current_hop(1)];
    INFO("jump " << jumps + 1 << " to hop " << t.panel.current_hop(1));
    CHECK(r.node == "director");
    CHECK(r.event == lvs::run::HopEvent::Out);
    CHECK(together().to_server);  // in DR the director sees only what the client sends
    for (int m = 0; m < 4; ++m) CHECK(t.rows(m)[t.panel.current_hop(m)].node == "director");  // all at the director
  }
  CHECK(jumps == static_cast<int>(t.expected[1].trace->summary.director_frames));  // one per frame it forwards
}

TEST_CASE("packet walk: a director hop says why, in each mode's words", "[gui][walk]") {
  app();
  Traced t(true, "dr-basic.yaml");
  // Hand-checked against each mode's rule (README, "lvslab trace"; docs/gui.md): wrr sends
  // session 1 to rs3 (192.168.1.13); FULLNAT's local address is 192.168.1.254.
  const char* const why[4] = {
      "director: NAT — destination IP rewritten from the VIP 192.168.1.100 to rs3 (192.168.1.13), the client's "
      "source kept",
      "director: DR — destination MAC rewritten to rs3, IP untouched, VIP 192.168.1.100 kept",
      "director: TUN — IPIP header added, 192.168.1.10 > rs3 (192.168.1.13); inner IP untouched, VIP 192.168.1.100 "
      "kept",
      "director: FULLNAT — source IP rewritten to its local address 192.168.1.254, destination IP to rs3 "
      "(192.168.1.13); the client's address rides in the TOA option"};
  for (int m = 0; m < 4; ++m) {
    INFO("mode " << kModes[m]);
    t.panel.set_active_mode(m);
    press(&t.panel, Qt::Key_Home);
    t.panel.jump_to_director();
    CHECK(line_of(t.panel.header_text(), QStringLiteral("why")) == QStringLiteral("why ") + QString::fromUtf8(why[m]));
    CHECK(t.rows(m)[t.panel.current_hop(m)].reason == why[m]);
  }
}

TEST_CASE("packet walk: the topology draws each mode's route, NAT and FULLNAT replies through the director",
          "[gui][walk]") {
  app();
  Traced t(true, "dr-basic.yaml");
  // By hand from dr-basic's topology: wrr sends session 1 to rs3; the real servers' gateway
  // is the router in DR and TUN, the director in NAT (the variant's gateway) and FULLNAT
  // (its local address).
  const char* const route[4] = {"replies rs3 > director > router > clients-a: back through the director",
                                "replies rs3 > router > clients-a: straight to the client, not through the director",
                                "replies rs3 > router > clients-a: straight to the client, not through the director",
                                "replies rs3 > director > router > clients-a: back through the director"};
  for (int m = 0; m < 4; ++m) {
    INFO("mode " << kModes[m]);
    t.panel.set_active_mode(m);
    CHECK(t.panel.overlay().path_count() == 2);  // the request's path and the reply's
    CHECK(t.panel.route_text() == QString::fromUtf8(route[m]));
  }
}

TEST_CASE("packet walk: Play moves the envelope along the wire and steps the columns together", "[gui][walk]") {
  app();
  Traced t(true, "dr-basic.yaml");
  t.panel.show();
  t.panel.jump_to_director();  // the director's frame out to rs3: a wire to cross
  const int from = t.panel.current_hop(1);
  const QRectF director = t.panel.topology()->node_rect("director");
  CHECK(t.panel.overlay().envelope_visible());
  t.panel.set_speed(4);
  t.panel.play_button()->click();
  REQUIRE(t.panel.playing());
  REQUIRE(wait_for(&t.panel, &PacketWalkPanel::played));
  const lvs::run::TraceRow& now = t.rows(1)[t.panel.current_hop(1)];
  CHECK(t.panel.current_hop(1) > from);
  CHECK(now.node == "rs3");  // the frame came in where the wire ends
  CHECK(now.event == lvs::run::HopEvent::In);
  for (int m = 0; m < 4; ++m) CHECK(t.panel.current_packet(m) == t.panel.current_packet(1));
  CHECK_FALSE(director.contains(t.panel.overlay().envelope_pos()));  // it left the director
  t.panel.play_button()->click();
  CHECK_FALSE(t.panel.playing());
  const int paused = t.panel.current_hop(1);
  lvs::test::pump(50);  // paused: the walk stays where it is
  CHECK(t.panel.current_hop(1) == paused);
}
