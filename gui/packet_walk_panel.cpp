#include "packet_walk_panel.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTextEdit>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <utility>

#include "frame_header.hpp"
#include "qt_string.hpp"
#include "run/hop_reason.hpp"
#include "topology_view.hpp"
#include "walk_column.hpp"
#include "walk_overlay.hpp"

namespace lvs::gui {

namespace {

QString error_style(const QString& text) {
  return QStringLiteral("<span style=\"color:#b91c1c\">%1</span>").arg(text.toHtmlEscaped());
}

}  // namespace

PacketWalkPanel::PacketWalkPanel(QWidget* parent) : QWidget(parent), worker_(new TraceWorker(this)) {
  auto* columns = new QWidget;
  auto* row = new QHBoxLayout(columns);
  row->setContentsMargins(0, 0, 0, 0);
  for (const std::string_view mode : run::kTraceModes) {
    auto* column = new WalkColumn(QString::fromUtf8(mode.data(), static_cast<int>(mode.size())));
    const int i = static_cast<int>(columns_.size());
    connect(column, &WalkColumn::activated, this, [this, i] { set_active_mode(i); });
    connect(column, &WalkColumn::hop_picked, this, [this, i](int hop) {
      set_active_mode(i);
      go_to(i, hop);
    });
    column->hops()->installEventFilter(this);
    columns_.push_back(column);
    row->addWidget(column, 1);
  }
  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(columns);
  split->addWidget(build_bottom());
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 1);
  split->setSizes({520, 480});  // the columns: every mode's hops, side by side, tall enough to read
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(build_controls());
  layout->addWidget(split, 1);
  setFocusPolicy(Qt::StrongFocus);
  connect(worker_, &TraceWorker::progress, this, [this](int done, int total, const QString& mode) {
    progress_->setRange(0, total);
    progress_->setValue(done);
    status_->setText(QStringLiteral("tracing %1 (%2 of %3)…").arg(mode).arg(done + 1).arg(total));
  });
  connect(worker_, &TraceWorker::traced, this, &PacketWalkPanel::on_traced);
  connect(worker_, &TraceWorker::saved, this, [this](const QString& path) {
    set_busy(false, QStringLiteral("wrote %1").arg(path));
    emit pcap_saved(path);
  });
  connect(worker_, &TraceWorker::failed, this, &PacketWalkPanel::on_failed);
  connect(worker_, &TraceWorker::cancelled, this, [this] { set_busy(false, QStringLiteral("cancelled")); });
  set_active_mode(0);
}

PacketWalkPanel::~PacketWalkPanel() = default;

QWidget* PacketWalkPanel::build_controls() {
  client_ = new QComboBox;
  request_ = new QSpinBox;
  request_->setRange(1, 1'000'000);
  request_->setToolTip(QStringLiteral("the N-th session the client population opens"));
  trace_button_ = new QPushButton(QStringLiteral("Trace"));
  save_button_ = new QPushButton(QStringLiteral("Save pcap…"));
  save_button_->setToolTip(QStringLiteral("the active mode's walk as lvslab trace --pcap writes it"));
  progress_ = new QProgressBar;
  progress_->setMaximumWidth(160);
  progress_->hide();
  status_ = new QLabel;
  status_->setTextFormat(Qt::RichText);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  connect(trace_button_, &QPushButton::clicked, this, &PacketWalkPanel::trace);
  connect(save_button_, &QPushButton::clicked, this, &PacketWalkPanel::choose_pcap_file);
  auto* bar = new QWidget;
  auto* row = new QHBoxLayout(bar);
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(new QLabel(QStringLiteral("Client")));
  row->addWidget(client_);
  row->addWidget(new QLabel(QStringLiteral("request")));
  row->addWidget(request_);
  row->addWidget(trace_button_);
  row->addWidget(progress_);
  row->addWidget(status_, 1);
  row->addWidget(save_button_);
  save_button_->setEnabled(false);
  return bar;
}

