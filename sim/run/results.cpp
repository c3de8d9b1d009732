#include "run/results.hpp"

#include "run/scenario_theory.hpp"
#include "run/number_text.hpp"

#include <filesystem>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "core/file_output.hpp"
#include "run/bottleneck_output.hpp"
#include "run/failover_output.hpp"
#include "run/vip_arp.hpp"

namespace lvs::run {

namespace {

struct Latency {
  double mean = 0, p50 = 0, p90 = 0, p99 = 0, p999 = 0;  // milliseconds
};

// The percentiles are exact order statistics of every latency (OrderStatistics).
Latency latency_ms(const RequestStats& r) {
  if (r.completed == 0) return {};
  const OrderStatistics& x = r.latencies;
  return {r.latency_summary.mean() * 1e3, x.quantile(0.5) * 1e3, x.quantile(0.9) * 1e3, x.quantile(0.99) * 1e3,
          x.quantile(0.999) * 1e3};
}

// Every figure null when no request completed: there is no latency to report (not 0, not NaN).
nlohmann::ordered_json latency_json(const RequestStats& r) {
  const Latency l = latency_ms(r);
  const auto figure = [&r](double v) { return r.completed == 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v); };
  return {{"mean", figure(l.mean)}, {"p50", figure(l.p50)}, {"p90", figure(l.p90)}, {"p99", figure(l.p99)},
          {"p999", figure(l.p999)}};
}

nlohmann::ordered_json icmp_json(const IcmpCounts& n) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < kIcmpKinds; ++k) {
    const auto kind = static_cast<IcmpKind>(k);
    j[std::string(icmp_kind_name(kind))] = n[kind];
  }
  return j;
}

nlohmann::ordered_json host_json(const HostResult& h) {
  const HostCounters& c = h.counters;
  return {{"name", h.name},
          {"tcp",
           {{"rst_sent", c.rst_sent},
            {"rst_received", c.rst_received},
            {"syn_retransmits", c.syn_retransmits},
            {"retransmits", c.retransmits}}},
          {"icmp_sent", icmp_json(c.icmp_sent)},
          {"icmp_received", icmp_json(c.icmp_received)},
          {"arp",
           {{"requests_sent", c.arp_requests_sent},
            {"gratuitous_sent", c.arp_gratuitous_sent},
            {"replies_sent", c.arp_replies_sent},
            {"requests_received", c.arp_requests_received},
            {"replies_received", c.arp_replies_received}}}};
}

std::string failures_text(const RequestStats& r) {
  std::string out;
  for (std::size_t i = 0; i < kFailReasons; ++i) {
    if (r.failed[i] == 0) continue;
    out += out.empty() ? " (" : ", ";
    out += fail_reason_name(static_cast<FailReason>(i));
    out += ' ';
    out += std::to_string(r.failed[i]);
  }
  return out.empty() ? out : out + ")";
}

// "tcp-timeout" -> "tcp_timeout": a column name.
std::string csv_name(std::string s) {
  for (char& c : s)
    if (c == '-') c = '_';
  return s;
}

void print_servers(std::ostream& os, const RunResult& r) {
  if (r.servers.empty()) return;
  // Who counts what: the server its requests, connections, busy time and bytes; the
  // director (ipvsadm -Ln) the connections it has bound to the server at the end.
  os << "\nReal servers   requests    conns  active  inact   util   MB in  MB out\n"
     << "               --- by server ---  - by ipvsadm - ----- by server -----\n";
  for (const ServerResult& s : r.servers)
    os << std::left << std::setw(12) << s.name << std::right << std::setw(11) << s.requests << std::setw(9)
       << s.connections << std::setw(8) << s.activeconns << std::setw(7) << s.inactconns << std::setw(6)
       << fixed(s.utilization * 100, 1) << '%' << std::setw(8) << megabytes(s.bytes_in) << std::setw(8)
       << megabytes(s.bytes_out) << '\n';
}

