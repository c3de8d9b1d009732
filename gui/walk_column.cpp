#include "walk_column.hpp"

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

QString q(const std::string& s) { return QString::fromStdString(s); }

QString micros(Time t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(t.count()) / 1e3);
  return QString::fromLatin1(buf);
}

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

// The frame in a few words: "TCP S. 78B", "ARP who-has 10.1.0.11"; an action's own text.
QString short_text(const run::TraceRow& r) {
  if (!r.is_frame()) return q(r.text);
  const Packet& p = r.packet;
  if (p.ethertype == EtherType::Arp)
    return p.arp.op == ArpOp::Request ? QStringLiteral("ARP who-has %1").arg(q(p.arp.target_ip.str()))
                                      : QStringLiteral("ARP %1 is-at").arg(q(p.arp.sender_ip.str()));
  QString kind = p.ip.proto == IpProto::Tcp   ? QStringLiteral("TCP ") + q(tcp_flags_text(p))
                 : p.ip.proto == IpProto::Udp ? QStringLiteral("UDP")
                                              : QStringLiteral("ICMP");
  if (p.encapsulated) kind = QStringLiteral("IPIP ") + kind;
  return QStringLiteral("%1 %2B%3").arg(kind).arg(p.frame_bytes()).arg(r.changed.empty() ? "" : " *");
}

QString tooltip(const run::TraceRow& r) {
  const Packet& p = r.packet;
  if (p.ethertype == EtherType::Arp) return short_text(r);
  return QStringLiteral("%1:%2 > %3:%4").arg(q(p.ip.src.str())).arg(p.sport).arg(q(p.ip.dst.str())).arg(p.dport) +
         (r.is_frame() ? QString() : QStringLiteral("\n") + q(r.text));
}

QTreeWidgetItem* hop_item(const run::TraceRow& r) {
  auto* item = new QTreeWidgetItem(QStringList{micros(r.t), q(r.iface.empty() ? r.node : r.node + "/" + r.iface),
                                               event_word(r.event), short_text(r)});
  const QColor colour = r.event == run::HopEvent::Drop     ? QColor(185, 28, 28)
                        : r.event == run::HopEvent::Action ? QColor(14, 116, 144)
                        : r.to_server                      ? QColor(15, 23, 42)
                                                           : QColor(71, 85, 105);
  for (int c = 0; c < 4; ++c) {
    item->setForeground(c, colour);
    item->setToolTip(c, tooltip(r));
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
      {QStringLiteral("t/µs"), QStringLiteral("node/iface"), QString(), QStringLiteral("frame or action")});
  hops_->setRootIsDecorated(false);
  hops_->setUniformRowHeights(true);
  hops_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  hops_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  hops_->header()->setStretchLastSection(true);
  hops_->installEventFilter(this);
  hops_->viewport()->installEventFilter(this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  for (QWidget* w : {static_cast<QWidget*>(title_), static_cast<QWidget*>(note_), static_cast<QWidget*>(summary_)})
    layout->addWidget(w);
  layout->addWidget(hops_, 1);
  connect(hops_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
    if (item != nullptr) emit hop_picked(hops_->indexOfTopLevelItem(item));
  });
  clear(QStringLiteral("not traced yet"));
  set_active(false);
}

void WalkColumn::set_walk(const ModeWalk& w, const std::string& user_file) {
  const std::string file = std::filesystem::path(w.walk.file).filename().string();
  title_->setText(QStringLiteral("<b>%1</b> &nbsp;%2").arg(mode_.toUpper(), q(file).toHtmlEscaped()));
  const bool elsewhere = w.walk.file != user_file || !w.walk.trace;
  note_->setText(q(w.walk.note));
  note_->setVisible(elsewhere || !w.walk.changes.empty());  // a fallback's reason, or the variant's changes
  summary_->setText(w.walk.trace ? summary_of(w.walk.trace->summary) : QStringLiteral("not run"));
  const QSignalBlocker quiet(hops_);
  hops_->clear();
  if (w.walk.trace)
    for (const run::TraceRow& r : w.walk.trace->rows) hops_->addTopLevelItem(hop_item(r));
}

void WalkColumn::clear(const QString& message) {
  title_->setText(QStringLiteral("<b>%1</b>").arg(mode_.toUpper()));
  note_->clear();
  note_->hide();
  summary_->setText(message);
  const QSignalBlocker quiet(hops_);
  hops_->clear();
}

void WalkColumn::set_current(int i) {
  const QSignalBlocker quiet(hops_);
  QTreeWidgetItem* item = i >= 0 ? hops_->topLevelItem(i) : nullptr;
  hops_->setCurrentItem(item);
  if (item != nullptr) hops_->scrollToItem(item);
}

void WalkColumn::set_active(bool active) {
  setStyleSheet(active ? QStringLiteral("#walkColumn { border: 2px solid #c026d3; border-radius: 4px; }")
                       : QStringLiteral("#walkColumn { border: 2px solid #e2e8f0; border-radius: 4px; }"));
}

int WalkColumn::hop_count() const { return hops_->topLevelItemCount(); }

QString WalkColumn::summary_text() const { return summary_->text(); }

QString WalkColumn::title_text() const {
  return note_->isHidden() ? title_->text() : title_->text() + QLatin1Char('\n') + note_->text();
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
