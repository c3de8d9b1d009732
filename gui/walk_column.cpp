#include "walk_column.hpp"

#include "qt_string.hpp"
#include "walk_lesson.hpp"

#include <QEvent>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QSignalBlocker>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cstdio>
#include <filesystem>

namespace lvs::gui {

namespace {

// Milliseconds from the request's first row, 3 decimals: microseconds are still visible.
QString millis(Time t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(t.count()) / 1e6);
  return QString::fromLatin1(buf);
}

constexpr int kRowRole = Qt::UserRole;  // item data: the trace row the line starts at

QString event_word(run::HopEvent e) {
  switch (e) {
    case run::HopEvent::In:
      return QStringLiteral("in");
    case run::HopEvent::Out:
      return QStringLiteral("out");
    case run::HopEvent::Action:
      return QStringLiteral("act");
    case run::HopEvent::Drop:
      return QStringLiteral("drop");
  }
  return {};
}

// The frame in a few words: "S. 78B" (TCP: its flags), "IPIP S 98B", "UDP 120B", "ARP
// who-has 10.1.0.11"; an action's own text. Short, for four columns side by side.
QString short_text(const run::TraceRow& r) {
  if (!r.is_frame()) return q(r.text);
  const Packet& p = r.packet;
  if (p.ethertype == EtherType::Arp)
    return p.arp.op == ArpOp::Request ? QStringLiteral("ARP who-has %1").arg(q(p.arp.target_ip.str()))
                                      : QStringLiteral("ARP %1 is-at").arg(q(p.arp.sender_ip.str()));
  QString kind = p.ip.proto == IpProto::Tcp   ? q(tcp_flags_text(p))
                 : p.ip.proto == IpProto::Udp ? QStringLiteral("UDP")
                                              : QStringLiteral("ICMP");
  if (p.encapsulated) kind = QStringLiteral("IPIP ") + kind;
  return QStringLiteral("%1 %2B%3").arg(kind).arg(p.frame_bytes()).arg(r.changed.empty() ? "" : " *");
}

QString tooltip(const run::TraceRow& r) {
  const Packet& p = r.packet;
  if (p.ethertype == EtherType::Arp) return short_text(r);
  return q(r.iface.empty() ? r.node : r.node + "/" + r.iface) + QLatin1Char('\n') +
         QStringLiteral("%1:%2 > %3:%4").arg(q(p.ip.src.str())).arg(p.sport).arg(q(p.ip.dst.str())).arg(p.dport) +
         (r.is_frame() ? QString() : QStringLiteral("\n") + q(r.text));
}

constexpr int kColumns = 3;  // t/ms, hop, frame or action

// "director out", "router in": the node without its interface (the tooltip and the frame
// pane name it), so that four columns fit side by side.
QTreeWidgetItem* hop_item(const run::TraceRow& r) {
  auto* item = new QTreeWidgetItem(QStringList{millis(r.t), q(r.node) + QLatin1Char(' ') + event_word(r.event),
                                               short_text(r)});
  const QColor colour = r.event == run::HopEvent::Drop     ? QColor(185, 28, 28)
                        : r.event == run::HopEvent::Action ? QColor(14, 116, 144)
                        : r.to_server                      ? QColor(15, 23, 42)
                                                           : QColor(71, 85, 105);
  item->setTextAlignment(0, Qt::AlignRight);
  for (int c = 0; c < kColumns; ++c) {
    item->setForeground(c, colour);
    item->setToolTip(c, tooltip(r));
  }
  return item;
}

// The line of a folded run of ARP rows: "ARP ×7 who-has 192.168.1.13 > rs3/eth0", the first
// address asked for and the first interface that answered (a run may hold only the answer).
QTreeWidgetItem* arp_run_item(const run::Trace& t, int first, int last) {
  QString asked, answered;
  for (int i = first; i <= last; ++i) {
    const Packet& p = t.rows[i].packet;
    if (asked.isEmpty() && p.arp.op == ArpOp::Request) asked = q(p.arp.target_ip.str());
    if (answered.isEmpty() && p.arp.op == ArpOp::Reply && t.rows[i].is_frame())
      answered = q(t.rows[i].iface.empty() ? t.rows[i].node : t.rows[i].node + "/" + t.rows[i].iface);
  }
  QString what = QStringLiteral("ARP ×%1").arg(last - first + 1);
  if (!asked.isEmpty()) what += QStringLiteral(" who-has ") + asked;
  if (!answered.isEmpty()) what += QStringLiteral(" > ") + answered;
  auto* item = new QTreeWidgetItem(QStringList{millis(t.rows[first].t), q(t.rows[first].node), what});
  item->setData(0, kRowRole, first);
  for (int c = 0; c < kColumns; ++c) {
    item->setForeground(c, QColor(100, 116, 139));
    item->setToolTip(c, what + QStringLiteral("\n%1 ARP rows folded: expand to see each").arg(last - first + 1));
  }
  return item;
}

QString summary_of(const run::TraceSummary& s) {
  return QStringLiteral(
             "%1 packets, %2 hops; director: %3 frames in (%4 from client, %5 from server side), "
             "%6 B in, %7 B out")
      .arg(s.packets)
      .arg(s.hops)
      .arg(s.director_frames)
      .arg(s.director_to_server)
      .arg(s.director_to_client)
      .arg(s.director_bytes_in)
      .arg(s.director_bytes_out);
}

}  // namespace

