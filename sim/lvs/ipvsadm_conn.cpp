// ipvsadm -Lnc: the connection table as ipvsadm 1.26 prints it (ipvsadm.c list_conn and
// print_conn, reading /proc/net/ip_vs_conn, written by ip_vs_conn.c ip_vs_conn_seq_show).

#include <algorithm>
#include <tuple>

#include "lvs/ipvsadm_detail.hpp"
#include "lvs/ipvsadm_format.hpp"

namespace lvs {

using namespace ipvsadm_detail;

namespace {

// One entry of /proc/net/ip_vs_conn.
struct ConnRow {
  IpProto proto;
  Ipv4Address caddr, vaddr, daddr;
  std::uint16_t cport, vport, dport;
  std::string_view state;
  std::int64_t expires_s;  // whole seconds left: (timer.expires - jiffies) / HZ

  auto key() const { return std::tuple(caddr.value(), cport, vaddr.value(), vport, daddr.value(), dport); }
};

std::int64_t seconds_left(Time expires, Time now) {
  return expires > now ? (expires - now).count() / Time::s(1).count() : 0;
}

ConnRow connection_row(const Connection& c, Time now) {
  return ConnRow{c.proto, c.caddr, c.vaddr, c.daddr, c.cport, c.vport, c.dport, state_name(c.state),
                 seconds_left(c.expires, now)};
}

// A persistence template: cport 0; its state is printed from ip_vs_ctpl_state_name_table,
// "NONE" (the ASSURED bit is not modelled). ip_vs_check_template rehashes an invalidated
// template with vport and dport 0xffff, so it still shows, with those ports, until it dies.
ConnRow template_row(const PersistTemplate& t, Time now) {
  const SchedDest& dest = t.svc->dest(t.dest);
  const std::uint16_t invalid = 0xffff;
  // A fwmark template is <IPPROTO_IP, caddr, 0, fwmark, 0, daddr, 0> (ip_vs_sched_persist).
  const std::uint16_t template_dport = t.svc->fwmark() != 0 ? 0 : dest.port;
  return ConnRow{t.proto, t.caddr, t.vaddr, t.svc->config(t.dest).addr, 0,
                 t.hashed ? t.vport : invalid, t.hashed ? template_dport : invalid, "NONE",
                 seconds_left(t.expires, now)};
}

// print_conn: expire "%02d:%02d" of minutes and seconds (minutes are not cut at 59), then
// "%-3s %-6s %-11s %-18s %-18s %s".
std::string conn_line(const ConnRow& r) {
  const std::string expire = format("%02lld:%02lld", static_cast<long long>(r.expires_s / 60),
                                    static_cast<long long>(r.expires_s % 60));
  return format("%-3s %-6s %-11s %-18s %-18s %s\n", proto_name(r.proto), expire.c_str(),
                std::string(r.state).c_str(), endpoint(r.caddr, r.cport).c_str(), endpoint(r.vaddr, r.vport).c_str(),
                endpoint(r.daddr, r.dport).c_str());
}

}  // namespace

// The kernel lists its hash table bucket by bucket, an order that depends on a random key
// drawn at boot (ip_vs_conn_rnd); here the rows are sorted by client, virtual and real
// address and port, so templates (cport 0) come before their client's connections.
std::string ipvsadm_connections(const Director& d, Time now) {
  std::vector<ConnRow> rows;
  d.connections().for_each([&](const Connection& c) { rows.push_back(connection_row(c, now)); });
  d.templates().for_each([&](const PersistTemplate& t) { rows.push_back(template_row(t, now)); });
  std::stable_sort(rows.begin(), rows.end(), [](const ConnRow& a, const ConnRow& b) { return a.key() < b.key(); });
  std::string out = "IPVS connection entries\n";
  out += format("pro expire %-11s %-18s %-18s %s\n", "state", "source", "virtual", "destination");
  for (const ConnRow& r : rows) out += conn_line(r);
  return out;
}

}  // namespace lvs