void print_links(std::ostream& os, const RunResult& r) {
  if (r.links.empty()) return;
  os << "\nLinks              kind     packets      MB    drops   util\n";
  for (const LinkResult& l : r.links)
    os << std::left << std::setw(16) << l.name << ' ' << std::setw(8) << l.kind << std::right << std::setw(10)
       << l.packets << std::setw(8) << megabytes(l.bytes) << std::setw(9) << l.drops << std::setw(6)
       << fixed(l.utilization * 100, 1) << "%\n";
}

// Every drop reason with its node, most first; the ten commonest and how many more.
void print_drops(std::ostream& os, const RunResult& r) {
  if (r.drops.empty()) return;
  constexpr std::size_t kShown = 10;
  os << "\nDrops       packets  node: reason\n";
  for (std::size_t k = 0; k < r.drops.size() && k < kShown; ++k)
    os << std::right << std::setw(19) << r.drops[k].count << "  " << r.drops[k].node << ": " << r.drops[k].reason
       << "\n";
  if (r.drops.size() > kShown) os << "  and " << r.drops.size() - kShown << " more reasons (--json lists them)\n";
}

// The Hosts section's columns: each a figure pair "sent/recv" (or one figure) a host
// counts of its own traffic, the packets the lessons are about.
struct HostColumn {
  const char* label;
  const char* unit;  ///< "sent/recv" or "sent"
  int width;
  std::string (*value)(const HostCounters&);
};

std::string pair(std::uint64_t sent, std::uint64_t received) {
  return std::to_string(sent) + "/" + std::to_string(received);
}

constexpr HostColumn kHostColumns[] = {
    {"TCP RST", "sent/recv", 11, [](const HostCounters& c) { return pair(c.rst_sent, c.rst_received); }},
    {"SYN resent", "sent", 12, [](const HostCounters& c) { return std::to_string(c.syn_retransmits); }},
    {"ICMP frag-needed", "sent/recv", 18,
     [](const HostCounters& c) {
       return pair(c.icmp_sent[IcmpKind::FragNeeded], c.icmp_received[IcmpKind::FragNeeded]);
     }},
    {"ICMP port-unreach", "sent/recv", 19,
     [](const HostCounters& c) {
       return pair(c.icmp_sent[IcmpKind::PortUnreachable], c.icmp_received[IcmpKind::PortUnreachable]);
     }},
    {"ARP requests", "sent/recv", 14,
     [](const HostCounters& c) { return pair(c.arp_requests_sent, c.arp_requests_received); }},
    {"ARP replies", "sent/recv", 13,
     [](const HostCounters& c) { return pair(c.arp_replies_sent, c.arp_replies_received); }},
};

// A host's row: its figures in the columns' order.
std::vector<std::string> host_row(const HostCounters& c) {
  std::vector<std::string> row;
  for (const HostColumn& col : kHostColumns) row.push_back(col.value(c));
  return row;
}

bool all_zero(const std::vector<std::string>& row) {
  for (const std::string& v : row)
    if (v.find_first_not_of("0/") != std::string::npos) return false;
  return true;
}

void print_host_header(std::ostream& os) {
  os << "\nHosts           ";
  for (const HostColumn& col : kHostColumns) os << std::setw(col.width) << col.label;
  os << "\neach host counts";
  for (const HostColumn& col : kHostColumns) os << std::setw(col.width) << col.unit;
  os << '\n';
}

// Each host's own count of what it sent and received (not what passed through it: a RST
// the router forwards is the client's and the server's), hosts with all zeros left out.
// Three or more hosts in a row with the same figures (thirty idle real servers) share
// one line, "rs1..rs30 each".
void print_hosts(std::ostream& os, const RunResult& r) {
  bool header = false;
  for (std::size_t k = 0; k < r.hosts.size();) {
    const std::vector<std::string> row = host_row(r.hosts[k].counters);
    std::size_t same = k + 1;
    while (same < r.hosts.size() && host_row(r.hosts[same].counters) == row) ++same;
    const std::size_t first = k;
    k = same - first >= 3 ? same : first + 1;
    if (all_zero(row)) continue;
    if (!header) print_host_header(os);
    header = true;
    const std::string name =
        k - first == 1 ? r.hosts[first].name : r.hosts[first].name + ".." + r.hosts[k - 1].name + " each";
    os << std::left << std::setw(16) << name << std::right;
    for (std::size_t c = 0; c < row.size(); ++c) os << std::setw(kHostColumns[c].width) << row[c];
    os << '\n';
  }
}

