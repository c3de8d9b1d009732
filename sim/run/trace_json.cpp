// `lvslab trace --json`: every row with its fields separately.

#include <nlohmann/json.hpp>

#include "net/tcp_options.hpp"
#include "run/trace.hpp"

namespace lvs::run {

namespace {

using json = nlohmann::ordered_json;

const char* event_name(HopEvent e) {
  switch (e) {
    case HopEvent::In: return "in";
    case HopEvent::Out: return "out";
    case HopEvent::Action: return "action";
    case HopEvent::Drop: return "drop";
  }
  return "?";
}

const char* proto_name(IpProto p) {
  switch (p) {
    case IpProto::Tcp: return "tcp";
    case IpProto::Udp: return "udp";
    case IpProto::Icmp: return "icmp";
    case IpProto::IpIp: return "ipip";
    case IpProto::Vrrp: return "vrrp";
  }
  return "?";
}

double micros_of(Time t) { return static_cast<double>(t.count()) / 1e3; }

void add_ip(json& j, const Packet& p) {
  j["proto"] = proto_name(p.ip.proto);
  if (p.encapsulated) {
    j["outer_src"] = p.outer.src.str();
    j["outer_dst"] = p.outer.dst.str();
  }
  j["ip_src"] = p.ip.src.str();
  j["ip_dst"] = p.ip.dst.str();
  if (p.ip.proto == IpProto::Tcp || p.ip.proto == IpProto::Udp) {
    j["sport"] = p.sport;
    j["dport"] = p.dport;
  }
  if (p.ip.proto == IpProto::Tcp) {
    j["flags"] = tcp_flags_text(p);
    j["tcp_options"] = tcp_options_text(p.tcp);
  }
  if (p.ip.proto == IpProto::Icmp) {
    j["icmp_type"] = static_cast<int>(p.icmp.type);
    j["icmp_code"] = p.icmp.code;
  }
}

json row_json(const TraceRow& r) {
  const Packet& p = r.packet;
  json j{{"t_us", micros_of(r.t)}, {"event", event_name(r.event)}, {"node", r.node}};
  if (r.is_frame()) j["iface"] = r.iface;
  if (r.event == HopEvent::Action) j["action"] = r.text;
  if (r.event == HopEvent::Drop) j["reason"] = r.text;
  j["packet"] = p.id;
  j["to_server"] = r.to_server;
  j["eth_src"] = p.eth_src.str();
  j["eth_dst"] = p.eth_dst.str();
  if (p.ethertype == EtherType::Arp) {
    j["proto"] = "arp";
    j["arp_op"] = p.arp.op == ArpOp::Request ? "request" : "reply";
    j["arp_sender_ip"] = p.arp.sender_ip.str();
    j["arp_sender_mac"] = p.arp.sender_mac.str();
    j["arp_target_ip"] = p.arp.target_ip.str();
  } else {
    add_ip(j, p);
  }
  j["bytes"] = p.frame_bytes();
  j["changed"] = r.changed;
  if (!r.reason.empty()) j["reason"] = r.reason;
  return j;
}

json summary_json(const TraceSummary& s) {
  return json{{"packets", s.packets},
              {"hops", s.hops},
              {"arp_frames", s.arp_frames},
              {"director_frames", s.director_frames},
              {"director_to_server", s.director_to_server},
              {"director_to_client", s.director_to_client},
              {"director_bytes_in", s.director_bytes_in},
              {"director_bytes_out", s.director_bytes_out},
              {"span_us", micros_of(s.span)}};
}

const char* end_name(Trace::End end) {
  switch (end) {
    case Trace::End::Closed:
      return "closed";
    case Trace::End::Quiet:
      return "quiet";
    case Trace::End::Interrupted:
      return "interrupted";
    case Trace::End::Duration:
      break;
  }
  return "duration";
}

json trace_json(const Trace& t) {
  json rows = json::array();
  for (const TraceRow& r : t.rows) rows.push_back(row_json(r));
  return json{{"scenario", t.scenario},
              {"client", t.client},
              {"session", t.session},
              {"flow",
               {{"proto", proto_name(t.proto)},
                {"src", t.src.str()},
                {"sport", t.sport},
                {"dst", t.dst.str()},
                {"dport", t.dport}}},
              {"start_s", t.start.seconds()},
              {"end", end_name(t.end)},
              {"interrupted", t.end == Trace::End::Interrupted},
              {"rows", std::move(rows)},
              {"summary", summary_json(t.summary)}};
}

}  // namespace

std::string trace_to_json(const Trace& t) { return trace_json(t).dump(2) + "\n"; }

std::string modes_to_json(const std::vector<ModeTrace>& walks) {
  json modes = json::array();
  for (const ModeTrace& w : walks) {
    json m{{"mode", w.mode}, {"file", w.file}, {"note", w.note}};
    m["trace"] = w.trace ? trace_json(*w.trace) : json(nullptr);
    modes.push_back(std::move(m));
  }
  return json{{"modes", std::move(modes)}}.dump(2) + "\n";
}

}  // namespace lvs::run
