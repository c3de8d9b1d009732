#pragma once
// A scenario's topology as a picture: clients on the left, real servers on the right, in
// columns by hop distance (topology_layout.hpp). Each host is a box with its name, its kind
// (a colour per kind) and its addresses; each segment (a switch) a box with its name and
// port rate; each point-to-point link a small box with its name and rate, between its two
// ends. Lines join every interface to its segment or link. A run's sample can colour it
// (set_load) and a packet walk can mark its current hop (highlight_hop).

#include <QGraphicsView>
#include <QPainterPath>
#include <QString>

#include <QColor>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "run/results.hpp"
#include "scenario/scenario_spec.hpp"
#include "topology_layout.hpp"
#include "topology_routes.hpp"

class QGraphicsPathItem;
class QGraphicsRectItem;
class QGraphicsSimpleTextItem;

namespace lvs::gui {

/// The caption of a topology coloured by the sample taken at `sample_time_s`.
QString load_caption(double sample_time_s);

class TopologyView : public QGraphicsView {
  Q_OBJECT

 public:
  /// Item data keys on each node's box in scene(): its name and its kind ("host", "segment", "link").
  static constexpr int kNameKey = 0, kKindKey = 1;

  explicit TopologyView(QWidget* parent = nullptr);
  ~TopologyView() override;

  /// Draws the topology of `spec` afresh (no load, no highlight).
  void set_topology(const scenario::ScenarioSpec& spec);
  /// Colours each real server by its utilisation, each director by its CPU and each
  /// segment or link (and its lines) by its link utilisation, with the percentage shown:
  /// the figures of `sample` alone (one sample interval, not the whole run), which the
  /// caption says, above a legend of the load colours.
  void set_load(const run::SeriesLayout& layout, const run::Sample& sample);
  /// Back to the colours of each kind, no caption and no legend.
  void clear_load();
  /// What the load colours show ("" when none): "Load in the sample at 10.0 s ...".
  const QString& load_caption() const { return caption_; }
  /// The colour legend's entries, drawn with the load: each load's colour and its label.
  static std::vector<std::pair<QColor, QString>> load_legend();
  /// Marks `node` and, for a frame (`is_frame`), the line of its interface `iface`.
  void highlight_hop(const std::string& node, const std::string& iface, bool is_frame);
  /// Removes the mark.
  void clear_highlight();
  /// Makes room in the scene for items added over the drawing (topology_marks.hpp) and fits
  /// the view to it again.
  void grow_to_fit();

  /// The hosts, segments and links drawn, in scenario order (segments, links, hosts).
  std::vector<std::string> node_names() const;
  /// The load fraction shown on `name` (0..1 and more); NaN if none.
  double load_fraction(const std::string& name) const;
  /// The node marked by highlight_hop(), or "".
  const std::string& highlighted_node() const { return highlight_node_; }
  /// The interface whose line is marked, or "".
  const std::string& highlighted_iface() const { return highlight_iface_; }
  /// The text lines of the box of `name`, joined by '\n' ("" if there is none).
  QString node_text(const std::string& name) const;
  /// The box of `name` in scene coordinates (empty if there is none).
  QRectF node_rect(const std::string& name) const;
  /// The line from `host`'s interface `iface` to its segment or link, starting at the host
  /// (scene coordinates; empty if there is none); `net` gets the segment's or link's name.
  QPainterPath interface_line(const std::string& host, const std::string& iface, std::string* net = nullptr) const;

 protected:
  void resizeEvent(QResizeEvent* event) override;
  void drawForeground(QPainter* painter, const QRectF& rect) override;

 private:
  struct NodeView {
    std::string name;
    TopologyNode::Kind kind = TopologyNode::Kind::Host;
    scenario::HostKind host_kind = scenario::HostKind::Host;  // hosts only
    int column = 0;
    int sub = 0;  // sub-column, in a wrapped column
    QGraphicsRectItem* box = nullptr;
    QGraphicsSimpleTextItem* load_text = nullptr;
  };
  struct EdgeView {
    std::string host, iface, net;  // net: the segment or link
    QGraphicsPathItem* line = nullptr;
  };

  NodeView make_node(const scenario::ScenarioSpec& spec, const TopologyNode& n);
  // Stacks nodes_[first..] as one column from `x`, centred on y = 0, wrapped into sub-columns
  // of at most kMaxRows boxes.
  ColumnGeometry place_column(std::size_t first, double x);
  // The lines from each interface to its segment or link.
  void add_edges(const scenario::TopologySpec& t, const std::vector<ColumnGeometry>& columns);
  const NodeView* find(const std::string& name) const;
  void restyle();
  void fit();

  std::vector<NodeView> nodes_;
  std::vector<EdgeView> edges_;
  std::map<std::string, double> load_;
  QString caption_;
  std::string highlight_node_, highlight_iface_;
  bool highlight_frame_ = false;
};

}  // namespace lvs::gui
