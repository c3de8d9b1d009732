#include "frame_header.hpp"

#include <cstdio>
#include <functional>
#include <optional>
#include <utility>

#include "net/tcp_options.hpp"
#include "qt_string.hpp"
#include "run/hop_reason.hpp"

namespace lvs::gui {

namespace {

using Macs = std::vector<std::pair<MacAddress, std::string>>;
using Get = std::function<QString(const Packet&)>;

constexpr const char* kNone = "—";

// A MAC by the interface that owns it ("rs3/eth0"): the name says more than the octets.
QString mac_text(MacAddress m, const Macs& macs) {
  if (m.is_broadcast()) return QStringLiteral("broadcast");
  for (const auto& [mac, owner] : macs)
    if (mac == m) return q(owner);
  return q(m.str());
}

QString proto_text(const Packet& p) {
  switch (p.ip.proto) {
    case IpProto::Tcp: return QStringLiteral("TCP");
    case IpProto::Udp: return QStringLiteral("UDP");
    case IpProto::Icmp: return QStringLiteral("ICMP type %1 code %2").arg(static_cast<int>(p.icmp.type)).arg(p.icmp.code);
    case IpProto::IpIp: return QStringLiteral("IPIP");
    case IpProto::Vrrp: return QStringLiteral("VRRP VRID %1 priority %2").arg(p.vrrp.vrid).arg(p.vrrp.priority);
  }
  return QStringLiteral("IP");
}

// Builds the table layer by layer; "before" is the packet's previous frame, if any.
class Table {
 public:
  Table(const run::TraceRow& r, const Packet* before) : row_(r), before_(before) {}

  void layer(const QString& name, int depth) {
    layer_ = name;
    depth_ = depth;
    html_ += QStringLiteral("<tr><td colspan=\"3\" style=\"font-weight:700; background-color:#e2e8f0;\">%1%2</td></tr>")
                 .arg(indent(depth), name.toHtmlEscaped());
  }
  // A field shown when `key` is "" or always; `shown_if_absent`: before and after may lack the layer.
  void field(const QString& label, const char* key, const Get& get) {
    HeaderCell c{key == nullptr ? "" : key, layer_, label, before_ ? get(*before_) : QString::fromUtf8(kNone),
                 get(row_.packet), key != nullptr && row_.changed_field(key)};
    const QString style = c.changed ? QStringLiteral(" style=\"font-weight:700; background-color:#fde047;\"") : QString();
    const QString muted = QStringLiteral(" style=\"color:#64748b;\"");
    html_ += QStringLiteral("<tr><td>%1%2</td><td%3>%4</td><td%5>%6</td></tr>")
                 .arg(indent(depth_ + 1), label.toHtmlEscaped(), muted, c.before.toHtmlEscaped(), style,
                      c.after.toHtmlEscaped());
    cells_.push_back(std::move(c));
  }
  bool either(const std::function<bool(const Packet&)>& has) const {
    return has(row_.packet) || (before_ != nullptr && has(*before_));
  }
  FrameHeader done(const QString& top) && {
    std::vector<std::string> marked;
    for (const std::string& c : row_.changed)
      for (const HeaderCell& cell : cells_)
        if (cell.key == c) {
          marked.push_back(c);
          break;
        }
    const QString head = QStringLiteral(
        "<table width=\"100%\" cellspacing=\"0\" cellpadding=\"2\"><tr><th align=\"left\">field</th>"
        "<th align=\"left\">before</th><th align=\"left\">after</th></tr>");
    return {top + head + html_ + QStringLiteral("</table>"), std::move(marked), std::move(cells_)};
  }

 private:
  static QString indent(int depth) { return QStringLiteral("&nbsp;&nbsp;&nbsp;").repeated(depth); }