void print_directors(std::ostream& os, const RunResult& r) {
  for (const DirectorResult& d : r.directors) {
    os << "\nDirector " << d.name << ": cpu " << fixed(d.cpu_utilization * 100, 1) << "% of " << d.cpu_cores
       << (d.cpu_cores == 1 ? " core" : " cores") << " (profile " << d.cpu_profile;
    for (std::size_t k = 0; k < d.cpu_overrides.size(); ++k)
      os << (k == 0 ? "; overridden: " : ", ") << d.cpu_overrides[k];
    os << "), in " << d.packets_in
       << " pkts / " << megabytes(d.bytes_in) << " MB, out " << d.packets_out << " pkts / " << megabytes(d.bytes_out)
       << " MB, " << d.connections << " connections in the table";
    if (d.no_destination + d.no_local_port + d.backlog_drops > 0)
      os << "; refused: no destination " << d.no_destination << ", no local port " << d.no_local_port
         << ", CPU backlog drops " << d.backlog_drops;
    if (d.rescheduled + d.reuse_drops > 0)
      os << "; SYNs reusing an old connection's ports: " << d.rescheduled << " scheduled afresh, " << d.reuse_drops
         << " dropped (conntrack)";
    os << "\n";
    for (const FullNatResult& f : d.fullnat)
      os << "FULLNAT " << f.service << " (" << f.flavour << "): " << f.local_addresses.size() << " local address"
         << (f.local_addresses.size() == 1 ? "" : "es") << ", ports " << f.port_min << ".." << f.port_max << ": "
         << f.in_use << " in use, peak " << f.peak << ", refused " << f.refused << "\n";
    os << d.name << "# ipvsadm -Ln --stats\n" << d.ipvsadm_stats;
    os << d.name << "# ipvsadm -Ln\n" << d.ipvsadm_list;
  }
}

// The run JSON's "theory" object: the model's and the simulation's time at the real servers.
nlohmann::ordered_json comparison_json(const TheoryComparison& c) {
  auto opt_ms = [](const std::optional<double>& v) { return v ? nlohmann::ordered_json(*v * 1e3) : nlohmann::ordered_json(nullptr); };
  return {{"service", c.service},
          {"model", c.model},
          {"measured", "residence at the real servers (waiting + service), requests after the warm-up"},
          {"simulated_mean_ms", c.measured_mean_s * 1e3},
          {"simulated_ci95_ms", opt_ms(c.ci_half_s)},
          {"replications", c.replications},
          {"simulated_p99_ms", opt_ms(c.measured_p99_s)},
          {"theory_mean_ms", c.theory_mean_s * 1e3},
          {"theory_p99_ms", opt_ms(c.theory_p99_s)},
          {"assumptions", c.assumptions}};
}

}  // namespace

std::string interrupted_text(const RunResult& r) {
  std::ostringstream planned;
  planned << r.planned_s;
  return "interrupted at " + fixed(r.sim_time_s, 3) + " s of " + planned.str() + " s simulated";
}

