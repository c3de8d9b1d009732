#include "walk_overlay.hpp"

#include <QBrush>
#include <QGraphicsPathItem>
#include <QGraphicsScene>
#include <QPen>

#include <algorithm>
#include <vector>

#include "topology_view.hpp"

namespace lvs::gui {

namespace {

const QColor kRequest(37, 99, 235, 120);  // the client's packet: blue
const QColor kReply(234, 88, 12, 120);    // the server side's: orange

// An envelope 18 by 12, centred on (0, 0): the rectangle and its flap.
QPainterPath envelope_shape() {
  QPainterPath p;
  p.addRect(-9, -6, 18, 12);
  p.moveTo(-9, -6);
  p.lineTo(0, 1);
  p.lineTo(9, -6);
  return p;
}

}  // namespace

void WalkOverlay::forget() {
  request_ = reply_ = envelope_ = nullptr;
  caption_.clear();
}

void WalkOverlay::clear() {
  for (QGraphicsPathItem** item : {&request_, &reply_, &envelope_}) {
    delete *item;  // removes it from the scene
    *item = nullptr;
  }
  caption_.clear();
}

QPainterPath WalkOverlay::wire(const run::Trace& t, int row, int* to) const {
  const run::TraceRow& r = t.rows[row];
  if (r.event != run::HopEvent::Out) return {};
  for (int j = row + 1; j < static_cast<int>(t.rows.size()); ++j) {
    const run::TraceRow& in = t.rows[j];
    if (in.event != run::HopEvent::In || in.packet.id != r.packet.id) continue;
    QPainterPath p = view_->interface_line(r.node, r.iface);
    const QPainterPath there = view_->interface_line(in.node, in.iface).toReversed();
    if (p.isEmpty() || there.isEmpty()) return {};
    p.connectPath(there);
    if (to != nullptr) *to = j;
    return p;
  }
  return {};
}

// The wires the first packet of the flow sent by the client (or by the server side, back to
// it) crosses, end to end; `nodes` gets the hosts it reaches, the sender first. A packet of
// the flow is addressed as the client's at some row (a FULLNAT reply, after the director).
QPainterPath WalkOverlay::packet_path(const run::Trace& t, bool to_server, std::vector<std::string>* nodes) const {
  const auto of_flow = [&](const Packet& p) {
    return p.ethertype == EtherType::Ipv4 && p.ip.proto == t.proto &&
           (to_server ? p.ip.src == t.src && p.sport == t.sport : p.ip.dst == t.src && p.dport == t.sport);
  };
  const auto first = std::find_if(t.rows.begin(), t.rows.end(),
                                  [&](const run::TraceRow& r) { return r.to_server == to_server && of_flow(r.packet); });
  QPainterPath path;
  if (first == t.rows.end()) return path;
  const std::uint64_t id = first->packet.id;
  bool started = false;
  for (int i = 0; i < static_cast<int>(t.rows.size()); ++i) {
    if (t.rows[i].packet.id != id || t.rows[i].packet.ethertype != EtherType::Ipv4) continue;
    if (!started) nodes->push_back(t.rows[i].node), started = true;
    int to = -1;
    const QPainterPath w = wire(t, i, &to);
    if (w.isEmpty()) continue;
    path.addPath(w);
    nodes->push_back(t.rows[to].node);
  }
  return path;
}

void WalkOverlay::show_paths(const run::Trace& t, const std::set<std::string>& directors) {
  clear();
  std::vector<std::string> there, back;
  const QPainterPath request = packet_path(t, true, &there), reply = packet_path(t, false, &back);
  const auto draw = [this](const QPainterPath& p, const QColor& colour) {
    QGraphicsPathItem* item = view_->scene()->addPath(p, QPen(colour, 7, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    item->setZValue(-0.5);  // over the topology's lines, under its boxes
    return item;
  };
  if (!request.isEmpty()) request_ = draw(request, kRequest);
  // The reply a few pixels aside: where it shares wires with the request, both stay visible.
  if (!reply.isEmpty()) reply_ = draw(reply.translated(5, 5), kReply);
  if (back.empty()) return;
  bool through = false;
  QString route;
  for (const std::string& n : back) {
    through = through || directors.count(n) != 0;
    route += (route.isEmpty() ? QString() : QStringLiteral(" > ")) + QString::fromStdString(n);
  }
  caption_ = QStringLiteral("replies %1: %2")
                 .arg(route, through ? QStringLiteral("back through the director")
                                     : QStringLiteral("straight to the client, not through the director"));
}

void WalkOverlay::put_envelope(const QPainterPath& wire, double progress) {
  if (wire.isEmpty()) return;
  if (envelope_ == nullptr) {
    envelope_ = view_->scene()->addPath(envelope_shape(), QPen(QColor(15, 23, 42), 1.2), QBrush(QColor(253, 224, 71)));
    envelope_->setZValue(5);
  }
  envelope_->setPos(wire.pointAtPercent(std::clamp(progress, 0.0, 1.0)));
  envelope_->show();
}

void WalkOverlay::hide_envelope() {
  if (envelope_ != nullptr) envelope_->hide();
}

bool WalkOverlay::envelope_visible() const { return envelope_ != nullptr && envelope_->isVisible(); }

QPointF WalkOverlay::envelope_pos() const { return envelope_ != nullptr ? envelope_->pos() : QPointF(); }

int WalkOverlay::path_count() const { return (request_ != nullptr) + (reply_ != nullptr); }

}  // namespace lvs::gui