QWidget* PacketWalkPanel::build_bottom() {
  back_ = new QPushButton(QStringLiteral("◀ Back"));
  forward_ = new QPushButton(QStringLiteral("Forward ▶"));
  director_ = new QPushButton(QStringLiteral("Jump to the director"));
  director_->setToolTip(QStringLiteral("the next hop where a director acted on the packet"));
  lesson_box_ = new QCheckBox(QStringLiteral("Lesson"));
  lesson_box_->setChecked(lesson_);
  lesson_box_->setToolTip(QStringLiteral("ARP exchanges folded; the four columns step together on the same packet"));
  packet_label_ = new QLabel;
  connect(back_, &QPushButton::clicked, this, [this] { step(-1); });
  connect(forward_, &QPushButton::clicked, this, [this] { step(1); });
  connect(director_, &QPushButton::clicked, this, &PacketWalkPanel::jump_to_director);
  connect(lesson_box_, &QCheckBox::toggled, this, &PacketWalkPanel::set_lesson);
  header_ = new QTextEdit;
  header_->setReadOnly(true);
  header_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  header_->setMinimumWidth(340);
  auto* nav = new QHBoxLayout;
  nav->addWidget(back_);
  nav->addWidget(forward_);
  nav->addWidget(director_);
  nav->addWidget(lesson_box_);
  nav->addWidget(packet_label_, 1);
  back_->setToolTip(QStringLiteral("←; Home: the first hop"));
  forward_->setToolTip(QStringLiteral("→; End: the last hop; click a column to make it the one that steps"));
  auto* left = new QWidget;
  auto* left_layout = new QVBoxLayout(left);
  left_layout->setContentsMargins(0, 0, 0, 0);
  left_layout->addLayout(nav);
  left_layout->addWidget(header_, 1);
  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(left);
  split->addWidget(build_topology_side());
  split->setStretchFactor(0, 1);  // the frame pane about as wide as the topology: before and after side by side
  split->setStretchFactor(1, 1);
  split->setSizes({450, 550});
  return split;
}

void PacketWalkPanel::set_spec(const scenario::ScenarioSpec& spec) {
  worker_->cancel();
  set_playing(false);
  ++spec_version_;
  spec_ = spec;
  walks_.clear();
  current_.clear();
  keys_.clear();
  directors_.clear();
  client_->clear();
  for (const scenario::ClientSpec& c : spec_.workload.clients) client_->addItem(q(c.name));
  trace_button_->setEnabled(client_->count() > 0);
  for (WalkColumn* c : columns_) c->clear(QStringLiteral("not traced yet"));
  status_->setText(client_->count() > 0 ? QString()
                                        : error_style(QStringLiteral("the scenario has no client population")));
  topology_stale_ = true;  // shows the user's scenario afresh
  set_active_mode(0);
}

void PacketWalkPanel::trace() {
  traced_req_ = run::TraceRequest{client_->currentText().toStdString(),
                                  static_cast<std::uint64_t>(request_->value()), {}, false, nullptr, {}};
  traced_version_ = spec_version_;
  set_busy(true, QStringLiteral("tracing…"));
  worker_->start(spec_, traced_req_);
}

void PacketWalkPanel::save_pcap(const QString& path) {
  if (active_ >= mode_count() || !walks_[active_].walk.trace) {
    on_failed(QStringLiteral("nothing to save: trace a request first"));
    return;
  }
  set_busy(true, QStringLiteral("writing %1…").arg(path));
  worker_->save_pcap(spec_, walks_[active_].walk.mode, traced_req_, path.toStdString());
}

void PacketWalkPanel::choose_pcap_file() {
  if (active_ >= mode_count()) return;
  const QString name = q(walks_[active_].walk.mode + "-" + walks_[active_].scenario.name + ".pcap");
  const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Save pcap"), name,
                                                    QStringLiteral("pcap files (*.pcap);;all files (*)"));
  if (!path.isEmpty()) save_pcap(path);
}

