#include "topology_view.hpp"

#include <QFont>
#include <QFontDatabase>
#include <QGraphicsPathItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QPainter>
#include <QPen>
#include <QResizeEvent>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "number_text.hpp"
#include "qt_string.hpp"
#include "scenario/director_cpu_spec.hpp"
#include "topology_layout.hpp"
#include "topology_routes.hpp"

namespace lvs::gui {

namespace {

using Kind = TopologyNode::Kind;
using scenario::HostKind;

constexpr double kPad = 8, kLineGap = 1, kColumnGap = 64, kRowGap = 20, kMinBoxWidth = 96, kMargin = 16;
constexpr double kSubColumnGap = 36;  // between the sub-columns of a wrapped column
constexpr std::size_t kMaxRows = 6;   // a column with more boxes wraps into sub-columns
constexpr double kMaxScale = 1.5;     // a small topology in a big view: no giant letters
constexpr double kLegendSpace = 52;   // pixels under the drawing for the load caption and legend
const QColor kHighlight(200, 30, 200);
const QColor kBorder(71, 85, 105);
const QColor kLine(100, 116, 139);

enum class Style { Title, Subtitle, Address, Load };

struct Line {
  QString text;
  Style style;
  QString aside = {};  ///< subtitle text on the same row, after `text`
};

QString kind_word(HostKind k) {
  switch (k) {
    case HostKind::Client:
      return QStringLiteral("client");
    case HostKind::Router:
      return QStringLiteral("router");
    case HostKind::Server:
      return QStringLiteral("real server");
    case HostKind::Director:
      return QStringLiteral("director");
    case HostKind::Host:
      break;
  }
  return QStringLiteral("host");
}

QColor kind_colour(Kind kind, HostKind host) {
  if (kind == Kind::Segment) return {226, 232, 240};
  if (kind == Kind::Link) return {254, 243, 199};
  switch (host) {
    case HostKind::Client:
      return {219, 234, 254};
    case HostKind::Router:
      return {229, 231, 235};
    case HostKind::Server:
      return {220, 252, 231};
    case HostKind::Director:
      return {237, 233, 254};
    case HostKind::Host:
      break;
  }
  return Qt::white;
}

// Green at 0, amber at one half, red from 1 on.
QColor load_colour(double f) {
  const QColor green(22, 163, 74), amber(245, 158, 11), red(220, 38, 38);
  f = std::clamp(f, 0.0, 1.0);
  const QColor& a = f < 0.5 ? green : amber;
  const QColor& b = f < 0.5 ? amber : red;
  const double t = f < 0.5 ? f * 2 : (f - 0.5) * 2;
  const auto mix = [t](int x, int y) { return static_cast<int>(std::lround(x + (y - x) * t)); };
  return {mix(a.red(), b.red()), mix(a.green(), b.green()), mix(a.blue(), b.blue())};
}

// A box fill in `c`, light enough for dark text on it.
QColor light(const QColor& c) {
  const auto towards_white = [](int x) { return x + (255 - x) * 3 / 5; };
  return {towards_white(c.red()), towards_white(c.green()), towards_white(c.blue())};
}

QFont font_of(Style s) {
  QFont f = s == Style::Address ? QFontDatabase::systemFont(QFontDatabase::FixedFont) : QFont();
  f.setPointSizeF(s == Style::Title ? 10.5 : 9);
  f.setBold(s == Style::Title || s == Style::Load);
  f.setItalic(s == Style::Subtitle);
  return f;
}

// "192.168.1.100" or "192.168.1.100 VIP" when a service of the scenario listens on it.
QString address(const std::string& text, Ipv4Address a, const std::vector<Ipv4Address>& vips) {
  return q(text) + (std::find(vips.begin(), vips.end(), a) != vips.end() ? QStringLiteral(" VIP") : QString());
}

std::vector<Line> host_lines(const scenario::HostSpec& h, const std::vector<Ipv4Address>& vips) {
  std::vector<Line> out{{q(h.name), Style::Title, kind_word(h.kind)}};
  for (const scenario::InterfaceSpec& i : h.interfaces) {
    QString line = q(i.name) + QLatin1Char(' ') + address(i.address.str(), i.address.address(), vips);
    if (i.sources > 1) line += QStringLiteral(" ×%1").arg(i.sources);
    if (i.mtu != 1500) line += QStringLiteral(" mtu %1").arg(i.mtu);
    out.push_back({line, Style::Address});
    for (const Ipv4Prefix& a : i.secondary)
      out.push_back(
          {QString(i.name.size() + 1, QLatin1Char(' ')) + address(a.str(), a.address(), vips), Style::Address});
  }
  for (const Ipv4Address& a : h.loopback)
    out.push_back({QStringLiteral("lo ") + address(a.str(), a, vips), Style::Address});
  for (const Ipv4Address& a : h.tunnel)
    out.push_back({QStringLiteral("tunl0 ") + address(a.str(), a, vips), Style::Address});
  if (h.kind == HostKind::Director && find_director_profile(h.cpu.profile) != nullptr) {
    const DirectorCpuConfig cpu = scenario::director_cpu(h.cpu);
    const QString cores = QStringLiteral("%1 %2").arg(cpu.cores).arg(cpu.cores == 1 ? "core" : "cores");
    out.push_back({q(cpu.profile) + QStringLiteral(", ") + cores, Style::Subtitle});
  }
  return out;
}

std::vector<Line> lines_of(const scenario::ScenarioSpec& spec, const TopologyNode& n) {
  const scenario::TopologySpec& t = spec.topology;
  if (n.kind == Kind::Host) {
    std::vector<Ipv4Address> vips;
    for (const scenario::ServiceSpec& s : spec.services) vips.push_back(s.vip);
    return host_lines(t.hosts[n.index], vips);
  }
  if (n.kind == Kind::Segment)
    return {{q(n.name), Style::Title, QStringLiteral("switch ") + q(t.segments[n.index].port.rate.str())}};
  return {{q(n.name), Style::Title, QStringLiteral("link ") + q(t.links[n.index].tx.rate.str())}};
}

bool shows_load(Kind kind, HostKind host) {
  return kind != Kind::Host || host == HostKind::Server || host == HostKind::Director;
}

QString load_label(Kind kind, HostKind host, double f) {
  const QString what = kind != Kind::Host           ? QStringLiteral("load")
                       : host == HostKind::Director ? QStringLiteral("cpu")
                                                    : QStringLiteral("util");
  return what + QLatin1Char(' ') + percent_text(f);
}

}  // namespace

TopologyView::TopologyView(QWidget* parent) : QGraphicsView(parent) {
  setScene(new QGraphicsScene(this));
  setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setBackgroundBrush(Qt::white);
  setMinimumSize(240, 160);
  setAlignment(Qt::AlignHCenter | Qt::AlignTop);  // the load legend below
}

TopologyView::~TopologyView() = default;

void TopologyView::set_topology(const scenario::ScenarioSpec& spec) {
  scene()->clear();
  nodes_.clear();
  edges_.clear();
  load_.clear();
  caption_.clear();
  highlight_node_.clear();
  highlight_iface_.clear();
  double x = 0;
  std::vector<ColumnGeometry> columns;
  for (const std::vector<TopologyNode>& column : topology_columns(spec.topology)) {
    const std::size_t first = nodes_.size();
    for (const TopologyNode& n : column) nodes_.push_back(make_node(spec, n));
    columns.push_back(place_column(first, x));
    x = columns.back().right.back() + kColumnGap;
  }
  add_edges(spec.topology, columns);
  restyle();
  scene()->setSceneRect(scene()->itemsBoundingRect().adjusted(-kMargin, -kMargin, kMargin, kMargin));
  fit();
}

TopologyView::NodeView TopologyView::make_node(const scenario::ScenarioSpec& spec, const TopologyNode& n) {
  NodeView v{n.name, n.kind, n.kind == Kind::Host ? spec.topology.hosts[n.index].kind : HostKind::Host, n.column};
  auto* box = new QGraphicsRectItem;
  double y = kPad, width = kMinBoxWidth;
  const auto add_text = [&](const Line& l) {
    auto* text = new QGraphicsSimpleTextItem(l.text, box);
    text->setFont(font_of(l.style));
    text->setBrush(QColor(15, 23, 42));
    text->setPos(kPad, y);
    double right = text->boundingRect().width();
    if (!l.aside.isEmpty()) {  // baselines aligned by the bottoms of the two fonts' lines
      auto* aside = new QGraphicsSimpleTextItem(l.aside, box);
      aside->setFont(font_of(Style::Subtitle));
      aside->setBrush(QColor(71, 85, 105));
      aside->setPos(kPad + right + 8, y + text->boundingRect().height() - aside->boundingRect().height());
      right += 8 + aside->boundingRect().width();
    }
    y += text->boundingRect().height() + kLineGap;
    width = std::max(width, right + 2 * kPad);
    return text;
  };
  for (const Line& l : lines_of(spec, n)) add_text(l);
  if (shows_load(v.kind, v.host_kind)) {
    v.load_text = add_text({load_label(v.kind, v.host_kind, 1.0), Style::Load});  // sized for "100%"
    v.load_text->setText(QString());
  }
  box->setRect(0, 0, width, y - kLineGap + kPad);
  box->setData(kNameKey, q(n.name));
  box->setData(kKindKey, n.kind == Kind::Host      ? QStringLiteral("host")
                         : n.kind == Kind::Segment ? QStringLiteral("segment")
                                                   : QStringLiteral("link"));
  scene()->addItem(box);
  v.box = box;
  return v;
}

ColumnGeometry TopologyView::place_column(std::size_t first, double x) {
  const std::size_t n = nodes_.size() - first;
  const std::size_t subs = (n + kMaxRows - 1) / kMaxRows, rows = (n + subs - 1) / std::max<std::size_t>(subs, 1);
  std::vector<double> width(subs, 0.0), height(subs, -kRowGap);
  for (std::size_t i = 0; i < n; ++i) {  // down each sub-column, then the next: scenario order
    const QRectF r = nodes_[first + i].box->rect();
    width[i / rows] = std::max(width[i / rows], r.width());
    height[i / rows] += r.height() + kRowGap;
  }
  ColumnGeometry g;
  g.top = -*std::max_element(height.begin(), height.end()) / 2;  // each column centred on the same line
  for (std::size_t s = 0; s < subs; ++s) {
    g.left.push_back(s == 0 ? x : g.right.back() + kSubColumnGap);
    g.right.push_back(g.left.back() + width[s]);
  }
  double y = g.top;
  for (std::size_t i = 0; i < n; ++i) {
    NodeView& v = nodes_[first + i];
    if (i % rows == 0) y = g.top;
    v.sub = static_cast<int>(i / rows);
    v.box->setPos(g.left[v.sub] + (width[v.sub] - v.box->rect().width()) / 2, y);
    y += v.box->rect().height() + kRowGap;
  }
  return g;
}

void TopologyView::add_edges(const scenario::TopologySpec& t, const std::vector<ColumnGeometry>& columns) {
  std::vector<Route> routes;
  for (const scenario::HostSpec& h : t.hosts)
    for (const scenario::InterfaceSpec& i : h.interfaces) {
      const std::string& net = i.segment.empty() ? i.link : i.segment;
      const NodeView* a = find(h.name);
      const NodeView* b = find(net);
      if (a != nullptr && b != nullptr)
        routes.push_back({h.name, i.name, net, a->box->sceneBoundingRect(), b->box->sceneBoundingRect(), a->column,
                          b->column, a->sub});
    }
  const std::vector<QPainterPath> paths = route_paths(routes, columns, kColumnGap);
  for (std::size_t i = 0; i < routes.size(); ++i) {
    QGraphicsPathItem* line = scene()->addPath(paths[i]);
    line->setZValue(-2);
    edges_.push_back({routes[i].host, routes[i].iface, routes[i].net, line});
  }
}

const TopologyView::NodeView* TopologyView::find(const std::string& name) const {
  const auto it = std::find_if(nodes_.begin(), nodes_.end(), [&](const NodeView& v) { return v.name == name; });
  return it == nodes_.end() ? nullptr : &*it;
}

void TopologyView::set_load(const run::SeriesLayout& layout, const run::Sample& sample) {
  load_.clear();
  const auto take = [this](const std::vector<std::string>& names, const std::vector<double>& values, bool hosts,
                           HostKind kind) {
    for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) {
      const NodeView* v = find(names[i]);
      if (v != nullptr && (v->kind == Kind::Host) == hosts && (!hosts || v->host_kind == kind))
        load_[names[i]] = values[i];
    }
  };
  take(layout.servers, sample.server_utilization, true, HostKind::Server);
  take(layout.directors, sample.director_cpu, true, HostKind::Director);
  take(layout.links, sample.link_utilization, false, HostKind::Host);
  caption_ = gui::load_caption(sample.time_s);
  restyle();
  viewport()->update();
}