WalkColumn::WalkColumn(const QString& mode, QWidget* parent)
    : QFrame(parent), mode_(mode), title_(new QLabel), note_(new QLabel), summary_(new QLabel), hops_(new QTreeWidget) {
  setObjectName(QStringLiteral("walkColumn"));
  title_->setTextFormat(Qt::RichText);
  for (QLabel* l : {note_, summary_}) {
    l->setWordWrap(true);
    l->setStyleSheet(QStringLiteral("color: #475569;"));
  }
  hops_->setHeaderLabels(
      {QStringLiteral("t/ms"), QStringLiteral("hop"), QStringLiteral("frame")});
  hops_->setRootIsDecorated(false);
  hops_->setUniformRowHeights(true);
  // The proportional font and no sideways scrolling: four columns fit 1334 pixels; the
  // frame's text is elided (its tooltip and the frame pane have all of it).
  hops_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  hops_->setTextElideMode(Qt::ElideRight);
  hops_->setIndentation(12);
  // Time and hop as wide as their text; the frame takes the rest and no more, so its text
  // is elided inside the column (sized to its text, it ran past the column's edge unseen).
  hops_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  hops_->header()->setStretchLastSection(false);
  hops_->header()->setSectionResizeMode(2, QHeaderView::Stretch);
  hops_->header()->setMinimumSectionSize(24);
  hops_->installEventFilter(this);
  hops_->viewport()->installEventFilter(this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  for (QWidget* w : {static_cast<QWidget*>(title_), static_cast<QWidget*>(note_), static_cast<QWidget*>(summary_)})
    layout->addWidget(w);
  layout->addWidget(hops_, 1);
  connect(hops_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
    if (item != nullptr) emit hop_picked(item->data(0, kRowRole).toInt());
  });
  clear(QStringLiteral("not traced yet"));
  set_active(false);
}