  const run::TraceRow& row_;
  const Packet* before_;
  QString layer_;
  int depth_ = 0;
  QString html_;
  std::vector<HeaderCell> cells_;
};

void ethernet(Table& t, const Macs& macs) {
  t.layer(QStringLiteral("Ethernet"), 0);
  t.field(QStringLiteral("src MAC"), "eth_src", [&](const Packet& p) { return mac_text(p.eth_src, macs); });
  t.field(QStringLiteral("dst MAC"), "eth_dst", [&](const Packet& p) { return mac_text(p.eth_dst, macs); });
}

void arp(Table& t, const Macs& macs) {
  t.layer(QStringLiteral("ARP"), 0);
  t.field(QStringLiteral("op"), nullptr, [](const Packet& p) {
    return p.arp.op == ArpOp::Request ? QStringLiteral("who-has") : QStringLiteral("reply");
  });
  t.field(QStringLiteral("sender"), nullptr, [&](const Packet& p) {
    return q(p.arp.sender_ip.str()) + QStringLiteral(" ") + mac_text(p.arp.sender_mac, macs);
  });
  t.field(QStringLiteral("target"), nullptr, [](const Packet& p) { return q(p.arp.target_ip.str()); });
}

// The IP header, and the outer one around it when either side of the hop has one.
int ip_layers(Table& t) {
  int depth = 0;
  if (t.either([](const Packet& p) { return p.encapsulated; })) {
    t.layer(QStringLiteral("outer IP (IPIP)"), 0);
    t.field(QStringLiteral("header"), "outer",
            [](const Packet& p) { return p.encapsulated ? QStringLiteral("present") : QStringLiteral("none"); });
    t.field(QStringLiteral("src"), "outer_src",
            [](const Packet& p) { return p.encapsulated ? q(p.outer.src.str()) : QString::fromUtf8(kNone); });
    t.field(QStringLiteral("dst"), "outer_dst",
            [](const Packet& p) { return p.encapsulated ? q(p.outer.dst.str()) : QString::fromUtf8(kNone); });
    depth = 1;
  }
  t.layer(depth == 0 ? QStringLiteral("IP") : QStringLiteral("IP (inside)"), depth);
  t.field(QStringLiteral("src"), "ip_src", [](const Packet& p) { return q(p.ip.src.str()); });
  t.field(QStringLiteral("dst"), "ip_dst", [](const Packet& p) { return q(p.ip.dst.str()); });
  t.field(QStringLiteral("protocol"), nullptr, proto_text);
  return depth;
}

void transport(Table& t, const Packet& p, int depth) {
  const bool tcp = p.ip.proto == IpProto::Tcp;
  if (!tcp && p.ip.proto != IpProto::Udp) return;
  t.layer(tcp ? QStringLiteral("TCP") : QStringLiteral("UDP"), depth);
  t.field(QStringLiteral("src port"), "sport", [](const Packet& x) { return QString::number(x.sport); });
  t.field(QStringLiteral("dst port"), "dport", [](const Packet& x) { return QString::number(x.dport); });
  if (!tcp) return;
  t.field(QStringLiteral("flags"), nullptr, [](const Packet& x) { return q(tcp_flags_text(x)); });
  if (t.either([](const Packet& x) { return x.is_tcp() && x.tcp.kinds != 0; }))
    t.field(QStringLiteral("options"), "tcp_options", [](const Packet& x) { return q(tcp_options_text(x.tcp)); });
}

QString event_word(run::HopEvent e) {
  switch (e) {
    case run::HopEvent::In: return QStringLiteral("in");
    case run::HopEvent::Out: return QStringLiteral("out");
    case run::HopEvent::Action: return QStringLiteral("action");
    case run::HopEvent::Drop: return QStringLiteral("drop");
  }
  return {};
}

// Where and when, the action or drop, and why the node acted.
QString top_of(const run::TraceRow& r, bool first_frame) {
  const QString at = q(r.iface.empty() ? r.node : r.node + "/" + r.iface);
  QString html = QStringLiteral("<p style=\"margin:0\"><b>hop</b> %1 %2 at %3%4</p>")
                     .arg(at.toHtmlEscaped(), event_word(r.event), walk_time(r.t),
                          first_frame ? QStringLiteral(" — the packet's first frame") : QString());
  if (!r.is_frame())
    html += QStringLiteral("<p style=\"margin:0; color:%1\">%2: %3</p>")
                .arg(r.event == run::HopEvent::Drop ? QStringLiteral("#b91c1c") : QStringLiteral("#0e7490"),
                     event_word(r.event), q(r.text).toHtmlEscaped());
  if (!r.reason.empty())
    html += QStringLiteral(
                "<p style=\"margin:4px 0; padding:4px; background-color:#fae8ff; color:#701a75;\"><b>why</b> %1</p>")
                .arg(q(r.reason).toHtmlEscaped());
  return html;
}

}  // namespace

QString walk_time(Time since_first_row) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f ms", static_cast<double>(since_first_row.count()) / 1e6);
  return QString::fromLatin1(buf);
}

FrameHeader frame_header(const run::Trace& t, std::size_t i) {
  const run::TraceRow& r = t.rows[i];
  const std::optional<std::size_t> prev = run::previous_frame(t, i);
  Table table(r, prev ? &t.rows[*prev].packet : nullptr);
  ethernet(table, t.macs);
  if (r.packet.ethertype == EtherType::Arp) {
    arp(table, t.macs);
  } else {
    const int depth = ip_layers(table);
    transport(table, r.packet, depth);
  }
  table.layer(QStringLiteral("frame"), 0);
  table.field(QStringLiteral("bytes"), "bytes", [](const Packet& p) {
    return QStringLiteral("%1 (%2 on the wire)").arg(p.frame_bytes()).arg(p.wire_bytes());
  });
  return std::move(table).done(top_of(r, !prev && r.is_frame()));
}

}  // namespace lvs::gui