void TopologyView::clear_load() {
  load_.clear();
  caption_.clear();
  restyle();
  viewport()->update();
}

void TopologyView::highlight_hop(const std::string& node, const std::string& iface, bool is_frame) {
  highlight_node_ = find(node) != nullptr ? node : std::string();
  highlight_iface_ = is_frame && !highlight_node_.empty() ? iface : std::string();
  highlight_frame_ = is_frame;
  restyle();
}

void TopologyView::clear_highlight() { highlight_hop({}, {}, false); }

void TopologyView::grow_to_fit() {
  scene()->setSceneRect(scene()->itemsBoundingRect().adjusted(-kMargin, -kMargin, kMargin, kMargin));
  fit();
}

void TopologyView::restyle() {
  for (NodeView& v : nodes_) {
    const auto load = load_.find(v.name);
    const bool loaded = load != load_.end();
    QPen pen(kBorder, 1.2);
    if (loaded && v.kind != Kind::Host) pen = QPen(load_colour(load->second), 2.5);
    if (v.name == highlight_node_) pen = QPen(kHighlight, 4.5);
    v.box->setPen(pen);
    v.box->setBrush(loaded ? light(load_colour(load->second)) : kind_colour(v.kind, v.host_kind));
    if (v.load_text != nullptr)
      v.load_text->setText(loaded ? load_label(v.kind, v.host_kind, load->second) : QString());
  }
  for (EdgeView& e : edges_) {
    const auto load = load_.find(e.net);
    QPen pen(kLine, 1.5);
    if (load != load_.end()) pen = QPen(load_colour(load->second), 1.5 + 6 * std::clamp(load->second, 0.0, 1.0));
    const bool marked = !highlight_iface_.empty() && e.host == highlight_node_ && e.iface == highlight_iface_;
    if (marked) pen = QPen(kHighlight, 5);
    pen.setJoinStyle(Qt::MiterJoin);
    e.line->setPen(pen);
    e.line->setZValue(marked ? -1 : -2);  // over the other lines it shares a run with
  }
}

