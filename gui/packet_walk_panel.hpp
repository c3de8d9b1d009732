#pragma once
// The packet walk panel: one request of a client population traced hop by hop in every
// forwarding mode (NAT, DR, TUN, FULLNAT) side by side, as `lvslab trace --modes` prints it.
// Each column lists its walk's hops; the active column's current hop shows its header
// fields (the ones that hop changed marked) and is marked on the topology of the scenario
// the mode walked. Back / Forward, Left / Right, Home / End step through the active column;
// a click on a column makes it active. The trace runs on a worker thread (TraceWorker).
// As a lesson (the default), each column folds its ARP exchanges into one line, the columns
// step together (every column shows the same packet of the request, walk_lesson.hpp), "Jump
// to the director" goes to the next hop where a director acted, and the walk starts on the
// column of the scenario's own forwarding mode. The topology draws the active walk's request
// and return paths (walk_overlay.hpp); Play moves an envelope along each wire, hop by hop, at
// the chosen speed (packet_walk_play.cpp), on Qt's animation timer: the GUI never waits.

#include <QString>
#include <QWidget>

#include <string>
#include <vector>

#include <memory>
#include <set>

#include <QPainterPath>

#include "frame_header.hpp"
#include "run/trace.hpp"
#include "scenario/scenario_spec.hpp"
#include "trace_worker.hpp"
#include "walk_lesson.hpp"

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTextEdit;
class QVariantAnimation;

namespace lvs::gui {

class TopologyView;
class WalkColumn;
class WalkOverlay;

class PacketWalkPanel : public QWidget {
  Q_OBJECT

 public:
  explicit PacketWalkPanel(QWidget* parent = nullptr);
  ~PacketWalkPanel() override;

  /// The scenario to trace (a copy); clears the walks shown.
  void set_spec(const scenario::ScenarioSpec& spec);
  /// The scenario traced.
  const scenario::ScenarioSpec& spec() const { return spec_; }

  /// Modes traced (0 before the first trace, then 4).
  int mode_count() const { return static_cast<int>(walks_.size()); }
  /// Hops (trace rows) of mode `mode` (0 if it was not run).
  int hop_count(int mode) const;
  /// The current hop of mode `mode`, from 0 (-1 if none).
  int current_hop(int mode) const;
  /// The column Back / Forward step.
  int active_mode() const { return active_; }
  /// Makes column `mode` active: its hop's header and its scenario's topology are shown.
  void set_active_mode(int mode);
  /// Moves the active column's current hop by `delta` (clamped to its first and last hop).
  void step(int delta);
  /// The header pane's text (plain).
  QString header_text() const;
  /// The fields marked changed in the header pane (names as in run::TraceRow::changed).
  const std::vector<std::string>& changed_fields() const { return marked_; }
  /// The header pane's before → after fields.
  const std::vector<HeaderCell>& header_cells() const { return cells_; }
  /// The packet of the request mode `mode`'s current hop carries (an ARP line: the packet that waited).
  PacketKey current_packet(int mode) const;
  /// Folded ARP runs and columns stepping together (true), or each column alone, every row a line.
  void set_lesson(bool on);
  bool lesson() const { return lesson_; }
  /// Moves the active column to the next hop where a director acted; the others follow (lesson).
  void jump_to_director();
  /// The column of `mode` (0..3).
  WalkColumn* column(int mode) const { return columns_.at(static_cast<std::size_t>(mode)); }
  /// The mode of the scenario's first destination, as an index of run::kTraceModes (0 if none).
  int own_mode() const;
  /// Plays the walk from the current hop (the envelope moves along each wire, then the
  /// columns step) until its last line, or pauses it.
  void set_playing(bool on);
  bool playing() const { return playing_; }
  /// Speed of play: 1 = 0.9 s per wire.
  void set_speed(double factor);
  /// The paths and envelope on the topology.
  const WalkOverlay& overlay() const { return *overlay_; }
  /// The route of the replies in words (WalkOverlay::caption), shown above the topology.
  QString route_text() const;
  QPushButton* play_button() const { return play_; }
  /// The topology of the active column's scenario.
  TopologyView* topology() const { return topology_; }
  /// The walks shown, in run::kTraceModes order.
  const std::vector<ModeWalk>& walks() const { return walks_; }
  /// The status line: progress, the last error, or what was traced or saved.
  QString status_text() const;
  /// True while a trace or a pcap export runs.
  bool running() const { return worker_->running(); }
  /// True when the walks shown, or the trace in flight, are of the current spec.
  bool up_to_date() const { return traced_version_ == spec_version_ && (mode_count() > 0 || running()); }

