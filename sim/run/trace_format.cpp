// The text of `lvslab trace`: a header, two lines per frame (time, where, direction, kind,
// bytes and Ethernet addresses; then the IP addresses and ports, or the ARP question or
// answer), one per action, wrapped to the width; then the request's summary.

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "net/tcp_options.hpp"
#include "storage/nfs_wire.hpp"
#include "run/trace.hpp"
#include "run/trace_text.hpp"

namespace lvs::run {

namespace {

constexpr std::size_t kTimeWidth = 11;   // "t/µs" column
constexpr std::size_t kWhereWidth = 15;  // "node/iface" column
constexpr std::size_t kDetailIndent = kTimeWidth + 2;
constexpr std::size_t kTextIndent = kTimeWidth + 2 + kWhereWidth + 1 + 4 + 1;  // action text and frame kind

// How MACs are written: by their last three octets when that names each one used here.
class MacNames {
 public:
  explicit MacNames(const Trace& t) {
    std::set<std::uint64_t> used;
    for (const TraceRow& r : t.rows)
      for (MacAddress m : {r.packet.eth_src, r.packet.eth_dst, r.packet.arp.sender_mac})
        if (!m.is_broadcast() && !m.is_zero()) used.insert(m.bits());
    std::set<std::uint64_t> low;
    for (std::uint64_t m : used) low.insert(m & 0xff'ffff);
    short_ = low.size() == used.size();
    for (const auto& [mac, owner] : t.macs)
      if (used.count(mac.bits()) != 0) legend_.emplace(mac.bits(), owner);
  }
  std::string operator()(MacAddress m) const {
    if (m.is_broadcast()) return "broadcast";
    return short_ ? m.str().substr(9) : m.str();
  }
  bool abbreviated() const { return short_; }
  const std::map<std::uint64_t, std::string>& legend() const { return legend_; }

 private:
  bool short_ = true;
  std::map<std::uint64_t, std::string> legend_;
};

std::string micros(Time t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(t.count()) / 1e3);
  return buf;
}

std::string kind_of(const Packet& p) {
  if (p.ethertype == EtherType::Arp) return "ARP";
  switch (p.ip.proto) {
    case IpProto::Tcp: return "TCP " + tcp_flags_text(p);
    case IpProto::Udp: return "UDP";
    case IpProto::Icmp: return "ICMP";
    case IpProto::IpIp: return "IPIP";
    case IpProto::Vrrp: return "VRRP";
  }
  return "IP";
}

std::string icmp_text(const Packet& p) {
  static const std::map<std::pair<IcmpType, std::uint8_t>, std::string> names{
      {{IcmpType::DestUnreachable, icmp_code::kNetUnreachable}, "net unreachable"},
      {{IcmpType::DestUnreachable, icmp_code::kHostUnreachable}, "host unreachable"},
      {{IcmpType::DestUnreachable, icmp_code::kPortUnreachable}, "port unreachable"},
      {{IcmpType::DestUnreachable, icmp_code::kFragNeeded}, "fragmentation needed"},
      {{IcmpType::TimeExceeded, icmp_code::kTtlExceeded}, "TTL exceeded"},
      {{IcmpType::TimeExceeded, icmp_code::kReassemblyTimeExceeded}, "reassembly time exceeded"}};
  const auto it = names.find({p.icmp.type, p.icmp.code});
  std::string s = it != names.end() ? it->second : "type " + std::to_string(static_cast<int>(p.icmp.type));
  if (p.icmp.next_hop_mtu != 0) s += " (mtu " + std::to_string(p.icmp.next_hop_mtu) + ")";
  return s;
}

std::string endpoint(Ipv4Address a, std::uint16_t port, bool with_port) {
  return with_port ? a.str() + ":" + std::to_string(port) : a.str();
}

// "name A > B" with a star after each end this row changed.
Field pair_field(std::string_view name, const std::string& a, bool a_changed, const std::string& b, bool b_changed,
                 const char* changed_style) {
  Field f{{std::string(name) + " ", nullptr}};
  f.push_back(a_changed ? Span{a + "*", changed_style} : Span{a, nullptr});
  f.push_back({" > ", nullptr});
  f.push_back(b_changed ? Span{b + "*", changed_style} : Span{b, nullptr});
  return f;
}

// An NFS call or reply, as Wireshark's Info column names it: "NFS V3 GETATTR Call xid 7
// (file 123)", "NFS V3 Reply xid 7".
std::string nfs_text(const Packet& p) {
  if (!p.is_tcp() || p.payload == 0 || p.is_later_fragment()) return "";
  if (p.dport == storage::kNfsPort) {
    const storage::RpcCallTag c = storage::decode_call(p.app);
    return "NFS V3 " + std::string(storage::nfs_op_name(c.op)) + " Call xid " + std::to_string(c.xid) + " (file " +
           std::to_string(c.file) + ")";
  }
  if (p.sport == storage::kNfsPort) return "NFS V3 Reply xid " + std::to_string(storage::decode_reply(p.app).xid);
  return "";
}

// A line of TCP options under a segment that carries more than timestamps (SYN and
// SYN-ACK, FULLNAT's TOA) or whose options this hop changed.
void options_line(Lines& out, const TraceRow& r) {
  const Packet& p = r.packet;
  const bool changed = r.changed_field("tcp_options");
  if (!p.is_tcp() || p.is_later_fragment() || !(tcp_options_notable(p.tcp) || changed)) return;
  const char* style = changed ? kChanged : nullptr;
  out.begin(std::string(kDetailIndent, ' '), kDetailIndent);
  out.add({{"options", style}}, "");
  const std::string text = tcp_options_text(p.tcp) + (changed ? "*" : "");
  std::string_view sep = " ";
  for (std::size_t at = 0; at <= text.size();) {  // one unbreakable field per option
    const std::size_t comma = std::min(text.find(',', at), text.size());
    out.add({{text.substr(at, comma - at), style}}, sep);
    sep = ",";
    at = comma + 1;
  }
  out.end();
}

// The second line of a frame: outer header, IP addresses and ports; or ARP; or ICMP.
void detail_line(Lines& out, const TraceRow& r, const MacNames& macs) {
  const Packet& p = r.packet;
  out.begin(std::string(kDetailIndent, ' '), kDetailIndent);
  if (p.ethertype == EtherType::Arp) {
    const std::string text = p.arp.op == ArpOp::Request
                                 ? "who-has " + p.arp.target_ip.str() + " tell " + p.arp.sender_ip.str()
                                 : "reply " + p.arp.sender_ip.str() + " is-at " + macs(p.arp.sender_mac);
    out.add_words(text, nullptr, "");
    out.end();
    return;
  }
  if (r.changed_field("outer") && !p.encapsulated) out.add({{"ipip removed*", kChanged}}, "");
  if (p.encapsulated) {
    Field f = pair_field("ipip", p.outer.src.str(), r.changed_field("outer_src"), p.outer.dst.str(),
                         r.changed_field("outer_dst"), kChanged);
    if (r.changed_field("outer")) f = {{"ipip " + p.outer.src.str() + " > " + p.outer.dst.str() + "*", kChanged}};
    out.add(f);
  }
  const bool ports = p.ip.proto == IpProto::Tcp || p.ip.proto == IpProto::Udp;
  out.add(pair_field("ip", endpoint(p.ip.src, p.sport, ports), r.changed_field("ip_src") || r.changed_field("sport"),
                     endpoint(p.ip.dst, p.dport, ports), r.changed_field("ip_dst") || r.changed_field("dport"), kChanged));
  if (p.outermost().is_fragment())
    out.add({{"fragment at " + std::to_string(p.outermost().frag_offset * 8) + (p.outermost().more_fragments ? "+" : ""),
              nullptr}});
  if (const std::string nfs = nfs_text(p); !nfs.empty()) out.add_words(nfs, nullptr);
  if (p.ip.proto == IpProto::Icmp)
    out.add_words(icmp_text(p) + " about " + endpoint(p.icmp.quoted_ip.src, p.icmp.quoted_sport, true) + " > " +
                      endpoint(p.icmp.quoted_ip.dst, p.icmp.quoted_dport, true),
                  nullptr);
  out.end();
  options_line(out, r);
}

std::string head(const TraceRow& r, const char* dir) {
  const std::string where = r.iface.empty() ? r.node : r.node + "/" + r.iface;
  return pad_left(micros(r.t), kTimeWidth) + "  " + pad_right(where, kWhereWidth) + " " + pad_right(dir, 4) + " ";
}

// The row's reason (hop_reason.hpp), under it: "why: director: DR — destination MAC ...";
// only the first time in the walk (`said`): every data segment of a connection has the same.
void reason_line(Lines& out, const TraceRow& r, std::set<std::string>& said) {
  if (r.reason.empty() || !said.insert(r.reason).second) return;
  out.begin(std::string(kDetailIndent, ' '), kDetailIndent + 5);
  out.add_words("why: " + r.reason, kAction, "");
  out.end();
}

void frame_row(Lines& out, const TraceRow& r, const MacNames& macs, std::set<std::string>& said) {
  const Packet& p = r.packet;
  out.begin(head(r, r.event == HopEvent::In ? "in" : "out"), kTextIndent);
  const std::string bytes = std::to_string(p.frame_bytes()) + "B";
  const bool grew = r.changed_field("bytes");
  out.add({{pad_right(kind_of(p), 7) + " " + std::string(6 - std::min<std::size_t>(6, bytes.size()), ' '), nullptr},
           {grew ? bytes + "*" : bytes, grew ? kChanged : nullptr}},
          "");
  out.add(pair_field("eth", macs(p.eth_src), r.changed_field("eth_src"), macs(p.eth_dst), r.changed_field("eth_dst"),
                     kChanged));
  out.end();
  if (r.event == HopEvent::Out || !r.changed.empty()) detail_line(out, r, macs);
  reason_line(out, r, said);
}

void text_row(Lines& out, const TraceRow& r, const MacNames& macs, std::set<std::string>& said) {
  const bool drop = r.event == HopEvent::Drop;
  out.begin(head(r, drop ? "drop" : ""), kTextIndent);
  out.add_words(r.text, drop ? kDropped : kAction, "");
  out.end();
  if (drop || !r.changed.empty()) detail_line(out, r, macs);
  reason_line(out, r, said);
}

void header(Lines& out, const Trace& t, const MacNames& macs) {
  out.begin("", 2);
  out.add_words(t.scenario + ": session " + std::to_string(t.session) + " of client " + t.client, kHeader, "");
  out.end();
  out.begin("", 2);
  out.add_words(std::string(t.proto == IpProto::Udp ? "udp " : "tcp ") + endpoint(t.src, t.sport, true) + " > " +
                    endpoint(t.dst, t.dport, true) + " as the client sends it",
                nullptr, "");
  out.end();
  out.line("t: µs from the first row; B: frame bytes; *: changed at this hop");
  out.begin(macs.abbreviated() ? "MACs (last 3 octets): " : "MACs: ", 2);
  for (const auto& [bits, owner] : macs.legend()) out.add({{macs(MacAddress(bits)) + " " + owner, nullptr}});
  out.end();
  out.line("");
  out.line(pad_left("t/µs", kTimeWidth) + "  " + pad_right("node/iface", kWhereWidth) + " dir  frame, or action");
}

void footer(Lines& out, const Trace& t) {
  const TraceSummary& s = t.summary;
  out.line("");
  out.begin("", 2);
  out.add_words("request: " + std::to_string(s.packets) + " packets, " + std::to_string(s.hops) + " hops, " +
                    std::to_string(s.arp_frames) + " ARP frames, " + micros(s.span) + " µs first to last row",
                nullptr, "");
  out.end();
  out.begin("", 2);
  out.add_words("director: " + std::to_string(s.director_frames) + " frames in (" +
                    std::to_string(s.director_to_server) + " from the client, " +
                    std::to_string(s.director_to_client) + " from the server side)",
                nullptr, "");
  out.end();
  out.line("          " + std::to_string(s.director_bytes_in) + " bytes in, " + std::to_string(s.director_bytes_out) +
           " bytes out");
  out.begin("", 2);
  if (t.end == Trace::End::Quiet)
    out.add_words("note: nothing more of this session for " + to_string(t.quiet) +
                      " (the client's timeout and a second): the walk ends here",
                  nullptr, "");
  if (t.end == Trace::End::Duration)
    out.add_words("note: the scenario's duration (" + to_string(t.duration) + ") ran out before the session closed",
                  nullptr, "");
  if (t.end == Trace::End::Interrupted)
    out.add_words("note: interrupted at " + to_string(t.stopped) + " of " + to_string(t.duration) +
                      " simulated, before the session closed: a partial walk",
                  nullptr, "");
  if (t.end != Trace::End::Closed) out.end();
}

bool answered(const Trace& t, std::size_t i) {
  const TraceRow& q = t.rows[i];
  for (std::size_t j = i + 1; j < t.rows.size() && t.rows[j].t == q.t; ++j) {
    const TraceRow& r = t.rows[j];
    if (r.node == q.node && r.event == HopEvent::Out && r.packet.ethertype == EtherType::Arp &&
        r.packet.arp.op == ArpOp::Reply && r.packet.arp.target_ip == q.packet.arp.sender_ip)
      return true;
  }
  return false;
}

// A broadcast ARP request reaches every host of its segment: the copies nobody answers,
// two or more at one instant, are printed as one row (first row -> every row of the group).
std::map<std::size_t, std::vector<std::size_t>> unanswered_floods(const Trace& t) {
  std::map<std::pair<std::uint64_t, Time>, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const Packet& p = t.rows[i].packet;
    if (t.rows[i].event == HopEvent::In && p.ethertype == EtherType::Arp && p.arp.op == ArpOp::Request &&
        p.eth_dst.is_broadcast() && !answered(t, i))
      groups[{p.id, t.rows[i].t}].push_back(i);
  }
  std::map<std::size_t, std::vector<std::size_t>> out;
  for (auto& [key, rows] : groups)
    if (rows.size() >= 2) out.emplace(rows.front(), std::move(rows));
  return out;
}

void flood_row(Lines& out, const Trace& t, const std::vector<std::size_t>& group) {
  const TraceRow& first = t.rows[group.front()];
  TraceRow summary = first;
  summary.node = std::to_string(group.size()) + " hosts";
  summary.iface.clear();
  out.begin(head(summary, "in"), kTextIndent);
  out.add({{pad_right(kind_of(first.packet), 7) + "    " + std::to_string(first.packet.frame_bytes()) + "B", nullptr}}, "");
  out.add_words("no answer from", nullptr);
  for (std::size_t i : group) out.add({{t.rows[i].node + "/" + t.rows[i].iface, nullptr}}, " ");
  out.end();
}

}  // namespace

