#include "topology_marks.hpp"

#include <QBrush>
#include <QFont>
#include <QGraphicsPathItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QPainterPath>
#include <QPen>

#include <algorithm>
#include <map>

#include "qt_string.hpp"
#include "run/number_text.hpp"
#include "topology_view.hpp"

namespace lvs::gui {

namespace {

const QString kState = QStringLiteral("state"), kRole = QStringLiteral("role"), kMount = QStringLiteral("mount");
const QColor kDown(220, 38, 38), kMaster(37, 99, 235), kStorage(124, 58, 237);
constexpr double kBulge = 56;       // px: how far a mount curve swings out beside the column
constexpr double kOutline = 4;      // px around a marked box
constexpr std::size_t kMaxSpans = 3;  // intervals a badge lists before "+N more"
constexpr double kMarksZ = 5;

void tag(QGraphicsItem* item, const QString& what, const std::string& node) {
  item->setData(kMarkWhatKey, what);
  item->setData(kMarkNodeKey, q(node));
  item->setZValue(kMarksZ);
}

// A small rounded label over the box's top (role) or bottom (state) edge, at its right.
void add_badge(TopologyView& view, const std::string& node, const QString& what, const QString& text, QColor colour) {
  const QRectF box = view.node_rect(node);
  auto* label = new QGraphicsSimpleTextItem(text);
  QFont font = label->font();
  font.setPointSizeF(8);
  font.setBold(true);
  label->setFont(font);
  label->setBrush(Qt::white);
  const QRectF r = label->boundingRect().adjusted(-4, -1, 4, 1);
  const double y = what == kRole ? box.top() - r.height() / 2 : box.bottom() - r.height() / 2;
  auto* badge = view.scene()->addRect(QRectF(0, 0, r.width(), r.height()), Qt::NoPen, colour);
  badge->setPos(box.right() - r.width() - 6, y);
  label->setParentItem(badge);
  label->setPos(4, 1);
  badge->setToolTip(text);
  tag(badge, what, node);
}

void add_outline(TopologyView& view, const std::string& node, const QPen& pen) {
  auto* outline = view.scene()->addRect(view.node_rect(node).adjusted(-kOutline, -kOutline, kOutline, kOutline), pen);
  tag(outline, kState, node);
}

// Which hosts serve each address a mount may name: interface addresses, and a DRBD pair's
// floating address (on whichever of its hosts is Primary).
std::map<std::string, std::vector<std::string>> servers_by_address(const scenario::ScenarioSpec& spec) {
  std::map<std::string, std::vector<std::string>> out;
  for (const scenario::HostSpec& h : spec.topology.hosts)
    for (const scenario::InterfaceSpec& i : h.interfaces) {
      out[i.address.address().str()].push_back(h.name);
      for (const Ipv4Prefix& a : i.secondary) out[a.address().str()].push_back(h.name);
    }
  for (const scenario::StorageSpec& s : spec.storage)
    if (s.kind == scenario::StorageKind::Drbd) out[s.drbd.address.address().str()] = s.drbd.hosts;
  return out;
}

// The storage hosts and what each is called on its badge.
std::vector<std::pair<std::string, QString>> storage_roles(const scenario::ScenarioSpec& spec) {
  std::vector<std::pair<std::string, QString>> out;
  for (const scenario::StorageSpec& s : spec.storage) switch (s.kind) {
      case scenario::StorageKind::Nfs: out.emplace_back(s.host, QStringLiteral("NFS server")); break;
      case scenario::StorageKind::Drbd:
        for (const std::string& h : s.drbd.hosts) out.emplace_back(h, QStringLiteral("DRBD + NFS"));
        break;
      case scenario::StorageKind::Rsync: out.emplace_back(s.rsync.source, QStringLiteral("rsync source")); break;
      case scenario::StorageKind::Glusterfs:
        for (const std::string& h : s.gluster.hosts) out.emplace_back(h, QStringLiteral("GlusterFS brick"));
        break;
    }
  return out;
}

void add_mount(TopologyView& view, const std::string& web, const std::string& nfs, const scenario::MountSpec& m) {
  const QRectF a = view.node_rect(web), b = view.node_rect(nfs);
  if (a.isEmpty() || b.isEmpty()) return;
  // Out of the right edges and back: the two are usually in the same (rightmost) column.
  const QPointF from(a.right(), a.center().y()), to(b.right(), b.center().y());
  const double x = std::max(from.x(), to.x()) + kBulge;
  QPainterPath path(from);
  path.cubicTo(QPointF(x, from.y()), QPointF(x, to.y()), to);
  QPen pen(kStorage, 1.8, Qt::DashLine);
  auto* curve = view.scene()->addPath(path, pen);
  curve->setToolTip(QStringLiteral("%1 mounts %2:%3 on %4 (%5)")
                        .arg(q(web), q(m.server.str()), q(m.export_path), q(m.mount_point), q(m.options_text)));
  tag(curve, kMount, web);
}

std::string node_of(const Lane& lane) {
  const std::size_t slash = lane.name.find('/');  // HOST/IFACE: the host's box
  return lane.kind == Lane::Kind::Link && slash != std::string::npos ? lane.name.substr(0, slash) : lane.name;
}

bool is_role(const std::string& state) { return state == "up" || state == "MASTER" || state == "BACKUP" || state == "INIT"; }

}  // namespace

std::string trouble_text(const Lane& lane) {
  std::string text;
  std::size_t shown = 0, more = 0;
  for (const LaneSpan& s : lane.spans) {
    if (is_role(s.state)) continue;
    if (shown == kMaxSpans) {
      ++more;
      continue;
    }
    text += (shown++ == 0 ? "" : ", ") + s.state + " " + run::fixed(s.from_s, 1) + "–" + run::fixed(s.to_s, 1) + " s";
  }
  if (more > 0) text += ", +" + std::to_string(more) + " more";
  return text;
}

void mark_mounts(TopologyView& view, const scenario::ScenarioSpec& spec) {
  const auto by_address = servers_by_address(spec);
  for (const scenario::ServerAppSpec& app : spec.servers) {
    if (!app.mount) continue;
    const auto it = by_address.find(app.mount->server.str());
    if (it == by_address.end()) continue;
    for (const std::string& web : app.hosts)
      for (const std::string& nfs : it->second) add_mount(view, web, nfs, *app.mount);
  }
  for (const auto& [host, role] : storage_roles(spec))
    if (!view.node_rect(host).isEmpty()) add_badge(view, host, kRole, role, kStorage);
  view.grow_to_fit();
}

void mark_states(TopologyView& view, const std::vector<Lane>& lanes) {
  clear_states(view);
  std::map<std::string, std::vector<std::string>> texts;  // node -> its lanes' words
  for (const Lane& lane : lanes) {
    if (lane.kind == Lane::Kind::Master || lane.kind == Lane::Kind::Other || lane.spans.empty()) continue;
    const std::string node = node_of(lane);
    if (view.node_rect(node).isEmpty()) continue;
    const std::string end = lane.spans.back().state;
    if (lane.kind == Lane::Kind::Director && end == "MASTER") {
      texts[node].push_back("VRRP MASTER");
      add_outline(view, node, QPen(kMaster, 3));
    } else if (lane.kind == Lane::Kind::Director && end == "BACKUP") {
      texts[node].push_back("BACKUP");
    }
    const std::string trouble = trouble_text(lane);
    if (trouble.empty()) continue;
    const std::string prefix = node == lane.name ? "" : lane.name.substr(node.size() + 1) + " ";  // "eth0 down ..."
    texts[node].push_back(prefix + trouble);
    add_outline(view, node, QPen(kDown, 2, Qt::DashLine));
  }
  for (const auto& [node, words] : texts) {
    std::string text;
    for (const std::string& w : words) text += (text.empty() ? "" : "; ") + w;
    const bool trouble = std::any_of(words.begin(), words.end(), [](const std::string& w) {
      return w != "VRRP MASTER" && w != "BACKUP";
    });
    add_badge(view, node, kState, q(text), trouble ? kDown : kMaster);
  }
  view.grow_to_fit();
}

void clear_states(TopologyView& view) {
  std::vector<QGraphicsItem*> marks;  // first all, then delete: a deleted badge takes its label with it
  for (QGraphicsItem* item : view.scene()->items())
    if (item->data(kMarkWhatKey).toString() == kState) marks.push_back(item);
  for (QGraphicsItem* item : marks) delete item;
}

QString badge_text(const TopologyView& view, const std::string& node) {
  QStringList parts;
  for (const QString& what : {kRole, kState})
    for (const QGraphicsItem* item : view.scene()->items(Qt::AscendingOrder))
      if (item->data(kMarkWhatKey).toString() == what && item->data(kMarkNodeKey).toString() == q(node) &&
          !item->toolTip().isEmpty())
        parts << item->toolTip();
  return parts.join(QStringLiteral("; "));
}

std::vector<std::string> mounted_servers(const TopologyView& view) {
  std::vector<std::string> out;
  for (const QGraphicsItem* item : view.scene()->items(Qt::AscendingOrder))
    if (item->data(kMarkWhatKey).toString() == kMount) out.push_back(item->data(kMarkNodeKey).toString().toStdString());
  return out;
}

}  // namespace lvs::gui