  /// The controls, for tests: the client population, the request number, the buttons.
  QComboBox* client_combo() const { return client_; }
  QSpinBox* request_spin() const { return request_; }
  QPushButton* trace_button() const { return trace_button_; }
  QPushButton* back_button() const { return back_; }
  QPushButton* forward_button() const { return forward_; }
  QPushButton* director_button() const { return director_; }
  QCheckBox* lesson_box() const { return lesson_box_; }

 public slots:
  /// Traces the chosen request in every mode on the worker thread.
  void trace();
  /// Writes the active mode's walk to the pcap file `path`, as `lvslab trace --pcap` (worker thread).
  void save_pcap(const QString& path);

 signals:
  /// A trace finished and its walks are shown.
  void traced();
  /// save_pcap() wrote `path`.
  void pcap_saved(QString path);
  /// A trace or export failed; `message` is shown in the status line.
  void failed(QString message);
  /// Play moved the active column to its next line.
  void played();

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;

 private:
  QWidget* build_controls();
  QWidget* build_bottom();
  void set_current(int mode, int hop);
  // set_current(), then in the lesson every other column to the same packet.
  void go_to(int mode, int hop);
  void follow(int mode);
  void show_walks();
  QWidget* build_topology_side();
  void show_route();
  void play_hop();
  void place_envelope();
  void show_hop();
  void show_topology();
  bool handle_key(int key);
  void choose_pcap_file();
  void set_busy(bool busy, const QString& status);
  void on_traced(std::vector<ModeWalk> walks);
  void on_failed(const QString& message);

  scenario::ScenarioSpec spec_;
  run::TraceRequest traced_req_;  // the request of the walks shown (a pcap re-runs it)
  int spec_version_ = 0, traced_version_ = 0;  // set_spec() calls; the one the trace in flight is of
  std::vector<ModeWalk> walks_;
  std::vector<int> current_;
  int active_ = 0;
  std::string topology_file_;   // the scenario file the topology shows
  bool topology_stale_ = true;  // redraw it even if the file is the same (a new spec or trace)
  std::vector<std::string> marked_;
  std::vector<HeaderCell> cells_;
  bool lesson_ = true;
  std::vector<std::vector<PacketKey>> keys_;        // per mode: each row's packet
  std::vector<std::set<std::string>> directors_;    // per mode: the walked scenario's directors

  TraceWorker* worker_;
  QComboBox* client_ = nullptr;
  QSpinBox* request_ = nullptr;
  QPushButton* trace_button_ = nullptr;
  QPushButton* save_button_ = nullptr;
  QPushButton* back_ = nullptr;
  QPushButton* forward_ = nullptr;
  QPushButton* director_ = nullptr;
  QCheckBox* lesson_box_ = nullptr;
  QLabel* packet_label_ = nullptr;
  QPushButton* play_ = nullptr;
  QComboBox* speed_ = nullptr;
  QLabel* route_ = nullptr;
  QVariantAnimation* animation_ = nullptr;
  std::unique_ptr<WalkOverlay> overlay_;
  QPainterPath wire_;  // the wire the envelope is crossing
  int wire_to_ = -1;   // the row where its frame comes in
  bool playing_ = false;
  double speed_factor_ = 1;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  std::vector<WalkColumn*> columns_;
  QTextEdit* header_ = nullptr;
  TopologyView* topology_ = nullptr;
};

}  // namespace lvs::gui