std::string format_trace(const Trace& t, const TraceFormat& f) {
  std::string text;
  Lines out(f, text);
  const MacNames macs(t);
  header(out, t, macs);
  const std::map<std::size_t, std::vector<std::size_t>> floods = unanswered_floods(t);
  std::set<std::size_t> folded;
  for (const auto& [first, group] : floods) folded.insert(group.begin() + 1, group.end());
  std::set<std::string> said;  // the reasons printed so far
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const TraceRow& r = t.rows[i];
    if (const auto flood = floods.find(i); flood != floods.end())
      flood_row(out, t, flood->second);
    else if (folded.count(i) != 0)
      continue;
    else if (r.is_frame())
      frame_row(out, r, macs, said);
    else
      text_row(out, r, macs, said);
  }
  footer(out, t);
  return text;
}

std::string format_modes(const std::vector<ModeTrace>& walks, const TraceFormat& f) {
  std::string text;
  Lines out(f, text);
  for (const ModeTrace& w : walks) {
    out.begin("", 2);
    out.add_words("=== " + w.mode + ": " + w.file, kHeader, "");
    out.end();
    out.begin("", 2);
    out.add_words(w.note, nullptr, "");
    out.end();
    out.line("");
    if (w.trace) text += format_trace(*w.trace, f);
    out.line("");
  }
  out.line("comparison: one request; what the directors received and sent of it");
  out.line("mode     scenario        packets  hops  frames  client  server  bytes in     out");
  for (const ModeTrace& w : walks) {
    if (!w.trace) {
      out.line(pad_right(w.mode, 8) + " (not run)");
      continue;
    }
    const TraceSummary& s = w.trace->summary;
    out.line(pad_right(w.mode, 8) + " " + pad_right(w.trace->scenario, 15) + pad_left(std::to_string(s.packets), 8) +
             pad_left(std::to_string(s.hops), 6) + pad_left(std::to_string(s.director_frames), 8) +
             pad_left(std::to_string(s.director_to_server), 8) + pad_left(std::to_string(s.director_to_client), 8) +
             pad_left(std::to_string(s.director_bytes_in), 10) + pad_left(std::to_string(s.director_bytes_out), 8));
  }
  return text;
}

}  // namespace lvs::run
