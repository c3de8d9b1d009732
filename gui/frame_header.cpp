#include "frame_header.hpp"

#include <cstdio>

#include "net/tcp_options.hpp"

namespace lvs::gui {

namespace {

constexpr int kLabelWidth = 14;

// Builds the <pre> block line by line, marking the fields the row changed.
class Fields {
 public:
  explicit Fields(const run::TraceRow& r) : row_(r) {}

  /// A line "label  value"; marked if `key` is one of the row's changed fields.
  void add(const QString& label, const QString& value, const char* key = nullptr) {
    const bool mark = key != nullptr && row_.changed_field(key);
    if (mark) marked_.emplace_back(key);
    html_ += label.leftJustified(kLabelWidth).toHtmlEscaped();
    html_ += mark ? QStringLiteral("<span style=\"font-weight:700; background-color:#fde047;\">%1</span>")
                        .arg(value.toHtmlEscaped())
                  : value.toHtmlEscaped();
    html_ += QLatin1Char('\n');
  }
  bool changed(const char* key) const { return row_.changed_field(key); }
  FrameHeader done() && {
    return {QStringLiteral("<pre style=\"margin:0\">") + html_ + QStringLiteral("</pre>"), std::move(marked_)};
  }

 private:
  const run::TraceRow& row_;
  QString html_;
  std::vector<std::string> marked_;
};

QString q(const std::string& s) { return QString::fromStdString(s); }

QString mac_text(MacAddress m, const std::vector<std::pair<MacAddress, std::string>>& macs) {
  if (m.is_broadcast()) return QStringLiteral("ff:ff:ff:ff:ff:ff (broadcast)");
  for (const auto& [mac, owner] : macs)
    if (mac == m) return q(m.str() + " (" + owner + ")");
  return q(m.str());
}

QString proto_text(const Packet& p) {
  switch (p.ip.proto) {
    case IpProto::Tcp:
      return QStringLiteral("TCP");
    case IpProto::Udp:
      return QStringLiteral("UDP");
    case IpProto::Icmp:
      return QStringLiteral("ICMP type %1 code %2").arg(static_cast<int>(p.icmp.type)).arg(p.icmp.code);
    case IpProto::IpIp:
      return QStringLiteral("IPIP");
    case IpProto::Vrrp:
      return QStringLiteral("VRRP v%1 VRID %2 priority %3").arg(p.vrrp.version).arg(p.vrrp.vrid).arg(p.vrrp.priority);
  }
  return QStringLiteral("IP");
}

void ip_fields(Fields& f, const Packet& p) {
  if (p.encapsulated) {
    if (f.changed("outer")) f.add(QStringLiteral("IPIP header"), QStringLiteral("added"), "outer");
    f.add(QStringLiteral("outer IP src"), q(p.outer.src.str()), "outer_src");
    f.add(QStringLiteral("outer IP dst"), q(p.outer.dst.str()), "outer_dst");
  } else if (f.changed("outer")) {
    f.add(QStringLiteral("IPIP header"), QStringLiteral("removed"), "outer");
  }
  f.add(QStringLiteral("IP src"), q(p.ip.src.str()), "ip_src");
  f.add(QStringLiteral("IP dst"), q(p.ip.dst.str()), "ip_dst");
  f.add(QStringLiteral("protocol"), proto_text(p));
  const bool ports = p.ip.proto == IpProto::Tcp || p.ip.proto == IpProto::Udp;
  if (ports || f.changed("sport")) f.add(QStringLiteral("src port"), QString::number(p.sport), "sport");
  if (ports || f.changed("dport")) f.add(QStringLiteral("dst port"), QString::number(p.dport), "dport");
  if (p.ip.proto == IpProto::Tcp) f.add(QStringLiteral("TCP flags"), q(tcp_flags_text(p)));
  if (p.is_tcp() && (p.tcp.kinds != 0 || f.changed("tcp_options")))
    f.add(QStringLiteral("TCP options"), q(tcp_options_text(p.tcp)), "tcp_options");
}

void arp_fields(Fields& f, const Packet& p, const std::vector<std::pair<MacAddress, std::string>>& macs) {
  const bool request = p.arp.op == ArpOp::Request;
  f.add(QStringLiteral("ARP"),
        request ? QStringLiteral("who-has %1 tell %2").arg(q(p.arp.target_ip.str()), q(p.arp.sender_ip.str()))
                : QStringLiteral("reply %1 is-at").arg(q(p.arp.sender_ip.str())));
  if (!request) f.add(QString(), mac_text(p.arp.sender_mac, macs));
  for (const char* key : {"ip_src", "ip_dst", "sport", "dport"})  // never for ARP; shown if they were
    if (f.changed(key)) f.add(QString::fromLatin1(key), QStringLiteral("changed"), key);
}

QString where(const run::TraceRow& r) {
  const QString at = q(r.iface.empty() ? r.node : r.node + "/" + r.iface);
  switch (r.event) {
    case run::HopEvent::In:
      return at + QStringLiteral(" in");
    case run::HopEvent::Out:
      return at + QStringLiteral(" out");
    case run::HopEvent::Action:
      return at + QStringLiteral(" action");
    case run::HopEvent::Drop:
      return at + QStringLiteral(" drop");
  }
  return at;
}

}  // namespace

FrameHeader frame_header(const run::TraceRow& r, const std::vector<std::pair<MacAddress, std::string>>& macs) {
  Fields f(r);
  char t[32];
  std::snprintf(t, sizeof t, "%.3f µs", static_cast<double>(r.t.count()) / 1e3);
  f.add(QStringLiteral("hop"), where(r) + QStringLiteral(" at ") + QString::fromUtf8(t));
  if (!r.is_frame())
    f.add(r.event == run::HopEvent::Drop ? QStringLiteral("drop") : QStringLiteral("action"), q(r.text));
  const Packet& p = r.packet;
  f.add(QStringLiteral("Ethernet src"), mac_text(p.eth_src, macs), "eth_src");
  f.add(QStringLiteral("Ethernet dst"), mac_text(p.eth_dst, macs), "eth_dst");
  if (p.ethertype == EtherType::Arp)
    arp_fields(f, p, macs);
  else
    ip_fields(f, p);
  f.add(QStringLiteral("bytes"), QStringLiteral("%1 frame, %2 on the wire").arg(p.frame_bytes()).arg(p.wire_bytes()),
        "bytes");
  return std::move(f).done();
}

}  // namespace lvs::gui