void WalkColumn::set_walk(const ModeWalk& w, const std::string& user_file, bool fold) {
  const std::string file = std::filesystem::path(w.walk.file).filename().string();
  title_->setText(QStringLiteral("<b>%1</b> &nbsp;%2").arg(mode_.toUpper(), q(file).toHtmlEscaped()));
  const bool elsewhere = w.walk.file != user_file || !w.walk.trace;
  // A fallback's reason is shown (the column walks another scenario); a derived variant's
  // changes are the title's tooltip, to leave the column its height.
  note_->setText(q(w.walk.note));
  note_->setVisible(elsewhere);
  noted_ = elsewhere || !w.walk.changes.empty();
  title_->setToolTip(noted_ ? q(w.walk.note) : QString());
  if (noted_ && !elsewhere) title_->setText(title_->text() + QStringLiteral(" <i>(derived)</i>"));
  summary_->setText(w.walk.trace ? summary_of(w.walk.trace->summary) : QStringLiteral("not run"));
  const QSignalBlocker quiet(hops_);
  hops_->clear();
  items_.clear();
  runs_.clear();
  hops_->setRootIsDecorated(fold);
  if (!w.walk.trace) return;
  const run::Trace& t = *w.walk.trace;
  std::vector<std::pair<int, int>> runs = fold ? arp_runs(t) : std::vector<std::pair<int, int>>{};
  std::size_t next_run = 0;
  QTreeWidgetItem* run = nullptr;
  int run_last = -1;

  for (int i = 0; i < static_cast<int>(t.rows.size()); ++i) {
    if (next_run < runs.size() && runs[next_run].first == i) {
      run = arp_run_item(t, i, runs[next_run].second);
      run_last = runs[next_run++].second;
      hops_->addTopLevelItem(run);
      runs_.push_back(run);
    }
    QTreeWidgetItem* item = hop_item(t.rows[i]);
    item->setData(0, kRowRole, i);
    if (run != nullptr && i <= run_last)
      run->addChild(item);
    else
      hops_->addTopLevelItem(item);
    items_.push_back(item);
  }
}

void WalkColumn::clear(const QString& message) {
  title_->setText(QStringLiteral("<b>%1</b>").arg(mode_.toUpper()));
  note_->clear();
  note_->hide();
  noted_ = false;
  title_->setToolTip(QString());
  summary_->setText(message);
  const QSignalBlocker quiet(hops_);
  hops_->clear();
  items_.clear();
  runs_.clear();
}

void WalkColumn::set_current(int i) {
  const QSignalBlocker quiet(hops_);
  QTreeWidgetItem* item = i >= 0 && i < hop_count() ? items_[i] : nullptr;
  if (item != nullptr && item->parent() != nullptr && !item->parent()->isExpanded()) item = item->parent();
  hops_->setCurrentItem(item);
  if (item != nullptr) hops_->scrollToItem(item);
}

std::vector<int> WalkColumn::visible_rows() const {
  std::vector<int> rows;
  for (int k = 0; k < hops_->topLevelItemCount(); ++k) {
    const QTreeWidgetItem* line = hops_->topLevelItem(k);
    rows.push_back(line->data(0, kRowRole).toInt());
    if (!line->isExpanded()) continue;
    for (int c = 1; c < line->childCount(); ++c) rows.push_back(line->child(c)->data(0, kRowRole).toInt());
  }
  return rows;
}

int WalkColumn::line_count() const { return static_cast<int>(visible_rows().size()); }

QTreeWidgetItem* WalkColumn::arp_line(int k) const {
  return k >= 0 && k < static_cast<int>(runs_.size()) ? runs_[k] : nullptr;
}

void WalkColumn::set_active(bool active) {
  setStyleSheet(active ? QStringLiteral("#walkColumn { border: 2px solid #c026d3; border-radius: 4px; }")
                       : QStringLiteral("#walkColumn { border: 2px solid #e2e8f0; border-radius: 4px; }"));
}

QString WalkColumn::summary_text() const { return summary_->text(); }

QString WalkColumn::title_text() const {
  return noted_ ? title_->text() + QLatin1Char('\n') + note_->text() : title_->text();
}

void WalkColumn::mousePressEvent(QMouseEvent* event) {
  emit activated();
  QFrame::mousePressEvent(event);
}

bool WalkColumn::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::MouseButtonPress || event->type() == QEvent::FocusIn) emit activated();
  return QFrame::eventFilter(watched, event);
}

}  // namespace lvs::gui