void print_summary(std::ostream& os, const RunResult& r, bool wall_clock) {
  os << "lvslab run: " << r.scenario << " (" << r.file << "), seed " << r.seed << "\n";
  os << "simulated " << fixed(r.sim_time_s, 3) << " s (warm-up " << fixed(r.warmup_s, 3) << " s)";
  if (wall_clock) os << " in " << fixed(r.wall_time_s, 2) << " s wall";
  os << ": " << r.events << " events, " << r.packet_hops << " packet-hops\n";
  if (r.interrupted) os << interrupted_text(r) << ": partial results\n";
  print_auto_warmup(os, r);
  os << '\n';
  const RequestStats& q = r.requests;
  os << "Requests    issued " << q.issued << ", completed " << q.completed << ", failed " << q.failed_total()
     << failures_text(q) << "\n";
  os << "Throughput  " << fixed(r.throughput_rps, 1) << " req/s\n";
  const Latency l = latency_ms(q);
  if (q.completed == 0)
    os << "Latency     no request completed\n";
  else
    os << "Latency     mean " << fixed(l.mean, 3) << " ms, p50 " << fixed(l.p50, 3) << ", p90 " << fixed(l.p90, 3)
       << ", p99 " << fixed(l.p99, 3) << ", p99.9 " << fixed(l.p999, 3) << " ms\n";
  print_bottleneck(os, r);
  print_servers(os, r);
  print_links(os, r);
  print_drops(os, r);
  print_hosts(os, r);
  print_directors(os, r);
  print_vip_arp(os, r);
  if (r.storage) print_storage(os, *r.storage);
  print_control_plane(os, r);
  if (r.theory) print_comparison(os, *r.theory);
  os << "\nfingerprint " << r.fingerprint << "\n";
}

std::string to_json(const RunResult& r) {
  using json = nlohmann::ordered_json;
  json failed = json::object();
  for (std::size_t i = 0; i < kFailReasons; ++i) failed[fail_reason_name(static_cast<FailReason>(i))] = r.requests.failed[i];
  json j{{"seed", r.seed},
         {"scenario", r.scenario},
         {"file", r.file},
         {"sim_time_s", r.sim_time_s},
         {"interrupted", r.interrupted},
         {"warmup_s", r.warmup_s},
         {"wall_time_s", r.wall_time_s},
         {"events", r.events},
         {"packet_hops", r.packet_hops},
         {"fingerprint", r.fingerprint},
         {"requests", {{"issued", r.requests.issued}, {"completed", r.requests.completed}, {"failed", failed}}},
         {"latency_ms", latency_json(r.requests)},
         {"throughput_rps", r.throughput_rps},
         {"servers", json::array()},
         {"links", json::array()},
         {"drops", json::array()},
         {"hosts", json::array()},
         {"directors", json::array()}};
  for (const HostResult& h : r.hosts) j["hosts"].push_back(host_json(h));
  for (const DropCounts::Entry& e : r.drops)
    j["drops"].push_back({{"node", e.node}, {"reason", e.reason}, {"packets", e.count}});
  for (const ServerResult& s : r.servers)
    j["servers"].push_back({{"name", s.name},           {"requests", s.requests},       {"connections", s.connections},
                            {"activeconns", s.activeconns}, {"inactconns", s.inactconns}, {"bytes_in", s.bytes_in},
                            {"bytes_out", s.bytes_out},  {"utilization", s.utilization},
                            {"listen_drops", s.listen_drops}});
  for (const LinkResult& k : r.links)
    j["links"].push_back({{"name", k.name},   {"kind", k.kind},   {"packets", k.packets},
                          {"bytes", k.bytes}, {"drops", k.drops}, {"utilization", k.utilization}});
  for (const DirectorResult& d : r.directors) {
    json fullnat = json::array();
    for (const FullNatResult& f : d.fullnat)
      fullnat.push_back({{"service", f.service},   {"flavour", f.flavour}, {"local_addresses", f.local_addresses},
                         {"port_min", f.port_min}, {"port_max", f.port_max}, {"in_use", f.in_use},
                         {"peak", f.peak},         {"refused", f.refused}});
    j["directors"].push_back({{"name", d.name},
                              {"packets_in", d.packets_in},
                              {"packets_out", d.packets_out},
                              {"bytes_in", d.bytes_in},
                              {"bytes_out", d.bytes_out},
                              {"cpu_utilization", d.cpu_utilization},
                              {"cpu_profile", d.cpu_profile},
                              {"cpu_cores", d.cpu_cores},
                              {"cpu_overrides", d.cpu_overrides},
                              {"methods", d.methods},
                              {"nic", d.nic},
                              {"nic_utilization", d.nic_utilization},
                              {"connections", d.connections},
                              {"refused", {{"no_destination", d.no_destination},
                                           {"no_local_port", d.no_local_port},
                                           {"cpu_backlog", d.backlog_drops}}},
                              {"port_reuse", {{"rescheduled", d.rescheduled}, {"dropped", d.reuse_drops}}},
                              {"fullnat", fullnat}});
  }
  j["clients"] = json::array();
  for (const ClientResult& c : r.clients)
    j["clients"].push_back({{"name", c.name}, {"no_port_failures", c.no_port_failures}, {"time_wait", c.time_wait}});
  add_bottleneck_json(j, r);
  j["vip_arp"] = json::array();
  for (const VipArpChange& c : r.vip_arp)
    j["vip_arp"].push_back({{"time_s", c.time_s}, {"entry", c.entry}, {"from", c.from}, {"to", c.to},
                            {"mac", c.mac},       {"owner", c.owner}, {"cause", c.cause}});
  if (!r.ipvsadm.empty()) {
    j["ipvsadm"] = json::array();
    for (const IpvsadmSnapshot& v : r.ipvsadm)
      j["ipvsadm"].push_back({{"director", v.director}, {"args", v.args}, {"at_s", v.at_s}, {"text", v.text}});
  }
  if (r.storage) j["storage"] = storage_json(*r.storage);
  add_control_plane_json(j, r);
  if (r.theory) j["theory"] = comparison_json(*r.theory);
  return j.dump(2) + "\n";
}

