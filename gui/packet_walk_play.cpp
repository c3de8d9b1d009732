// The packet walk's topology side: the route of the active walk drawn over the topology,
// and Play, which moves an envelope along the current hop's wire and then steps the walk
// (all columns, in the lesson), one line after another. The envelope moves on a
// QVariantAnimation: Qt's animation timer drives it at about 60 frames a second from the
// event loop, so nothing waits and the GUI stays responsive while it plays.

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <QVariantAnimation>

#include "packet_walk_panel.hpp"
#include "topology_view.hpp"
#include "walk_column.hpp"
#include "walk_overlay.hpp"

namespace lvs::gui {

namespace {

constexpr int kWireMs = 900;  // one wire at speed 1
constexpr int kStepMs = 300;  // a line that crosses no wire (an action, a folded ARP exchange)

}  // namespace

QWidget* PacketWalkPanel::build_topology_side() {
  topology_ = new TopologyView;
  overlay_ = std::make_unique<WalkOverlay>(topology_);
  play_ = new QPushButton(QStringLiteral("▶ Play"));
  play_->setToolTip(QStringLiteral("the envelope follows the packet hop by hop; the columns step with it"));
  speed_ = new QComboBox;
  for (const double f : {0.5, 1.0, 2.0, 4.0}) speed_->addItem(QStringLiteral("%1×").arg(f), f);
  speed_->setCurrentIndex(1);
  route_ = new QLabel;
  route_->setWordWrap(true);
  route_->setToolTip(QStringLiteral("blue: the client's first packet; orange: the first reply"));
  animation_ = new QVariantAnimation(this);
  animation_->setStartValue(0.0);
  animation_->setEndValue(1.0);
  connect(play_, &QPushButton::clicked, this, [this] { set_playing(!playing_); });
  connect(speed_, &QComboBox::currentIndexChanged, this, [this] { set_speed(speed_->currentData().toDouble()); });
  connect(animation_, &QVariantAnimation::valueChanged, this,
          [this](const QVariant& v) { overlay_->put_envelope(wire_, v.toDouble()); });
  connect(animation_, &QVariantAnimation::finished, this, [this] {
    if (!playing_) return;
    if (wire_to_ >= 0)
      go_to(active_, wire_to_);  // where the frame comes in
    else
      step(1);
    emit played();
    play_hop();
  });
  auto* bar = new QHBoxLayout;
  bar->addWidget(play_);
  bar->addWidget(speed_);
  bar->addWidget(route_, 1);
  auto* side = new QWidget;
  auto* layout = new QVBoxLayout(side);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(bar);
  layout->addWidget(topology_, 1);
  return side;
}

void PacketWalkPanel::set_speed(double factor) {
  speed_factor_ = factor > 0 ? factor : 1;
  const int i = speed_->findData(speed_factor_);
  if (i >= 0 && i != speed_->currentIndex()) speed_->setCurrentIndex(i);
}

QString PacketWalkPanel::route_text() const { return route_->text(); }

void PacketWalkPanel::set_playing(bool on) {
  playing_ = on && mode_count() > 0;
  play_->setText(playing_ ? QStringLiteral("⏸ Pause") : QStringLiteral("▶ Play"));
  if (playing_)
    play_hop();
  else
    animation_->stop();
}

// Crosses the current hop's wire (or waits a moment on a line without one); when the
// animation ends, the walk goes to the row where the frame came in (or its next line) and
// the next hop plays. The last line stops it.
void PacketWalkPanel::play_hop() {
  const int hop = current_hop(active_);
  const std::vector<int> lines = columns_[active_]->visible_rows();
  if (!playing_ || hop < 0 || lines.empty() || hop >= lines.back()) {
    set_playing(false);
    return;
  }
  wire_to_ = -1;
  wire_ = overlay_->wire(*walks_[active_].walk.trace, hop, &wire_to_);
  animation_->setDuration(static_cast<int>((wire_.isEmpty() ? kStepMs : kWireMs) / speed_factor_));
  animation_->start();
}

// Without play, the envelope waits where the current hop is: at the start of an out row's
// wire, at the node otherwise.
void PacketWalkPanel::place_envelope() {
  if (animation_->state() == QAbstractAnimation::Running) return;
  const int hop = current_hop(active_);
  const run::TraceRow& r = walks_[active_].walk.trace->rows[hop];
  const QPainterPath wire = overlay_->wire(*walks_[active_].walk.trace, hop);
  QPainterPath at;
  at.moveTo(topology_->node_rect(r.node).center());
  overlay_->put_envelope(wire.isEmpty() ? at : wire, 0);
}

void PacketWalkPanel::show_route() {
  if (active_ >= mode_count() || !walks_[active_].walk.trace) {
    overlay_->clear();
    route_->clear();
    return;
  }
  overlay_->show_paths(*walks_[active_].walk.trace, directors_[active_]);
  route_->setText(overlay_->caption());
}

}  // namespace lvs::gui
