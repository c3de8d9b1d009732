#include "lvs/ipvsadm_format.hpp"

#include <algorithm>
#include <tuple>

#include "lvs/ipvsadm_detail.hpp"
#include "schedulers/sched_flags.hpp"

namespace lvs {

namespace ipvsadm_detail {

std::vector<IndexedService> sorted_services(const Director& d) {
  std::vector<IndexedService> out;
  for (std::size_t i = 0; i < d.services().size(); ++i) out.push_back({d.services()[i].get(), i});
  // ipvs_cmp_services compares the fwmarks, then the protocol numbers (TCP 6 before UDP 17), then the
  // addresses and ports in host order.
  // libipvs compares the fwmark first, so VIP:port services (mark 0) come before fwmark ones.
  std::sort(out.begin(), out.end(), [](const IndexedService& a, const IndexedService& b) {
    return std::tuple(a.svc->fwmark(), static_cast<int>(a.svc->protocol()), a.svc->vip().value(), a.svc->port()) <
           std::tuple(b.svc->fwmark(), static_cast<int>(b.svc->protocol()), b.svc->vip().value(), b.svc->port());
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

}  // namespace ipvsadm_detail

using namespace ipvsadm_detail;

namespace {

using ull = unsigned long long;

// list_all: the version line (IP_VS_VERSION_CODE 1.2.1; the table size 2^CONFIG_IP_VS_TAB_BITS
// with the default 12 bits), then print_title's lines.
constexpr const char* kVersionLine = "IP Virtual Server version 1.2.1 (size=4096)\n";

// print_service_entry's svc_name: "FWM  %d" for a fwmark service, else "%s  %s" of the
// protocol and VIP:port.
std::string service_name(const VirtualService& s) {
  if (s.fwmark() != 0) return fwmark_name(s.fwmark(), false);
  return std::string(proto_name(s.protocol())) + "  " + endpoint(s.vip(), s.port());
}

// print_service_entry, plain form: "%s %s" (the service cut to 33 characters, then the
// scheduler), " (%s)" with the -b flags (ipvsadm 1.31), " persistent %u", and " mask %s"
// when the mask is not /32.
std::string service_line(const VirtualService& s) {
  std::string out = service_name(s) + " " + std::string(s.scheduler().name());
  if (const std::string flags = sched_flags_text(s.sched_flags(), s.scheduler().name()); !flags.empty())
    out += " (" + flags + ")";
  if (const auto& p = s.persistence()) {
    out += " persistent " + std::to_string(p->timeout.count() / Time::s(1).count());
    if (p->netmask.value() != 0xffffffffU) out += " mask " + p->netmask.str();
  }
  return out + "\n";
}

// The service's name as the numeric listings print it first: "%-33s" of "TCP  VIP:port" or "FWM  1".
std::string service_head(const VirtualService& s) { return format("%-33s", service_name(s).c_str()); }

// Every sorted service: its line, then one line per sorted destination.
template <class ServiceLine, class DestLine>
std::string listing(const Director& d, const std::string& title, ServiceLine&& svc_line, DestLine&& dest_line) {
  std::string out = kVersionLine + title;
  for (const IndexedService& s : sorted_services(d)) {
    out += svc_line(s);
    for (const SchedDest& dest : sorted_dests(*s.svc)) out += dest_line(s, dest);
  }
  return out;
}

std::string five_largenums(ull a, ull b, ull c, ull d, ull e, bool exact) {
  return print_largenum(a, exact) + print_largenum(b, exact) + print_largenum(c, exact) + print_largenum(d, exact) +
         print_largenum(e, exact);
}

std::string stats_numbers(const IpvsStats& st, bool exact) {
  return five_largenums(st.conns, st.in_packets, st.out_packets, st.in_bytes, st.out_bytes, exact);
}

}  // namespace

std::string print_largenum(std::uint64_t n, bool exact) {
  const ull i = n;
  if (exact) {
    const int len = static_cast<int>(std::to_string(i).size());
    return format("%*llu", len <= 8 ? 9 : len + 1, i);
  }
  if (i < 100'000'000ULL) return format("%9llu", i);
  if (i < 1'000'000'000ULL) return format("%8lluK", i / 1'000ULL);
  if (i < 100'000'000'000ULL) return format("%8lluM", i / 1'000'000ULL);
  if (i < 100'000'000'000'000ULL) return format("%8lluG", i / 1'000'000'000ULL);
  return format("%8lluT", i / 1'000'000'000'000ULL);
}

// print_title without a format flag; destination rows "  -> %-28s %-7s %-6d %-10u %-10u".
std::string ipvsadm_list(const Director& d) {
  return listing(
      d,
      "Prot LocalAddress:Port Scheduler Flags\n"
      "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n",
      [](const IndexedService& s) { return service_line(*s.svc); },
      [](const IndexedService& s, const SchedDest& dest) {
        return format("  -> %-28s %-7s %-6d %-10u %-10u\n", dest_endpoint(dest).c_str(),
                      std::string(forwarding_name(s.svc->config(dest.id).method)).c_str(), dest.weight,
                      static_cast<unsigned>(dest.activeconns), static_cast<unsigned>(dest.inactconns));
      });
}

// FMT_STATS: title "%-33s %8s %8s %8s %8s %8s"; rows "%-33s" or "  -> %-28s", then five
// print_largenum.
std::string ipvsadm_stats(const Director& d, bool exact) {
  return listing(
      d,
      format("%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n", "Prot LocalAddress:Port", "Conns", "InPkts",
             "OutPkts", "InBytes", "OutBytes"),
      [exact](const IndexedService& s) { return service_head(*s.svc) + stats_numbers(s.svc->stats(), exact) + "\n"; },
      [exact](const IndexedService& s, const SchedDest& dest) {
        return format("  -> %-28s", dest_endpoint(dest).c_str()) + stats_numbers(s.svc->stats(dest.id), exact) + "\n";
      });
}

// FMT_RATE: the service row is five print_largenum; a destination row prints CPS, InPPS and
// OutPPS raw (" %8u" each) and only InBPS, OutBPS through print_largenum.
std::string ipvsadm_rate(const Director& d, bool exact) {
  const DirectorEstimators& est = d.estimators();
  return listing(
      d,
      format("%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n", "Prot LocalAddress:Port", "CPS", "InPPS",
             "OutPPS", "InBPS", "OutBPS"),
      [&est, exact](const IndexedService& s) {
        const IpvsRates r = est.service(s.index);
        return service_head(*s.svc) + five_largenums(r.cps, r.inpps, r.outpps, r.inbps, r.outbps, exact) + "\n";
      },
      [&est, exact](const IndexedService& s, const SchedDest& dest) {
        const IpvsRates r = est.destination(s.index, dest.id);
        return format("  -> %-28s %8llu %8llu %8llu", dest_endpoint(dest).c_str(), static_cast<ull>(r.cps),
                      static_cast<ull>(r.inpps), static_cast<ull>(r.outpps)) +
               print_largenum(r.inbps, exact) + print_largenum(r.outbps, exact) + "\n";
      });
}

// FMT_THRESHOLDS: title "%-33s %-10s %-10s %-10s %-10s"; the service line as in -Ln;
// rows "  -> %-28s %-10u %-10u %-10u %-10u".
std::string ipvsadm_thresholds(const Director& d) {
  return listing(
      d,
      format("%-33s %-10s %-10s %-10s %-10s\n  -> RemoteAddress:Port\n", "Prot LocalAddress:Port", "Uthreshold",
             "Lthreshold", "ActiveConn", "InActConn"),
      [](const IndexedService& s) { return service_line(*s.svc); },
      [](const IndexedService& s, const SchedDest& dest) {
        const DestinationConfig& c = s.svc->config(dest.id);
        return format("  -> %-28s %-10u %-10u %-10u %-10u\n", dest_endpoint(dest).c_str(),
                      static_cast<unsigned>(c.u_threshold), static_cast<unsigned>(c.l_threshold),
                      static_cast<unsigned>(dest.activeconns), static_cast<unsigned>(dest.inactconns));
      });
}

// FMT_PERSISTENTCONN: title "%-33s %-9s %-11s %-10s %-10s"; the service line as in -Ln;
// rows "  -> %-28s %-9u %-11u %-10u %-10u".
std::string ipvsadm_persistent_conn(const Director& d) {
  return listing(
      d,
      format("%-33s %-9s %-11s %-10s %-10s\n  -> RemoteAddress:Port\n", "Prot LocalAddress:Port", "Weight",
             "PersistConn", "ActiveConn", "InActConn"),
      [](const IndexedService& s) { return service_line(*s.svc); },
      [](const IndexedService&, const SchedDest& dest) {
        return format("  -> %-28s %-9u %-11u %-10u %-10u\n", dest_endpoint(dest).c_str(),
                      static_cast<unsigned>(dest.weight), static_cast<unsigned>(dest.persistconns),
                      static_cast<unsigned>(dest.activeconns), static_cast<unsigned>(dest.inactconns));
      });
}

// list_timeout: "Timeout (tcp tcpfin udp): %d %d %d", the kernel's ESTABLISHED, FIN_WAIT
// and UDP timeouts (__ip_vs_get_timeouts).
std::string ipvsadm_timeout(const Director&) {
  const auto secs = [](ConnState s) { return static_cast<int>(state_timeout(s).count() / Time::s(1).count()); };
  return format("Timeout (tcp tcpfin udp): %d %d %d\n", secs(ConnState::Established), secs(ConnState::FinWait),
                secs(ConnState::Udp));
}

}  // namespace lvs
