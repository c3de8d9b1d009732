#pragma once
// What the packet walk draws over its topology: the request's path (the client's first
// packet, hop by hop along the drawn lines) and its return path (the server side's first
// packet), so that each mode's route is seen — NAT and FULLNAT replies back through the
// director, DR and TUN replies straight to the client — and the envelope the animation moves
// along one wire at a time. Its items live in the view's scene; after the view redraws its
// topology (set_topology clears the scene) call forget().

#include <QPainterPath>
#include <QPointF>
#include <QString>

#include <set>
#include <string>

#include "run/trace.hpp"

class QGraphicsPathItem;

namespace lvs::gui {

class TopologyView;

class WalkOverlay {
 public:
  explicit WalkOverlay(TopologyView* view) : view_(view) {}

  /// The view's scene was cleared: the items are gone.
  void forget();
  /// Draws the request's and the return path of `t`; `directors` names the directors.
  void show_paths(const run::Trace& t, const std::set<std::string>& directors);
  /// Removes the paths and the envelope.
  void clear();
  /// The wire an out row crosses: from its interface to the next row where the same packet
  /// comes in (`to` gets that row); empty for any other row, or when nothing receives it.
  QPainterPath wire(const run::Trace& t, int row, int* to = nullptr) const;
  /// Puts the envelope `progress` (0..1) along `wire`.
  void put_envelope(const QPainterPath& wire, double progress);
  void hide_envelope();

  bool envelope_visible() const;
  QPointF envelope_pos() const;
  /// Paths drawn (0, 1 or 2).
  int path_count() const;
  /// The route of the replies in words: "replies rs3 > director > router > clients-a: back
  /// through the director", or "... : straight to the client, not through the director".
  const QString& caption() const { return caption_; }

 private:
  QPainterPath packet_path(const run::Trace& t, bool to_server, std::vector<std::string>* nodes) const;

  TopologyView* view_;
  QGraphicsPathItem* request_ = nullptr;
  QGraphicsPathItem* reply_ = nullptr;
  QGraphicsPathItem* envelope_ = nullptr;
  QString caption_;
};

}  // namespace lvs::gui