void print_ipvsadm(std::ostream& os, const RunResult& r) {
  for (const IpvsadmSnapshot& v : r.ipvsadm)
    os << "\n[" << fixed(v.at_s, 3) << " s] " << v.director << "# ipvsadm " << v.args << "\n" << v.text;
}

void write_csv(const std::string& dir, const RunResult& r) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create directory " + dir + ": " + ec.message());
  std::ostringstream t, v, l;
  for (std::ostringstream* f : {&t, &v, &l}) *f << std::setprecision(9);
  t << "time_s,completed,failed,throughput_rps,latency_mean_ms,latency_p50_ms,latency_p99_ms";
  for (const DirectorResult& d : r.directors) t << ",cpu_" << d.name;
  for (std::size_t k = 0; k < kFailReasons; ++k) t << ",failed_" << csv_name(fail_reason_name(static_cast<FailReason>(k)));
  for (const std::string& vi : r.vrrp_instances) t << ",master_" << vi;
  if (r.storage)
    for (const NfsServerResult& n : r.storage->nfs) t << ",nfs_threads_" << n.name << ",nfs_disk_" << n.name;
  t << '\n';
  for (const Sample& s : r.series) {
    t << s.time_s << ',' << s.completed << ',' << s.failed << ',' << s.throughput_rps << ',' << s.latency_mean_ms
      << ',' << s.latency_p50_ms << ',' << s.latency_p99_ms;
    for (double c : s.director_cpu) t << ',' << c;
    for (std::uint64_t n : s.failed_by_reason) t << ',' << n;
    for (const std::string& m : s.vrrp_master) t << ',' << m;
    for (std::size_t k = 0; k < s.nfs_threads.size(); ++k) t << ',' << s.nfs_threads[k] << ',' << s.nfs_disk[k];
    t << '\n';
  }
  v << "time_s,server,utilization,activeconns,requests\n";
  for (const Sample& s : r.series)
    for (std::size_t i = 0; i < r.servers.size() && i < s.server_utilization.size(); ++i)
      v << s.time_s << ',' << r.servers[i].name << ',' << s.server_utilization[i] << ','
        << s.server_activeconns[i] << ',' << s.server_requests[i] << '\n';
  l << "time_s,link,utilization\n";
  for (const Sample& s : r.series)
    for (std::size_t i = 0; i < r.links.size() && i < s.link_utilization.size(); ++i)
      l << s.time_s << ',' << r.links[i].name << ',' << s.link_utilization[i] << '\n';
  const std::filesystem::path d(dir);
  write_file((d / "timeseries.csv").string(), t.str());
  write_file((d / "servers.csv").string(), v.str());
  write_file((d / "links.csv").string(), l.str());
}

}  // namespace lvs::run