void PacketWalkPanel::set_busy(bool busy, const QString& status) {
  progress_->setVisible(busy);
  if (busy) progress_->setRange(0, 0);  // busy until the first progress report
  save_button_->setEnabled(!busy && mode_count() > 0);
  status_->setText(status.toHtmlEscaped());
}

void PacketWalkPanel::on_traced(std::vector<ModeWalk> walks) {
  if (traced_version_ != spec_version_) {  // finished just as set_spec() cancelled it
    set_busy(false, QString());
    return;
  }
  walks_ = std::move(walks);
  keys_.clear();
  directors_.clear();
  for (const ModeWalk& w : walks_) {
    keys_.push_back(w.walk.trace ? packet_keys(*w.walk.trace) : std::vector<PacketKey>{});
    directors_.push_back(run::hop_roles(w.scenario).directors);
  }
  show_walks();
  set_busy(false, QStringLiteral("request %1 of client %2 traced in %3 modes")
                      .arg(traced_req_.session)
                      .arg(q(traced_req_.client))
                      .arg(walks_.size()));
  topology_stale_ = true;
  set_active_mode(std::min(own_mode(), std::max(mode_count() - 1, 0)));  // the scenario's own mode first
  emit traced();
}

void PacketWalkPanel::on_failed(const QString& message) {
  set_busy(false, QString());
  status_->setText(error_style(message));
  emit failed(message);
}

int PacketWalkPanel::hop_count(int mode) const {
  if (mode < 0 || mode >= mode_count() || !walks_[mode].walk.trace) return 0;
  return static_cast<int>(walks_[mode].walk.trace->rows.size());
}

int PacketWalkPanel::current_hop(int mode) const {
  return mode >= 0 && mode < static_cast<int>(current_.size()) ? current_[mode] : -1;
}

void PacketWalkPanel::set_active_mode(int mode) {
  if (mode < 0 || mode >= static_cast<int>(columns_.size())) return;
  active_ = mode;
  for (std::size_t i = 0; i < columns_.size(); ++i) columns_[i]->set_active(static_cast<int>(i) == active_);
  show_topology();
  show_route();
  show_hop();
}

void PacketWalkPanel::show_walks() {
  current_.assign(walks_.size(), -1);
  for (std::size_t i = 0; i < walks_.size() && i < columns_.size(); ++i) {
    columns_[i]->set_walk(walks_[i], spec_.file, lesson_);
    if (hop_count(static_cast<int>(i)) > 0) current_[i] = 0;
    columns_[i]->set_current(current_[i]);
  }
}

void PacketWalkPanel::set_lesson(bool on) {
  if (lesson_box_->isChecked() != on) lesson_box_->setChecked(on);  // toggled() calls back
  if (lesson_ == on) return;
  lesson_ = on;
  const std::vector<int> was = current_;
  show_walks();
  for (std::size_t i = 0; i < was.size(); ++i) set_current(static_cast<int>(i), was[i]);
  show_hop();
}

int PacketWalkPanel::own_mode() const {
  if (spec_.services.empty() || spec_.services.front().destinations.empty()) return 0;
  const std::string own = scenario::method_name(spec_.services.front().destinations.front().method);
  for (std::size_t i = 0; i < run::kTraceModes.size(); ++i)
    if (run::kTraceModes[i] == own) return static_cast<int>(i);
  return 0;
}

void PacketWalkPanel::step(int delta) {
  const int n = hop_count(active_);
  if (n == 0) return;
  if (!lesson_) {
    set_current(active_, std::clamp(current_hop(active_) + delta, 0, n - 1));
    return;
  }
  const std::vector<int> lines = columns_[active_]->visible_rows();
  const auto at = std::upper_bound(lines.begin(), lines.end(), current_hop(active_));  // the line holding it
  const int line = static_cast<int>(at - lines.begin()) - 1;
  go_to(active_, lines[std::clamp(line + delta, 0, static_cast<int>(lines.size()) - 1)]);
}

void PacketWalkPanel::go_to(int mode, int hop) {
  set_current(mode, hop);
  if (lesson_) follow(mode);
}