// The colours load_colour() passes through, and what the percentage on each kind of box is.
std::vector<std::pair<QColor, QString>> TopologyView::load_legend() {
  return {{load_colour(0.0), QStringLiteral("0%")},
          {load_colour(0.5), QStringLiteral("50%")},
          {load_colour(1.0), QStringLiteral("100% or more")}};
}

std::vector<std::string> TopologyView::node_names() const {
  std::vector<std::string> out;
  for (const NodeView& v : nodes_) out.push_back(v.name);
  return out;
}

double TopologyView::load_fraction(const std::string& name) const {
  const auto it = load_.find(name);
  return it == load_.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
}

QString TopologyView::node_text(const std::string& name) const {
  const NodeView* v = find(name);
  if (v == nullptr) return {};
  QStringList lines;
  for (const QGraphicsItem* child : v->box->childItems())
    if (const auto* text = dynamic_cast<const QGraphicsSimpleTextItem*>(child);
        text != nullptr && !text->text().isEmpty())
      lines << text->text();
  return lines.join(QLatin1Char('\n'));
}

QRectF TopologyView::node_rect(const std::string& name) const {
  const NodeView* v = find(name);
  return v == nullptr ? QRectF() : v->box->sceneBoundingRect();
}

QPainterPath TopologyView::interface_line(const std::string& host, const std::string& iface, std::string* net) const {
  for (const EdgeView& e : edges_) {
    if (e.host != host || e.iface != iface) continue;
    if (net != nullptr) *net = e.net;
    QPainterPath p = e.line->path();
    const QPointF centre = node_rect(host).center();  // routed from either end: start at the host
    const auto d = [&](QPointF a) { return std::hypot(a.x() - centre.x(), a.y() - centre.y()); };
    return d(p.pointAtPercent(0)) <= d(p.pointAtPercent(1)) ? p : p.toReversed();
  }
  return {};
}

void TopologyView::resizeEvent(QResizeEvent* event) {
  QGraphicsView::resizeEvent(event);
  fit();
}

void TopologyView::fit() {
  const QRectF r = sceneRect();
  if (r.isEmpty() || viewport()->width() <= 0 || viewport()->height() <= 0) return;
  // The bottom kLegendSpace pixels are the load legend's (drawForeground): the drawing sits
  // at the top, above them.
  const double height = std::max(1.0, viewport()->height() - kLegendSpace);
  const double s = std::min({viewport()->width() / r.width(), height / r.height(), kMaxScale});
  setTransform(QTransform::fromScale(s, s));
  centerOn(r.center());
}

}  // namespace lvs::gui
