#include "lvs/ipvsadm_format.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace lvs {

namespace {

std::string endpoint(Ipv4Address a, std::uint16_t port) { return a.str() + ":" + std::to_string(port); }

std::string proto_name(IpProto p) { return p == IpProto::Udp ? "UDP" : "TCP"; }

std::vector<const VirtualService*> sorted_services(const Director& d) {
  std::vector<const VirtualService*> out;
  for (const auto& s : d.services()) out.push_back(s.get());
  std::sort(out.begin(), out.end(), [](const VirtualService* a, const VirtualService* b) {
    return std::tuple(a->protocol(), a->vip(), a->port()) < std::tuple(b->protocol(), b->vip(), b->port());
  });
  return out;
}

std::vector<SchedDest> sorted_dests(const VirtualService& s) {
  std::vector<SchedDest> out(s.destinations().begin(), s.destinations().end());
  std::sort(out.begin(), out.end(), [](const SchedDest& a, const SchedDest& b) {
    return std::tuple(a.addr.words[0], a.port) < std::tuple(b.addr.words[0], b.port);
  });
  return out;
}

// ipvsadm's " persistent TIMEOUT" and, for a netmask other than /32, " mask NETMASK".
std::string persistence_flags(const VirtualService& s) {
  if (!s.persistence()) return "";
  std::string out = " persistent " + std::to_string(s.persistence()->timeout.count() / 1'000'000'000);
  if (s.persistence()->netmask.value() != 0xffffffffU) out += " mask " + s.persistence()->netmask.str();
  return out;
}

std::string line(const char* fmt, auto... args) {
  char buf[256];
  std::snprintf(buf, sizeof buf, fmt, args...);
  return buf;
}

}  // namespace

std::string ipvsadm_list(const Director& d) {
  std::string out =
      "IP Virtual Server version 1.2.1 (size=4096)\n"
      "Prot LocalAddress:Port Scheduler Flags\n"
      "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n";
  for (const VirtualService* s : sorted_services(d)) {
    out += line("%s  %s %s%s\n", proto_name(s->protocol()).c_str(), endpoint(s->vip(), s->port()).c_str(),
                std::string(s->scheduler().name()).c_str(), persistence_flags(*s).c_str());
    for (const SchedDest& dest : sorted_dests(*s))
      out += line("  -> %-28s %-7s %-6d %-10d %d\n",
                  endpoint(Ipv4Address(dest.addr.words[0]), dest.port).c_str(),
                  std::string(forwarding_name(s->config(dest.id).method)).c_str(), dest.weight, dest.activeconns,
                  dest.inactconns);
  }
  return out;
}

std::string ipvsadm_stats(const Director& d) {
  std::string out =
      "IP Virtual Server version 1.2.1 (size=4096)\n"
      "Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
      "  -> RemoteAddress:Port\n";
  const auto row = [](const std::string& head, const IpvsStats& st) {
    return line("%-33s %8llu %8llu %8llu %8llu %8llu\n", head.c_str(), static_cast<unsigned long long>(st.conns),
                static_cast<unsigned long long>(st.in_packets), static_cast<unsigned long long>(st.out_packets),
                static_cast<unsigned long long>(st.in_bytes), static_cast<unsigned long long>(st.out_bytes));
  };
  for (const VirtualService* s : sorted_services(d)) {
    out += row(proto_name(s->protocol()) + "  " + endpoint(s->vip(), s->port()), s->stats());
    for (const SchedDest& dest : sorted_dests(*s))
      out += row("  -> " + endpoint(Ipv4Address(dest.addr.words[0]), dest.port), s->stats(dest.id));
  }
  return out;
}

}  // namespace lvs