// Every other column to the hop of the same packet: at the same node and event if it passes
// there in that mode, else its hop at the same place in the packet's path.
void PacketWalkPanel::follow(int mode) {
  const int hop = current_hop(mode);
  if (hop < 0 || mode >= static_cast<int>(keys_.size())) return;
  const run::Trace& t = *walks_[mode].walk.trace;
  const PacketKey key = keys_[mode][hop];
  const int nth = nth_of_packet(t, hop);
  for (int m = 0; m < mode_count(); ++m) {
    if (m == mode || !walks_[m].walk.trace) continue;
    const int there = matching_row(*walks_[m].walk.trace, keys_[m], key, t.rows[hop], nth);
    if (there >= 0) set_current(m, there);
  }
}

void PacketWalkPanel::jump_to_director() {
  if (active_ >= mode_count() || !walks_[active_].walk.trace) return;
  const int hop = next_director_row(*walks_[active_].walk.trace, current_hop(active_), directors_[active_]);
  if (hop >= 0) go_to(active_, hop);
}

PacketKey PacketWalkPanel::current_packet(int mode) const {
  const int hop = current_hop(mode);
  if (hop < 0 || mode >= static_cast<int>(keys_.size())) return {};
  return keys_[mode][hop];
}

void PacketWalkPanel::set_current(int mode, int hop) {
  if (hop < 0 || hop >= hop_count(mode)) return;
  current_[mode] = hop;
  columns_[mode]->set_current(hop);
  if (mode == active_) show_hop();
}

void PacketWalkPanel::show_topology() {
  const bool walked = active_ < mode_count();
  const scenario::ScenarioSpec& s = walked ? walks_[active_].scenario : spec_;
  if (!topology_stale_ && s.file == topology_file_) return;
  topology_stale_ = false;
  topology_file_ = s.file;
  topology_->set_topology(s);
  overlay_->forget();  // the scene was cleared
}

void PacketWalkPanel::show_hop() {
  const int hop = current_hop(active_);
  back_->setEnabled(hop > 0);
  forward_->setEnabled(hop >= 0 && hop + 1 < hop_count(active_));
  marked_.clear();
  cells_.clear();
  if (hop < 0) {
    overlay_->hide_envelope();
    director_->setEnabled(false);
    packet_label_->clear();
    header_->setPlainText(mode_count() == 0 ? QStringLiteral("Trace a request to walk its hops.")
                                            : QStringLiteral("No walk in this mode."));
    topology_->clear_highlight();
    return;
  }
  const run::Trace& t = *walks_[active_].walk.trace;
  const run::TraceRow& r = t.rows[hop];
  FrameHeader h = frame_header(t, static_cast<std::size_t>(hop));
  header_->setHtml(h.html);
  marked_ = std::move(h.marked);
  cells_ = std::move(h.cells);
  director_->setEnabled(next_director_row(t, hop, directors_[active_]) >= 0);
  packet_label_->setText(QString::fromStdString(current_packet(active_).text()));
  topology_->highlight_hop(r.node, r.iface, r.is_frame());
  place_envelope();
}

QString PacketWalkPanel::header_text() const { return header_->toPlainText(); }

QString PacketWalkPanel::status_text() const { return status_->text(); }

bool PacketWalkPanel::handle_key(int key) {
  switch (key) {
    case Qt::Key_Left:
      step(-1);
      return true;
    case Qt::Key_Right:
      step(1);
      return true;
    case Qt::Key_Home:
      go_to(active_, 0);
      return true;
    case Qt::Key_End:
      go_to(active_, hop_count(active_) - 1);
      return true;
    default:
      return false;
  }
}

bool PacketWalkPanel::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::KeyPress && handle_key(static_cast<QKeyEvent*>(event)->key())) return true;
  return QWidget::eventFilter(watched, event);
}

void PacketWalkPanel::keyPressEvent(QKeyEvent* event) {
  if (!handle_key(event->key())) QWidget::keyPressEvent(event);
}

}  // namespace lvs::gui
