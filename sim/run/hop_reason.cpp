#include "run/hop_reason.hpp"

#include <vector>

namespace lvs::run {

namespace {

using scenario::Method;

// What the sentences of one walk share.
struct Walk {
  const Trace& t;
  const HopRoles& roles;
  Method method = Method::Dr;
};

std::string upper(Method m) {
  switch (m) {
    case Method::Nat: return "NAT";
    case Method::Dr: return "DR";
    case Method::Tun: return "TUN";
    case Method::FullNat: return "FULLNAT";
  }
  return "";
}

// "rs3 (192.168.1.13)" for a host's address; the bare address otherwise.
std::string named(const Walk& w, Ipv4Address a) {
  const auto it = w.roles.hosts.find(a.value());
  return it == w.roles.hosts.end() ? a.str() : it->second + " (" + a.str() + ")";
}

// The node that owns `m` ("rs3" of "rs3/eth0"), or the MAC itself.
std::string mac_owner(const Trace& t, MacAddress m) {
  for (const auto& [mac, owner] : t.macs)
    if (mac == m) return owner.substr(0, owner.find('/'));
  return m.str();
}

// The packets of the traced flow: some row of each is addressed as the client's flow (a
// FULLNAT packet between director and server is, before or after the director rewrites it).
std::set<std::uint64_t> flow_packets(const Trace& t) {
  std::set<std::uint64_t> ids;
  for (const TraceRow& r : t.rows) {
    const Packet& p = r.packet;
    if (p.ethertype != EtherType::Ipv4 || p.ip.proto != t.proto) continue;
    if ((p.ip.src == t.src && p.sport == t.sport) || (p.ip.dst == t.src && p.dport == t.sport)) ids.insert(p.id);
  }
  return ids;
}

// The method of the walk: the destination method of the first real server a frame of the flow reached.
std::optional<Method> walk_method(const Trace& t, const HopRoles& roles, const std::set<std::uint64_t>& flow) {
  for (const TraceRow& r : t.rows)
    if (r.is_frame() && flow.count(r.packet.id) != 0)
      if (const auto s = roles.servers.find(r.node); s != roles.servers.end()) return s->second;
  return std::nullopt;
}

// The method a director's rewrite shows, when no real server was reached.
Method method_of_changes(const TraceRow& r) {
  if (r.changed_field("outer")) return Method::Tun;
  if (r.changed_field("ip_src") && r.changed_field("ip_dst")) return Method::FullNat;
  if (r.changed_field("ip_src") || r.changed_field("ip_dst")) return Method::Nat;
  return Method::Dr;
}

std::string director_to_server(const Walk& w, const TraceRow& r, const Packet& before) {
  const Packet& p = r.packet;
  const std::string vip = w.t.dst.str();
  switch (w.method) {
    case Method::Dr:
      return "destination MAC rewritten to " + mac_owner(w.t, p.eth_dst) + ", IP untouched, VIP " + vip + " kept";
    case Method::Nat:
      return "destination IP rewritten from the VIP " + before.ip.dst.str() + " to " + named(w, p.ip.dst) +
             ", the client's source kept";
    case Method::Tun:
      return "IPIP header added, " + p.outer.src.str() + " > " + named(w, p.outer.dst) +
             "; inner IP untouched, VIP " + vip + " kept";
    case Method::FullNat:
      return "source IP rewritten to its local address " + p.ip.src.str() + ", destination IP to " +
             named(w, p.ip.dst) +
             ((p.tcp.kinds & tcp_option::kToa) != 0 ? "; the client's address rides in the TOA option" : "");
  }
  return "";
}

std::string director_to_client(const Walk& w, const TraceRow& r, const Packet& before) {
  const Packet& p = r.packet;
  switch (w.method) {
    case Method::Nat:
      return "source IP rewritten from " + named(w, before.ip.src) + " back to the VIP " + p.ip.src.str() +
             ": replies pass through the director";
    case Method::FullNat:
      return "source IP rewritten back to the VIP " + p.ip.src.str() + ", destination back to the client " +
             p.ip.dst.str() + ": replies pass through the director";
    case Method::Dr:
    case Method::Tun:
      break;
  }
  // A DR or TUN reply reaches a director only when it is also the gateway (fwmark-cache).
  return "routes the reply as the gateway; IPVS leaves it as the real server sent it";
}

std::string director_reason(const Walk& w, const TraceRow& r, const Packet& before) {
  if (r.event != HopEvent::Out) return "";
  const std::string what = r.to_server ? director_to_server(w, r, before) : director_to_client(w, r, before);
  return r.node + ": " + upper(w.method) + " — " + what;
}

std::string server_takes(const Walk& w, const TraceRow& r) {
  const Packet& p = r.packet;
  switch (w.method) {
    case Method::Dr:
      if (r.event != HopEvent::In || p.encapsulated || p.ip.dst != w.t.dst) return "";
      return "accepts the frame: the VIP " + p.ip.dst.str() + " is on its lo, so the packet is its own";
    case Method::Tun:
      if (r.is_frame() || !r.changed_field("outer")) return "";
      return "IPIP header removed; the inner packet is for the VIP " + p.ip.dst.str() + ", on its tunl0, so " +
             r.node + " answers it itself";
    case Method::Nat:
      if (r.event != HopEvent::In) return "";
      return "receives it at its own address " + p.ip.dst.str() + "; it never sees the VIP";
    case Method::FullNat:
      if (r.event != HopEvent::In) return "";
      return "receives it from the director's local address " + p.ip.src.str() + ", not from the client";
  }
  return "";
}

std::string server_replies(const Walk& w, const TraceRow& r) {
  const Packet& p = r.packet;
  const std::string via = mac_owner(w.t, p.eth_dst);
  const bool director = w.roles.directors.count(via) != 0;
  switch (w.method) {
    case Method::Dr:
    case Method::Tun:
      return "replies from the VIP " + p.ip.src.str() + " straight to the client " + p.ip.dst.str() + " via " + via +
             (director ? ", its gateway, which only routes it" : ", not through the director");
    case Method::Nat:
      return "replies from " + p.ip.src.str() + " via " + via +
             (director ? ", its gateway, which rewrites the source back to the VIP"
                       : ", not the director: nothing rewrites the source back to the VIP");
    case Method::FullNat:
      return "replies to the director's local address " + p.ip.dst.str() + ", so the reply goes back through it";
  }
  return "";
}

std::string server_reason(const Walk& w, const TraceRow& r) {
  const std::string what =
      r.to_server ? server_takes(w, r) : (r.event == HopEvent::Out ? server_replies(w, r) : std::string());
  return what.empty() ? "" : r.node + ": " + upper(w.method) + " — " + what;
}

}  // namespace

HopRoles hop_roles(const scenario::ScenarioSpec& spec) {
  HopRoles roles;
  for (const scenario::HostSpec& h : spec.topology.hosts) {
    if (h.kind == scenario::HostKind::Director) roles.directors.insert(h.name);
    for (const scenario::InterfaceSpec& i : h.interfaces) {
      roles.hosts.try_emplace(i.address.address().value(), h.name);
      for (const Ipv4Prefix& s : i.secondary) roles.hosts.try_emplace(s.address().value(), h.name);
    }
  }
  for (const scenario::ServiceSpec& s : spec.services)
    for (const scenario::DestinationSpec& d : s.destinations) roles.servers.try_emplace(d.server, d.method);
  return roles;
}

std::optional<std::size_t> previous_frame(const Trace& t, std::size_t i) {
  for (std::size_t j = i; j-- > 0;)
    if (t.rows[j].is_frame() && t.rows[j].packet.id == t.rows[i].packet.id) return j;
  return std::nullopt;
}

void explain_hops(Trace& t, const HopRoles& roles) {
  const std::set<std::uint64_t> flow = flow_packets(t);
  const std::optional<Method> method = walk_method(t, roles, flow);
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    TraceRow& r = t.rows[i];
    if (flow.count(r.packet.id) == 0 || r.event == HopEvent::Drop) continue;
    const bool director = roles.directors.count(r.node) != 0;
    const auto server = roles.servers.find(r.node);
    if (!director && server == roles.servers.end()) continue;
    Walk w{t, roles, server != roles.servers.end() ? server->second : method.value_or(method_of_changes(r))};
    const std::optional<std::size_t> prev = previous_frame(t, i);
    const Packet& before = prev ? t.rows[*prev].packet : r.packet;
    r.reason = director ? director_reason(w, r, before) : server_reason(w, r);
  }
}

}  // namespace lvs::run
